//! Reply values and their typed views.

use crate::error::Error;

/// One reply of Redis as the REST protocol carries it.
///
/// Strings are bytes: the protocol sends them base64-encoded and edgestash
/// never guesses an encoding. The one status reply the protocol keeps apart
/// is `OK`; every other status (`PONG`, type names) arrives as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// A nil reply (missing key, nil bulk string, nil array).
    Nil,
    /// An integer reply. Kept as `i64`, exactly as Redis sends it.
    Int(i64),
    /// A bulk or status string, as raw bytes.
    Bytes(Vec<u8>),
    /// The status reply `OK`.
    Okay,
    /// An array reply, possibly nested.
    Array(Vec<Value>),
}

impl Value {
    /// The name of this value's type, for error messages that must not show the value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Nil => "nil",
            Self::Int(_) => "integer",
            Self::Bytes(_) => "bytes",
            Self::Okay => "OK",
            Self::Array(_) => "array",
        }
    }

    /// Builds a bytes value from anything byte-like.
    pub fn bytes(b: impl Into<Vec<u8>>) -> Self {
        Self::Bytes(b.into())
    }
}

/// Conversion of a [`Value`] into the type a typed command returns.
///
/// Conversions are strict: a reply of another type is an
/// [`Error::UnexpectedReply`], never a silent default.
pub trait FromValue: Sized {
    /// Converts the reply, or says which type was expected.
    fn from_value(value: Value) -> Result<Self, Error>;
}

pub(crate) fn unexpected(expected: &'static str, got: &Value) -> Error {
    Error::UnexpectedReply {
        command: None,
        expected,
        got: got.type_name(),
    }
}

impl FromValue for Value {
    fn from_value(value: Value) -> Result<Self, Error> {
        Ok(value)
    }
}

/// Accepts `OK` (and any string status): commands whose success carries no data.
impl FromValue for () {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Okay | Value::Bytes(_) => Ok(()),
            other => Err(unexpected("OK", &other)),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Int(n) => Ok(n),
            other => Err(unexpected("integer", &other)),
        }
    }
}

impl FromValue for u64 {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Int(n) if n >= 0 => Ok(n.unsigned_abs()),
            other => Err(unexpected("non-negative integer", &other)),
        }
    }
}

/// Integer replies 0 and 1 (EXISTS on one key, EXPIRE, SETNX...), and `OK`
/// or nil for commands like `SET ... NX` whose success is the status.
impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Int(0) | Value::Nil => Ok(false),
            Value::Int(1) | Value::Okay => Ok(true),
            other => Err(unexpected("boolean (0, 1, OK or nil)", &other)),
        }
    }
}

/// A float sent as a bulk string (INCRBYFLOAT, ZSCORE...), parsed as Redis prints it.
impl FromValue for f64 {
    fn from_value(value: Value) -> Result<Self, Error> {
        match &value {
            Value::Bytes(b) => std::str::from_utf8(b)
                .ok()
                .and_then(parse_redis_float)
                .ok_or_else(|| unexpected("float", &value)),
            Value::Int(n) => Ok(*n as f64),
            _ => Err(unexpected("float", &value)),
        }
    }
}

/// Parses a float as Redis writes it, including `inf`, `-inf` and `+inf`.
pub fn parse_redis_float(s: &str) -> Option<f64> {
    match s {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => s.parse::<f64>().ok().filter(|f| !f.is_nan()),
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Bytes(b) => Ok(b),
            Value::Okay => Ok(b"OK".to_vec()),
            other => Err(unexpected("bytes", &other)),
        }
    }
}

/// Strict UTF-8: invalid bytes are an error, never replaced.
impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Bytes(b) => String::from_utf8(b).map_err(|_| Error::UnexpectedReply {
                command: None,
                expected: "UTF-8 string",
                got: "non-UTF-8 bytes",
            }),
            Value::Okay => Ok("OK".to_owned()),
            other => Err(unexpected("string", &other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Nil => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// An array reply; a nil array converts to an empty vector.
impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_value).collect(),
            Value::Nil => Ok(Vec::new()),
            other => Err(unexpected("array", &other)),
        }
    }
}

impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Array(items) if items.len() == 2 => {
                let mut it = items.into_iter();
                match (it.next(), it.next()) {
                    (Some(a), Some(b)) => Ok((A::from_value(a)?, B::from_value(b)?)),
                    _ => Err(Error::protocol("pair vanished")),
                }
            }
            other => Err(unexpected("array of two", &other)),
        }
    }
}

/// A JSON document stored as a string value, decoded with serde.
///
/// The explicit opt-in for typed values: edgestash never JSON-parses a reply
/// unless the caller asks for `Json<T>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromValue for Json<T> {
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Bytes(b) => {
                serde_json::from_slice(&b)
                    .map(Json)
                    .map_err(|_| Error::UnexpectedReply {
                        command: None,
                        expected: "JSON document of the requested type",
                        got: "bytes that do not decode to it",
                    })
            }
            other => Err(unexpected("JSON string", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_conversions() {
        assert_eq!(i64::from_value(Value::Int(3)), Ok(3));
        assert!(i64::from_value(Value::bytes("3")).is_err());
        assert_eq!(Option::<Vec<u8>>::from_value(Value::Nil), Ok(None));
        assert!(String::from_value(Value::Bytes(vec![0xff])).is_err());
        assert_eq!(f64::from_value(Value::bytes("-inf")), Ok(f64::NEG_INFINITY));
        assert_eq!(bool::from_value(Value::Okay), Ok(true));
        assert_eq!(
            Vec::<i64>::from_value(Value::Array(vec![Value::Int(1), Value::Int(2)])),
            Ok(vec![1, 2])
        );
        let j: Json<Vec<u32>> =
            FromValue::from_value(Value::bytes("[1,2]")).unwrap_or(Json(vec![]));
        assert_eq!(j.0, vec![1, 2]);
    }
}
