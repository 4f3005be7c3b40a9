//! What the native client puts on the wire and how it reacts to what comes
//! back: headers, the read-your-writes token under concurrency, and the
//! retry policy against a server that drops connections.
//!
//! These tests need endpoints that misbehave on purpose, so they run against
//! small scripted HTTP servers on loopback rather than edgestash-server.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use edgestash::prelude::*;
use edgestash::{RetryPolicy, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves `router` on a free loopback port; returns its base URL.
async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn client(url: &str, retry: RetryPolicy) -> Client {
    let mut config = Config::new(url, "test-token").unwrap();
    config.retry = retry;
    Client::new(config).unwrap()
}

fn fast_retries(max_attempts: u32, retry_writes: bool) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        retry_writes,
    }
}

#[tokio::test]
async fn sends_the_upstash_headers() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let record = seen.clone();
    let url = serve(Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(headers);
                assert_eq!(&body[..], br#"["GET","k"]"#);
                r#"{"result":"dg=="}"#
            }
        }),
    ))
    .await;
    let c = client(&url, RetryPolicy::none());
    assert_eq!(c.get("k").await.unwrap(), Some(b"v".to_vec()));
    let headers = seen.lock().unwrap().pop().unwrap();
    assert_eq!(headers["authorization"], "Bearer test-token");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["upstash-encoding"], "base64");
    assert!(
        headers.get("upstash-sync-token").is_none(),
        "no token before the first reply"
    );
}

/// Replies carry tokens that arrive out of order; the client must keep the
/// newest one and send it on the very next request.
#[tokio::test]
async fn read_your_writes_token_is_monotonic_and_sent_next() {
    let counter = Arc::new(AtomicU64::new(0));
    let received: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let (c2, r2) = (counter.clone(), received.clone());
    let url = serve(Router::new().route(
        "/",
        post(move |headers: HeaderMap| {
            let (counter, received) = (c2.clone(), r2.clone());
            async move {
                let sent = headers
                    .get("upstash-sync-token")
                    .map(|v| v.to_str().unwrap().to_owned());
                received.lock().unwrap().push(sent);
                let token = counter.fetch_add(1, Ordering::SeqCst) + 1;
                // Later tokens are answered sooner: replies cross on the way back.
                tokio::time::sleep(Duration::from_millis(40u64.saturating_sub(token * 2))).await;
                let mut h = HeaderMap::new();
                h.insert("upstash-sync-token", token.to_string().parse().unwrap());
                (h, r#"{"result":1}"#)
            }
        }),
    ))
    .await;
    let c = client(&url, RetryPolicy::none());
    let calls: Vec<_> = (0..16).map(|i| c.incr(format!("k{i}"))).collect();
    for call in calls {
        call.await.unwrap();
    }
    assert_eq!(
        c.sync_token().as_deref(),
        Some("16"),
        "the newest token wins"
    );
    c.incr("after").await.unwrap();
    assert_eq!(
        received
            .lock()
            .unwrap()
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("16")
    );

    // Carried to another client, and never moved backwards.
    let other = client(&url, RetryPolicy::none());
    other.set_sync_token("16");
    other.set_sync_token("3");
    assert_eq!(other.sync_token().as_deref(), Some("16"));
}

#[tokio::test]
async fn read_your_writes_can_be_switched_off() {
    let received: Arc<Mutex<Vec<bool>>> = Arc::default();
    let r2 = received.clone();
    let url = serve(Router::new().route(
        "/",
        post(move |headers: HeaderMap| {
            let received = r2.clone();
            async move {
                received
                    .lock()
                    .unwrap()
                    .push(headers.contains_key("upstash-sync-token"));
                let mut h = HeaderMap::new();
                h.insert("upstash-sync-token", "7".parse().unwrap());
                (h, r#"{"result":1}"#)
            }
        }),
    ))
    .await;
    let mut config = Config::new(&url, "t").unwrap();
    config.read_your_writes = false;
    let c = Client::new(config).unwrap();
    c.incr("a").await.unwrap();
    c.incr("a").await.unwrap();
    assert_eq!(*received.lock().unwrap(), vec![false, false]);
    assert_eq!(c.sync_token(), None);
}

/// A raw TCP server that reads each request and drops the connection without
/// answering for the first `drops` connections, then answers `{"result":<n>}`.
/// Returns the URL and the count of requests that reached it.
async fn flaky_server(drops: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                // Read the request (it is small): it has reached the server.
                let _ = socket.read(&mut buf).await;
                if n <= drops {
                    return; // dropped: the client cannot know if it applied
                }
                let body = format!(r#"{{"result":{n}}}"#);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn reads_are_retried_after_a_dropped_connection() {
    let (url, seen) = flaky_server(2).await;
    let c = client(&url, fast_retries(5, false));
    let v: Value = c
        .exec(Command::new("GET").key("k"))
        .await
        .unwrap_or(Value::Nil);
    assert_eq!(v, Value::Int(3), "third request answered");
    assert_eq!(seen.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn writes_are_not_retried_unless_asked() {
    let (url, seen) = flaky_server(1).await;
    let c = client(&url, fast_retries(5, false));
    let err = c.incr("counter").await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { kind: TransportErrorKind::Io, ref command } if command.as_deref() == Some("INCR")),
        "{err:?}"
    );
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "an INCR that may have applied is not sent again"
    );

    let (url, seen) = flaky_server(1).await;
    let c = client(&url, fast_retries(5, true));
    assert_eq!(c.incr("counter").await.unwrap(), 2);
    assert_eq!(seen.load(Ordering::SeqCst), 2, "opted in: retried once");
}

#[tokio::test]
async fn pipelines_are_retried_only_when_all_commands_read() {
    let (url, seen) = flaky_server(1).await;
    let c = client(&url, fast_retries(3, false));
    let p = c.pipeline();
    p.get("a");
    p.incr("b");
    assert!(p.exec().await.is_err());
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn retries_stop_at_the_cap() {
    let (url, seen) = flaky_server(usize::MAX).await;
    let c = client(&url, fast_retries(4, false));
    assert!(c.get("k").await.is_err());
    assert_eq!(seen.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn unreachable_endpoint_is_a_connect_error() {
    // Bind then drop: nothing listens on this port.
    let port = edgestash_integration::redis_server::free_port().unwrap();
    let c = client(&format!("http://127.0.0.1:{port}"), fast_retries(3, false));
    let err = c.incr("k").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_unsent());
}

#[tokio::test]
async fn proxy_errors_and_garbage_are_typed() {
    let url = serve(Router::new().route(
        "/",
        post(move |body: Bytes| async move {
            let (status, text) = match &body[..] {
                b"[\"GET\",\"502\"]" => (502, "<html>Bad Gateway</html>"),
                b"[\"GET\",\"401\"]" => (401, "Unauthorized"),
                b"[\"GET\",\"bad64\"]" => (200, r#"{"result":"@@@"}"#),
                _ => (200, "not json"),
            };
            (StatusCode::from_u16(status).unwrap(), text).into_response()
        }),
    ))
    .await;
    let c = client(&url, RetryPolicy::none());
    let e = c.get("502").await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                kind: TransportErrorKind::Status(502),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(matches!(
        c.get("401").await.unwrap_err(),
        Error::Auth { .. }
    ));
    assert!(matches!(
        c.get("bad64").await.unwrap_err(),
        Error::Protocol { .. }
    ));
    assert!(matches!(
        c.get("other").await.unwrap_err(),
        Error::Protocol { .. }
    ));
}
