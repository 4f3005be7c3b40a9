//! Load generator for BENCHMARKS.md: the edgestash native client against an
//! Upstash-compatible endpoint, N concurrent callers for a fixed time.
//!
//! `cargo run --release -p edgestash-integration --example load -- <url> <token> <set|get|pipeline100> <callers> <seconds>`
//!
//! Prints one line: `ops/s`, and the client process's CPU time per command
//! (user + system, from getrusage), which includes the HTTP stack.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use edgestash::prelude::*;

fn cpu_seconds() -> f64 {
    // /proc/self/stat fields 14 and 15: utime and stime in clock ticks.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the ')' the state is field 3, so utime (14) is index 11.
    (ticks(11) + ticks(12)) / 100.0
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, token, op, callers, seconds] = args.as_slice() else {
        return Err("usage: load <url> <token> <set|get|pipeline100> <callers> <seconds>".into());
    };
    let callers: usize = callers.parse()?;
    let duration = Duration::from_secs_f64(seconds.parse()?);
    let mut config = Config::new(url, token)?;
    config.max_connections = callers.max(1);
    let client = Client::new(config)?;
    client.set("bench:key", "x".repeat(3)).await?;

    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..callers {
        let (client, done, stop, op) = (client.clone(), done.clone(), stop.clone(), op.clone());
        tasks.push(tokio::spawn(async move {
            let key = format!("bench:{worker}");
            while !stop.load(Ordering::Relaxed) {
                let n = match op.as_str() {
                    "set" => client.set(key.as_str(), "xxx").await.map(|_| 1),
                    "get" => client.get("bench:key").await.map(|_| 1),
                    _ => {
                        let p = client.pipeline();
                        for _ in 0..100 {
                            p.set(key.as_str(), "xxx");
                        }
                        p.exec().await.map(|_| 100)
                    }
                };
                match n {
                    Ok(n) => done.fetch_add(n, Ordering::Relaxed),
                    Err(e) => return Err(e),
                };
            }
            Ok(())
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await??;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let ops = done.load(Ordering::Relaxed) as f64;
    println!(
        "{op} callers={callers} ops/s={:.0} client_cpu_us_per_cmd={:.1}",
        ops / elapsed,
        cpu / ops * 1e6
    );
    Ok(())
}
