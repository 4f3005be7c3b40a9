//! HTTP requests of the REST protocol: encoding (client side) and parsing
//! (server side, shared by `edgestash-server` and the mock transport).
//!
//! Three forms exist (see docs/PROTOCOL.md): the JSON body form `POST /` with
//! `["SET","k","v"]`, the path form `/set/k/v`, and value-in-body
//! `POST /set/k?EX=10` whose raw body is the value. Batches go to `/pipeline`
//! and `/multi-exec` as arrays of command arrays.

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::value::RawValue;

use super::command::Command;
use crate::error::{Error, Result};

/// Which endpoint a request goes to; decides how the reply is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// One command (`POST /` or a path form).
    Single,
    /// `POST /pipeline`: many commands, not atomic, one envelope each.
    Pipeline,
    /// `POST /multi-exec`: many commands in one MULTI/EXEC.
    MultiExec,
}

/// An HTTP request as the client sends it. Authentication and the
/// read-your-writes header are added by the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRequest {
    /// The endpoint, which also fixes the reply shape.
    pub endpoint: Endpoint,
    /// Path and query, already percent-encoded (`/`, `/pipeline`, `/set/k?EX=1`).
    pub path: String,
    /// The body: a JSON document, or a raw value for value-in-body requests.
    pub body: Vec<u8>,
    /// True when the body is JSON (sent with `Content-Type: application/json`).
    pub json_body: bool,
}

/// Characters kept literally in a path segment; everything else is %-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Appends `cmd` to `out` as a JSON array of strings, name first; `false`
/// (with `out` partly written) when an argument is not UTF-8, which the
/// JSON forms cannot carry. Written straight into the body: no list of
/// parts per command (the batch encoder's cost per command was mostly
/// those lists; BENCHMARKS.md, "npm request path in one call").
fn write_json(out: &mut Vec<u8>, cmd: &Command) -> bool {
    out.push(b'[');
    let parts = std::iter::once(cmd.name().as_bytes())
        .chain(cmd.args_slice().iter().map(|a| a.bytes.as_slice()));
    for (i, part) in parts.enumerate() {
        let Ok(text) = std::str::from_utf8(part) else {
            return false;
        };
        if i > 0 {
            out.push(b',');
        }
        if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            // Nothing to escape (the usual key or value): copied as is.
            out.push(b'"');
            out.extend_from_slice(part);
            out.push(b'"');
        } else {
            // Writing a `str` into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, text);
        }
    }
    out.push(b']');
    true
}

/// Encodes one command.
///
/// The JSON body form carries only UTF-8, so a command with a non-UTF-8
/// argument goes in the path form instead: when exactly one argument is
/// binary and an even number of option words follows it, that argument
/// becomes the raw body and the options the query (`POST /set/k?EX=10`, the
/// form Upstash documents for binary values); otherwise every argument is
/// percent-encoded into the path, which edgestash-server decodes byte for byte.
pub fn encode_single(cmd: &Command) -> Result<WireRequest> {
    let mut body = Vec::with_capacity(cmd.payload_len() + 8);
    if write_json(&mut body, cmd) {
        return Ok(WireRequest {
            endpoint: Endpoint::Single,
            path: "/".to_owned(),
            body,
            json_body: true,
        });
    }
    let request = encode_path_form(cmd);
    // HTTP clients (reqwest, fetch) resolve `.` and `..` path segments, even
    // percent-encoded, so such an argument would reach the server changed.
    let path = request.path.split('?').next().unwrap_or("");
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(Error::invalid_request(
            Some(&cmd.upper_name()),
            "an argument `.` or `..` cannot travel in the URL path, which a command with a non-UTF-8 argument needs",
        ));
    }
    Ok(request)
}

fn encode_path_form(cmd: &Command) -> WireRequest {
    let parts = cmd.to_parts();
    let binary: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| std::str::from_utf8(p).is_err())
        .map(|(i, _)| i)
        .collect();
    let body_index = match binary.as_slice() {
        [i] if *i > 0 && (parts.len() - i - 1) % 2 == 0 && body_form_round_trips(&parts, *i) => {
            Some(*i)
        }
        _ => None,
    };
    let in_path = body_index.unwrap_or(parts.len());
    let mut path = String::new();
    for part in &parts[..in_path] {
        path.push('/');
        path.extend(percent_encoding::percent_encode(part, SEGMENT));
    }
    let mut body = Vec::new();
    if let Some(i) = body_index {
        body = parts[i].to_vec();
        let mut sep = '?';
        for pair in parts[i + 1..].chunks(2) {
            if let [name, value] = pair {
                path.push(sep);
                sep = '&';
                path.extend(percent_encoding::percent_encode(name, SEGMENT));
                path.push('=');
                path.extend(percent_encoding::percent_encode(value, SEGMENT));
            }
        }
    }
    WireRequest {
        endpoint: Endpoint::Single,
        path,
        body,
        json_body: false,
    }
}

/// Whether the value-in-body form with the argument at `body_index` parses
/// back to the same parts: not when the path would be one of the fixed
/// endpoints (a command named `multi-exec` with one binary argument would
/// become a transaction; `pipeline`, and either followed by an empty
/// argument, likewise), and not when an option name is `_token` (the parser
/// skips it as authentication). Those rare commands go all in the path.
fn body_form_round_trips(parts: &[&[u8]], body_index: usize) -> bool {
    // The parser matches `/pipeline` and `/pipeline/` (and `/` for the
    // JSON body form) before trying the path form.
    let fixed_endpoint = match parts.get(..body_index) {
        Some([name] | [name, b""]) => matches!(*name, b"" | b"pipeline" | b"multi-exec"),
        _ => false,
    };
    let token_option = parts
        .iter()
        .skip(body_index + 1)
        .step_by(2)
        .any(|name| *name == b"_token");
    !fixed_endpoint && !token_option
}

/// Encodes a batch for `/pipeline` or `/multi-exec`.
///
/// Batches are JSON only, so every argument must be UTF-8; a binary argument
/// is refused (send it as a single command, which has a binary-safe form).
pub fn encode_batch(cmds: &[Command], endpoint: Endpoint) -> Result<WireRequest> {
    let path = match endpoint {
        Endpoint::Pipeline => "/pipeline",
        Endpoint::MultiExec => "/multi-exec",
        Endpoint::Single => return Err(Error::protocol("a batch needs a batch endpoint")),
    };
    let mut body = Vec::with_capacity(cmds.iter().map(|c| c.payload_len() + 8).sum::<usize>() + 2);
    body.push(b'[');
    for (i, cmd) in cmds.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        if !write_json(&mut body, cmd) {
            return Err(Error::invalid_request(
                Some(&cmd.upper_name()),
                "a non-UTF-8 argument cannot travel in a JSON batch; send this command on its own",
            ));
        }
    }
    body.push(b']');
    Ok(WireRequest {
        endpoint,
        path: path.to_owned(),
        body,
        json_body: true,
    })
}

/// A request as the server understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParsedRequest {
    /// One command, name first.
    Single(Vec<Vec<u8>>),
    /// Commands for `/pipeline`.
    Pipeline(Vec<Vec<Vec<u8>>>),
    /// Commands for `/multi-exec`.
    MultiExec(Vec<Vec<Vec<u8>>>),
}

/// Why a request was refused before any command ran, with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// 400 for malformed requests, 405 for methods Upstash does not allow.
    pub status: u16,
    /// The error text for the `{"error": ...}` body.
    pub message: String,
}

impl RequestError {
    fn bad(message: &str) -> Self {
        Self {
            status: 400,
            message: message.to_owned(),
        }
    }
}

/// Parses an incoming REST request (server side).
///
/// `path` is the raw, still percent-encoded path; `query` the raw query
/// string without `?`. The `_token` query parameter is skipped: it is
/// authentication, handled before this. Methods other than HEAD, GET, POST
/// and PUT answer 405 as Upstash does.
pub fn parse_request(
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> std::result::Result<ParsedRequest, RequestError> {
    parse_request_bounded(method, path, query, body, usize::MAX)
}

/// [`parse_request`] refusing a `/pipeline` or `/multi-exec` of more than
/// `max_commands` commands (400 [`TOO_MANY_COMMANDS`]) before copying any
/// argument: the server's bound on the work of one request.
pub fn parse_request_bounded(
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    max_commands: usize,
) -> std::result::Result<ParsedRequest, RequestError> {
    if !matches!(method, "HEAD" | "GET" | "POST" | "PUT") {
        return Err(RequestError {
            status: 405,
            message: "ERR method not allowed".to_owned(),
        });
    }
    // A trailing slash is significant in the path form (`/set/k/` sets an
    // empty value), so only the fixed endpoints are matched loosely.
    match path {
        "" | "/" => parse_command_json(body).map(ParsedRequest::Single),
        "/pipeline" | "/pipeline/" => {
            parse_batch_json(body, max_commands).map(ParsedRequest::Pipeline)
        }
        "/multi-exec" | "/multi-exec/" => {
            parse_batch_json(body, max_commands).map(ParsedRequest::MultiExec)
        }
        p => parse_path_form(p, query, body).map(ParsedRequest::Single),
    }
}

fn parse_path_form(
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> std::result::Result<Vec<Vec<u8>>, RequestError> {
    let mut parts: Vec<Vec<u8>> = path
        .trim_start_matches('/')
        .split('/')
        .map(|seg| percent_decode(seg.as_bytes()).collect())
        .collect();
    if !body.is_empty() {
        parts.push(body.to_vec());
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (pair, None),
        };
        if name == "_token" {
            continue;
        }
        parts.push(decode_query_component(name));
        if let Some(v) = value {
            parts.push(decode_query_component(v));
        }
    }
    if parts.first().is_none_or(|n| n.is_empty()) {
        return Err(RequestError::bad("ERR empty command"));
    }
    Ok(parts)
}

fn decode_query_component(s: &str) -> Vec<u8> {
    // In a query, '+' stands for a space.
    let spaced = s.replace('+', " ");
    percent_decode(spaced.as_bytes()).collect()
}

fn parse_command_json(body: &[u8]) -> std::result::Result<Vec<Vec<u8>>, RequestError> {
    let raw: &RawValue = serde_json::from_slice(body)
        .map_err(|_| RequestError::bad("ERR failed to parse command: body is not JSON"))?;
    command_from_json(raw)
}

fn parse_batch_json(
    body: &[u8],
    max_commands: usize,
) -> std::result::Result<Vec<Vec<Vec<u8>>>, RequestError> {
    // Borrowed raw items first: counting them costs 16 bytes each, so an
    // over-limit batch is refused before any argument is copied.
    let cmds: Vec<&RawValue> = match serde_json::from_slice::<&RawValue>(body) {
        Ok(raw) => serde_json::from_str(raw.get()).map_err(|_| {
            RequestError::bad("ERR failed to parse batch: expected an array of command arrays")
        })?,
        Err(_) => {
            return Err(RequestError::bad(
                "ERR failed to parse batch: body is not JSON",
            ))
        }
    };
    if cmds.is_empty() {
        return Err(RequestError::bad("ERR empty batch"));
    }
    if cmds.len() > max_commands {
        return Err(RequestError::bad(TOO_MANY_COMMANDS));
    }
    cmds.into_iter().map(command_from_json).collect()
}

/// The error text of a batch over the server's command limit.
pub const TOO_MANY_COMMANDS: &str = "ERR too many commands in one request";

/// One command from a JSON array of arguments. Strings are taken as they
/// are; numbers keep the digits the client sent (their raw JSON text, never
/// a float round trip, so `12345678901234567890123` stays exact); `true`
/// and `false` become the strings `"true"` and `"false"` as Upstash stores
/// them. `null`, arrays and objects are refused.
fn command_from_json(json: &RawValue) -> std::result::Result<Vec<Vec<u8>>, RequestError> {
    let not_array = || {
        RequestError::bad("ERR failed to parse command: expected an array of strings and numbers")
    };
    if !json.get().trim_start().starts_with('[') {
        return Err(not_array());
    }
    let items: Vec<&RawValue> = serde_json::from_str(json.get()).map_err(|_| not_array())?;
    if items.is_empty() {
        return Err(RequestError::bad("ERR empty command"));
    }
    items.into_iter().map(argument_from_json).collect()
}

/// One argument from its raw JSON text (see [`command_from_json`]).
fn argument_from_json(raw: &RawValue) -> std::result::Result<Vec<u8>, RequestError> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(String::into_bytes)
            .map_err(|_| RequestError::bad("ERR failed to parse command: bad string argument")),
        // serde_json validated the number's grammar; its text is the value.
        Some(b'-' | b'0'..=b'9') => Ok(text.as_bytes().to_vec()),
        _ if text == "true" || text == "false" => Ok(text.as_bytes().to_vec()),
        _ => Err(RequestError::bad(
            "ERR failed to parse command: arguments must be strings, numbers or booleans",
        )),
    }
}

/// Percent-encodes one path segment the way [`encode_single`] does, for
/// callers that build path-form URLs themselves (e.g. `/subscribe/<channel>`).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

#[cfg(test)]
mod tests;
