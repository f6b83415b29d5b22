//! Operator pages: issuing vouchers, watching the month-end settlements.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::i18n;
use crate::models::{payouts, vouchers};
use crate::use_cases::payouts::Decision;
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::{Page, Viewer};
use crate::web::session::check_csrf;

pub(super) fn operator(page: &Page) -> Result<Option<Viewer>, AppError> {
    match &page.viewer {
        None => Ok(None),
        Some(viewer) if viewer.is_operator => Ok(Some(viewer.clone())),
        Some(_) => Err(ErrorCode::Forbidden.into()),
    }
}

#[derive(Serialize)]
struct BatchLine {
    id: i64,
    created: String,
    amount: String,
    count: i32,
    redeemed: i64,
}

pub async fn vouchers_page(page: Page) -> Result<HttpResponse, AppError> {
    if operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    render(&page, None, &[], "", "").await
}

async fn render(
    page: &Page,
    error: Option<ErrorCode>,
    codes: &[String],
    amount: &str,
    count: &str,
) -> Result<HttpResponse, AppError> {
    let batches = db::run(&page.state, |conn| Ok(vouchers::batches(conn, 50)?)).await?;
    let lines: Vec<BatchLine> = batches
        .iter()
        .map(|b| BatchLine {
            id: b.id,
            created: i18n::format_datetime(page.locale, b.created_at),
            amount: page.money(Money::from_micros(b.amount_micros)),
            count: b.voucher_count,
            redeemed: b.redeemed,
        })
        .collect();
    let mut context = page.context();
    context.insert("batches", &lines);
    context.insert("codes", codes);
    context.insert("amount", amount);
    context.insert("count", count);
    context.insert("max_count", &wallet::MAX_VOUCHERS_PER_BATCH);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/operator_vouchers.html", &context)
}

#[derive(Deserialize)]
pub struct IssueForm {
    csrf_token: Option<String>,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    count: String,
}

/// Issues vouchers and shows their codes once, on this response only (they are stored hashed).
pub async fn issue(page: Page, form: web::Form<IssueForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = operator(&page)? else {
        return Ok(page.login_redirect());
    };
    let amount = Money::parse_user_amount(&form.amount);
    let count = form.count.trim().parse::<u32>();
    let (Ok(amount), Ok(count)) = (amount, count) else {
        return render(
            &page,
            Some(ErrorCode::InvalidVoucherBatch),
            &[],
            &form.amount,
            &form.count,
        )
        .await;
    };
    let now = page.state.clock.now();
    let by = viewer.user_id();
    let issued = db::run(&page.state, move |conn| {
        Ok(wallet::issue_vouchers(conn, amount, count, Some(by), now)?)
    })
    .await;
    match issued {
        Ok(codes) => {
            tracing::info!(operator = by.0, count, amount = %amount, "issued vouchers");
            let shown: Vec<String> = codes.iter().map(|c| c.display()).collect();
            render(&page, None, &shown, "", "").await
        }
        Err(AppError::User(code)) => {
            render(&page, Some(code), &[], &form.amount, &form.count).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Serialize)]
struct RunLine {
    month: String,
    state_key: String,
    readers: i64,
    clicks: i64,
    debited: String,
    fees: String,
    started: String,
    finished: Option<String>,
    error: Option<String>,
}

/// Each month's settlement run: its state and totals (runs are started by `obole settle`).
pub async fn settlements_page(page: Page) -> Result<HttpResponse, AppError> {
    if operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    let (runs, charity_balance) = db::run(&page.state, |conn| {
        use crate::domain::ledger::{AccountKind, AccountRef};
        Ok((
            crate::models::settlement::latest_runs(conn, 36)?,
            crate::models::ledger::balance(conn, AccountRef::Platform(AccountKind::Charity))?,
        ))
    })
    .await?;
    let lines: Vec<RunLine> = runs
        .into_iter()
        .map(|run| RunLine {
            month: run.month,
            state_key: format!("settlement-state-{}", run.state),
            readers: run.readers,
            clicks: run.clicks,
            debited: page.money(Money::from_micros(run.debited_micros)),
            fees: page.money(Money::from_micros(run.fees_micros)),
            started: i18n::format_datetime(page.locale, run.started_at),
            finished: run
                .finished_at
                .map(|at| i18n::format_datetime(page.locale, at)),
            error: run.error,
        })
        .collect();
    let mut context = page.context();
    context.insert("runs", &lines);
    // Money rule 6: what readers gave the charity, and where the operator sends it. The
    // balance shows even when no charity is named any more, while it holds money.
    let charity = page.state.settings.operator.charity.as_ref();
    context.insert("charity", &charity.map(|c| c.name.as_str()));
    context.insert(
        "charity_details",
        &charity.map_or(&[][..], |c| c.payout_details.as_slice()),
    );
    context.insert(
        "charity_balance",
        &(charity.is_some() || charity_balance > Money::ZERO).then(|| page.money(charity_balance)),
    );
    page.render_with_status(StatusCode::OK, "pages/operator_settlements.html", &context)
}

#[derive(Serialize)]
struct OperatorPayout {
    line: super::payouts::PayoutLine,
    creator_email: String,
    /// The viewer's own request, which another operator decides.
    own: bool,
    /// In the open SEPA batch: decided with the batch, not alone.
    in_batch: bool,
}

/// `GET /operator/payouts`: the requests waiting, oldest first, and the latest decided.
pub async fn payouts_page(
    page: Page,
    query: web::Query<PayoutsQuery>,
) -> Result<HttpResponse, AppError> {
    if operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    render_payouts(&page, None, query.marked.as_deref()).await
}

/// `?marked=N` (or `already`): what marking a SEPA batch sent did, said once.
#[derive(Deserialize)]
pub struct PayoutsQuery {
    marked: Option<String>,
}

async fn render_payouts(
    page: &Page,
    error: Option<ErrorCode>,
    marked: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let me = page.viewer.as_ref().map(|v| v.id);
    let (pending, decided, batched) = db::run(&page.state, |conn| {
        let batched: Vec<i64> = match crate::models::payout_batches::open(conn)? {
            Some(open) => crate::models::payout_batches::items(conn, open.id)?
                .into_iter()
                .map(|(p, _)| p.id)
                .collect(),
            None => Vec::new(),
        };
        Ok((
            payouts::pending_with_emails(conn, 200)?,
            payouts::decided(conn, 100)?,
            batched,
        ))
    })
    .await?;
    let pending: Vec<OperatorPayout> = pending
        .into_iter()
        .map(|(row, creator_email)| OperatorPayout {
            own: Some(row.user_id) == me,
            in_batch: batched.contains(&row.id),
            line: super::payouts::payout_line(page, row),
            creator_email,
        })
        .collect();
    let decided: Vec<super::payouts::PayoutLine> = decided
        .into_iter()
        .map(|row| super::payouts::payout_line(page, row))
        .collect();
    let mut context = page.context();
    context.insert("pending", &pending);
    context.insert("decided", &decided);
    context.insert("sepa_batches", &super::operator_batches::lines(page).await?);
    super::operator_batches::notices(page, &mut context).await?;
    context.insert(
        "sepa_configured",
        &page.state.settings.sepa.debtor().is_ok(),
    );
    // Only a count or `already` is echoed: the notice never prints what the URL says.
    let marked = marked
        .filter(|m| ["already", "cancelled", "not-open"].contains(m) || m.parse::<u32>().is_ok());
    context.insert("sepa_marked", &marked);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/operator_payouts.html", &context)
}

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf_token: Option<String>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /operator/payouts/{id}`: `decision=sent` with the transfer's reference, or
/// `decision=rejected` with an optional reason.
pub async fn decide_payout(
    page: Page,
    path: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = operator(&page)? else {
        return Ok(page.login_redirect());
    };
    let decision = match form.decision.as_str() {
        "sent" => Decision::Sent {
            reference: form.note.clone(),
        },
        "rejected" => Decision::Rejected {
            reason: form.note.clone(),
        },
        _ => return Err(ErrorCode::InvalidForm.into()),
    };
    let id = path.into_inner();
    let now = page.state.clock.now();
    let operator_id = viewer.user_id();
    let outcome = db::run(&page.state, move |conn| {
        Ok(crate::use_cases::payouts::decide(
            conn,
            id,
            &decision,
            operator_id,
            now,
        )?)
    })
    .await;
    match outcome {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/operator/payouts"))
            .finish()),
        Err(AppError::User(code)) => render_payouts(&page, Some(code), None).await,
        Err(other) => Err(other),
    }
}
