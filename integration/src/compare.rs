//! Replies of a real redis-server in the engine's terms, for differential
//! tests (engine vs Redis).
//!
//! Owns: converting a `redis::Value` (or a server error) into the engine's
//! `Reply` shape, and running one raw command on a real server that way.
//! Must not: normalise anything Redis and the engine may legitimately
//! disagree on (ordering of KEYS/SCAN, random picks); callers decide that.

use edgestash::mock::Reply;
use edgestash::Value;

/// Why a reply could not be turned into an engine reply.
#[derive(Debug)]
pub enum CompareError {
    /// The connection failed (not a Redis error reply).
    Io(redis::RedisError),
    /// A RESP3-only shape the REST protocol never carries.
    Unsupported(&'static str),
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "connection error: {e}"),
            Self::Unsupported(kind) => write!(f, "reply shape not comparable: {kind}"),
        }
    }
}

impl std::error::Error for CompareError {}

/// Converts one redis-rs value: Okay→Okay, simple and bulk strings→Bytes,
/// Int, Nil, Array (recursively); a nested error becomes `Err(text)`.
pub fn value_from_redis(v: redis::Value) -> Result<Reply, CompareError> {
    Ok(Ok(match v {
        redis::Value::Nil => Value::Nil,
        redis::Value::Int(n) => Value::Int(n),
        redis::Value::BulkString(b) => Value::Bytes(b),
        redis::Value::SimpleString(s) => Value::Bytes(s.into_bytes()),
        redis::Value::Okay => Value::Okay,
        redis::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match value_from_redis(item)? {
                    Ok(v) => out.push(v),
                    // An error inside an array has no engine Value; only EXEC
                    // produces one, and callers compare those slot by slot.
                    Err(_) => return Err(CompareError::Unsupported("error inside an array")),
                }
            }
            Value::Array(out)
        }
        redis::Value::ServerError(e) => return Ok(Err(server_error_text(&e))),
        _ => return Err(CompareError::Unsupported("RESP3 type")),
    }))
}

/// Redis's full error line as the engine writes it: "CODE details".
fn server_error_text(e: &redis::ServerError) -> String {
    match e.details() {
        Some(d) => format!("{} {}", e.code(), d),
        None => e.code().to_owned(),
    }
}

/// Converts the outcome of a query: a server error reply becomes `Err(text)`
/// exactly as Redis sent it; a connection failure is a [`CompareError`].
pub fn reply_from_redis(result: redis::RedisResult<redis::Value>) -> Result<Reply, CompareError> {
    match result {
        Ok(v) => value_from_redis(v),
        Err(e) => match e.code() {
            Some(code) => Ok(Err(match e.detail() {
                Some(d) => format!("{code} {d}"),
                None => code.to_owned(),
            })),
            None => Err(CompareError::Io(e)),
        },
    }
}

/// Runs one raw command (name first) on a real server and converts the reply.
pub fn run_on_redis(
    conn: &mut redis::Connection,
    parts: &[Vec<u8>],
) -> Result<Reply, CompareError> {
    let Some((name, args)) = parts.split_first() else {
        return Err(CompareError::Unsupported("empty command"));
    };
    let mut cmd = redis::cmd(&String::from_utf8_lossy(name));
    for a in args {
        cmd.arg(a.as_slice());
    }
    reply_from_redis(cmd.query::<redis::Value>(conn))
}
