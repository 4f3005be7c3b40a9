//! The stored session record's JSON: written with serde's derive, read
//! with hand-written visitors.
//!
//! Owns: [`Record`] (`{"user", "created_ms", "expires_ms", "data"}`) and
//! [`Meta`] (its `user` only). Why not `#[derive(Deserialize)]`: a derived
//! struct reports a field of the wrong JSON type through serde's
//! `invalid_type`, whose message prints the value (``floating point `1.5` ``,
//! `string "x"`). That links std's float formatting and `str`'s `Debug`
//! escaping (Unicode tables) into the wasm builds, only to build a message
//! that is dropped: [`SessionError::Json`](super::SessionError) carries no
//! text. These visitors accept and reject exactly what the derive did, with
//! other (equally dropped) messages: an object with those fields in any
//! order, unknown ones ignored, a repeated one rejected, `user` optional
//! (string or null), `created_ms`/`expires_ms` unsigned integers, `data`
//! whatever `T` reads (or what `T` makes of a missing field); or an array
//! of the fields in that order, with nothing after them.
//!
//! Must not: change the stored format (it is the same JSON either way).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Value;

/// The stored record: the session without its id.
#[derive(Serialize)]
pub(super) struct Record<T> {
    pub(super) user: Option<String>,
    pub(super) created_ms: u64,
    pub(super) expires_ms: u64,
    pub(super) data: T,
}

/// The record's metadata only, for operations that ignore the payload.
pub(super) struct Meta {
    pub(super) user: Option<String>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Record<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RecordVisitor(PhantomData))
    }
}

impl<'de> Deserialize<'de> for Meta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MetaVisitor)
    }
}

/// An error whose text nobody reads (see the module docs).
fn bad<E: de::Error>() -> E {
    E::custom("not a session record")
}

/// `user`: a string, or null for none.
fn user_of<E: de::Error>(value: Value) -> Result<Option<String>, E> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(bad()),
    }
}

/// A timestamp: what serde reads as `u64` from JSON (an integer literal
/// without fraction or exponent, within `u64`).
fn millis_of<E: de::Error>(value: Value) -> Result<u64, E> {
    value.as_u64().ok_or_else(bad)
}

/// Sets a field once; a repeated field is an error, as with the derive.
fn once<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(bad());
    }
    *slot = Some(value);
    Ok(())
}

/// What a derived struct gives a missing field: `None` for an `Option`,
/// an error for anything else (serde's own `MissingFieldDeserializer`).
struct Missing<E>(PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(bad())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The scalar `visit_*` methods a JSON deserializer calls for a value that
/// is not an object or array: each rejects it without serde's
/// `invalid_type` message.
macro_rules! reject_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Self::Value, E> {
            Err(bad())
        }
        fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Self::Value, E> {
            Err(bad())
        }
        fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Self::Value, E> {
            Err(bad())
        }
        fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Self::Value, E> {
            Err(bad())
        }
        fn visit_str<E: de::Error>(self, _v: &str) -> Result<Self::Value, E> {
            Err(bad())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(bad())
        }
    };
}

struct RecordVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for RecordVisitor<T> {
    type Value = Record<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a session record")
    }

    reject_scalars!();

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<T>, A::Error> {
        let (mut user, mut created_ms, mut expires_ms, mut data) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "user" => once(&mut user, user_of(map.next_value::<Value>()?)?)?,
                "created_ms" => once(&mut created_ms, millis_of(map.next_value::<Value>()?)?)?,
                "expires_ms" => once(&mut expires_ms, millis_of(map.next_value::<Value>()?)?)?,
                "data" => once(&mut data, map.next_value::<T>()?)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let data = match data {
            Some(data) => data,
            None => T::deserialize(Missing(PhantomData))?,
        };
        Ok(Record {
            user: user.flatten(),
            created_ms: created_ms.ok_or_else(bad)?,
            expires_ms: expires_ms.ok_or_else(bad)?,
            data,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Record<T>, A::Error> {
        let user = user_of(seq.next_element::<Value>()?.ok_or_else(bad)?)?;
        let created_ms = millis_of(seq.next_element::<Value>()?.ok_or_else(bad)?)?;
        let expires_ms = millis_of(seq.next_element::<Value>()?.ok_or_else(bad)?)?;
        let data = seq.next_element::<T>()?.ok_or_else(bad)?;
        Ok(Record {
            user,
            created_ms,
            expires_ms,
            data,
        })
    }
}

struct MetaVisitor;

impl<'de> Visitor<'de> for MetaVisitor {
    type Value = Meta;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a session record")
    }

    reject_scalars!();

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Meta, A::Error> {
        let mut user = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "user" {
                once(&mut user, user_of(map.next_value::<Value>()?)?)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Meta {
            user: user.flatten(),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Meta, A::Error> {
        let user = user_of(seq.next_element::<Value>()?.ok_or_else(bad)?)?;
        Ok(Meta { user })
    }
}

#[cfg(test)]
mod tests;
