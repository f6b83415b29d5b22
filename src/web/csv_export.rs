//! CSV downloads in two dialects: comma-separated with decimal points, and the one French
//! spreadsheets open directly (`;` separators, decimal commas, a UTF-8 byte-order mark).
//!
//! Cells are typed: text (titles, names, words) is neutralised so that a spreadsheet never
//! reads it as a formula (CSV injection: a title such as `=HYPERLINK(…)` would run when the
//! file is opened), while amounts and counts stay numbers.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::domain::{Locale, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Comma,
    Semicolon,
}

impl Dialect {
    /// `?sep=semicolon` or `?sep=comma` if given, else what the reader's language expects.
    pub fn choose(locale: Locale, sep: Option<&str>) -> Dialect {
        match sep {
            Some("semicolon") => Dialect::Semicolon,
            Some("comma") => Dialect::Comma,
            _ => match locale {
                Locale::Fr => Dialect::Semicolon,
                Locale::En => Dialect::Comma,
            },
        }
    }

    /// An empty sheet in this dialect.
    pub fn sheet(self) -> Sheet {
        let (separator, bom): (u8, &[u8]) = match self {
            Dialect::Semicolon => (b';', "\u{feff}".as_bytes()),
            Dialect::Comma => (b',', b""),
        };
        let writer = csv::WriterBuilder::new()
            .delimiter(separator)
            .from_writer(bom.to_vec());
        Sheet {
            dialect: self,
            writer,
        }
    }

    /// An API amount (`12.345678`) as this dialect writes numbers.
    fn decimal(self, text: String) -> String {
        match self {
            Dialect::Semicolon => text.replace('.', ","),
            Dialect::Comma => text,
        }
    }
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Words: neutralised on writing.
    Text(String),
    /// An amount, written as this dialect writes numbers.
    Amount(Money),
    /// A whole number (a count, an id).
    Number(i64),
    /// A decimal number that is not money (a fee rate in percent), written as this dialect
    /// writes numbers.
    Decimal(rust_decimal::Decimal),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// A CSV file being written.
pub struct Sheet {
    dialect: Dialect,
    writer: csv::Writer<Vec<u8>>,
}

impl Sheet {
    pub fn row<I>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = Cell>,
    {
        let dialect = self.dialect;
        self.writer
            .write_record(cells.into_iter().map(|cell| match cell {
                Cell::Text(text) => neutralised(text),
                Cell::Amount(amount) => dialect.decimal(amount.to_api_string()),
                Cell::Number(n) => n.to_string(),
                Cell::Decimal(d) => dialect.decimal(d.normalize().to_string()),
            }))
    }

    /// The finished file as a download named `filename`.
    pub fn download(self, filename: &str) -> anyhow::Result<HttpResponse> {
        download(self.into_bytes()?, filename)
    }

    /// The finished file's bytes (for an archive of several files).
    pub fn into_bytes(self) -> anyhow::Result<Vec<u8>> {
        self.writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// Text that a spreadsheet would read as a formula (or as a cell that starts one) gets a
/// leading apostrophe, which spreadsheets show as text, as OWASP's CSV injection advice says.
fn neutralised(text: String) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

fn download(body: Vec<u8>, filename: &str) -> anyhow::Result<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(dialect: Dialect, cells: Vec<Cell>) -> String {
        let mut sheet = dialect.sheet();
        sheet.row(cells).expect("row");
        let bytes = sheet.writer.into_inner().expect("bytes");
        String::from_utf8(bytes)
            .expect("utf-8")
            .trim_start_matches('\u{feff}')
            .to_owned()
    }

    #[test]
    fn text_that_starts_a_formula_is_neutralised_and_amounts_stay_numbers() {
        for hostile in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let line = written(Dialect::Comma, vec![Cell::from(hostile)]);
            let cell = line.trim_end_matches('\n').trim_matches('"');
            assert!(cell.starts_with('\''), "{hostile:?} gave {line:?}");
        }
        assert_eq!(
            written(Dialect::Comma, vec![Cell::from("Plain title")]),
            "Plain title\n"
        );
        let amounts = vec![
            Cell::Amount(Money::from_micros(-2_000_000)),
            Cell::Number(-3),
            Cell::Amount(Money::from_micros(666_667)),
            Cell::Decimal(rust_decimal::Decimal::new(750, 2)),
        ];
        assert_eq!(
            written(Dialect::Comma, amounts.clone()),
            "-2.00,-3,0.666667,7.5\n"
        );
        assert_eq!(
            written(Dialect::Semicolon, amounts),
            "-2,00;-3;0,666667;7,5\n"
        );
    }
}
