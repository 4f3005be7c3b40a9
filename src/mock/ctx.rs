//! What a command handler sees: the keyspace, the time, and helpers that
//! produce Redis's exact error texts.

use super::db::{Db, Entry};
use super::kind::Kind;
use crate::protocol::Value;

/// The outcome of one command: a value, or Redis's error text.
pub type Reply = Result<Value, String>;

/// Redis's error for an operation on a value of another type.
pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

fn wrongtype() -> String {
    WRONGTYPE.to_owned()
}

/// The execution context of one command.
pub struct Ctx<'a> {
    /// The keyspace.
    pub db: &'a mut Db,
    /// The engine's subscriptions, for PUBLISH.
    pub pubsub: &'a super::pubsub::Broker,
    /// The engine clock's time when the command started, in Unix ms.
    pub now_ms: u64,
    /// The command's name in lower case, as Redis prints it in errors.
    pub name: &'a str,
}

impl<'a> Ctx<'a> {
    /// The live entry of `key`.
    pub fn entry(&mut self, key: &[u8]) -> Option<&Entry> {
        self.db.get(key, self.now_ms)
    }

    /// The live entry of `key`, mutable.
    pub fn entry_mut(&mut self, key: &[u8]) -> Option<&mut Entry> {
        self.db.get_mut(key, self.now_ms)
    }

    /// The value of kind `T` at `key`: `Ok(None)` when missing, WRONGTYPE
    /// for another type.
    pub fn read<T: Kind>(&mut self, key: &[u8]) -> Result<Option<&T>, String> {
        match self.entry(key) {
            None => Ok(None),
            Some(e) => T::of(&e.data).map(Some).ok_or_else(wrongtype),
        }
    }

    /// The string at `key` (the most read kind, hence its own name).
    pub fn get_str(&mut self, key: &[u8]) -> Result<Option<&Vec<u8>>, String> {
        self.read(key)
    }

    /// The value of kind `T` at `key` for in-place change: `Ok(None)` when
    /// missing, WRONGTYPE for another type.
    pub fn read_mut<T: Kind>(&mut self, key: &[u8]) -> Result<Option<&mut T>, String> {
        match self.entry_mut(key) {
            None => Ok(None),
            Some(e) => T::of_mut(&mut e.data).map(Some).ok_or_else(wrongtype),
        }
    }

    /// The value of kind `T` at `key` for change, created empty when
    /// missing; WRONGTYPE for another type. A caller that creates an
    /// aggregate must store something in it (Redis never keeps an empty
    /// one) or drop it again.
    pub fn write<T: Kind>(&mut self, key: &[u8]) -> Result<&mut T, String> {
        if self.entry(key).is_none() {
            self.db.insert(key.to_vec(), T::empty(), None);
        }
        self.read_mut(key)?
            .ok_or_else(|| "ERR internal: key vanished".to_owned())
    }

    /// `ERR wrong number of arguments for '<name>' command`.
    pub fn arity_error(&self) -> String {
        arity_error(self.name)
    }

    /// A cursor over this command's arguments.
    pub fn args<'b>(&self, args: &'b [Vec<u8>]) -> Args<'b>
    where
        'a: 'b,
    {
        Args::new(self.name, args)
    }
}

/// `ERR wrong number of arguments for '<name>' command`.
pub fn arity_error(name: &str) -> String {
    ArgError::Arity(name.to_owned()).to_string()
}

pub use super::args::{parse_float, parse_int, ArgError, Args, NOT_FLOAT, NOT_INTEGER, SYNTAX};

/// Formats a float as Redis replies it (`%.17g`-like shortest form; `inf`).
pub fn format_float(f: f64) -> Vec<u8> {
    if f.is_infinite() {
        return if f > 0.0 {
            b"inf".to_vec()
        } else {
            b"-inf".to_vec()
        };
    }
    if f == f.trunc() && f.abs() < 1e17 {
        return format!("{}", f as i64).into_bytes();
    }
    crate::float_text::display(f).into_bytes()
}

/// True when `a` equals `b` ignoring ASCII case: option words.
pub fn is(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

/// A bulk reply.
pub fn bulk(b: impl Into<Vec<u8>>) -> Value {
    Value::Bytes(b.into())
}

/// An array of bulk replies.
pub fn bulk_array<I, B>(items: I) -> Value
where
    I: IntoIterator<Item = B>,
    B: Into<Vec<u8>>,
{
    Value::Array(items.into_iter().map(|b| Value::Bytes(b.into())).collect())
}
