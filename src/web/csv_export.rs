//! CSV downloads in two dialects: comma-separated with decimal points, and the one French
//! spreadsheets open directly (`;` separators, decimal commas, a UTF-8 byte-order mark).

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::domain::Locale;

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

    pub fn writer(self) -> csv::Writer<Vec<u8>> {
        let (separator, bom): (u8, &[u8]) = match self {
            Dialect::Semicolon => (b';', "\u{feff}".as_bytes()),
            Dialect::Comma => (b',', b""),
        };
        csv::WriterBuilder::new()
            .delimiter(separator)
            .from_writer(bom.to_vec())
    }

    /// An API amount (`12.345678`) as this dialect writes numbers.
    pub fn decimal(self, text: String) -> String {
        match self {
            Dialect::Semicolon => text.replace('.', ","),
            Dialect::Comma => text,
        }
    }
}

/// The finished file as a download named `filename`.
pub fn download(writer: csv::Writer<Vec<u8>>, filename: &str) -> anyhow::Result<HttpResponse> {
    let body = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
