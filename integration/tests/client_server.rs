//! The real edgestash client against edgestash-server over a real
//! redis-server: proof that the two ends of the protocol fit. (The full
//! client-side suite lives elsewhere; this is the one fit test.)

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
