//! Vocabulary columns (ticket kind, audit action / result, note status) hold the enums' serde words:
//! the one spelling of each word is its serde name. A word the code does not know is a decode
//! error, never a silent default.
use serde::{de::DeserializeOwned, Serialize};

/// The serde word of a unit enum variant, as stored. (Anything but a unit variant gives "", which
/// the column's CHECK refuses.)
pub fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Parses a stored word of column `column`.
pub fn parse<T: DeserializeOwned>(column: &str, stored: &str) -> sqlx::Result<T> {
    serde_json::from_value(serde_json::Value::String(stored.to_string())).map_err(|_| {
        sqlx::Error::ColumnDecode {
            index: column.to_string(),
            source: format!("unknown word {stored:?}").into(),
        }
    })
}

/// Parses an optional stored word.
pub fn parse_opt<T: DeserializeOwned>(
    column: &str,
    stored: Option<&str>,
) -> sqlx::Result<Option<T>> {
    stored.map(|s| parse(column, s)).transpose()
}
