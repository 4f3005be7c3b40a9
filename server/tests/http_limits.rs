//! The HTTP limits of the built binary, with real sockets against a real
//! redis-server: the per-request command bound measured as the server
//! process's peak RSS, `Expect: 100-continue` and absurd Content-Lengths,
//! header (slowloris) and idle timeouts, the connection cap, and a bounded
//! drain on SIGTERM while a client holds a connection open.

// The helpers below are test code: a failed socket or spawn must fail the test.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use edgestash_integration::RedisServer;

const TOKEN: &str = "limits-token";

/// The binary serving `redis` on a free port with `extra` flags; killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(redis: &RedisServer, extra: &[&str]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgestash-server"));
        for (name, _) in std::env::vars() {
            if name.starts_with("EDGESTASH_") || name.starts_with("UPSTASH_") {
                cmd.env_remove(name);
            }
        }
        let child = cmd
            .args(["--token", TOKEN, "--redis", &redis.url(), "--listen"])
            .arg(addr.to_string())
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, addr }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s
    }

    /// The process's peak resident set (VmHWM), in KiB.
    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    fn terminate(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `head` then `body` and reads the whole reply (the request asks
/// the server to close the connection).
fn exchange(server: &Server, head: &str, body: &[u8]) -> String {
    let mut s = server.connect();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn post(path: &str, body: &[u8]) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
}

/// True when the peer closed the connection (EOF or reset) within `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn a_ten_megabyte_pipeline_of_pings_is_bounded_in_memory() {
    let redis = RedisServer::start().unwrap();
    let server = Server::start(&redis, &[]);
    let baseline = server.peak_rss_kib();
    // 1.1M `["PING"]`: just under the 10 MiB body limit.
    let mut body = Vec::with_capacity(10 * 1024 * 1024);
    body.push(b'[');
    let n = (10 * 1024 * 1024 - 2) / 9;
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(b"[\"PING\"]");
    }
    body.push(b']');
    assert!(body.len() <= 10 * 1024 * 1024);
    let reply = exchange(&server, &post("/pipeline", &body), &body);
    assert!(
        reply.starts_with("HTTP/1.1 400"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    assert!(reply.contains("ERR too many commands in one request"));
    let peak = server.peak_rss_kib();
    println!("peak RSS: baseline {baseline} KiB, after a 10 MB pipeline of {n} PINGs {peak} KiB");
    assert!(peak < 100 * 1024, "peak RSS {peak} KiB");
    // A pipeline at the default bound (10,000 commands) still runs.
    let ok: Vec<u8> = {
        let mut b = b"[".to_vec();
        for i in 0..10_000 {
            if i > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"[\"PING\"]");
        }
        b.push(b']');
        b
    };
    let reply = exchange(&server, &post("/pipeline", &ok), &ok);
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "{}",
        &reply[..reply.len().min(200)]
    );
    let peak = server.peak_rss_kib();
    println!("peak RSS after 10,000 PINGs: {peak} KiB");
    assert!(peak < 100 * 1024, "peak RSS {peak} KiB");
}

#[test]
fn expect_continue_over_the_limit_is_an_immediate_413_and_huge_lengths_are_safe() {
    let redis = RedisServer::start().unwrap();
    let server = Server::start(&redis, &["--max-request-size", "1000"]);
    let mut s = server.connect();
    s.write_all(
        format!("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(!head.contains("100 Continue"), "{head}");
    // The largest Content-Length a u64 holds: refused, and the server lives on.
    let reply = exchange(
        &server,
        &format!("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 18446744073709551615\r\nConnection: close\r\n\r\n"),
        b"[\"PING\"]",
    );
    assert!(reply.starts_with("HTTP/1.1 4"), "{reply}");
    let reply = exchange(&server, &post("/", b"[\"PING\"]"), b"[\"PING\"]");
    assert!(
        reply.starts_with("HTTP/1.1 200") && reply.contains("PONG"),
        "{reply}"
    );
}

#[test]
fn slow_headers_and_idle_connections_are_closed() {
    let redis = RedisServer::start().unwrap();
    let server = Server::start(&redis, &["--header-timeout", "1"]);
    // Slowloris: headers never finished.
    let mut slow = server.connect();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(5)));
    // Idle keep-alive after one complete request.
    let mut idle = server.connect();
    idle.write_all(
        format!("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 8\r\n\r\n[\"PING\"]").as_bytes(),
    )
    .unwrap();
    let mut buf = [0u8; 512];
    let n = idle.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut idle, Duration::from_secs(5)));
}

#[test]
fn slow_bodies_get_408() {
    let redis = RedisServer::start().unwrap();
    let server = Server::start(&redis, &["--body-timeout", "1"]);
    let mut s = server.connect();
    s.write_all(
        format!("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n[\"PI").as_bytes(),
    )
    .unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"));
}

#[test]
fn connections_past_the_cap_are_closed() {
    let redis = RedisServer::start().unwrap();
    let server = Server::start(
        &redis,
        &["--max-connections", "2", "--header-timeout", "30"],
    );
    let mut a = server.connect();
    let mut b = server.connect();
    std::thread::sleep(Duration::from_millis(1000));
    let mut c = server.connect();
    // Whichever the server accepted third is closed at once (under load
    // the accept order need not be the connect order).
    assert!(
        closed_within(&mut c, Duration::from_secs(5))
            || closed_within(&mut b, Duration::from_millis(500))
            || closed_within(&mut a, Duration::from_millis(500))
    );
    drop((a, b, c));
    std::thread::sleep(Duration::from_millis(300));
    let reply = exchange(&server, &post("/", b"[\"PING\"]"), b"[\"PING\"]");
    assert!(reply.contains("PONG"), "{reply}");
}

#[test]
fn sigterm_drains_within_the_bound_despite_a_stuck_client() {
    let redis = RedisServer::start().unwrap();
    let mut server = Server::start(
        &redis,
        &[
            "--header-timeout",
            "60",
            "--body-timeout",
            "60",
            "--drain-timeout",
            "1",
        ],
    );
    // A client stuck mid-body: the request is in flight.
    let mut stuck = server.connect();
    stuck
        .write_all(
            format!("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n[").as_bytes(),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "SIGTERM did not finish the server"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
