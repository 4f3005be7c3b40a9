//! The real edgestash client against edgestash-server over a real
//! redis-server: proof that the two ends of the protocol fit, including the
//! refusals (auth, read-only token, size limit) and binary data. Every typed
//! command runs in the behaviour suite (tests/behaviour.rs); the wire details
//! (headers, retries, read-your-writes under concurrency) in client_wire.rs.

use edgestash::prelude::*;
use edgestash_integration::{EdgeServer, RedisServer};

#[tokio::test]
async fn client_fits_server_over_redis() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, "fit-token")?;
    let client = Client::new(Config::new(&server.url(), server.token())?)?;

    assert_eq!(client.ping().await?, "PONG");
    client.set("greeting", "hello").await?;
    assert_eq!(
        client.get_string("greeting").await?,
        Some("hello".to_owned())
    );
    // A stored "OK" is a value, not the status reply.
    client.set("ok", "OK").await?;
    assert_eq!(client.get("ok").await?, Some(b"OK".to_vec()));
    // Binary values travel in the value-in-body form and come back whole.
    let all: Vec<u8> = (0..=255u8).collect();
    client.set("bin", all.clone()).await?;
    assert_eq!(client.get("bin").await?, Some(all));
    assert_eq!(client.incr("n").await?, 1);
    // Read-your-writes: the server hands out a token, the client keeps it.
    assert!(client.sync_token().is_some());

    // Redis's errors arrive typed.
    let err = client.incr("greeting").await;
    assert!(
        matches!(err, Err(Error::Redis { ref kind, .. }) if kind == "ERR"),
        "{err:?}"
    );

    // Pipelines keep per-slot errors.
    let p = client.pipeline();
    let a = p.set("s", "x");
    let b = p.incr("s");
    let c = p.get("s");
    let mut r = p.exec_each().await?;
    r.take(a)?;
    assert!(r.take(b).is_err());
    assert_eq!(r.take(c)?, Some(b"x".to_vec()));

    // A discarded transaction is one EXECABORT error and applies nothing.
    let m = client.multi();
    m.set("t", "1");
    m.add(Command::new("NOSUCHCOMMAND"));
    let r = m.exec_each().await;
    assert!(
        matches!(r, Err(Error::Redis { ref kind, .. }) if kind == "EXECABORT"),
        "{r:?}"
    );
    assert_eq!(client.get("t").await?, None);

    // A wrong token is an auth error.
    let wrong = Client::new(Config::new(&server.url(), "wrong-token")?)?;
    let err = wrong.ping().await;
    assert!(matches!(err, Err(Error::Auth { .. })), "{err:?}");
    Ok(())
}

/// The client's typed errors for what the server refuses, and binary data in
/// every position the protocol can carry it.
#[tokio::test]
async fn client_sees_refusals_typed_and_binary_intact(
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    let mut config = edgestash_server::ServerConfig::new("rw-token");
    config.backend = edgestash_server::Backend::Redis(redis.url());
    config.read_only_token = Some("ro-token".to_owned());
    config.max_request_size = 64 * 1024;
    let server = EdgeServer::start(config)?;
    let client = Client::new(Config::new(&server.url(), "rw-token")?)?;
    let reader = Client::new(Config::new(&server.url(), "ro-token")?)?;

    // Read-only token: reads work, writes are a permission error naming the command.
    client.set("k", "v").await?;
    assert_eq!(reader.get("k").await?, Some(b"v".to_vec()));
    let err = reader.set("k", "w").await.unwrap_err();
    assert!(
        matches!(err, Error::Permission { ref command } if command.as_deref() == Some("SET")),
        "{err:?}"
    );
    let p = reader.pipeline();
    let read = p.get("k");
    let write = p.incr("n");
    let mut r = p.exec_each().await?;
    assert_eq!(r.take(read)?, Some(b"v".to_vec()));
    assert!(matches!(r.take(write), Err(Error::Permission { .. })));

    // Over the size limit: a limit error, and the value was not written.
    let big = vec![b'x'; 100 * 1024];
    let err = client.set("big", big).await.unwrap_err();
    assert!(matches!(err, Error::Limit { .. }), "{err:?}");
    assert_eq!(client.exists(["big"]).await?, 0);

    // Binary keys and values, invalid UTF-8 included, in the path form
    // (several binary arguments) and in value-in-body with options.
    let key = vec![0xff, b'/', 0x00, b'?', b'%'];
    let value: Vec<u8> = (0..=255u8).rev().collect();
    client.set(key.clone(), value.clone()).await?;
    assert_eq!(client.get(key.clone()).await?, Some(value.clone()));
    client
        .set_with("ttl-bin", vec![0xc3, 0x28], SetOptions::default().ex(100))
        .await?;
    assert_eq!(client.get("ttl-bin").await?, Some(vec![0xc3, 0x28]));
    assert!(client.ttl("ttl-bin").await? > 0);
    client
        .mset([(key.clone(), vec![0xfe]), (b"plain".to_vec(), vec![0xfd])])
        .await?;
    assert_eq!(
        client.mget([key, b"plain".to_vec()]).await?,
        vec![Some(vec![0xfe]), Some(vec![0xfd])]
    );

    // A run-time error inside a transaction stays in its slot; the rest applied.
    let m = client.multi();
    let a = m.set("s", "text");
    let b = m.incr("s");
    let c = m.incr("counter");
    let mut r = m.exec_each().await?;
    r.take(a)?;
    assert!(matches!(r.take(b), Err(Error::Redis { .. })));
    assert_eq!(r.take(c)?, 1);

    // Read-your-writes against the real server: the token only moves forward.
    let before: u64 = client.sync_token().unwrap_or_default().parse()?;
    client.incr("counter").await?;
    let after: u64 = client.sync_token().unwrap_or_default().parse()?;
    assert!(after > before, "{before} -> {after}");
    Ok(())
}
