//! The quickstart: edgestash-server on the embedded engine (no Redis, no
//! credentials), and the edgestash client talking to it over HTTP exactly as
//! it would talk to Upstash.
//!
//! `./scripts/client-tour.sh` (or `cargo run -p edgestash-server --example quickstart`).
//! With `--redis redis://127.0.0.1:6379` the same tour runs over a real redis-server.

use edgestash::prelude::*;
use edgestash_server::{start, Backend, ServerConfig};

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let mut config = ServerConfig::new(random_token());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--redis", Some(url)) => config.backend = Backend::Redis(url),
            _ => return Err("usage: quickstart [--redis redis://host:port]".into()),
        }
    }
    let backend = match &config.backend {
        Backend::Redis(_) => "a real redis-server",
        _ => "the embedded engine",
    };
    let token = config.token.clone();
    let server = start(config).await?;
    println!(
        "edgestash-server listening on {} ({backend})\n",
        server.url()
    );

    let client = Client::new(Config::new(&server.url(), &token)?)?;
    tour(&client).await?;
    let app = client.workspace("acme")?;
    app.set("plan", "pro").await?;
    println!("workspace acme:     SET plan pro -> stored as ws:acme:plan");
    println!(
        "workspace acme:     GET plan -> {:?}; the raw key seen unscoped: {:?}",
        app.get_string("plan").await?,
        client.get_string("ws:acme:plan").await?
    );
    let refused = app.exec(Command::new("FLUSHALL")).await;
    println!(
        "workspace acme:     FLUSHALL -> {}",
        refused
            .map(|_| "ran".to_owned())
            .unwrap_or_else(|e| e.to_string())
    );

    let m = client.metrics().snapshot();
    println!(
        "\nmetrics: {} commands, {} errors, p50 {:.2} ms, p99 {:.2} ms",
        m.commands.values().sum::<u64>(),
        m.errors.values().sum::<u64>(),
        m.latency_ms.p50.unwrap_or(0.0),
        m.latency_ms.p99.unwrap_or(0.0)
    );
    server.shutdown().await?;
    Ok(())
}

async fn tour(client: &Client) -> Result<()> {
    println!("PING               -> {}", client.ping().await?);
    client
        .set_with("greeting", "hello", SetOptions::default().ex(60))
        .await?;
    println!(
        "SET greeting EX 60 -> OK, TTL {} s",
        client.ttl("greeting").await?
    );
    println!(
        "GET greeting       -> {:?}",
        client.get_string("greeting").await?
    );

    let binary: Vec<u8> = (0..=255u8).collect();
    client.set("blob", binary.clone()).await?;
    let back = client.get("blob").await?.unwrap_or_default();
    println!(
        "binary round trip  -> {} bytes, identical: {}",
        back.len(),
        back == binary
    );

    let p = client.pipeline();
    let a = p.incr("visits");
    let b = p.incr("visits");
    let c = p.incr("greeting"); // not an integer: fails in its own slot
    let mut r = p.exec_each().await?;
    println!(
        "pipeline           -> INCR {}, INCR {}, INCR greeting: {}",
        r.take(a)?,
        r.take(b)?,
        r.take(c).err().map(|e| e.to_string()).unwrap_or_default()
    );

    let t = client.multi();
    let pushed = t.rpush("queue", ["job-1", "job-2"]);
    let len = t.llen("queue");
    let mut r = t.exec().await?;
    println!(
        "MULTI/EXEC         -> RPUSH {}, LLEN {}",
        r.take(pushed)?,
        r.take(len)?
    );
    Ok(())
}

/// A throwaway token for this run, so nothing guessable listens even on loopback.
fn random_token() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    format!("quickstart-{:016x}", h.finish())
}
