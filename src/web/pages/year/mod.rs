//! Yearly statements as pages (issue 23, item 4): `/earnings?year=YYYY` and
//! `/contributions?year=YYYY`, a table of the year's months with its totals; the same as CSV
//! (`/earnings.csv?year=`, `/contributions.csv?year=`, in the person's dialect) and printable
//! (`/earnings/year/{year}/statement`, `/contributions/year/{year}/statement`), naming the
//! instance and its operator. The monthly pages hand `?year=` over to here.

mod contributions;
mod earnings;

pub use contributions::{contributions_csv, contributions_page, contributions_statement};
pub use earnings::{earnings_csv, earnings_page, earnings_statement};

use rust_decimal::Decimal;
use tera::Context;

use crate::domain::{Month, Year};
use crate::i18n;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::params::year_param;

/// The year of a statement's path (`/earnings/year/{year}/statement`).
fn path_year(page: &Page, text: &str) -> Result<Year, AppError> {
    year_param(&page.state, None, Some(text))?
        .ok_or(AppError::User(crate::web::error::ErrorCode::InvalidYear))
}

/// The month "now" is in: later months are not listed.
fn current(page: &Page) -> Month {
    page.state.clock.month()
}

/// What every year page says: the year, its neighbours worth a link (the account's years up
/// to the current one), where its months start, and, to print, who issues the statement.
fn year_context(page: &Page, year: Year, first: Month, listed: usize, printable: bool) -> Context {
    let mut context = page.context();
    let now = current(page);
    context.insert("year", &year.value());
    context.insert("listed", &listed);
    context.insert("printable", &printable);
    let previous = year.value() - 1;
    context.insert(
        "previous_year",
        &(previous >= first.year()).then_some(previous),
    );
    let next = year.value() + 1;
    context.insert("next_year", &(next <= now.year()).then_some(next));
    // Months before January are not this year's; a later first month is the account's.
    context.insert(
        "starts_in",
        &(first > year.first_month() && first <= year.last_month())
            .then(|| i18n::month_name(page.locale, first)),
    );
    context.insert("first_month", &i18n::month_name(page.locale, first));
    context.insert("future", &(year.first_month() > now));
    if printable {
        let operator = &page.state.settings.operator;
        context.insert("instance_name", &operator.instance_name);
        context.insert("operator_name", &operator.legal_name);
        context.insert("operator_address", &operator.address);
        context.insert(
            "issued",
            &i18n::format_datetime(page.locale, page.state.clock.now().naive_utc()),
        );
    }
    context
}

/// A fee rate as the person's language writes it ("10 %" in French), or empty.
fn rate_text(page: &Page, rate: Option<Decimal>) -> String {
    rate.map_or_else(String::new, |rate| {
        let mut args = i18n::Args::new();
        args.insert("rate".into(), i18n::decimal(page.locale, rate).into());
        i18n::lookup(page.locale, "year-rate-value", Some(&args)).unwrap_or_default()
    })
}
