//! The client on the embedded engine, end to end through the REST framing.

use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::prelude::*;

fn client() -> Client {
    Client::with_engine(Arc::new(Engine::new(Arc::new(ManualClock::new(
        1_700_000_000_000,
    )))))
}

#[tokio::test]
async fn basic_commands_round_trip() -> Result<()> {
    let c = client();
    assert_eq!(c.ping().await?, "PONG");
    c.set("k", "v").await?;
    assert_eq!(c.get("k").await?, Some(b"v".to_vec()));
    assert_eq!(c.incr("n").await?, 1);
    let err = c.incr("k").await;
    assert!(
        matches!(err, Err(Error::Redis { ref kind, .. }) if kind == "ERR"),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn binary_values_round_trip() -> Result<()> {
    let c = client();
    let all: Vec<u8> = (0..=255u8).collect();
    c.set("bin", all.clone()).await?;
    assert_eq!(c.get("bin").await?, Some(all));
    Ok(())
}

#[tokio::test]
async fn pipelines_keep_per_slot_errors() -> Result<()> {
    let c = client();
    let p = c.pipeline();
    let a = p.set("s", "x");
    let b = p.incr("s");
    let d = p.get("s");
    let mut r = p.exec_each().await?;
    r.take(a)?;
    assert!(r.take(b).is_err());
    assert_eq!(r.take(d)?, Some(b"x".to_vec()));
    Ok(())
}

#[tokio::test]
async fn discarded_transaction_is_one_error() -> Result<()> {
    let c = client();
    let m = c.multi();
    m.set("a", "1");
    m.add(Command::new("NOSUCHCOMMAND"));
    let r = m.exec_each().await;
    assert!(
        matches!(r, Err(Error::Redis { ref kind, .. }) if kind == "EXECABORT"),
        "{r:?}"
    );
    assert_eq!(c.get("a").await?, None);
    Ok(())
}

#[tokio::test]
async fn metrics_count_commands_errors_and_mock_mode() -> Result<()> {
    let c = client();
    c.set("k", "v").await?;
    c.get("k").await?;
    let _ = c.incr("k").await;
    let p = c.pipeline();
    p.get("k");
    p.incr("k");
    p.exec_each().await?;
    let s = c.metrics().snapshot();
    assert_eq!(s.commands.get("GET"), Some(&2));
    assert_eq!(s.commands.get("INCR"), Some(&2));
    assert_eq!(
        s.errors.get("redis"),
        Some(&2),
        "one single, one pipeline slot"
    );
    assert_eq!(s.mock_activations, 1);
    assert_eq!(s.latency.count, 4, "four requests");
    assert!(s.bytes_received > 0);
    Ok(())
}
