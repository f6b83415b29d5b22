//! `GET /operator/disputes`: card payments the readers' banks took back, open ones first,
//! with what each took from the reader's funds and what the platform bears.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

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
    // The total over every dispute, in SQL: the table shows only the latest ones.
    let (rows, shortfall) = db::run(&page.state, |conn| {
        Ok((
            card_disputes::latest_with_emails(conn, 200)?,
            card_disputes::shortfall_total(conn)?,
        ))
    })
    .await?;
    let lines: Vec<DisputeLine> = rows
        .into_iter()
        .map(|(row, reader)| DisputeLine {
            amount: page.money(row.amount()),
            debited: page.money(row.debited()),
            shortfall: page.money(row.shortfall()),
            // An open dispute whose money the bank has not taken is an inquiry.
            state_key: if row.state == DisputeState::Open && row.withdrawn_at.is_none() {
                "disputes-state-inquiry".to_owned()
            } else {
                format!("disputes-state-{}", row.state)
            },
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
