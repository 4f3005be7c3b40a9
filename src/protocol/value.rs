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
        _ => crate::float_text::parse(s).filter(|f| !f.is_nan()),
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

/// A map from a flat array reply `[k1, v1, k2, v2, ...]` (HGETALL).
///
/// An odd number of items, or a key that appears twice, is an
/// [`Error::UnexpectedReply`]: the reply is not the map it claims to be.
impl<K, V, S> FromValue for std::collections::HashMap<K, V, S>
where
    K: FromValue + Eq + std::hash::Hash,
    V: FromValue,
    S: std::hash::BuildHasher + Default,
{
    fn from_value(value: Value) -> Result<Self, Error> {
        let Pairs(pairs) = Pairs::<K, V>::from_value(value)?;
        let mut map = Self::with_capacity_and_hasher(pairs.len(), S::default());
        for (k, v) in pairs {
            if map.insert(k, v).is_some() {
                return Err(Error::UnexpectedReply {
                    command: None,
                    expected: "map with distinct keys",
                    got: "array with a repeated key",
                });
            }
        }
        Ok(map)
    }
}

/// Pairs read from a flat array reply `[a1, b1, a2, b2, ...]`, as RESP2 (and
/// so the REST protocol) sends field/value lists (HSCAN, HRANDFIELD
/// WITHVALUES) and member/score lists (WITHSCORES, ZPOPMIN, ZSCAN).
///
/// A nil reply is no pairs; an odd number of items is an
/// [`Error::UnexpectedReply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs<A, B>(pub Vec<(A, B)>);

/// Fields with their values, in reply order (HSCAN, HRANDFIELD WITHVALUES).
pub type FieldValues = Pairs<Vec<u8>, Vec<u8>>;

/// Members with their scores, in reply order: the WITHSCORES shape.
pub type ScoredMembers = Pairs<Vec<u8>, f64>;

impl<A, B> Pairs<A, B> {
    /// The pairs, in reply order.
    pub fn into_inner(self) -> Vec<(A, B)> {
        self.0
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<A: FromValue, B: FromValue> FromValue for Pairs<A, B> {
    fn from_value(value: Value) -> Result<Self, Error> {
        let items = match value {
            Value::Array(items) => items,
            Value::Nil => return Ok(Self(Vec::new())),
            other => return Err(unexpected("flat array of pairs", &other)),
        };
        if items.len() % 2 != 0 {
            return Err(Error::UnexpectedReply {
                command: None,
                expected: "flat array of pairs",
                got: "array of odd length",
            });
        }
        let mut out = Vec::with_capacity(items.len() / 2);
        let mut it = items.into_iter();
        while let (Some(a), Some(b)) = (it.next(), it.next()) {
            out.push((A::from_value(a)?, B::from_value(b)?));
        }
        Ok(Self(out))
    }
}

/// One page of a SCAN-family cursor: the cursor to send next (0 when the
/// iteration is complete) and this page's items.
///
/// `T` is the items' shape: `Vec<Vec<u8>>` for SCAN and SSCAN,
/// [`Pairs`] for HSCAN (field, value) and ZSCAN (member, score).
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPage<T> {
    /// The cursor for the next call; 0 means the scan is complete.
    pub cursor: u64,
    /// The items of this page (may be empty even when the scan goes on).
    pub items: T,
}

impl<T> ScanPage<T> {
    /// True when this was the last page.
    pub fn is_last(&self) -> bool {
        self.cursor == 0
    }
}

impl<T: FromValue> FromValue for ScanPage<T> {
    fn from_value(value: Value) -> Result<Self, Error> {
        let (cursor, items) = <(Value, T)>::from_value(value)?;
        // Redis sends the cursor as a decimal bulk string.
        let cursor = match &cursor {
            Value::Bytes(b) => std::str::from_utf8(b)
                .ok()
                .filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|s| s.parse::<u64>().ok()),
            Value::Int(n) => u64::try_from(*n).ok(),
            _ => None,
        }
        .ok_or_else(|| unexpected("decimal cursor", &cursor))?;
        Ok(Self { cursor, items })
    }
}

/// The type of a key, as TYPE names it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyType {
    /// `none`: the key does not exist.
    None,
    /// `string`.
    String,
    /// `list`.
    List,
    /// `set`.
    Set,
    /// `zset`: a sorted set.
    ZSet,
    /// `hash`.
    Hash,
    /// `stream`.
    Stream,
    /// A module type (e.g. `ReJSON-RL`), by the name the server gives.
    Other(String),
}

impl KeyType {
    /// The name TYPE prints and SCAN's TYPE option takes.
    pub fn as_str(&self) -> &str {
        match self {
            Self::None => "none",
            Self::String => "string",
            Self::List => "list",
            Self::Set => "set",
            Self::ZSet => "zset",
            Self::Hash => "hash",
            Self::Stream => "stream",
            Self::Other(name) => name,
        }
    }
}

impl FromValue for KeyType {
    fn from_value(value: Value) -> Result<Self, Error> {
        let name = String::from_value(value)?;
        Ok(match name.as_str() {
            "none" => Self::None,
            "string" => Self::String,
            "list" => Self::List,
            "set" => Self::Set,
            "zset" => Self::ZSet,
            "hash" => Self::Hash,
            "stream" => Self::Stream,
            "" => {
                return Err(Error::UnexpectedReply {
                    command: None,
                    expected: "type name",
                    got: "empty string",
                })
            }
            _ => Self::Other(name),
        })
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

    fn arr(items: &[&str]) -> Value {
        Value::Array(items.iter().map(|s| Value::bytes(*s)).collect())
    }

    #[test]
    fn pairs_and_maps_from_flat_arrays() {
        let p = ScoredMembers::from_value(arr(&["a", "1", "b", "-inf"])).unwrap();
        assert_eq!(
            p.0,
            vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), f64::NEG_INFINITY)]
        );
        assert!(ScoredMembers::from_value(arr(&["a"])).is_err());
        assert!(ScoredMembers::from_value(arr(&["a", "x"])).is_err());
        assert!(ScoredMembers::from_value(Value::Int(1)).is_err());
        let m: std::collections::HashMap<Vec<u8>, Vec<u8>> =
            FromValue::from_value(arr(&["f", "v", "g", "w"])).unwrap();
        assert_eq!(m.get(&b"g"[..]), Some(&b"w".to_vec()));
        let dup: Result<std::collections::HashMap<Vec<u8>, Vec<u8>>, _> =
            FromValue::from_value(arr(&["f", "v", "f", "w"]));
        assert!(dup.is_err());
    }

    #[test]
    fn scan_pages_are_strict() {
        let v = Value::Array(vec![Value::bytes("17"), arr(&["k1", "k2"])]);
        let page = ScanPage::<Vec<Vec<u8>>>::from_value(v).unwrap();
        assert_eq!(page.cursor, 17);
        assert_eq!(page.items.len(), 2);
        assert!(!page.is_last());
        let bad = Value::Array(vec![Value::bytes("-1"), arr(&[])]);
        assert!(ScanPage::<Vec<Vec<u8>>>::from_value(bad).is_err());
        let bad = Value::Array(vec![Value::bytes("x"), arr(&[])]);
        assert!(ScanPage::<Vec<Vec<u8>>>::from_value(bad).is_err());
        assert!(ScanPage::<Vec<Vec<u8>>>::from_value(arr(&["0"])).is_err());
    }

    #[test]
    fn key_types() {
        assert_eq!(
            KeyType::from_value(Value::bytes("zset")).unwrap(),
            KeyType::ZSet
        );
        assert_eq!(
            KeyType::from_value(Value::bytes("ReJSON-RL")).unwrap(),
            KeyType::Other("ReJSON-RL".into())
        );
        assert!(KeyType::from_value(Value::Int(1)).is_err());
    }
}
