//! Rate limiting: the same deterministic suite on the embedded engine and on
//! edgestash-server over a real redis-server, plus concurrency against the
//! real one. Time is a ManualClock sent to the scripts, so windows and
//! refills are exact; TTLs are checked right after writing, against what
//! the window still needs at that clock time.

use std::sync::Arc;

use edgestash::clock::{ManualClock, SharedClock, SystemClock};
use edgestash::mock::Engine;
use edgestash::prelude::*;
use edgestash::ratelimit::{Decision, Ratelimit, RatelimitBuilder, Reason, TimeoutPolicy};
use edgestash_integration::{EdgeServer, RedisServer};

/// A window-aligned instant (divisible by 1 day).
const T: u64 = 1_700_006_400_000;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn build(b: RatelimitBuilder, client: &Client, clock: &ManualClock) -> Ratelimit {
    b.clock(Arc::new(clock.clone()))
        .on_timeout(TimeoutPolicy::FailClosed)
        .block_cache(0)
        .build(client)
        .unwrap()
}

async fn pttl(client: &Client, key: &str) -> i64 {
    client.pttl(key).await.unwrap()
}

/// Asserts a key's TTL is set and covers `needed` ms. The engine's clock
/// is the ManualClock, so there it is exact; real Redis counts down in real
/// time between the write and this read: allow it 1 s.
async fn assert_ttl_covers(client: &Client, key: &str, needed: u64, max: u64) {
    let slack = if client.mode_label() == "mock" {
        0
    } else {
        1_000
    };
    let ttl = pttl(client, key).await;
    assert!(ttl > 0, "{key} has no TTL ({ttl})");
    let ttl = ttl as u64;
    assert!(ttl + slack >= needed, "{key}: ttl {ttl} < needed {needed}");
    assert!(ttl <= max, "{key}: ttl {ttl} > {max}");
}

fn ok(d: &Decision, remaining: u64) {
    assert!(d.success, "{d:?}");
    assert_eq!(d.remaining, remaining, "{d:?}");
    assert_eq!(d.reason, Reason::None);
}

fn denied(d: &Decision) {
    assert!(!d.success, "{d:?}");
    assert_eq!(d.remaining, 0, "{d:?}");
}

async fn fixed_window(client: &Client, clock: &ManualClock) {
    clock.set(T + 1_000);
    let rl = build(Ratelimit::fixed_window(3, "10s").unwrap(), client, clock);
    let b = T / 10_000;
    let key = format!("@upstash/ratelimit:fw:{b}");
    for left in [2, 1, 0] {
        let d = rl.limit("fw").await.unwrap();
        ok(&d, left);
        assert_eq!(d.reset, T + 10_000);
    }
    denied(&rl.limit("fw").await.unwrap());
    assert_eq!(
        client.get_string(&key).await.unwrap().as_deref(),
        Some("3"),
        "a denial adds nothing"
    );
    assert_ttl_covers(client, &key, 9_000, 10_000).await;
    clock.set(T + 9_999);
    denied(&rl.limit("fw").await.unwrap());
    // The boundary: exactly the next window.
    clock.set(T + 10_000);
    let d = rl.limit("fw").await.unwrap();
    ok(&d, 2);
    assert_eq!(d.reset, T + 20_000);
    let key2 = format!("@upstash/ratelimit:fw:{}", b + 1);
    // Weighted: 3 do not fit in the 2 left; nothing is taken.
    denied(&rl.limit_rate("fw", 3).await.unwrap());
    assert_eq!(
        client.get_string(&key2).await.unwrap().as_deref(),
        Some("1")
    );
    ok(&rl.limit_rate("fw", 2).await.unwrap(), 0);
    // Refunds, never below zero.
    ok(&rl.limit_rate("fw", -1).await.unwrap(), 1);
    ok(&rl.limit_rate("fw", -10).await.unwrap(), 3);
    assert_eq!(
        client.get_string(&key2).await.unwrap().as_deref(),
        Some("0")
    );
    let r = rl.get_remaining("fw").await.unwrap();
    assert_eq!((r.remaining, r.limit, r.reset), (3, 3, T + 20_000));
    // A refund on nothing creates nothing.
    ok(&rl.limit_rate("fw-none", -1).await.unwrap(), 3);
    assert_eq!(
        client
            .exists(["@upstash/ratelimit:fw-none:".to_owned() + &(b + 1).to_string()])
            .await
            .unwrap(),
        0
    );
    // A counter left without TTL (another writer's defect) gets one.
    client
        .set(format!("@upstash/ratelimit:fw-ttl:{}", b + 1), "1")
        .await
        .unwrap();
    ok(&rl.limit("fw-ttl").await.unwrap(), 1);
    assert_ttl_covers(
        client,
        &format!("@upstash/ratelimit:fw-ttl:{}", b + 1),
        10_000,
        10_000,
    )
    .await;
    // reset: one DEL of the known keys.
    ok(&rl.limit_rate("fw", 3).await.unwrap(), 0);
    rl.reset("fw").await.unwrap();
    ok(&rl.limit("fw").await.unwrap(), 2);
}

async fn sliding_window(client: &Client, clock: &ManualClock) {
    clock.set(T);
    let rl = build(Ratelimit::sliding_window(10, "10s").unwrap(), client, clock);
    let b = T / 10_000;
    for left in (0..10).rev() {
        ok(&rl.limit("sw").await.unwrap(), left);
    }
    let d = rl.limit("sw").await.unwrap();
    denied(&d);
    assert_eq!(d.reset, T + 10_000);
    let key = format!("@upstash/ratelimit:sw:{b}");
    assert_eq!(
        client.get_string(&key).await.unwrap().as_deref(),
        Some("10")
    );
    // Needed until the end of the NEXT window (read as "previous" there).
    assert_ttl_covers(client, &key, 20_000, 21_000).await;
    // 25 % into the next window the previous one weighs floor(10 * 0.75) = 7.
    clock.set(T + 12_500);
    for left in [2, 1, 0] {
        ok(&rl.limit("sw").await.unwrap(), left);
    }
    denied(&rl.limit("sw").await.unwrap());
    let r = rl.get_remaining("sw").await.unwrap();
    assert_eq!((r.remaining, r.reset), (0, T + 20_000));
    // The weight decays: at 40 % it is floor(10 * 0.6) = 6, so one more fits.
    clock.set(T + 14_000);
    ok(&rl.limit("sw").await.unwrap(), 0);
    denied(&rl.limit("sw").await.unwrap());
    // Two windows later nothing counts.
    clock.set(T + 30_000);
    ok(&rl.limit("sw").await.unwrap(), 9);
    // Weighted denial writes nothing; refund clamps at zero.
    denied(&rl.limit_rate("sw-w", 11).await.unwrap());
    assert_eq!(
        client
            .exists([format!("@upstash/ratelimit:sw-w:{}", b + 3)])
            .await
            .unwrap(),
        0
    );
    ok(&rl.limit_rate("sw-w", 10).await.unwrap(), 0);
    ok(&rl.limit_rate("sw-w", -4).await.unwrap(), 4);
    rl.reset("sw-w").await.unwrap();
    ok(&rl.limit("sw-w").await.unwrap(), 9);
}

async fn token_bucket(client: &Client, clock: &ManualClock) {
    let t0 = T + 300;
    clock.set(t0);
    let rl = build(Ratelimit::token_bucket(2, "1s", 5).unwrap(), client, clock);
    let key = "@upstash/ratelimit:tb";
    for left in [4, 3, 2, 1, 0] {
        let d = rl.limit("tb").await.unwrap();
        ok(&d, left);
        assert_eq!(d.reset, t0 + 1_000);
    }
    let d = rl.limit("tb").await.unwrap();
    denied(&d);
    assert_eq!(d.reset, t0 + 1_000);
    let fields = client.hmget(key, ["refilledAt", "tokens"]).await.unwrap();
    assert_eq!(
        fields,
        vec![Some(t0.to_string().into_bytes()), Some(b"0".to_vec())]
    );
    // Needs ceil(5 / 2) = 3 intervals to be full again.
    assert_ttl_covers(client, key, 3_000, 3_000).await;
    // Exactly one interval later: 2 tokens.
    clock.set(t0 + 1_000);
    ok(&rl.limit("tb").await.unwrap(), 1);
    // A partial interval adds nothing.
    clock.set(t0 + 1_999);
    ok(&rl.limit("tb").await.unwrap(), 0);
    let d = rl.limit_rate("tb", 1).await.unwrap();
    denied(&d);
    assert_eq!(d.reset, t0 + 2_000);
    // Weighted: 3 tokens need 2 intervals; nothing is taken meanwhile.
    clock.set(t0 + 2_000);
    let d = rl.limit_rate("tb", 3).await.unwrap();
    denied(&d);
    assert_eq!(d.reset, t0 + 3_000);
    let fields = client.hmget(key, ["refilledAt", "tokens"]).await.unwrap();
    assert_eq!(
        fields,
        vec![
            Some((t0 + 1_000).to_string().into_bytes()),
            Some(b"0".to_vec())
        ],
        "denial writes nothing"
    );
    let r = rl.get_remaining("tb").await.unwrap();
    assert_eq!((r.remaining, r.reset), (2, t0 + 3_000));
    // k = 10 intervals later: capped at the maximum.
    clock.set(t0 + 12_000);
    ok(&rl.limit("tb").await.unwrap(), 4);
    assert_ttl_covers(client, key, 1_000, 1_000).await;
    // Refunds stop at the maximum and keep a TTL.
    ok(&rl.limit_rate("tb", -10).await.unwrap(), 5);
    assert_ttl_covers(client, key, 0, 1_000).await;
    rl.reset("tb").await.unwrap();
    assert_eq!(client.exists([key]).await.unwrap(), 0);
}

async fn get_remaining_has_no_side_effects(client: &Client, clock: &ManualClock) {
    clock.set(T);
    for b in [
        Ratelimit::fixed_window(3, "10s").unwrap(),
        Ratelimit::sliding_window(3, "10s").unwrap(),
        Ratelimit::token_bucket(1, "1s", 3).unwrap(),
    ] {
        let rl = build(b.prefix("ro"), client, clock);
        let r = rl.get_remaining("nobody").await.unwrap();
        assert_eq!((r.remaining, r.limit), (3, 3));
        assert_eq!(
            client
                .exists(["ro:nobody", &format!("ro:nobody:{}", T / 10_000)])
                .await
                .unwrap(),
            0
        );
    }
}

async fn pipelines_and_cache(client: &Client, clock: &ManualClock) {
    clock.set(T);
    let per_ip = build(
        Ratelimit::fixed_window(1, "10s").unwrap().prefix("ip"),
        client,
        clock,
    );
    let per_user = build(
        Ratelimit::token_bucket(1, "1s", 2).unwrap().prefix("user"),
        client,
        clock,
    );
    let before = client.metrics().snapshot().latency.count;
    let ds = Ratelimit::limit_all(&[(&per_ip, "1.2.3.4"), (&per_user, "alice")])
        .await
        .unwrap();
    assert!(ds[0].success && ds[1].success);
    let first = client.metrics().snapshot().latency.count - before;
    assert!(
        first <= 2,
        "first batch: EVALSHA pipeline + EVAL for missing scripts"
    );
    let before = client.metrics().snapshot().latency.count;
    let ds = Ratelimit::limit_all(&[(&per_ip, "1.2.3.4"), (&per_user, "alice")])
        .await
        .unwrap();
    assert!(!ds[0].success && ds[1].success);
    assert_eq!(
        client.metrics().snapshot().latency.count - before,
        1,
        "one round trip"
    );

    // Block cache: a denial with nothing left is remembered until reset.
    let cached = Ratelimit::fixed_window(1, "10s")
        .unwrap()
        .prefix("cached")
        .clock(Arc::new(clock.clone()))
        .on_timeout(TimeoutPolicy::FailOpen)
        .block_cache(2)
        .build(client)
        .unwrap();
    ok(&cached.limit("x").await.unwrap(), 0);
    denied(&cached.limit("x").await.unwrap());
    let before = client.metrics().snapshot().latency.count;
    let d = cached.limit("x").await.unwrap();
    assert_eq!(
        (d.success, d.reason, d.reset),
        (false, Reason::CacheBlock, T + 10_000)
    );
    assert_eq!(
        client.metrics().snapshot().latency.count,
        before,
        "no Redis call"
    );
    let m = client.metrics().snapshot().ratelimit;
    assert!(m.get("cache_blocked").copied().unwrap_or(0) >= 1, "{m:?}");
    clock.set(T + 10_000);
    ok(&cached.limit("x").await.unwrap(), 0);

    // block_until_ready: sleeps (here: moves the clock) until the reset.
    let c = clock.clone();
    let d = per_ip
        .block_until_ready_with("1.2.3.4", 20_000, move |ms| {
            c.advance(ms);
            std::future::ready(())
        })
        .await
        .unwrap();
    assert!(d.success);
    let c = clock.clone();
    let d = per_ip
        .block_until_ready_with("1.2.3.4", 1_000, move |ms| {
            c.advance(ms);
            std::future::ready(())
        })
        .await
        .unwrap();
    assert!(!d.success, "the reset is beyond the timeout");
}

async fn redis_time(client: &Client, estimate: SharedClock) {
    for b in [
        Ratelimit::fixed_window(2, "1d").unwrap(),
        Ratelimit::sliding_window(2, "1d").unwrap(),
        Ratelimit::token_bucket(1, "1d", 2).unwrap(),
    ] {
        let rl = b
            .prefix("rt")
            .clock(estimate.clone())
            .redis_time()
            .on_timeout(TimeoutPolicy::FailClosed)
            .block_cache(0)
            .build(client)
            .unwrap();
        rl.reset("x").await.unwrap();
        let a = rl.limit("x").await.unwrap();
        let b = rl.limit("x").await.unwrap();
        let c = rl.limit("x").await.unwrap();
        assert!(a.success && b.success && !c.success, "{a:?} {b:?} {c:?}");
        rl.reset("x").await.unwrap();
    }
}

/// Round trips the client has made so far.
fn trips(client: &Client) -> u64 {
    client.metrics().snapshot().latency.count
}

async fn cached_fixed_window(client: &Client, clock: &ManualClock) {
    clock.set(T);
    let b = T / 10_000;
    let cached = |prefix: &str| {
        build(
            Ratelimit::cached_fixed_window(10, "10s")
                .unwrap()
                .prefix(prefix)
                .reconcile_every(3, "1s")
                .unwrap(),
            client,
            clock,
        )
    };
    let rl = cached("cfw");
    let key = format!("cfw:hot:{b}");
    // Warm up the scripts so round trips are counted exactly.
    ok(&rl.limit("warm").await.unwrap(), 9);
    // 10 calls on one hot identifier: sync, 3 local, sync (+3 pending),
    // 3 local, sync (+3 pending), 1 local: 3 round trips.
    let before = trips(client);
    for left in (0..10).rev() {
        ok(&rl.limit("hot").await.unwrap(), left);
    }
    assert_eq!(trips(client) - before, 3, "hot identifier: few round trips");
    assert_eq!(
        client.get_string(&key).await.unwrap().as_deref(),
        Some("9"),
        "the last unit is still pending"
    );
    // Full with a unit pending: the sync (pending + 1) is denied, and a
    // second call writes the pending unit.
    let before = trips(client);
    denied(&rl.limit("hot").await.unwrap());
    assert_eq!(trips(client) - before, 2);
    assert_eq!(
        client.get_string(&key).await.unwrap().as_deref(),
        Some("10")
    );
    assert_ttl_covers(client, &key, 10_000, 10_000).await;
    // Full with nothing pending: denied locally until the window ends.
    let before = trips(client);
    let d = rl.limit("hot").await.unwrap();
    denied(&d);
    assert_eq!((d.reason, d.reset), (Reason::CacheBlock, T + 10_000));
    assert_eq!(trips(client), before, "no Redis call");
    let m = client.metrics().snapshot().ratelimit;
    assert!(m.get("cache_blocked").copied().unwrap_or(0) >= 1, "{m:?}");
    // The boundary: the next window syncs again and starts from zero.
    clock.set(T + 10_000);
    let d = rl.limit("hot").await.unwrap();
    ok(&d, 9);
    assert_eq!(d.reset, T + 20_000);
    let key2 = format!("cfw:hot:{}", b + 1);
    assert_eq!(
        client.get_string(&key2).await.unwrap().as_deref(),
        Some("1")
    );
    assert_ttl_covers(client, &key2, 10_000, 10_000).await;
    // The interval: after 1 s the local state answers no more; the sync
    // carries the pending unit.
    ok(&rl.limit("hot").await.unwrap(), 8);
    clock.set(T + 11_000);
    let before = trips(client);
    ok(&rl.limit("hot").await.unwrap(), 7);
    assert_eq!(trips(client) - before, 1);
    assert_eq!(
        client.get_string(&key2).await.unwrap().as_deref(),
        Some("3")
    );

    // Two instances share the counter (and plain fixed_window's): each
    // never admits more than the limit in its own view, and together at
    // most limit + (N - 1) * batch.
    clock.set(T + 20_000);
    let key3 = format!("cfw:shared:{}", b + 2);
    let one = cached("cfw");
    let two = cached("cfw");
    let plain = build(
        Ratelimit::fixed_window(10, "10s").unwrap().prefix("cfw"),
        client,
        clock,
    );
    ok(&plain.limit("shared").await.unwrap(), 9);
    let (mut admitted_one, mut admitted_two) = (0u64, 0u64);
    for _ in 0..15 {
        if one.limit("shared").await.unwrap().success {
            admitted_one += 1;
        }
        if two.limit("shared").await.unwrap().success {
            admitted_two += 1;
        }
    }
    assert!(admitted_one <= 9 && admitted_two <= 9);
    let total = 1 + admitted_one + admitted_two;
    assert!(total >= 10, "the budget is used: {total}");
    assert!(total <= 10 + 3, "limit + (N - 1) * batch: {total}");
    let stored: u64 = client
        .get_string(&key3)
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(stored <= total && stored >= 10, "{stored} of {total}");
    assert_ttl_covers(client, &key3, 10_000, 10_000).await;
    denied(&plain.limit("shared").await.unwrap());

    // A denied sync carrying pending units records them (with a TTL).
    clock.set(T + 30_000);
    let key4 = format!("cfw:owed:{}", b + 3);
    let three = cached("cfw");
    ok(&three.limit("owed").await.unwrap(), 9);
    ok(&three.limit("owed").await.unwrap(), 8);
    ok(&plain.limit_rate("owed", 8).await.unwrap(), 1); // 1 + 8: the pending one is unseen
                                                        // Local view: 1 + 1 pending of 10; the batch allows 2 more.
    ok(&three.limit("owed").await.unwrap(), 7);
    ok(&three.limit("owed").await.unwrap(), 6);
    // Batch spent: the sync carries 3 pending + 1, Redis has 9: denied,
    // and the 3 admitted units are written anyway.
    denied(&three.limit("owed").await.unwrap());
    assert_eq!(
        client.get_string(&key4).await.unwrap().as_deref(),
        Some("12")
    );
    assert_ttl_covers(client, &key4, 10_000, 10_000).await;
    denied(&three.limit("owed").await.unwrap());

    // Refunds sync; reset forgets the local state too.
    ok(&three.limit_rate("owed", -12).await.unwrap(), 10);
    three.reset("owed").await.unwrap();
    assert_eq!(client.exists([key4.as_str()]).await.unwrap(), 0);
    ok(&three.limit("owed").await.unwrap(), 9);
    let r = three.get_remaining("owed").await.unwrap();
    assert_eq!((r.remaining, r.limit), (9, 10));
}

async fn suite(client: Client, clock: ManualClock, estimate: SharedClock) {
    fixed_window(&client, &clock).await;
    sliding_window(&client, &clock).await;
    token_bucket(&client, &clock).await;
    get_remaining_has_no_side_effects(&client, &clock).await;
    pipelines_and_cache(&client, &clock).await;
    cached_fixed_window(&client, &clock).await;
    redis_time(&client, estimate).await;
}

#[tokio::test]
async fn ratelimit_on_the_engine() {
    let clock = ManualClock::new(T);
    let client = Client::with_engine(Arc::new(Engine::new(Arc::new(clock.clone()))));
    suite(client, clock.clone(), Arc::new(clock)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ratelimit_on_real_redis() -> TestResult {
    let r = RedisServer::start()?;
    let s = EdgeServer::start_redis(&r, "tok")?;
    let client = Client::new(Config::new(&s.url(), s.token())?)?;
    suite(client, ManualClock::new(T), Arc::new(SystemClock)).await;
    Ok(())
}

#[test]
fn the_timeout_policy_must_be_chosen() {
    let clock = ManualClock::new(T);
    let client = Client::with_engine(Arc::new(Engine::new(Arc::new(clock))));
    let err = Ratelimit::fixed_window(1, "1s")
        .unwrap()
        .build(&client)
        .unwrap_err();
    assert_eq!(err.kind_label(), "config");
    assert!(Ratelimit::fixed_window(1, "1 sec").is_err());
    assert!(Ratelimit::fixed_window(0, "1s").is_err());
    assert!(Ratelimit::token_bucket(0, "1s", 1).is_err());
}

/// A TCP listener that never answers: requests to it time out.
#[tokio::test]
async fn timeouts_follow_the_chosen_policy() -> TestResult {
    let silent = std::net::TcpListener::bind("127.0.0.1:0")?;
    let mut config = Config::new(&format!("http://{}", silent.local_addr()?), "tok")?;
    config.request_timeout = std::time::Duration::from_millis(200);
    let client = Client::new(config)?;
    for policy in [TimeoutPolicy::FailOpen, TimeoutPolicy::FailClosed] {
        let rl = Ratelimit::fixed_window(1, "1s")?
            .on_timeout(policy)
            .build(&client)?;
        let d = rl.limit("x").await?;
        assert_eq!(d.reason, Reason::Timeout(policy));
        assert_eq!(d.success, policy == TimeoutPolicy::FailOpen);
    }
    assert_eq!(
        client.metrics().snapshot().ratelimit.get("timeout"),
        Some(&2)
    );
    Ok(())
}

/// A workspace-scoped client may rate-limit: the scripts are on the
/// namespace's allow-list and their keys are confined to the workspace.
#[tokio::test]
async fn workspaces_rate_limit_inside_their_own_keys() {
    let clock = ManualClock::new(T);
    let root = Client::with_engine(Arc::new(Engine::new(Arc::new(clock.clone()))));
    let a = root.workspace("a").unwrap();
    let b = root.workspace("b").unwrap();
    let la = build(Ratelimit::fixed_window(1, "10s").unwrap(), &a, &clock);
    let lb = build(Ratelimit::token_bucket(1, "10s", 1).unwrap(), &b, &clock);
    ok(&la.limit("u").await.unwrap(), 0);
    denied(&la.limit("u").await.unwrap());
    ok(&lb.limit("u").await.unwrap(), 0);
    let ds = Ratelimit::limit_all(&[(&la, "v"), (&la, "v")])
        .await
        .unwrap();
    assert!(ds[0].success && !ds[1].success);
    let key = format!("ws:a:@upstash/ratelimit:u:{}", T / 10_000);
    assert_eq!(root.get_string(&key).await.unwrap().as_deref(), Some("1"));
    assert_eq!(root.exists(["ws:b:@upstash/ratelimit:u"]).await.unwrap(), 1);
}
