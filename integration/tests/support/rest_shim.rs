//! A stand-in for `EdgeServer` until the edgestash-server crate lands: the
//! smallest Upstash REST endpoint over a real redis-server, so the behaviour
//! suite already runs against real Redis semantics.
//!
//! Deliberately minimal and test-only: HTTP/1.1 with Content-Length bodies
//! and keep-alive, one thread per connection, blocking redis connection per
//! connection, no auth check. Delete it when `EdgeServer` is wired in.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use edgestash::protocol::response::HttpReply;
use edgestash::protocol::{parse_request, ParsedRequest};
use edgestash::Value;

/// The endpoint: a listening socket served by a background thread.
pub struct RestShim {
    port: u16,
}

impl RestShim {
    /// Serves the REST protocol on a free loopback port, over `redis_url`.
    pub fn start(redis_url: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let url = redis_url.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let url = url.clone();
                std::thread::spawn(move || serve(stream, &url));
            }
        });
        Ok(Self { port })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn serve(stream: TcpStream, redis_url: &str) {
    let Ok(client) = redis::Client::open(redis_url) else {
        return;
    };
    let Ok(mut conn) = client.get_connection() else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut out = write_half;
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("/").to_owned();
        let (mut length, mut base64) = (0usize, false);
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().unwrap_or(0);
                } else if name == "upstash-encoding" {
                    base64 = value.trim().eq_ignore_ascii_case("base64");
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (target.as_str(), None),
        };
        let reply = match parse_request(&method, path, query, &body) {
            Ok(request) => run(&mut conn, &request, base64),
            Err(e) => HttpReply::error(e.status, &e.message),
        };
        let head = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            reply.status,
            reply.body.len()
        );
        // One write: a head and a body in two segments meet Nagle and
        // delayed ACKs and cost 40 ms a request.
        let mut message = head.into_bytes();
        message.extend_from_slice(&reply.body);
        if out.write_all(&message).is_err() {
            return;
        }
    }
}

fn run(conn: &mut redis::Connection, request: &ParsedRequest, base64: bool) -> HttpReply {
    match request {
        ParsedRequest::Single(parts) => HttpReply::single(&exec(conn, parts), base64),
        ParsedRequest::Pipeline(cmds) => {
            let outcomes: Vec<_> = cmds.iter().map(|c| exec(conn, c)).collect();
            HttpReply::batch(&outcomes, base64)
        }
        ParsedRequest::MultiExec(cmds) => {
            let multi = [b"MULTI".to_vec()];
            if let Err(e) = exec(conn, &multi) {
                return HttpReply::error(400, &e);
            }
            for c in cmds {
                if let Err(e) = exec(conn, c) {
                    let _ = exec(conn, &[b"DISCARD".to_vec()]);
                    return HttpReply::error(
                        400,
                        &format!("EXECABORT Transaction discarded because of: {e}"),
                    );
                }
            }
            match exec_raw(conn, &[b"EXEC".to_vec()]) {
                Ok(redis::Value::Array(items)) => {
                    let outcomes: Vec<_> = items.into_iter().map(convert).collect();
                    HttpReply::batch(&outcomes, base64)
                }
                Ok(other) => HttpReply::single(&convert(other), base64),
                Err(e) => HttpReply::error(400, &e),
            }
        }
        _ => HttpReply::error(400, "ERR request kind the shim does not serve"),
    }
}

fn exec_raw(conn: &mut redis::Connection, parts: &[Vec<u8>]) -> Result<redis::Value, String> {
    let Some((name, args)) = parts.split_first() else {
        return Err("ERR empty command".into());
    };
    let mut cmd = redis::cmd(&String::from_utf8_lossy(name));
    for a in args {
        cmd.arg(a.as_slice());
    }
    cmd.query::<redis::Value>(conn).map_err(|e| error_text(&e))
}

fn exec(conn: &mut redis::Connection, parts: &[Vec<u8>]) -> Result<Value, String> {
    exec_raw(conn, parts).and_then(convert)
}

fn error_text(e: &redis::RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_owned(),
        _ => e.to_string(),
    }
}

fn convert(v: redis::Value) -> Result<Value, String> {
    Ok(match v {
        redis::Value::Nil => Value::Nil,
        redis::Value::Int(n) => Value::Int(n),
        redis::Value::BulkString(b) => Value::Bytes(b),
        redis::Value::SimpleString(s) => Value::Bytes(s.into_bytes()),
        redis::Value::Okay => Value::Okay,
        redis::Value::Array(items) => {
            Value::Array(items.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        redis::Value::ServerError(e) => {
            return Err(match e.details() {
                Some(d) => format!("{} {d}", e.code()),
                None => e.code().to_owned(),
            })
        }
        _ => return Err("ERR reply type the shim does not carry".into()),
    })
}
