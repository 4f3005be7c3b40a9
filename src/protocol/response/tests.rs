use super::*;

/// The decoder as it was before `reply_body.rs`: the body parsed into a
/// `serde_json::Value` tree first. The one-pass decoder must agree with
/// it on every input.
mod reference {
    use super::super::Slot;
    use crate::error::{Error, Result, TransportErrorKind};
    use crate::protocol::value::Value;
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use serde_json::{Map, Value as Json};

    /// Decodes the reply to a single command.
    pub(super) fn decode_single(status: u16, body: &[u8], command: &str) -> Result<Value> {
        let json = parse_body(status, body, Some(command))?;
        decode_envelope(json, Some(command))
    }

    /// Decodes the reply to `/pipeline`: one slot per command, in order.
    ///
    /// A failing command does not fail the batch; its slot holds the error.
    pub(super) fn decode_pipeline(
        status: u16,
        body: &[u8],
        commands: &[String],
    ) -> Result<Vec<Slot>> {
        let json = parse_body(status, body, Some("PIPELINE"))?;
        decode_slots(json, commands, "PIPELINE")
    }

    /// Decodes the reply to `/multi-exec`.
    ///
    /// When the transaction ran, each slot holds its command's value or run-time
    /// error. When it was discarded (syntax error, unsupported command, limit),
    /// the reply is one error object and the whole call fails with it.
    pub(super) fn decode_multi_exec(
        status: u16,
        body: &[u8],
        commands: &[String],
    ) -> Result<Vec<Slot>> {
        let json = parse_body(status, body, Some("MULTI"))?;
        decode_slots(json, commands, "MULTI")
    }

    fn decode_slots(json: Json, commands: &[String], label: &str) -> Result<Vec<Slot>> {
        match json {
            Json::Array(items) => {
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
                        Json::Object(obj) => Ok(decode_object(obj, Some(name))),
                        _ => Err(Error::protocol(format!("{label} slot is not an envelope"))),
                    })
                    .collect()
            }
            Json::Object(obj) => match decode_object(obj, Some(label)) {
                Err(e) => Err(e),
                Ok(_) => Err(Error::protocol(format!("{label} reply is not an array"))),
            },
            _ => Err(Error::protocol(format!("{label} reply is not an array"))),
        }
    }

    /// Applies the status rules, then parses the body as JSON.
    fn parse_body(status: u16, body: &[u8], command: Option<&str>) -> Result<Json> {
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
        match serde_json::from_slice::<Json>(body) {
            Ok(json) => {
                if status == 405 {
                    return Err(Error::invalid_request(
                        command,
                        "the endpoint refused the HTTP method",
                    ));
                }
                Ok(json)
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

    fn decode_envelope(json: Json, command: Option<&str>) -> Result<Value> {
        match json {
            Json::Object(obj) => decode_object(obj, command),
            _ => Err(Error::protocol("reply is not an envelope object")),
        }
    }

    fn decode_object(mut obj: Map<String, Json>, command: Option<&str>) -> Result<Value> {
        // Looked up and taken in place rather than `Map::remove`d: the same
        // result, without linking the B-tree's removal code into the wasm builds.
        if let Some(err) = obj.get("error") {
            return match err {
                Json::String(text) => Err(Error::from_reply(command, text)),
                _ => Err(Error::protocol("error field is not a string")),
            };
        }
        match obj.get_mut("result") {
            Some(result) => decode_value(result.take()),
            None => Err(Error::protocol("envelope has neither result nor error")),
        }
    }

    /// Decodes a base64-encoded `result` into a [`Value`].
    pub(super) fn decode_value(json: Json) -> Result<Value> {
        match json {
            Json::Null => Ok(Value::Nil),
            Json::Number(n) => n
                .as_i64()
                .map(Value::Int)
                .ok_or_else(|| Error::protocol("number in reply is not a 64-bit integer")),
            Json::String(s) if s == "OK" => Ok(Value::Okay),
            Json::String(s) => B64
                .decode(s.as_bytes())
                .map(Value::Bytes)
                .map_err(|_| Error::protocol("string in reply is not valid base64")),
            Json::Array(items) => items
                .into_iter()
                .map(decode_value)
                .collect::<Result<Vec<_>>>()
                .map(Value::Array),
            Json::Bool(_) | Json::Object(_) => {
                Err(Error::protocol("unexpected JSON type in reply"))
            }
        }
    }
}

/// A small deterministic generator of JSON texts in and around the
/// reply shapes (xorshift; no dependency).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn scalar(&mut self) -> String {
        self.pick(&[
            "null",
            "true",
            "false",
            "0",
            "-0",
            "7",
            "-12",
            "1.0",
            "1e3",
            "0.5",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551616",
            "\"OK\"",
            "\"ok\"",
            "\"T0s=\"",
            "\"YQ==\"",
            "\"YR==\"",
            "\"not base64!\"",
            "\"\"",
            "\"aGVsbG8\\/\"",
            "\"YWJj\"",
            "\"\\u00e9\"",
            "{}",
            "[]",
        ])
        .to_owned()
    }
    fn value(&mut self, depth: u32) -> String {
        match self.next() % 6 {
            0 | 1 if depth < 3 => {
                let n = self.next() % 4;
                let items: Vec<String> = (0..n).map(|_| self.value(depth + 1)).collect();
                format!("[{}]", items.join(","))
            }
            2 if depth < 3 => self.envelope(depth + 1),
            _ => self.scalar(),
        }
    }
    fn envelope(&mut self, depth: u32) -> String {
        let n = self.next() % 4;
        let fields: Vec<String> = (0..n)
            .map(|_| {
                let key = self.pick(&["result", "error", "other", "Result"]);
                let value = match (key, self.next() % 3) {
                    ("error", 0 | 1) => self
                        .pick(&["\"ERR x\"", "\"WRONGTYPE y\"", "\"NOAUTH z\""])
                        .to_owned(),
                    _ => self.value(depth),
                };
                format!("\"{key}\":{value}")
            })
            .collect();
        format!("{{{}}}", fields.join(","))
    }
    fn body(&mut self) -> String {
        match self.next() % 5 {
            0 | 1 => self.envelope(0),
            2 | 3 => {
                let n = self.next() % 4;
                let items: Vec<String> = (0..n)
                    .map(|_| {
                        if self.next() % 5 == 0 {
                            self.value(1)
                        } else {
                            self.envelope(1)
                        }
                    })
                    .collect();
                format!("[{}]", items.join(","))
            }
            _ => self.value(0),
        }
    }
}

#[test]
fn one_pass_decoder_agrees_with_the_value_tree_decoder() {
    let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
    let statuses = [200, 400, 401, 403, 405, 500, 502];
    let mut bodies: Vec<Vec<u8>> = (0..20_000).map(|_| gen.body().into_bytes()).collect();
    bodies.extend(
        [
            &b""[..],
            b"<html>",
            b"{",
            b"[1,",
            b"\"OK\"",
            b"  {\"result\":1}  ",
        ]
        .map(Vec::from),
    );
    for body in &bodies {
        let status = statuses[(gen.next() % statuses.len() as u64) as usize];
        assert_eq!(
            decode_single(status, body, "GET"),
            reference::decode_single(status, body, "GET"),
            "single {status} {}",
            String::from_utf8_lossy(body)
        );
        for n in 0..4 {
            let commands = names(&["SET", "GET", "INCR"][..n.min(3)]);
            assert_eq!(
                decode_pipeline(status, body, &commands),
                reference::decode_pipeline(status, body, &commands),
                "pipeline {status} {}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(
                decode_multi_exec(status, body, &commands),
                reference::decode_multi_exec(status, body, &commands),
                "multi {status} {}",
                String::from_utf8_lossy(body)
            );
        }
    }
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn ok_is_status_and_everything_else_is_base64() {
    assert_eq!(
        decode_single(200, br#"{"result":"OK"}"#, "SET"),
        Ok(Value::Okay)
    );
    assert_eq!(
        decode_single(200, br#"{"result":"T0s="}"#, "GET"),
        Ok(Value::bytes("OK"))
    );
    assert_eq!(
        decode_single(200, br#"{"result":["YQ==",null,3,"OK"]}"#, "X"),
        Ok(Value::Array(vec![
            Value::bytes("a"),
            Value::Nil,
            Value::Int(3),
            Value::Okay
        ]))
    );
    assert!(matches!(
        decode_single(200, br#"{"result":"not base64!"}"#, "GET"),
        Err(Error::Protocol { .. })
    ));
    // Non-canonical padding is refused: strict means strict.
    assert!(decode_single(200, br#"{"result":"YR=="}"#, "GET").is_err());
}

#[test]
fn all_byte_values_round_trip() {
    let all: Vec<u8> = (0..=255u8).collect();
    let json = encode_slot(&Ok(Value::Bytes(all.clone())), true);
    let body = serde_json::to_vec(&json).unwrap_or_default();
    assert_eq!(decode_single(200, &body, "GET"), Ok(Value::Bytes(all)));
}

#[test]
fn statuses_and_bodies_map_to_error_kinds() {
    assert!(matches!(
        decode_single(401, b"Unauthorized", "GET"),
        Err(Error::Auth { .. })
    ));
    assert!(matches!(
        decode_single(400, br#"{"error":"WRONGPASS invalid"}"#, "GET"),
        Err(Error::Auth { .. })
    ));
    assert!(matches!(
        decode_single(502, b"<html>bad gateway</html>", "GET"),
        Err(Error::Transport {
            kind: TransportErrorKind::Status(502),
            ..
        })
    ));
    assert!(matches!(
        decode_single(200, b"<html>", "GET"),
        Err(Error::Protocol { .. })
    ));
    assert!(matches!(
        decode_single(403, b"forbidden", "GET"),
        Err(Error::Transport {
            kind: TransportErrorKind::Status(403),
            ..
        })
    ));
    let e = decode_single(
        400,
        br#"{"error":"WRONGTYPE Operation against a key"}"#,
        "GET",
    );
    assert!(matches!(e, Err(Error::Redis { ref kind, .. }) if kind == "WRONGTYPE"));
}

#[test]
fn pipeline_keeps_per_slot_errors() {
    let body = br#"[{"result":"OK"},{"error":"ERR value is not an integer or out of range"},{"result":2}]"#;
    let slots = decode_pipeline(200, body, &names(&["SET", "INCR", "INCR"])).unwrap_or_default();
    assert_eq!(slots.len(), 3);
    assert_eq!(slots[0], Ok(Value::Okay));
    assert!(matches!(&slots[1], Err(Error::Redis { command: Some(c), .. }) if c == "INCR"));
    assert_eq!(slots[2], Ok(Value::Int(2)));
}

#[test]
fn multi_exec_discarded_is_one_error() {
    let r = decode_multi_exec(
        400,
        br#"{"error":"EXECABORT Transaction discarded because of previous errors."}"#,
        &names(&["SET", "FOO"]),
    );
    assert!(matches!(r, Err(Error::Redis { ref kind, .. }) if kind == "EXECABORT"));
    let r = decode_multi_exec(200, br#"[{"result":"OK"}]"#, &names(&["SET", "GET"]));
    assert!(matches!(r, Err(Error::Protocol { .. })));
}
