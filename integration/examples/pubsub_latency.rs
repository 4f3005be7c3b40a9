//! Publish-to-receive latency for BENCHMARKS.md: one native client
//! subscribes through edgestash-server, another publishes one message at a
//! time and waits for it on the subscription.
//!
//! `cargo run --release -p edgestash-integration --example pubsub_latency -- <url> <token> <messages>`
//!
//! Prints p50/p90/p99/max of PUBLISH (HTTP round trip) + delivery over SSE,
//! and the messages per second that makes for one publisher in lockstep.

use std::time::{Duration, Instant};

use edgestash::commands::PubSubCommands;
use edgestash::{Client, Config};

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, token, messages] = args.as_slice() else {
        return Err("usage: pubsub_latency <url> <token> <messages>".into());
    };
    let messages: usize = messages.parse()?;
    let client = Client::new(Config::new(url, token)?)?;
    let mut sub = client.subscribe(["bench:latency"]).await?;
    let payload = vec![b'x'; 64];
    // Warm-up: connections and caches.
    for _ in 0..100 {
        client.publish("bench:latency", payload.as_slice()).await?;
        sub.next().await.ok_or("the stream ended")??;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(messages);
    let started = Instant::now();
    for _ in 0..messages {
        let t = Instant::now();
        client.publish("bench:latency", payload.as_slice()).await?;
        sub.next().await.ok_or("the stream ended")??;
        samples.push(t.elapsed());
    }
    let total = started.elapsed();
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).copied().unwrap_or_default()
    };
    println!(
        "messages={messages} p50={:?} p90={:?} p99={:?} max={:?} rate={:.0}/s",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        messages as f64 / total.as_secs_f64()
    );
    Ok(())
}
