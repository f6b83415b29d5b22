//! The first tip as one straight path. A page that is a step of it (the tip page, sign-up,
//! log-in, funds, budget) carries `next=/t/{id}`; when a step is done the handler sends the
//! reader to `/continue?next=…`, which picks the next step from the reader's state, so the
//! order lives in one place ([`crate::domain::journey::next_step`]).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::domain::journey::{self, Readiness, Step};
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::locale::safe_next;
use crate::web::page::{Page, urlencode};

/// A destination worth a step-by-step path: a thing's tip page (`/t/{id}`), nothing else.
pub fn tip_destination(next: Option<&str>) -> Option<String> {
    let next = next.filter(|n| !n.is_empty())?;
    let safe = safe_next(Some(next));
    let id = safe.strip_prefix("/t/")?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(safe)
}

/// One step as the stepper shows it.
#[derive(Serialize)]
struct StepView {
    code: &'static str,
    state: &'static str,
}

/// What the `_journey.html` partial needs: the steps, the current one, where it ends.
#[derive(Serialize)]
pub struct JourneyView {
    steps: Vec<StepView>,
    current: &'static str,
    number: usize,
    next: String,
    shortfall: Option<String>,
    /// The reader's available funds, once signed in.
    funds: Option<String>,
}

impl JourneyView {
    pub fn new(page: &Page, readiness: Readiness, next: &str) -> JourneyView {
        let current = journey::next_step(readiness);
        let steps = Step::ALL
            .iter()
            .map(|&step| StepView {
                code: step.code(),
                state: match step.cmp(&current) {
                    std::cmp::Ordering::Less => "done",
                    std::cmp::Ordering::Equal => "current",
                    std::cmp::Ordering::Greater => "todo",
                },
            })
            .collect();
        let number = Step::ALL.iter().position(|s| *s == current).unwrap_or(0) + 1;
        JourneyView {
            steps,
            current: current.code(),
            number,
            next: next.to_owned(),
            shortfall: journey::shortfall(readiness).map(|m: Money| page.money(m)),
            funds: readiness.signed_in.then(|| page.money(readiness.funds)),
        }
    }

    /// The path of someone who is not signed in yet.
    pub fn signed_out(page: &Page, next: &str) -> JourneyView {
        JourneyView::new(
            page,
            Readiness {
                signed_in: false,
                funds: Money::ZERO,
                budget: None,
                reserved: false,
            },
            next,
        )
    }
}

/// The reader's path towards `next`, read from the database.
pub async fn load(page: &Page, next: &str) -> Result<JourneyView, AppError> {
    let Some(viewer) = page.viewer.as_ref() else {
        return Ok(JourneyView::signed_out(page, next));
    };
    let user = viewer.user_id();
    let (now, zone) = (page.state.clock.now(), page.state.clock.zone());
    let readiness = db::run(&page.state, move |conn| {
        Ok(wallet::readiness(conn, user, now, zone)?)
    })
    .await?;
    Ok(JourneyView::new(page, readiness, next))
}

/// Where a finished step leads: `/continue?next=…` when it is part of the path, else `plain`.
pub fn after_step(next: Option<&str>, plain: &str) -> String {
    match tip_destination(next) {
        Some(next) => format!("/continue?next={}", urlencode(&next)),
        None => plain.to_owned(),
    }
}

#[derive(Deserialize)]
pub struct ContinueQuery {
    next: Option<String>,
}

/// `GET /continue?next=/t/{id}`: sends the reader to the next step of the path. It changes
/// nothing, so it is a plain link and needs no CSRF token.
pub async fn resume(
    page: Page,
    query: web::Query<ContinueQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(next) = tip_destination(query.next.as_deref()) else {
        return Ok(see_other(&safe_next(query.next.as_deref())));
    };
    let journey = load(&page, &next).await?;
    let encoded = urlencode(&next);
    let to = match journey.current {
        "account" => format!("/signup?next={encoded}"),
        "funds" => format!("/funds?next={encoded}"),
        "budget" => format!("/budget?next={encoded}"),
        _ => next,
    };
    Ok(see_other(&to))
}

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tip_pages_start_a_path() {
        assert_eq!(tip_destination(Some("/t/42")).as_deref(), Some("/t/42"));
        assert_eq!(tip_destination(Some("/t/42?x=1")), None);
        assert_eq!(tip_destination(Some("//evil.example/t/1")), None);
        assert_eq!(tip_destination(Some("https://evil.example/t/1")), None);
        assert_eq!(tip_destination(Some("/t/")), None);
        assert_eq!(tip_destination(Some("/funds")), None);
        assert_eq!(tip_destination(None), None);
    }

    #[test]
    fn a_finished_step_continues_the_path_or_goes_where_it_always_went() {
        assert_eq!(after_step(Some("/t/7"), "/funds"), "/continue?next=/t/7");
        assert_eq!(after_step(Some("//evil.example"), "/funds"), "/funds");
        assert_eq!(after_step(None, "/budget"), "/budget");
    }
}
