//! The signed-in user's home: balances, a getting-started checklist and where to go next.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::i18n;
use crate::use_cases::getting_started::{self, Checklist};
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

/// A part of the checklist: for readers, for creators.
#[derive(Serialize)]
struct Group {
    heading: &'static str,
    id: &'static str,
    tasks: Vec<Task>,
}

/// One line of the checklist: its translation key, whether it is done, where to do it.
#[derive(Serialize)]
struct Task {
    key: &'static str,
    done: bool,
    href: &'static str,
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (summary, checklist) = db::run(&page.state, move |conn| {
        Ok((
            wallet::summary(conn, user)?,
            getting_started::load(conn, user)?,
        ))
    })
    .await?;
    let mut context = page.context();
    context.insert("funds", &page.money(summary.balances.funds));
    context.insert("revenue", &page.money(summary.balances.revenue));
    context.insert(
        "verification_sent_at",
        &checklist
            .verification_sent_at
            .map(|at| i18n::format_datetime(page.locale, at.naive_utc())),
    );
    context.insert("email_verified", &checklist.email_verified);
    // Each group shows until all of its tasks are done.
    let groups: Vec<Group> = [
        (
            checklist.reader_done(),
            Group {
                heading: "start-as-reader",
                id: "reader-checklist",
                tasks: reader_tasks(&checklist),
            },
        ),
        (
            checklist.creator_done(),
            Group {
                heading: "start-as-creator",
                id: "creator-checklist",
                tasks: creator_tasks(&checklist),
            },
        ),
    ]
    .into_iter()
    .filter_map(|(done, group)| (!done).then_some(group))
    .collect();
    context.insert("checklist", &groups);
    page.render("pages/dashboard.html", &context)
}

fn reader_tasks(c: &Checklist) -> Vec<Task> {
    vec![
        Task {
            key: "start-verify",
            done: c.email_verified,
            href: "/settings",
        },
        Task {
            key: "start-funds",
            done: c.funded,
            href: "/funds",
        },
        Task {
            key: "start-budget",
            done: c.budget_set,
            href: "/budget",
        },
    ]
}

fn creator_tasks(c: &Checklist) -> Vec<Task> {
    vec![
        Task {
            key: "start-thing",
            done: c.has_things,
            href: "/things/new",
        },
        Task {
            key: "start-site",
            done: c.site_proven,
            href: "/settings/sites",
        },
        Task {
            key: "start-button",
            done: c.tipped,
            href: "/things",
        },
    ]
}
