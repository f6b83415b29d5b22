//! Rows of whole numbers for the bulk statements, in the two shapes the backends read: one
//! array per column (PostgreSQL) or one JSON text (SQLite).

/// Rows of whole numbers, stored flat: `width` values per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    width: usize,
    values: Vec<i64>,
}

impl Rows {
    pub fn new(width: usize) -> Rows {
        Rows {
            width: width.max(1),
            values: Vec::new(),
        }
    }

    /// Adds a row; `row` has the width the rows were made with.
    pub fn push(&mut self, row: &[i64]) {
        debug_assert_eq!(row.len(), self.width);
        self.values.extend_from_slice(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.width
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Values per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Column `n`, for PostgreSQL's arrays.
    pub(super) fn column(&self, n: usize) -> Vec<i64> {
        self.values
            .chunks_exact(self.width)
            .filter_map(|row| row.get(n).copied())
            .collect()
    }

    /// `[[a,b],[c,d]]`, for SQLite's `json_each`.
    pub fn to_json(&self) -> String {
        use std::fmt::Write as _;
        let mut json = String::with_capacity(self.values.len() * 12 + 2);
        json.push('[');
        for (n, row) in self.values.chunks_exact(self.width).enumerate() {
            json.push_str(if n == 0 { "[" } else { ",[" });
            for (m, value) in row.iter().enumerate() {
                let comma = if m == 0 { "" } else { "," };
                let _ = write!(json, "{comma}{value}");
            }
            json.push(']');
        }
        json.push(']');
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_json_and_as_columns() {
        let mut rows = Rows::new(2);
        rows.push(&[1, -20]);
        rows.push(&[3, 40]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.to_json(), "[[1,-20],[3,40]]");
        assert_eq!(rows.column(1), [-20, 40]);
        assert_eq!(Rows::new(3).to_json(), "[]");
    }
}
