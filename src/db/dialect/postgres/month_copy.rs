//! A closed month read with `COPY … TO STDOUT` on PostgreSQL, for settlement: twenty million
//! clicks through the extended protocol cost about twice what the same rows cost through COPY,
//! and the read bounds the run once its writes are few.
//!
//! diesel's `copy_to` copies a table; these targets copy a query instead. COPY takes no bind
//! parameters, so the month comes from a setting of the session (`obole.copy_month`), set just
//! before, rather than from text pasted into the statement.

use std::io::BufRead;

use diesel::pg::{CopyFormat, CopyTarget, Pg};
use diesel::query_builder::AstPass;
use diesel::sql_types::{BigInt, Text};
use diesel::{PgConnection, QueryResult, RunQueryDsl as _};

use crate::db::schema::{clicks, month_budgets};
use crate::domain::{Money, Month};

/// The month's reserved budgets in reader order: `reader_id, amount_micros`.
struct MonthBudgets;

impl CopyTarget for MonthBudgets {
    type Table = month_budgets::table;
    type SqlType = (BigInt, BigInt);

    fn walk_target(mut pass: AstPass<'_, '_, Pg>) -> QueryResult<()> {
        pass.push_sql(
            "(SELECT reader_id, amount_micros FROM month_budgets \
             WHERE month = current_setting('obole.copy_month') AND clicks > 0 \
             ORDER BY reader_id)",
        );
        Ok(())
    }
}

/// The month's clicks in the order of their UNIQUE key: `reader_id, thing_id`.
struct MonthClicks;

impl CopyTarget for MonthClicks {
    type Table = clicks::table;
    type SqlType = (BigInt, BigInt);

    fn walk_target(mut pass: AstPass<'_, '_, Pg>) -> QueryResult<()> {
        pass.push_sql(
            "(SELECT reader_id, thing_id FROM clicks \
             WHERE month = current_setting('obole.copy_month') \
             ORDER BY reader_id, thing_id)",
        );
        Ok(())
    }
}

fn set_month(pg: &mut PgConnection, month: Month) -> QueryResult<()> {
    diesel::sql_query("SELECT set_config('obole.copy_month', $1, false)")
        .bind::<Text, _>(month.to_string())
        .execute(pg)
        .map(|_| ())
}

/// Every reader's reserved budget for `month`, in reader order (a million readers: 16 MB).
pub fn budgets(pg: &mut PgConnection, month: Month) -> QueryResult<Vec<(i64, Money)>> {
    set_month(pg, month)?;
    let raw = diesel::copy_to(MonthBudgets)
        .with_format(CopyFormat::Text)
        .load_raw(pg)?;
    let budgets = PairsOfIntegers::new(raw)
        .map(|row| row.map(|(reader, micros)| (reader, Money::from_micros(micros))))
        .collect();
    end_copy(pg)?;
    budgets
}

/// Streams the month's clicks, `(reader, thing)` in reader then thing order, to `each`,
/// which stops the stream by returning `false`.
pub fn clicks<E>(
    pg: &mut PgConnection,
    month: Month,
    mut each: impl FnMut(i64, i64) -> Result<bool, E>,
) -> Result<(), E>
where
    E: From<diesel::result::Error>,
{
    set_month(pg, month)?;
    let raw = diesel::copy_to(MonthClicks)
        .with_format(CopyFormat::Text)
        .load_raw(pg)?;
    let mut rows = PairsOfIntegers::new(raw);
    let streamed = rows.try_for_each(|row| {
        let (reader, thing) = row.map_err(|e| Some(E::from(e)))?;
        match each(reader, thing) {
            Ok(true) => Ok(()),
            Ok(false) => Err(None),
            Err(e) => Err(Some(e)),
        }
    });
    // Stopped early: the rest of the stream is read, unparsed, so the connection can go on.
    rows.drain();
    drop(rows);
    end_copy(pg)?;
    match streamed {
        Ok(()) | Err(None) => Ok(()),
        Err(Some(e)) => Err(e),
    }
}

/// diesel reads a COPY's rows but leaves its closing result unread, and libpq then refuses
/// the connection's next prepared statement ("another command is already in progress").
/// A simple query (`PQexec`) reads and discards that result first.
fn end_copy(pg: &mut PgConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection as _;
    pg.batch_execute("SELECT 1")
}

/// Rows of two integers in COPY's text format (`123\t456\n`), parsed from the buffer as it
/// comes: a line-by-line `String` per row costs more than the read. Written here because
/// integers need none of the format's escapes, and no crate reads COPY text without a client
/// of its own.
struct PairsOfIntegers<R> {
    raw: R,
    fields: [i64; 2],
    field: usize,
    digits: bool,
    done: bool,
}

impl<R: BufRead> PairsOfIntegers<R> {
    fn new(raw: R) -> Self {
        PairsOfIntegers {
            raw,
            fields: [0; 2],
            field: 0,
            digits: false,
            done: false,
        }
    }

    /// Reads whatever is left of the stream without parsing it.
    fn drain(&mut self) {
        while let Ok(buffer) = self.raw.fill_buf() {
            let read = buffer.len();
            if read == 0 {
                break;
            }
            self.raw.consume(read);
        }
        self.done = true;
    }

    fn malformed(what: &str) -> diesel::result::Error {
        diesel::result::Error::DeserializationError(format!("COPY output: {what}").into())
    }
}

impl<R: BufRead> Iterator for PairsOfIntegers<R> {
    type Item = QueryResult<(i64, i64)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let buffer = match self.raw.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Self::malformed(&e.to_string())));
                }
            };
            if buffer.is_empty() {
                self.done = true;
                if self.field != 0 || self.digits {
                    return Some(Err(Self::malformed("the last row is cut short")));
                }
                return None;
            }
            let mut row = None;
            let mut used = 0;
            for &byte in buffer {
                used += 1;
                match byte {
                    b'0'..=b'9' => {
                        let Some(value) = self.fields[self.field]
                            .checked_mul(10)
                            .and_then(|v| v.checked_add(i64::from(byte - b'0')))
                        else {
                            self.done = true;
                            return Some(Err(Self::malformed("an integer out of range")));
                        };
                        self.fields[self.field] = value;
                        self.digits = true;
                    }
                    b'\t' if self.field == 0 && self.digits => {
                        self.field = 1;
                        self.digits = false;
                    }
                    b'\n' if self.field == 1 && self.digits => {
                        row = Some((self.fields[0], self.fields[1]));
                        self.fields = [0; 2];
                        self.field = 0;
                        self.digits = false;
                        break;
                    }
                    _ => {
                        self.done = true;
                        return Some(Err(Self::malformed("not two integers on a row")));
                    }
                }
            }
            self.raw.consume(used);
            if let Some(row) = row {
                return Some(Ok(row));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::PairsOfIntegers;

    fn parse(text: &[u8]) -> Vec<Result<(i64, i64), String>> {
        // A one-byte buffer cuts every number and every row across reads.
        let raw = std::io::BufReader::with_capacity(1, text);
        PairsOfIntegers::new(raw)
            .map(|row| row.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn rows_of_two_integers_are_read_across_buffer_boundaries() {
        assert_eq!(
            parse(b"1\t2\n30\t400\n9223372036854775807\t0\n"),
            vec![Ok((1, 2)), Ok((30, 400)), Ok((i64::MAX, 0))]
        );
        assert_eq!(parse(b""), vec![]);
    }

    #[test]
    fn anything_else_is_an_error_not_a_row() {
        for bad in [
            &b"1\t2"[..],
            b"1\n",
            b"1\t\\N\n",
            b"-1\t2\n",
            b"1\t2\t3\n",
            b"9223372036854775808\t1\n",
        ] {
            let rows = parse(bad);
            assert!(
                rows.last().is_some_and(Result::is_err),
                "{:?} gave {rows:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
