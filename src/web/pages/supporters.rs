//! Visible clicks and notes on the pages: a creator's supporters (`/supporters?month=`), a
//! reader changing their mind about one click (`POST /t/{id}/note`), and the shape in which
//! every page shows a visible click. Notes are plain text: Tera escapes them, nothing links them.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::click_note::NoteChoice;
use crate::domain::click_note::Visibility;
use crate::i18n;
use crate::models::click_notes::ShownClick;
use crate::use_cases::supporters;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::params::{month_param, parse_id};
use crate::web::session::check_csrf;

/// A visible click as a page shows it: a name (the reader's display name, or "a reader" in
/// the page's language), their public page if any, the note; never an id or an address.
#[derive(Serialize)]
pub struct Shown {
    pub thing_id: i64,
    pub thing_title: String,
    pub name: Option<String>,
    pub handle: Option<String>,
    pub public: bool,
    pub note: Option<String>,
}

impl From<ShownClick> for Shown {
    fn from(c: ShownClick) -> Self {
        let name = Some(c.display_name.trim().to_owned()).filter(|n| !n.is_empty());
        Shown {
            thing_id: c.thing_id,
            thing_title: c.thing_title,
            name,
            handle: c.handle,
            public: c.visibility == Visibility::Public,
            note: c.note,
        }
    }
}

pub fn shown(clicks: Vec<ShownClick>) -> Vec<Shown> {
    clicks.into_iter().map(Shown::from).collect()
}

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// `/supporters?month=YYYY-MM`: who showed their clicks on the viewer's things, by thing.
pub async fn show(page: Page, query: web::Query<MonthQuery>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = month_param(&page.state, query.month.as_deref())?;
    let current = page.state.clock.month();
    let owner = viewer.user_id();
    let found = db::run(&page.state, move |conn| {
        Ok(supporters::supporters(conn, owner, month)?)
    })
    .await?;
    let mut things: Vec<(i64, String, Vec<Shown>)> = Vec::new();
    for click in shown(found) {
        match things.last_mut() {
            Some((id, _, list)) if *id == click.thing_id => list.push(click),
            _ => things.push((click.thing_id, click.thing_title.clone(), vec![click])),
        }
    }
    let mut context = page.context();
    context.insert("month", &month.to_string());
    context.insert("month_name", &i18n::month_name(page.locale, month));
    context.insert("previous", &month.previous().to_string());
    context.insert("next", &(month < current).then(|| month.next().to_string()));
    context.insert("things", &things);
    page.render("pages/supporters.html", &context)
}

#[derive(Deserialize)]
pub struct NoteForm {
    csrf_token: Option<String>,
    visibility: Option<String>,
    note: Option<String>,
    month: Option<String>,
    /// `clicks` to come back to "my clicks"; else the thing's page.
    back: Option<String>,
}

/// `POST /t/{id}/note`: who sees the reader's click on this thing (this month, or `month`),
/// and its note.
pub async fn change(
    page: Page,
    path: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let thing = parse_id(&path)?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = month_param(&page.state, form.month.as_deref())?;
    let choice = NoteChoice::parse(
        Some(form.visibility.as_deref().unwrap_or("private")),
        form.note.as_deref(),
    )?;
    let reader = viewer.user_id();
    let now = page.state.clock.now();
    db::write(&page.state, move |conn| {
        Ok(supporters::choose(
            conn, reader, thing, month, &choice, now,
        )?)
    })
    .await?;
    let to = if form.back.as_deref() == Some("clicks") {
        format!("/clicks?month={month}#click-{}", thing.0)
    } else {
        format!("/t/{}?noted=1#tip", thing.0)
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish())
}
