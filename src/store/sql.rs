//! Hand-written SQL for the few questions sea-orm's query builder cannot ask on both
//! databases alike: full-text search, the timeline's union of dated rows, and grouped counts.
//!
//! [`Sql`] writes a statement and its bound values together, with the placeholder style of
//! the database it is for (`?` for SQLite, `$1…` for PostgreSQL), so no value is ever pasted
//! into the SQL text.

use sea_orm::{DatabaseBackend, Statement, Value};

/// A statement being written, with its bound values.
#[derive(Debug, Clone)]
pub struct Sql {
    backend: DatabaseBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// An empty statement for `backend`.
    pub fn new(backend: DatabaseBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// The database the statement is for.
    pub fn backend(&self) -> DatabaseBackend {
        self.backend
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DatabaseBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `(?, ?, …)`, one placeholder per value.
    pub fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.push("(");
        for (index, value) in values.into_iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(value);
        }
        self.push(")")
    }

    /// The finished statement.
    pub fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_database() {
        let mut sqlite = Sql::new(DatabaseBackend::Sqlite);
        sqlite
            .push("SELECT 1 WHERE a = ")
            .bind(1)
            .push(" AND b IN ")
            .bind_list(["x", "y"]);
        let mut postgres = Sql::new(DatabaseBackend::Postgres);
        postgres
            .push("SELECT 1 WHERE a = ")
            .bind(1)
            .push(" AND b IN ")
            .bind_list(["x", "y"]);

        assert_eq!(
            sqlite.statement().sql,
            "SELECT 1 WHERE a = ? AND b IN (?, ?)"
        );
        assert_eq!(
            postgres.statement().sql,
            "SELECT 1 WHERE a = $1 AND b IN ($2, $3)"
        );
    }
}
