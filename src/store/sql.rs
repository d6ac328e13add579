//! What the store's queries are written against, once for both backends: parameters, rows, and a
//! connection that runs a statement.
//!
//! Queries use SQLite's `?N` placeholders; the PostgreSQL backend rewrites them to `$N`. Values are
//! the few kinds the schema uses (integers, text, NULL), so both drivers convert them the same way:
//! a column read as `i64` is an `i64` whether SQLite stored an INTEGER or PostgreSQL a BIGINT or a
//! boolean.

use super::StoreError;

/// Which SQL a connection speaks, for the rare statement the dialects cannot share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (rusqlite).
    Sqlite,
    /// PostgreSQL (postgres).
    Postgres,
}

/// A bound value, borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// SQL NULL.
    Null,
    /// A whole number.
    Int(i64),
    /// Text.
    Text(&'a str),
}

/// Something that can be bound to a placeholder.
pub trait Param {
    /// The value to bind.
    fn value(&self) -> Value<'_>;
}

impl Param for i64 {
    fn value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}

impl Param for u32 {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

/// Parameters of one statement, in placeholder order: `p![a, b]`.
macro_rules! p {
    ($($x:expr),* $(,)?) => {
        &[$(&$x as &dyn $crate::store::sql::Param),*] as &[&dyn $crate::store::sql::Param]
    };
}
pub(crate) use p;

/// One value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// An integer (PostgreSQL booleans read as 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
}

/// A row of a result, read by column position.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Cell>);

impl Row {
    /// Column `i` as `T`; a missing column or a value of the wrong kind is corrupt data (or a bug).
    pub fn get<T: FromCell>(&self, i: usize) -> Result<T, StoreError> {
        let cell = self.0.get(i).ok_or_else(|| StoreError::Corrupt(format!("no column {i}")))?;
        T::from_cell(cell).ok_or_else(|| StoreError::Corrupt(format!("column {i}: unexpected {cell:?}")))
    }
}

/// A type a [`Cell`] converts into.
pub trait FromCell: Sized {
    /// The value, or `None` when the cell holds another kind.
    fn from_cell(cell: &Cell) -> Option<Self>;
}

impl FromCell for i64 {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }
}

impl FromCell for bool {
    fn from_cell(cell: &Cell) -> Option<Self> {
        i64::from_cell(cell).map(|n| n != 0)
    }
}

impl FromCell for String {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            c => T::from_cell(c).map(Some),
        }
    }
}

/// A connection (or a transaction on one) that runs the store's statements.
pub trait Conn {
    /// Which dialect it speaks.
    fn dialect(&self) -> Dialect;

    /// Runs a statement; returns how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<u64, StoreError>;

    /// Runs a query; returns every row.
    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, StoreError>;

    /// The first row of a query, if any.
    fn query_opt(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first row of a query that always returns one (an aggregate).
    fn query_one(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?.ok_or_else(|| StoreError::Corrupt(format!("no row from {sql}")))
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(n),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// A SQLite connection (or transaction: both deref to one) as a store [`Conn`].
pub struct Lite<'a>(pub &'a rusqlite::Connection);

impl Conn for Lite<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<u64, StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        let n = st.execute(rusqlite::params_from_iter(params.iter().map(|p| p.value())))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        let width = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter().map(|p| p.value())))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                use rusqlite::types::ValueRef;
                cells.push(match r.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Text(t) => Cell::Text(
                        String::from_utf8(t.to_vec())
                            .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}")))?,
                    ),
                    other => {
                        return Err(StoreError::Corrupt(format!(
                            "column {i}: unexpected {:?}",
                            other.data_type()
                        )));
                    }
                });
            }
            out.push(Row(cells));
        }
        Ok(out)
    }
}

/// `?N` placeholders as PostgreSQL's `$N`, outside quoted text; everything else unchanged.
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_quotes_only() {
        assert_eq!(
            dollar_placeholders("SELECT '?1', \"a?\" FROM t WHERE x = ?1 AND y = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $1 AND y = $12"
        );
    }

    #[test]
    fn cells_convert_to_what_the_column_holds() {
        let row = Row(vec![Cell::Int(1), Cell::Null, Cell::Text("a".into())]);
        assert_eq!(row.get::<i64>(0).unwrap(), 1);
        assert!(row.get::<bool>(0).unwrap());
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(row.get::<String>(2).unwrap(), "a");
        assert!(matches!(row.get::<i64>(2), Err(StoreError::Corrupt(_))));
        assert!(matches!(row.get::<i64>(3), Err(StoreError::Corrupt(_))));
    }
}
