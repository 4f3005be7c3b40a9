//! Pub/sub over server-sent events, end to end: the native client's
//! `subscribe`/`psubscribe` against edgestash-server over a real
//! redis-server and over the embedded engine (`--memory`), with messages
//! published by another client.
//!
//! Covers exact payloads (binary, commas, CR/LF), workspace isolation, the
//! line bound, the server and Redis going away (an error item, never a
//! stall), the subscriber limit, the access rules, Upstash's plain-text
//! framing and `/monitor`, and no leaked Redis connections after 200
//! subscribe/disconnect cycles (counted with CLIENT LIST).

use std::time::{Duration, Instant};

use edgestash::commands::PubSubCommands;
use edgestash::pubsub::{SubscribeOptions, Subscription};
use edgestash::tenant_acl::{provision_workspace_user, AclOptions};
use edgestash::{Client, Config, Error, StreamErrorKind};
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::TenantToken;
use edgestash_server::{Backend, ServerConfig};

/// Subscriptions can move to other tasks and be polled without pinning.
const _: fn() = || {
    fn send_unpin<T: Send + Unpin>() {}
    send_unpin::<Subscription>();
};

type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// How long a message or an error may take to arrive before the test fails
/// (a stall must fail the test, not hang it).
const WAIT: Duration = Duration::from_secs(10);

fn client(server: &EdgeServer) -> TestResult<Client> {
    Ok(Client::new(Config::new(&server.url(), server.token())?)?)
}

async fn next(sub: &mut Subscription) -> Option<edgestash::Result<edgestash::pubsub::Message>> {
    match tokio::time::timeout(WAIT, sub.next()).await {
        Ok(item) => item,
        Err(_) => panic!("the subscription stalled: nothing within {WAIT:?}"),
    }
}

/// The two backends, each with the Redis server it needs (if any).
fn backends(token: &str) -> TestResult<Vec<(&'static str, Option<RedisServer>, EdgeServer)>> {
    let redis = RedisServer::start()?;
    let on_redis = EdgeServer::start_redis(&redis, token)?;
    Ok(vec![
        ("redis", Some(redis), on_redis),
        ("memory", None, EdgeServer::start_memory(token)?),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_arrive_exactly_on_both_backends() -> TestResult {
    for (name, _redis, server) in backends("tok")? {
        let subscriber = client(&server)?;
        let publisher = client(&server)?;
        let mut sub = subscriber.subscribe(["news", "a,b"]).await?;
        let mut psub = subscriber.psubscribe(["n*"]).await?;
        let payloads: [&[u8]; 4] = [
            b"hello",
            b"comma, separated, payload",
            b"line one\nline two\r\nthree\r",
            b"\x00\xff\xfe binary \x80",
        ];
        for p in payloads {
            assert_eq!(publisher.publish("news", p).await?, 2, "{name}");
        }
        assert_eq!(publisher.publish("a,b", "x").await?, 1, "{name}");
        for p in payloads {
            let m = next(&mut sub).await.ok_or("ended")??;
            assert_eq!(m.channel, b"news", "{name}");
            assert_eq!(m.pattern, None, "{name}");
            assert_eq!(m.payload, p, "{name}");
        }
        let m = next(&mut sub).await.ok_or("ended")??;
        assert_eq!((m.channel_str(), m.payload_str()), (Some("a,b"), Some("x")));
        for p in payloads {
            let m = next(&mut psub).await.ok_or("ended")??;
            assert_eq!(m.pattern.as_deref(), Some(&b"n*"[..]), "{name}");
            assert_eq!(m.channel, b"news", "{name}");
            assert_eq!(m.payload, p, "{name}");
        }
        // Unsubscribing is dropping: the receiver count falls to zero.
        drop(sub);
        drop(psub);
        let deadline = Instant::now() + WAIT;
        while publisher.publish("news", "late").await? != 0 {
            assert!(
                Instant::now() < deadline,
                "{name}: still subscribed after drop"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn workspaces_do_not_see_each_others_messages() -> TestResult {
    for (name, _redis, server) in backends("tok")? {
        let root = client(&server)?;
        let (a, b) = (root.workspace("a")?, root.workspace("b")?);
        let mut sub_a = a.subscribe(["events"]).await?;
        let mut psub_a = a.psubscribe(["*"]).await?;
        let mut sub_b = b.subscribe(["events"]).await?;
        // A workspace's pattern must not reach another's channels, even a
        // pattern that looks like a prefix.
        let mut tricky_a = a.psubscribe(["ws:b:*"]).await?;
        assert_eq!(b.publish("events", "for b").await?, 1, "{name}");
        assert_eq!(a.publish("events", "for a").await?, 2, "{name}");
        assert_eq!(root.publish("events", "unscoped").await?, 0, "{name}");
        let m = next(&mut sub_a).await.ok_or("ended")??;
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("events"), Some("for a"))
        );
        let m = next(&mut psub_a).await.ok_or("ended")??;
        assert_eq!(m.pattern.as_deref(), Some(&b"*"[..]));
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("events"), Some("for a"))
        );
        let m = next(&mut sub_b).await.ok_or("ended")??;
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("events"), Some("for b"))
        );
        // Nothing else arrived for a: a marker published afterwards is next.
        a.publish("events", "marker").await?;
        let m = next(&mut sub_a).await.ok_or("ended")??;
        assert_eq!(m.payload_str(), Some("marker"), "{name}");
        b.publish("ws:b:x", "y").await?;
        a.publish("ws:b:x", "own").await?;
        let m = next(&mut tricky_a).await.ok_or("ended")??;
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("ws:b:x"), Some("own"))
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_line_past_the_bound_is_a_typed_error() -> TestResult {
    for (name, _redis, server) in backends("tok")? {
        let c = client(&server)?;
        let mut sub = c
            .subscribe_with(["big"], SubscribeOptions::default().max_line_len(1024))
            .await?;
        c.publish("big", vec![b'x'; 700]).await?; // ~950 bytes in base64: fits
        assert_eq!(next(&mut sub).await.ok_or("ended")??.payload.len(), 700);
        c.publish("big", vec![b'x'; 4096]).await?;
        assert_eq!(
            next(&mut sub).await,
            Some(Err(Error::Stream {
                reason: StreamErrorKind::LineTooLong { max: 1024 }
            })),
            "{name}"
        );
        assert_eq!(next(&mut sub).await, None, "{name}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_going_away_is_an_error_on_the_stream() -> TestResult {
    for (name, _redis, server) in backends("tok")? {
        let c = client(&server)?;
        let mut sub = c.subscribe(["ch"]).await?;
        let mut psub = c.psubscribe(["c*"]).await?;
        let started = Instant::now();
        drop(server);
        for s in [&mut sub, &mut psub] {
            match next(s).await {
                Some(Err(Error::Stream {
                    reason: StreamErrorKind::Closed,
                }))
                | Some(Err(Error::Transport { .. })) => {}
                other => panic!("{name}: expected an error, got {other:?}"),
            }
            assert_eq!(next(s).await, None, "{name}");
        }
        assert!(started.elapsed() < WAIT, "{name}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_going_away_is_an_error_on_the_stream() -> TestResult {
    let mut redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, "tok")?;
    let c = client(&server)?;
    let mut sub = c.subscribe(["ch"]).await?;
    redis.stop();
    assert!(matches!(
        next(&mut sub).await,
        Some(Err(Error::Stream {
            reason: StreamErrorKind::Closed
        }))
    ));
    assert_eq!(next(&mut sub).await, None);
    // With Redis down, a new subscription is refused at once (503), not hung.
    assert!(matches!(
        tokio::time::timeout(WAIT, c.subscribe(["ch"])).await?,
        Err(Error::Transport { .. })
    ));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_subscriber_limit_answers_429_and_frees_slots() -> TestResult {
    let redis = RedisServer::start()?;
    for backend in [Backend::Redis(redis.url()), Backend::Memory] {
        let mut config = ServerConfig::new("tok");
        config.backend = backend;
        config.pubsub.max_subscribers = 2;
        let server = EdgeServer::start(config)?;
        let c = client(&server)?;
        let first = c.subscribe(["a"]).await?;
        let _second = c.psubscribe(["b*"]).await?;
        let refused = c.subscribe(["c"]).await;
        assert!(
            matches!(&refused, Err(Error::Limit { .. })),
            "got {refused:?}"
        );
        drop(first);
        let deadline = Instant::now() + WAIT;
        loop {
            match c.subscribe(["c"]).await {
                Ok(_) => break,
                Err(Error::Limit { .. }) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_decide_who_may_stream() -> TestResult {
    let redis = RedisServer::start()?;
    let mut config = ServerConfig::new("tok");
    config.backend = Backend::Redis(redis.url());
    config.read_only_token = Some("ro".to_owned());
    let server = EdgeServer::start(config)?;
    let full = client(&server)?;
    let read_only = Client::new(Config::new(&server.url(), "ro")?)?;
    let wrong = Client::new(Config::new(&server.url(), "nope")?)?;
    let mut sub = read_only.subscribe(["ch"]).await?;
    full.publish("ch", "seen by a read-only subscriber").await?;
    assert_eq!(
        next(&mut sub).await.ok_or("ended")??.payload_str(),
        Some("seen by a read-only subscriber")
    );
    assert!(matches!(
        wrong.subscribe(["ch"]).await,
        Err(Error::Auth { .. })
    ));
    // /monitor needs the full token.
    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{}/monitor", server.url()))
        .bearer_auth("ro")
        .send()
        .await?;
    assert_eq!(refused.status().as_u16(), 400);
    assert!(refused.text().await?.contains("NOPERM"));
    Ok(())
}

/// Reads a raw SSE body until `needle` shows up.
async fn read_until(response: &mut reqwest::Response, needle: &str) -> TestResult<String> {
    let mut seen = String::new();
    let deadline = Instant::now() + WAIT;
    while !seen.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, response.chunk())
            .await
            .map_err(|_| format!("no {needle:?} within {WAIT:?}; saw {seen:?}"))??
            .ok_or("the stream ended")?;
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    Ok(seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_upstash_framing_and_monitor() -> TestResult {
    for (name, _redis, server) in backends("tok")? {
        let http = reqwest::Client::new();
        let c = client(&server)?;
        // Without Upstash-Encoding: base64, the text is Upstash's own.
        let mut raw = http
            .post(format!("{}/subscribe/news", server.url()))
            .bearer_auth("tok")
            .header("accept", "text/event-stream")
            .send()
            .await?;
        assert_eq!(raw.status().as_u16(), 200, "{name}");
        assert_eq!(
            raw.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        let confirmed = read_until(&mut raw, "data: subscribe,news,1\n\n").await?;
        // PUBLISH in the REST path form.
        let published = http
            .post(format!("{}/publish/news/a,b,c", server.url()))
            .bearer_auth("tok")
            .send()
            .await?
            .text()
            .await?;
        assert_eq!(published, r#"{"result":1}"#, "{name}");
        let message = read_until(&mut raw, "data: message,news,a,b,c\n\n").await?;
        // One confirmation per channel, as from Redis: the engine's own
        // confirmation is not sent a second time.
        assert_eq!(
            confirmed + &message,
            "data: subscribe,news,1\n\ndata: message,news,a,b,c\n\n",
            "{name}"
        );

        let monitor = http
            .post(format!("{}/monitor", server.url()))
            .bearer_auth("tok")
            .send()
            .await?;
        let mut monitor = monitor;
        assert_eq!(monitor.status().as_u16(), 200, "{name}");
        // Redis's MONITOR starts after its reply: send until a command shows up.
        let deadline = Instant::now() + WAIT;
        let mut seen = String::new();
        while !seen.contains("\"SET\" \"monitored\"") {
            assert!(Instant::now() < deadline, "no monitor line; saw {seen:?}");
            c.exec(edgestash::Command::new("SET").key("monitored").arg("1"))
                .await?;
            if let Ok(Ok(Some(chunk))) =
                tokio::time::timeout(Duration::from_millis(200), monitor.chunk()).await
            {
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
        }
        assert!(seen.starts_with("data: "), "{seen:?}");
    }
    Ok(())
}

/// The number of clients connected to `redis` (including the one asking).
fn client_count(conn: &mut redis::Connection) -> TestResult<usize> {
    let list: String = redis::cmd("CLIENT").arg("LIST").query(conn)?;
    Ok(list.lines().filter(|l| !l.trim().is_empty()).count())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_subscribe_disconnect_cycles_leak_no_redis_connection() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, "tok")?;
    let c = client(&server)?;
    let mut inspect = redis.connection()?;
    // The server's shared connection exists once a command ran.
    c.publish("warmup", "x").await?;
    let baseline = client_count(&mut inspect)?;
    for i in 0..200 {
        let mut sub = if i % 2 == 0 {
            c.subscribe([format!("cycle{i}:x")]).await?
        } else {
            c.psubscribe([format!("cycle{i}:*")]).await?
        };
        // Every tenth cycle also proves the subscription was live.
        if i % 10 == 0 {
            let channel = format!("cycle{i}:x");
            assert_eq!(c.publish(channel.as_str(), "m").await?, 1);
            assert!(next(&mut sub).await.ok_or("ended")?.is_ok());
        }
        drop(sub);
    }
    let deadline = Instant::now() + WAIT;
    let mut now = client_count(&mut inspect)?;
    while now > baseline {
        assert!(
            Instant::now() < deadline,
            "{now} Redis clients, baseline {baseline}: subscriptions leaked"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        now = client_count(&mut inspect)?;
    }
    assert_eq!(now, baseline);
    // And the server still serves subscriptions afterwards.
    let mut sub = c.subscribe(["after"]).await?;
    c.publish("after", "ok").await?;
    assert_eq!(
        next(&mut sub).await.ok_or("ended")??.payload_str(),
        Some("ok")
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_tokens_subscribe_only_to_their_channels() -> TestResult {
    let redis = RedisServer::start()?;
    let admin_server = EdgeServer::start_redis(&redis, "admin-token")?;
    let admin = client(&admin_server)?;
    let a = provision_workspace_user(&admin, "A", &AclOptions::new()).await?;
    let mut config = ServerConfig::new("server-token");
    config.backend = Backend::Redis(redis.url());
    config.token_map = vec![TenantToken {
        token: "token-a".to_owned(),
        user: a.username.clone(),
        password: a.password.expose().to_owned(),
    }];
    let server = EdgeServer::start(config)?;
    let tenant = Client::new(Config::new(&server.url(), "token-a")?)?;
    // The tenant's own workspace: allowed by Redis's channel ACL.
    let mut own = tenant.workspace("A")?.subscribe(["news"]).await?;
    // Redis checks a PSUBSCRIBE pattern literally against the ACL's channel
    // patterns: `*` in the workspace (`ws:A:*`) is allowed, a narrower one is not.
    let mut own_pattern = tenant.workspace("A")?.psubscribe(["*"]).await?;
    assert_eq!(admin.publish("ws:A:news", "hi").await?, 2);
    assert_eq!(
        next(&mut own).await.ok_or("ended")??.payload_str(),
        Some("hi")
    );
    assert_eq!(
        next(&mut own_pattern).await.ok_or("ended")??.channel_str(),
        Some("news")
    );
    // Another workspace's channels, or any channel: NOPERM from Redis.
    for refused in [
        tenant.workspace("B")?.subscribe(["news"]).await,
        tenant.subscribe(["news"]).await,
        tenant.psubscribe(["*"]).await,
        tenant.workspace("A")?.psubscribe(["n*"]).await,
    ] {
        assert!(
            matches!(&refused, Err(Error::Permission { .. })),
            "{refused:?}"
        );
    }
    Ok(())
}

/// A fake endpoint that accepts one subscription, confirms it, then sends
/// only a keepalive every `keepalive` (or nothing at all).
async fn silent_endpoint(keepalive: Option<Duration>) -> TestResult<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                    edgestash-stream-encoding: base64\r\nconnection: close\r\n\r\n\
                    data: subscribe,Y2g=,1\n\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            match keepalive {
                Some(every) => {
                    tokio::time::sleep(every).await;
                    if socket.write_all(b": keepalive\n\n").await.is_err() {
                        return;
                    }
                }
                // Holds the connection open and says nothing.
                None => tokio::time::sleep(Duration::from_secs(3600)).await,
            }
        }
    });
    Ok(url)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_connection_is_a_timeout_not_a_stall() -> TestResult {
    let idle = Duration::from_millis(300);
    let options = SubscribeOptions::default().idle_timeout(idle);
    // Nothing after the confirmation: the next read times out.
    let c = Client::new(Config::new(&silent_endpoint(None).await?, "tok")?)?;
    let mut sub = c.subscribe_with(["ch"], options).await?;
    let started = Instant::now();
    assert!(matches!(
        next(&mut sub).await,
        Some(Err(Error::Transport {
            kind: edgestash::TransportErrorKind::Timeout,
            ..
        }))
    ));
    assert!(started.elapsed() >= idle && started.elapsed() < WAIT);
    assert_eq!(next(&mut sub).await, None);
    // Keepalives more often than the idle timeout keep a quiet stream open.
    let c = Client::new(Config::new(
        &silent_endpoint(Some(Duration::from_millis(50))).await?,
        "tok",
    )?)?;
    let mut sub = c.subscribe_with(["ch"], options).await?;
    let quiet = tokio::time::timeout(Duration::from_secs(1), sub.next()).await;
    assert!(quiet.is_err(), "the stream ended or failed: {quiet:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscriber_that_stops_reading_is_cut_off() -> TestResult {
    const SENT: usize = 3000;
    for (name, _redis, server) in backends("tok")? {
        let c = client(&server)?;
        let mut raw = reqwest::Client::new()
            .post(format!("{}/subscribe/flood", server.url()))
            .bearer_auth("tok")
            .send()
            .await?;
        read_until(&mut raw, "subscribe,flood,1").await?;
        // 48 MB: more than the socket buffers plus the server's per-stream
        // queue (1024 frames), while this subscriber reads nothing.
        let payload = vec![b'x'; 16 * 1024];
        for _ in 0..SENT {
            c.publish("flood", payload.as_slice()).await?;
        }
        // Once cut off, the subscription is gone on the server side...
        let deadline = Instant::now() + WAIT;
        while c.publish("flood", "probe").await? != 0 {
            assert!(Instant::now() < deadline, "{name}: never cut off");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // ...and the stream ends before all messages arrived.
        let mut seen = 0usize;
        let mut tail: Vec<u8> = Vec::new();
        loop {
            let chunk = tokio::time::timeout(WAIT, raw.chunk())
                .await
                .map_err(|_| format!("{name}: the stream neither ended nor sent"))?;
            match chunk {
                Ok(Some(bytes)) => {
                    tail.extend_from_slice(&bytes);
                    seen += tail.windows(14).filter(|w| w == b"data: message,").count();
                    // Keep a possibly split marker for the next chunk.
                    let keep = tail.len().saturating_sub(13);
                    tail.drain(..keep);
                }
                Ok(None) | Err(_) => break,
            }
        }
        assert!(seen < SENT, "{name}: all {SENT} messages were buffered");
    }
    Ok(())
}
