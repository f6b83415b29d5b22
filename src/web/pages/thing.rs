//! `/t/{id}`: a thing's page, where a reader confirms a click with one POST. Opened as a
//! popup by the embed script or followed as a plain link; never framed (CSP
//! `frame-ancestors 'none'`), so nobody can trick a reader into clicking through an overlay.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::db::DbConnection;
use crate::domain::click_note::NoteChoice;
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::click_notes::ShownClick;
use crate::models::{creator_profiles, users};
use crate::use_cases;
use crate::use_cases::clicks::{self, Preview};
use crate::use_cases::things;
use crate::web::button::button;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::journey::{self, JourneyView};
use crate::web::limits::check;
use crate::web::page::Page;
use crate::web::pages::supporters;
use crate::web::params::parse_id;
use crate::web::session::check_csrf;

#[derive(Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
    undone: Option<String>,
    noted: Option<String>,
    subscribed: Option<String>,
    unsubscribed: Option<String>,
}

/// What the last action on the page did, said once after its redirect.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    None,
    Tipped,
    Undone,
    /// Who sees the click, or its note, changed.
    Noted,
}

/// What the reader sees in the tip box.
#[derive(Serialize, Default)]
struct TipBox {
    state: &'static str,
    value: Option<String>,
    approximate: bool,
    budget: Option<String>,
    funds: Option<String>,
}

pub async fn show(
    page: Page,
    path: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let outcome = if query.done.is_some() {
        Outcome::Tipped
    } else if query.undone.is_some() {
        Outcome::Undone
    } else if query.noted.is_some() {
        Outcome::Noted
    } else {
        Outcome::None
    };
    let asked = if query.subscribed.is_some() {
        Some("subscribed")
    } else if query.unsubscribed.is_some() {
        Some("unsubscribed")
    } else {
        None
    };
    render(&page, &path, outcome, None, asked).await
}

/// The page again, saying why a form on it was refused.
pub(super) async fn refused(
    page: &Page,
    path: &str,
    error: ErrorCode,
) -> Result<HttpResponse, AppError> {
    render(page, path, Outcome::None, Some(error), None).await
}

async fn render(
    page: &Page,
    path: &str,
    outcome: Outcome,
    error: Option<ErrorCode>,
    subscription_asked: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(path)?;
    let reader = page.viewer.as_ref().map(|v| v.user_id());
    let (now, zone) = (page.state.clock.now(), page.state.clock.zone());
    let month = Month::containing(now, zone);
    let (thing, clicks_this_month, owner, preview, notes) = db::run(&page.state, move |conn| {
        let (thing, count) = things::public_with_clicks(conn, id, month)?;
        let owner = match creator_profiles::find_by_user(conn, thing.owner())? {
            Some(p) => (p.public_name, Some(p.handle)),
            None => (
                users::find(conn, thing.owner())?
                    .map(|u| u.display_name)
                    .unwrap_or_default(),
                None,
            ),
        };
        let preview = match reader {
            Some(reader) => Some(clicks::preview(conn, reader, &thing, now, zone)?),
            None => None,
        };
        let notes = ThingNotes::load(conn, reader, id, month)?;
        Ok((thing, count, owner, preview, notes))
    })
    .await?;
    let shown = |m: Money| (page.money(m.rounded_to_cent()), m.rounded_to_cent() != m);
    let tip = match preview {
        None => TipBox {
            state: "anonymous",
            ..TipBox::default()
        },
        Some(Preview::OwnThing) => TipBox {
            state: "own",
            ..TipBox::default()
        },
        Some(Preview::NoBudget) => TipBox {
            state: "no_budget",
            ..TipBox::default()
        },
        Some(Preview::MonthClosed) => TipBox {
            state: "month_closed",
            ..TipBox::default()
        },
        Some(Preview::InsufficientFunds { budget, funds }) => TipBox {
            state: "insufficient_funds",
            budget: Some(page.money(budget)),
            funds: Some(page.money(funds)),
            ..TipBox::default()
        },
        Some(Preview::AlreadyClicked { click_value }) => {
            let (value, approximate) = shown(click_value);
            TipBox {
                state: "clicked",
                value: Some(value),
                approximate,
                ..TipBox::default()
            }
        }
        Some(Preview::Ready {
            click_value,
            first_of_month,
        }) => {
            let (value, approximate) = shown(click_value);
            TipBox {
                state: if first_of_month { "first" } else { "ready" },
                value: Some(value),
                approximate,
                ..TipBox::default()
            }
        }
    };
    let mut context = page.context();
    context.insert("thing", &serde_json::json!({
        "id": thing.id, "url": thing.url, "title": thing.title, "description": thing.description,
        "category": thing.category, "language": thing.language,
        "claimed": thing.site_id.is_some(),
    }));
    context.insert("hold_months", &page.state.settings.claim_hold_months);
    context.insert("owner_name", &owner.0);
    context.insert("owner_handle", &owner.1);
    context.insert("clicks", &clicks_this_month);
    // A reader who cannot tip yet sees the path to it, step by step.
    let here = format!("/t/{}", id.0);
    let journey = match tip.state {
        "anonymous" => Some(JourneyView::signed_out(page, &here)),
        "no_budget" | "insufficient_funds" => Some(journey::load(page, &here).await?),
        _ => None,
    };
    context.insert("journey", &journey);
    context.insert("tip", &tip);
    // The address only asks for the message; the reader's state must bear it out, so a link
    // with `?done=1` or `?undone=1` cannot tell anyone something untrue.
    context.insert(
        "done",
        &(outcome == Outcome::Tipped && tip.state == "clicked"),
    );
    context.insert(
        "undone",
        &(outcome == Outcome::Undone && matches!(tip.state, "first" | "ready")),
    );
    context.insert(
        "link",
        &button(&page.state.settings.base_url, id, &thing.title).link,
    );
    context.insert(
        "noted",
        &(outcome == Outcome::Noted && tip.state == "clicked"),
    );
    context.insert("my_note", &notes.mine);
    context.insert("public_notes", &supporters::shown(notes.public));
    context.insert("error_key", &error.map(ErrorCode::message_key));
    // Subscriptions: for a reader who may tip this thing (not its claimed owner).
    let subscription = match reader {
        Some(reader) if tip.state != "own" => {
            Some(super::subscription_views::thing_box(page, reader, id, subscription_asked).await?)
        }
        _ => None,
    };
    context.insert("subscription", &subscription);
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/thing.html", &context)
}

/// The thing's public clicks this month, and the viewer's own choice for theirs.
struct ThingNotes {
    public: Vec<ShownClick>,
    mine: OwnChoiceView,
}

#[derive(Serialize)]
struct OwnChoiceView {
    visibility: &'static str,
    note: String,
}

impl ThingNotes {
    fn load(
        conn: &mut DbConnection,
        reader: Option<UserId>,
        thing: ThingId,
        month: Month,
    ) -> Result<ThingNotes, AppError> {
        let public = use_cases::supporters::public_of_thing(conn, thing, month)?;
        let mine = match reader {
            Some(reader) => use_cases::supporters::choices_of(conn, reader, month)?
                .into_iter()
                .find(|c| c.thing_id == thing.0),
            None => None,
        };
        let mine = mine.map_or(
            OwnChoiceView {
                visibility: "private",
                note: String::new(),
            },
            |c| OwnChoiceView {
                visibility: c.visibility.as_str(),
                note: c.note.unwrap_or_default(),
            },
        );
        Ok(ThingNotes { public, mine })
    }
}

#[derive(Deserialize)]
pub struct TipForm {
    csrf_token: Option<String>,
    /// Who sees the click (`private` when absent) and its note.
    visibility: Option<String>,
    note: Option<String>,
}

/// `POST /t/{id}/click`: the confirmation. Refusals show the page again with the reason.
pub async fn click(
    page: Page,
    path: web::Path<String>,
    form: web::Form<TipForm>,
) -> Result<HttpResponse, AppError> {
    act(page, path, form, true).await
}

/// `POST /t/{id}/undo`.
pub async fn undo(
    page: Page,
    path: web::Path<String>,
    form: web::Form<TipForm>,
) -> Result<HttpResponse, AppError> {
    act(page, path, form, false).await
}

async fn act(
    page: Page,
    path: web::Path<String>,
    form: web::Form<TipForm>,
    tip: bool,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let id = parse_id(&path)?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    check(&page.state.limits.click_by_user, &viewer.id)?;
    let reader = viewer.user_id();
    let now = page.state.clock.now();
    // The note is checked before the click, so that a refused note writes nothing.
    let choice = match NoteChoice::parse(form.visibility.as_deref(), form.note.as_deref()) {
        Ok(choice) => choice,
        Err(e) => {
            let AppError::User(code) = AppError::from(e) else {
                return Err(AppError::User(ErrorCode::InvalidNote));
            };
            return render(&page, &path, Outcome::None, Some(code), None).await;
        }
    };
    let outcome = if tip {
        match db::click(&page.state, reader, id, now, None).await {
            Ok(clicked) if !choice.is_default() => {
                let month = clicked.month;
                db::write(&page.state, move |conn| {
                    Ok(use_cases::supporters::choose(
                        conn, reader, id, month, &choice, now,
                    )?)
                })
                .await
            }
            other => other.map(|_| ()),
        }
    } else {
        let month = Month::containing(now, page.state.clock.zone());
        let undone = db::write(&page.state, move |conn| {
            Ok(clicks::undo_in(conn, reader, id, month, now)?)
        })
        .await;
        if undone.is_ok() {
            page.state.metrics.undo();
        }
        undone
    };
    page.state.clicked(id);
    match outcome {
        Ok(()) => {
            let to = if tip {
                format!("/t/{}?done=1", id.0)
            } else {
                format!("/t/{}?undone=1", id.0)
            };
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to))
                .finish())
        }
        Err(AppError::User(code)) if code != ErrorCode::NotFound => {
            render(&page, &path, Outcome::None, Some(code), None).await
        }
        Err(other) => Err(other),
    }
}
