//! The `DateTime` scalar: an instant, as RFC 3339 writes it.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, Utc};

/// An instant in RFC 3339, in UTC: `2026-12-03T10:20:07+00:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub DateTime<Utc>);

/// An instant in RFC 3339, in UTC: `2026-12-03T10:20:07+00:00`.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339"
)]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => DateTime::parse_from_rfc3339(text)
                .map(|at| Timestamp(at.with_timezone(&Utc)))
                .map_err(|error| InputValueError::custom(error.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_reads_back_as_it_was_written() {
        let at = Timestamp(
            DateTime::parse_from_rfc3339("2026-12-03T10:20:07.250Z")
                .unwrap()
                .with_timezone(&Utc),
        );
        assert_eq!(Timestamp::parse(at.to_value()).unwrap(), at);
        assert!(Timestamp::parse(Value::String("2026-12-03".into())).is_err());
        assert!(Timestamp::parse(Value::Number(1.into())).is_err());
    }
}
