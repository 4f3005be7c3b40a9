//! The rate limiter's scripts against real Redis: their stored SHA-1s are
//! what `SCRIPT LOAD` answers, the engine's native equivalents give the
//! same replies and leave the same data for a deterministic stream of
//! inputs (differential), and under 50 concurrent callers through
//! edgestash-server the limits admit exactly what they promise.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::prelude::*;
use edgestash::ratelimit::{Ratelimit, RatelimitBuilder, TimeoutPolicy};
use edgestash::scripts::{self, ScriptSource};
use edgestash_integration::{run_on_redis, EdgeServer, RedisServer};

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

const T: u64 = 1_700_006_400_000;

fn parts(items: &[String]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

#[test]
fn stored_sha1s_equal_script_load_on_real_redis() -> TestResult {
    let r = RedisServer::start()?;
    let mut conn = r.connection()?;
    for s in scripts::ALL {
        let sha: String = redis::cmd("SCRIPT")
            .arg("LOAD")
            .arg(s.source)
            .query(&mut conn)?;
        assert_eq!(sha, s.sha1, "{}", s.name);
    }
    Ok(())
}

/// A tiny deterministic generator (xorshift) for the input stream.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn eval(script: &ScriptSource, keys: &[String], argv: &[String]) -> Vec<String> {
    let mut p = vec![
        "EVAL".to_owned(),
        script.source.to_owned(),
        keys.len().to_string(),
    ];
    p.extend(keys.iter().cloned());
    p.extend(argv.iter().cloned());
    p
}

#[test]
fn engine_natives_equal_real_redis_scripts() -> TestResult {
    let r = RedisServer::start()?;
    let mut conn = r.connection()?;
    let clock = ManualClock::new(T);
    let engine = Engine::new(Arc::new(clock.clone()));
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    // The engine's clock stands still and windows are long: TTLs are
    // relative to each server's own time, and real Redis's moves only a few
    // seconds during the run, so no key expires on one side only. The
    // scripts' time is the `now` argument, which moves across windows.
    let mut now = T + 123;
    let mut seen = [0u32; 3]; // allowed, denied, errors (clock skew)
    for step in 0..1_500 {
        now += g.next(90_000);
        let id = g.next(3);
        let rate = g.next(9) as i64 - 3;
        let limit = 1 + g.next(8);
        let window = [60_000u64, 420_000][g.next(2) as usize];
        // Now and then a caller whose clock is more than a window off.
        let skew = if g.next(50) == 0 { 2 } else { 0 };
        let cmd = match g.next(3) {
            0 => {
                let b = now / window;
                let first = b + skew;
                eval(
                    &scripts::RATELIMIT_FIXED_WINDOW,
                    &[format!("fw{id}:{first}")],
                    &[
                        now.to_string(),
                        first.to_string(),
                        window.to_string(),
                        limit.to_string(),
                        rate.to_string(),
                    ],
                )
            }
            1 => {
                let b = now / window;
                let first = b - 1 + skew;
                eval(
                    &scripts::RATELIMIT_SLIDING_WINDOW,
                    &[format!("sw{id}:{first}"), format!("sw{id}:{}", first + 1)],
                    &[
                        now.to_string(),
                        first.to_string(),
                        window.to_string(),
                        limit.to_string(),
                        rate.to_string(),
                    ],
                )
            }
            _ => eval(
                &scripts::RATELIMIT_TOKEN_BUCKET,
                &[format!("tb{id}")],
                &[
                    now.to_string(),
                    limit.to_string(),
                    window.to_string(),
                    (1 + g.next(3)).to_string(),
                    rate.to_string(),
                ],
            ),
        };
        let p = parts(&cmd);
        let want = run_on_redis(&mut conn, &p)?;
        let got = engine.execute(&p);
        assert_eq!(got, want, "step {step}: reply");
        match &got {
            Ok(Value::Array(v)) if v.first() == Some(&Value::Int(1)) => seen[0] += 1,
            Ok(_) => seen[1] += 1,
            Err(_) => seen[2] += 1,
        }
        // The data left behind: values exactly, TTLs to within the real
        // time the real server spent meanwhile.
        let numkeys: usize = cmd[2].parse()?;
        for key in cmd.iter().skip(3).take(numkeys) {
            for probe in [vec!["TYPE", key.as_str()], vec!["GET", key.as_str()]] {
                if probe[0] == "GET" && key.starts_with("tb") {
                    continue;
                }
                let q = parts(&probe.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
                assert_eq!(
                    engine.execute(&q),
                    run_on_redis(&mut conn, &q)?,
                    "step {step}: {probe:?}"
                );
            }
            if key.starts_with("tb") {
                let q = parts(&[
                    "HMGET".into(),
                    key.clone(),
                    "refilledAt".into(),
                    "tokens".into(),
                ]);
                assert_eq!(
                    engine.execute(&q),
                    run_on_redis(&mut conn, &q)?,
                    "step {step}: HMGET"
                );
            }
            let q = parts(&["PTTL".into(), key.clone()]);
            let (e, w) = (engine.execute(&q), run_on_redis(&mut conn, &q)?);
            match (e, w) {
                (Ok(Value::Int(e)), Ok(Value::Int(w))) if e >= 0 && w >= 0 => {
                    assert!((e - w).abs() <= 1_000, "step {step}: PTTL {e} vs {w}")
                }
                (e, w) => assert_eq!(e, w, "step {step}: PTTL"),
            }
        }
    }
    assert!(
        seen.iter().all(|n| *n > 10),
        "the stream exercises every outcome: {seen:?}"
    );
    Ok(())
}

/// 50 callers, 2,000 requests on one identifier inside one window (the
/// clock stands still), through edgestash-server over real Redis.
async fn admitted(builder: RatelimitBuilder, client: &Client) -> u64 {
    let rl = Arc::new(
        builder
            .clock(Arc::new(ManualClock::new(T + 1)))
            .on_timeout(TimeoutPolicy::FailClosed)
            .block_cache(0)
            .build(client)
            .unwrap(),
    );
    let allowed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (rl, allowed) = (rl.clone(), allowed.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..40 {
                if rl.limit("hot").await.unwrap().success {
                    allowed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    allowed.load(Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_get_exactly_the_limit() -> TestResult {
    let r = RedisServer::start()?;
    let s = EdgeServer::start_redis(&r, "tok")?;
    let client = Client::new(Config::new(&s.url(), s.token())?)?;
    let fixed = admitted(Ratelimit::fixed_window(137, "1h")?.prefix("c-fw"), &client).await;
    assert_eq!(fixed, 137);
    let bucket = admitted(
        Ratelimit::token_bucket(5, "1h", 211)?.prefix("c-tb"),
        &client,
    )
    .await;
    assert_eq!(bucket, 211);
    // Documented bound: within one window bucket at most `limit`; with an
    // empty previous window, exactly `limit`.
    let sliding = admitted(
        Ratelimit::sliding_window(173, "1h")?.prefix("c-sw"),
        &client,
    )
    .await;
    assert_eq!(sliding, 173);
    let m = client.metrics().snapshot().ratelimit;
    assert_eq!(m.get("allowed"), Some(&(137 + 211 + 173)));
    assert_eq!(m.get("denied"), Some(&(6_000 - 137 - 211 - 173)));
    Ok(())
}
