//! The `JSON` scalar: any JSON value, as RFC 8259 defines it.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// Any JSON value (RFC 8259), sent as itself rather than as a string: an object, an array, a
/// string, a number, a boolean or null.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonValue(pub serde_json::Value);

/// Any JSON value (RFC 8259), sent as itself rather than as a string: an object, an array, a
/// string, a number, a boolean or null.
#[Scalar(
    name = "JSON",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc8259"
)]
impl ScalarType for JsonValue {
    fn parse(value: Value) -> InputValueResult<Self> {
        value
            .into_json()
            .map(JsonValue)
            .map_err(|error| InputValueError::custom(error.to_string()))
    }

    fn to_value(&self) -> Value {
        Value::from_json(self.0.clone()).unwrap_or(Value::Null)
    }
}
