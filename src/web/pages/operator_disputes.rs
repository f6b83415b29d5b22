//! `GET /operator/disputes`: card payments the readers' banks took back, open ones first,
//! with what each took from the reader's funds and what the platform bears.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

use crate::domain::Money;
use crate::domain::dispute::DisputeState;
use crate::i18n;
use crate::models::card_disputes;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

#[derive(Serialize)]
struct DisputeLine {
    dispute_id: String,
    reader: String,
    amount: String,
    debited: String,
    shortfall: String,
    state_key: String,
    opened: String,
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    if super::operator::operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    let rows = db::run(&page.state, |conn| {
        Ok(card_disputes::latest_with_emails(conn, 200)?)
    })
    .await?;
    let shortfall = rows
        .iter()
        .filter(|(row, _)| row.state != DisputeState::Won)
        .try_fold(Money::ZERO, |sum, (row, _)| {
            sum.checked_add(row.shortfall())
        })
        .unwrap_or(Money::ZERO);
    let lines: Vec<DisputeLine> = rows
        .into_iter()
        .map(|(row, reader)| DisputeLine {
            amount: page.money(row.amount()),
            debited: page.money(row.debited()),
            shortfall: page.money(row.shortfall()),
            state_key: format!("disputes-state-{}", row.state),
            opened: i18n::format_datetime(page.locale, row.created_at),
            dispute_id: row.dispute_id,
            reader,
        })
        .collect();
    let mut context = page.context();
    context.insert("disputes", &lines);
    context.insert("total_shortfall", &page.money(shortfall));
    page.render_with_status(StatusCode::OK, "pages/operator_disputes.html", &context)
}
