//! Runs edgestash rate-limit decisions against a REST endpoint and prints
//! each as one JSON line, for the @upstash/ratelimit interop test
//! (js/test/ratelimit-interop.test.js) and the benchmark.
//!
//! ```text
//! ratelimit_probe <url> <token> <spec> <identifier> [count]
//!   spec: fixed:<limit>:<window> | sliding:<limit>:<window>
//!       | token:<refill>:<interval>:<max>          (windows like 1d, 10s)
//! ratelimit_probe <url> <token> <spec> bench <identifiers> <callers> <requests>
//!   prints {"decisions":..,"seconds":..,"per_second":..,"allowed":..}
//! ```
//!
//! Uses the system clock (like @upstash/ratelimit's `Date.now()`), the
//! default prefix, no block cache (every decision asks Redis), fail closed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use edgestash::ratelimit::{Ratelimit, TimeoutPolicy};
use edgestash::{Client, Config};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn limiter(spec: &str, client: &Client) -> Res<Ratelimit> {
    let parts: Vec<&str> = spec.split(':').collect();
    let num = |i: usize| -> Res<u64> { Ok(parts.get(i).ok_or("spec too short")?.parse()?) };
    let text = |i: usize| -> Res<&str> { Ok(parts.get(i).copied().ok_or("spec too short")?) };
    let builder = match parts.first().copied() {
        Some("fixed") => Ratelimit::fixed_window(num(1)?, text(2)?)?,
        Some("sliding") => Ratelimit::sliding_window(num(1)?, text(2)?)?,
        Some("token") => Ratelimit::token_bucket(num(1)?, text(2)?, num(3)?)?,
        _ => return Err("spec must start with fixed, sliding or token".into()),
    };
    Ok(builder
        .on_timeout(TimeoutPolicy::FailClosed)
        .block_cache(0)
        .build(client)?)
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg =
        |i: usize| -> Res<&str> { Ok(args.get(i).map(String::as_str).ok_or("missing argument")?) };
    let client = Client::new(Config::new(arg(0)?, arg(1)?)?)?;
    let rl = Arc::new(limiter(arg(2)?, &client)?);
    if arg(3)? == "bench" {
        return bench(rl, arg(4)?.parse()?, arg(5)?.parse()?, arg(6)?.parse()?).await;
    }
    let count: u64 = args.get(4).map(|c| c.parse()).transpose()?.unwrap_or(1);
    for _ in 0..count {
        let d = rl.limit(arg(3)?).await?;
        println!(
            "{}",
            serde_json::json!({
                "success": d.success, "limit": d.limit, "remaining": d.remaining,
                "reset": d.reset, "reason": d.reason.as_upstash(),
            })
        );
    }
    Ok(())
}

/// `requests` decisions over `identifiers` identifiers by `callers`
/// concurrent tasks; prints the throughput as JSON.
async fn bench(rl: Arc<Ratelimit>, identifiers: u64, callers: u64, requests: u64) -> Res<()> {
    let next = Arc::new(AtomicU64::new(0));
    let allowed = Arc::new(AtomicU64::new(0));
    let start = std::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..callers {
        let (rl, next, allowed) = (rl.clone(), next.clone(), allowed.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    return Ok::<(), edgestash::Error>(());
                }
                let id = format!("bench-{}", i % identifiers);
                if rl.limit(&id).await?.success {
                    allowed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "decisions": requests, "seconds": seconds,
            "per_second": requests as f64 / seconds,
            "allowed": allowed.load(Ordering::Relaxed),
        })
    );
    Ok(())
}
