//! The JSON body of a reply, read in one pass into the shapes the decoder
//! cares about.
//!
//! Owns: serde visitors for the REST reply shapes: an envelope
//! (`{"result": ..}` / `{"error": ".."}`), an array of envelopes, or
//! anything else. Values are decoded while parsing (`"OK"` is the status
//! reply, every other string strict base64), so no `serde_json::Value`
//! tree is built, no key is allocated, and the client spends a fraction of
//! the time it did per reply (BENCHMARKS.md, "npm request path in one
//! call"). Anything well-formed JSON but of the wrong shape is kept as a
//! marker with its reason, never a parse failure, so a parse failure means
//! exactly "not JSON".
//!
//! Must not: apply the HTTP status rules or build errors that name the
//! command (`response.rs` does both).

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::value::Value;

/// Why a well-formed `result` is not a reply value.
pub(super) const NOT_I64: &str = "number in reply is not a 64-bit integer";
pub(super) const NOT_BASE64: &str = "string in reply is not valid base64";
pub(super) const WRONG_TYPE: &str = "unexpected JSON type in reply";

/// A whole reply body.
pub(super) enum Body {
    /// One envelope (a single command, or an error for a whole batch).
    One(Envelope),
    /// An array: one entry per command of a batch.
    Many(Vec<Envelope>),
    /// Any other JSON value.
    Other,
}

/// One envelope, or what stood in its place.
pub(super) enum Envelope {
    /// `result`, decoded, or why it could not be.
    Result(Result<Value, &'static str>),
    /// `error`: its text, or `None` when it is not a string. Wins over a
    /// `result` in the same object.
    Error(Option<String>),
    /// An object with neither field.
    Neither,
    /// Not an object (only inside an array).
    NotObject,
}

/// Implements the listed `visit_*` methods of a visitor as "consume the
/// input and answer `$marker`" (sequences and maps are read to their end).
macro_rules! accept_as {
    ($marker:expr; $($kind:ident)*) => { $( accept_as!(@one $marker; $kind); )* };
    (@one $marker:expr; bool) => { fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; i64) => { fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; u64) => { fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; f64) => { fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; str) => { fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; unit) => { fn visit_unit<E>(self) -> Result<Self::Value, E> { Ok($marker) } };
    (@one $marker:expr; seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq).map(|_| $marker)
        }
    };
    (@one $marker:expr; map) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_map(map).map(|_| $marker)
        }
    };
}

/// Parses a body; `Err` only when it is not JSON.
pub(super) fn parse(body: &[u8]) -> Result<Body, serde_json::Error> {
    serde_json::from_slice(body)
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Body;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
                envelope(map).map(Body::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Body::Many(items))
            }
            accept_as!(Body::Other; bool i64 u64 f64 str unit);
        }
        d.deserialize_any(BodyVisitor)
    }
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EnvelopeVisitor;
        impl<'de> Visitor<'de> for EnvelopeVisitor {
            type Value = Envelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Envelope, A::Error> {
                envelope(map)
            }
            accept_as!(Envelope::NotObject; bool i64 u64 f64 str unit seq);
        }
        d.deserialize_any(EnvelopeVisitor)
    }
}

/// An object's fields: `error` wins over `result`; a repeated key counts
/// once, its last value (as `serde_json::Map` would keep it).
fn envelope<'de, A: MapAccess<'de>>(mut map: A) -> Result<Envelope, A::Error> {
    let mut error = None;
    let mut result = None;
    while let Some(key) = map.next_key::<Key>()? {
        match key {
            Key::Error => error = Some(map.next_value::<ErrorText>()?.0),
            Key::Result => result = Some(map.next_value::<Decoded>()?.0),
            Key::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(match (error, result) {
        (Some(text), _) => Envelope::Error(text),
        (None, Some(value)) => Envelope::Result(value),
        (None, None) => Envelope::Neither,
    })
}

/// An envelope's key, without allocating it.
enum Key {
    Result,
    Error,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "result" => Key::Result,
                    "error" => Key::Error,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// The `error` field: its text when it is a string.
struct ErrorText(Option<String>);

impl<'de> Deserialize<'de> for ErrorText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ErrorVisitor;
        impl<'de> Visitor<'de> for ErrorVisitor {
            type Value = ErrorText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_str<E>(self, text: &str) -> Result<ErrorText, E> {
                Ok(ErrorText(Some(text.to_owned())))
            }
            accept_as!(ErrorText(None); bool i64 u64 f64 unit seq map);
        }
        d.deserialize_any(ErrorVisitor)
    }
}

/// A `result` value, decoded: null, a 64-bit integer, `"OK"`, strict
/// base64, or an array of those; anything else is the reason it is not.
struct Decoded(Result<Value, &'static str>);

impl<'de> Deserialize<'de> for Decoded {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Decoded;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Decoded, E> {
                Ok(Decoded(Ok(Value::Nil)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Decoded, E> {
                Ok(Decoded(Ok(Value::Int(n))))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Decoded, E> {
                Ok(Decoded(
                    i64::try_from(n).map(Value::Int).map_err(|_| NOT_I64),
                ))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Decoded, E> {
                Ok(Decoded(Err(NOT_I64)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Decoded, E> {
                Ok(Decoded(if text == "OK" {
                    Ok(Value::Okay)
                } else {
                    B64.decode(text).map(Value::Bytes).map_err(|_| NOT_BASE64)
                }))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decoded, A::Error> {
                // The first bad element decides; the rest is still read.
                let mut items = Ok(Vec::with_capacity(seq.size_hint().unwrap_or(0)));
                while let Some(Decoded(item)) = seq.next_element()? {
                    match (&mut items, item) {
                        (Ok(list), Ok(value)) => list.push(value),
                        (Ok(_), Err(reason)) => items = Err(reason),
                        (Err(_), _) => {}
                    }
                }
                Ok(Decoded(items.map(Value::Array)))
            }
            accept_as!(Decoded(Err(WRONG_TYPE)); bool map);
        }
        d.deserialize_any(ValueVisitor)
    }
}
