//! HTTP replies of the REST protocol: decoding (client side) and encoding
//! (server side, shared by `edgestash-server` and the mock transport).
//!
//! Decoding follows the edgestash rules of docs/PROTOCOL.md: every envelope shape
//! on every status, the exact string `OK` as the status reply, every other
//! string strict base64, and errors classified by status and text.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{Map, Value as Json};

use super::reply_body::{self, Body, Envelope};
use super::value::Value;
use crate::error::{Error, Result, TransportErrorKind};

/// One slot of a batch reply: the command's value or its own error.
pub type Slot = Result<Value>;

/// Decodes the reply to a single command.
pub fn decode_single(status: u16, body: &[u8], command: &str) -> Result<Value> {
    match parse_body(status, body, Some(command))? {
        Body::One(envelope) => open(envelope, Some(command)),
        _ => Err(Error::protocol("reply is not an envelope object")),
    }
}

/// Decodes the reply to `/pipeline`: one slot per command, in order.
///
/// A failing command does not fail the batch; its slot holds the error.
pub fn decode_pipeline(status: u16, body: &[u8], commands: &[String]) -> Result<Vec<Slot>> {
    let body = parse_body(status, body, Some("PIPELINE"))?;
    decode_slots(body, commands, "PIPELINE")
}

/// Decodes the reply to `/multi-exec`.
///
/// When the transaction ran, each slot holds its command's value or run-time
/// error. When it was discarded (syntax error, unsupported command, limit),
/// the reply is one error object and the whole call fails with it.
pub fn decode_multi_exec(status: u16, body: &[u8], commands: &[String]) -> Result<Vec<Slot>> {
    let body = parse_body(status, body, Some("MULTI"))?;
    decode_slots(body, commands, "MULTI")
}

/// One slot per command from a batch body; a count that differs from the
/// commands sent is a protocol error (slots would be misattributed).
fn decode_slots(body: Body, commands: &[String], label: &str) -> Result<Vec<Slot>> {
    match body {
        Body::Many(items) => {
            if items.len() != commands.len() {
                return Err(Error::protocol(format!(
                    "{label} reply has {} slots for {} commands",
                    items.len(),
                    commands.len()
                )));
            }
            items
                .into_iter()
                .zip(commands)
                .map(|(item, name)| match item {
                    Envelope::NotObject => {
                        Err(Error::protocol(format!("{label} slot is not an envelope")))
                    }
                    envelope => Ok(open(envelope, Some(name))),
                })
                .collect()
        }
        Body::One(envelope) => match open(envelope, Some(label)) {
            Err(e) => Err(e),
            Ok(_) => Err(Error::protocol(format!("{label} reply is not an array"))),
        },
        Body::Other => Err(Error::protocol(format!("{label} reply is not an array"))),
    }
}

/// Applies the status rules, then parses the body.
fn parse_body(status: u16, body: &[u8], command: Option<&str>) -> Result<Body> {
    let command_owned = command.map(str::to_owned);
    if status == 401 {
        return Err(Error::Auth {
            command: command_owned,
        });
    }
    if status >= 500 {
        return Err(Error::Transport {
            command: command_owned,
            kind: TransportErrorKind::Status(status),
        });
    }
    match reply_body::parse(body) {
        Ok(parsed) => {
            if status == 405 {
                return Err(Error::invalid_request(
                    command,
                    "the endpoint refused the HTTP method",
                ));
            }
            Ok(parsed)
        }
        Err(_) if matches!(status, 200 | 400) => Err(Error::protocol(format!(
            "HTTP {status} reply body is not JSON"
        ))),
        Err(_) => Err(Error::Transport {
            command: command_owned,
            kind: TransportErrorKind::Status(status),
        }),
    }
}

/// An envelope's value, or its error (named after `command`).
fn open(envelope: Envelope, command: Option<&str>) -> Result<Value> {
    match envelope {
        Envelope::Result(Ok(value)) => Ok(value),
        Envelope::Result(Err(reason)) => Err(Error::protocol(reason)),
        Envelope::Error(Some(text)) => Err(Error::from_reply(command, &text)),
        Envelope::Error(None) => Err(Error::protocol("error field is not a string")),
        Envelope::Neither => Err(Error::protocol("envelope has neither result nor error")),
        Envelope::NotObject => Err(Error::protocol("reply is not an envelope object")),
    }
}

/// Server side: the envelope for one command's outcome.
///
/// With `base64` every string is encoded except the status reply `OK`; without
/// it, strings are sent as (lossy) UTF-8 as Upstash does.
pub fn encode_slot(outcome: &std::result::Result<Value, String>, base64: bool) -> Json {
    let mut obj = Map::with_capacity(1);
    match outcome {
        Ok(v) => obj.insert("result".to_owned(), encode_value(v, base64)),
        Err(text) => obj.insert("error".to_owned(), Json::String(text.clone())),
    };
    Json::Object(obj)
}

/// Server side: the body for an error that stopped the whole request.
pub fn encode_error(text: &str) -> Json {
    encode_slot(&Err(text.to_owned()), false)
}

/// Server side: a whole HTTP reply, status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    /// 200, or 400 for an error reply, 401/405 for refusals.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl HttpReply {
    fn json(status: u16, json: &Json) -> Self {
        Self {
            status,
            body: serde_json::to_vec(json).unwrap_or_default(),
        }
    }

    /// One command's outcome: 200 with `{"result"}`, or 400 with `{"error"}`.
    pub fn single(outcome: &std::result::Result<Value, String>, base64: bool) -> Self {
        let status = if outcome.is_ok() { 200 } else { 400 };
        Self::json(status, &encode_slot(outcome, base64))
    }

    /// A batch that ran: 200 with one envelope per command, in order.
    pub fn batch(outcomes: &[std::result::Result<Value, String>], base64: bool) -> Self {
        let items = outcomes.iter().map(|o| encode_slot(o, base64)).collect();
        Self::json(200, &Json::Array(items))
    }

    /// An error that stopped the whole request (a discarded transaction,
    /// a malformed request, an auth failure) with its status.
    pub fn error(status: u16, text: &str) -> Self {
        Self::json(status, &encode_error(text))
    }
}

/// Server side: a [`Value`] as JSON.
pub fn encode_value(value: &Value, base64: bool) -> Json {
    match value {
        Value::Nil => Json::Null,
        Value::Int(n) => Json::from(*n),
        Value::Okay => Json::String("OK".to_owned()),
        Value::Bytes(b) if base64 => Json::String(B64.encode(b)),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::Array(items) => Json::Array(items.iter().map(|v| encode_value(v, base64)).collect()),
    }
}

#[cfg(test)]
mod tests;
