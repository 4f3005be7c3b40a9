//! Sessions, the cache and work queues, each test body run twice: on the
//! embedded engine driven by a ManualClock, and on a real redis-server
//! through edgestash-server. On Redis, key TTLs need real time to pass:
//! they are kept short and polled with a bounded deadline, never timed.
//! Deadlines that only the library reads (cache freshness, queue
//! visibility) use the ManualClock on both.

use std::error::Error as StdError;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use edgestash::cache::{Cache, CacheError, CacheOptions};
use edgestash::clock::{ManualClock, SharedClock};
use edgestash::mock::Engine;
use edgestash::prelude::*;
use edgestash::queue::{QueueOptions, WorkQueue};
use edgestash::session::{SessionConfig, SessionStore};
use edgestash_integration::{EdgeServer, RedisServer};
use serde::{Deserialize, Serialize};

type TestResult<T = ()> = std::result::Result<T, Box<dyn StdError>>;

const START_MS: u64 = 1_700_000_000_000;

/// One backend: a root client, the clock the library reads, and whatever
/// must stay alive.
struct Env {
    root: Client,
    clock: ManualClock,
    on_redis: bool,
    _servers: Option<(EdgeServer, RedisServer)>,
}

impl Env {
    fn engine() -> Self {
        let clock = ManualClock::new(START_MS);
        let engine = Arc::new(Engine::new(Arc::new(clock.clone())));
        Self {
            root: Client::with_engine(engine),
            clock,
            on_redis: false,
            _servers: None,
        }
    }

    fn redis() -> TestResult<Self> {
        let r = RedisServer::start()?;
        let s = EdgeServer::start_redis(&r, "tok")?;
        let root = Client::new(Config::new(&s.url(), s.token())?)?;
        Ok(Self {
            root,
            clock: ManualClock::new(START_MS),
            on_redis: true,
            _servers: Some((s, r)),
        })
    }

    fn ws(&self) -> TestResult<Client> {
        Ok(self.root.workspace("42")?)
    }

    fn shared_clock(&self) -> SharedClock {
        Arc::new(self.clock.clone())
    }

    /// Lets `ms` pass for TTLs: the ManualClock (which drives the engine),
    /// and on Redis real time too.
    async fn pass(&self, ms: u64) {
        self.clock.advance(ms);
        if self.on_redis {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }

    /// Advances `ms`, then checks `done` until true: once on the engine,
    /// polled for up to 5 s on Redis.
    async fn eventually<F, Fut>(&self, ms: u64, mut done: F) -> TestResult<bool>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = TestResult<bool>>,
    {
        self.pass(ms).await;
        if !self.on_redis {
            return done().await;
        }
        for _ in 0..250 {
            if done().await? {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(false)
    }
}

macro_rules! on_both {
    ($body:ident, $engine:ident, $redis:ident) => {
        #[tokio::test]
        async fn $engine() -> TestResult {
            $body(Env::engine()).await
        }
        #[tokio::test]
        async fn $redis() -> TestResult {
            $body(Env::redis()?).await
        }
    };
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cart {
    items: Vec<String>,
}

fn short() -> SessionConfig {
    SessionConfig {
        idle_ms: 300,
        absolute_ms: 1_000,
    }
}

async fn session_lifecycle(env: Env) -> TestResult {
    let ws = env.ws()?;
    let store = SessionStore::new(ws.clone(), SessionConfig::default(), env.shared_clock());
    let cart = Cart {
        items: vec!["a".into()],
    };
    let mut s = store.create(Some("alice"), &cart).await?;
    assert_eq!(
        s.expires_ms,
        START_MS + SessionConfig::default().absolute_ms
    );

    // The key is the hash of the id, under the workspace prefix.
    let keys: Vec<Vec<u8>> = env.root.keys("*").await?;
    let keys: Vec<String> = keys
        .iter()
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect();
    assert!(keys.contains(&format!("ws:42:session:{}", s.id.key_hash())));
    assert!(keys.iter().all(|k| k.starts_with("ws:42:")), "{keys:?}");
    assert!(keys.iter().all(|k| !k.contains(s.id.as_str())));

    let got = store.get_and_touch::<Cart>(&s.id).await?;
    assert_eq!(got.as_ref().map(|g| &g.data), Some(&cart));
    assert_eq!(got.and_then(|g| g.user).as_deref(), Some("alice"));
    assert_eq!(store.get::<Cart>(&s.id).await?.map(|g| g.data), Some(cart));

    s.data.items.push("b".into());
    assert!(store.update(&s).await?);
    assert!(store.touch(&s.id).await?);
    assert_eq!(
        store.get::<Cart>(&s.id).await?.map(|g| g.data.items.len()),
        Some(2)
    );

    let fresh = store.regenerate(&s).await?.ok_or("regenerate lost it")?;
    assert_ne!(fresh.id, s.id);
    assert_eq!(store.get::<Cart>(&s.id).await?, None, "old id dies");
    assert!(!store.touch(&s.id).await?);
    assert_eq!(
        store.get::<Cart>(&fresh.id).await?.map(|g| g.data),
        Some(fresh.data.clone())
    );
    // The user index follows the new id.
    assert_eq!(store.destroy_user("alice").await?, 1);
    assert_eq!(store.get::<Cart>(&fresh.id).await?, None);

    let other = store.create(None, &()).await?;
    assert!(store.destroy_id(&other.id).await?);
    assert!(!store.destroy(&other).await?);
    assert!(store.regenerate(&other).await?.is_none());
    let left: Vec<Vec<u8>> = env.root.keys("ws:42:session:*").await?;
    assert!(left.is_empty(), "nothing half-renamed is left");
    let m = ws.metrics().snapshot();
    assert_eq!((m.sessions_created, m.sessions_destroyed), (2, 2));
    Ok(())
}
on_both!(
    session_lifecycle,
    session_lifecycle_engine,
    session_lifecycle_redis
);

async fn session_timeouts(env: Env) -> TestResult {
    let store = SessionStore::new(env.ws()?, short(), env.shared_clock());
    // Idle: untouched, it ends after the idle timeout.
    let idle = store.create(Some("u"), &1u32).await?;
    let ended = env
        .eventually(301, || async {
            Ok(store.get::<u32>(&idle.id).await?.is_none())
        })
        .await?;
    assert!(ended, "idle timeout");

    // Absolute: touched every 100 ms it outlives the idle timeout but
    // not the absolute lifetime.
    let busy = store.create(Some("u"), &2u32).await?;
    let mut touches = 0;
    while store.get_and_touch::<u32>(&busy.id).await?.is_some() {
        touches += 1;
        assert!(touches < 100, "absolute lifetime never ended");
        env.pass(100).await;
    }
    assert!(touches > 3, "touching slid the idle timeout ({touches})");
    Ok(())
}
on_both!(
    session_timeouts,
    session_timeouts_engine,
    session_timeouts_redis
);

async fn session_destroy_user(env: Env) -> TestResult {
    let store = SessionStore::new(env.ws()?, SessionConfig::default(), env.shared_clock());
    let mut alice = Vec::new();
    for _ in 0..3 {
        alice.push(store.create(Some("alice"), &()).await?);
    }
    let bob = store.create(Some("bob"), &()).await?;
    assert_eq!(store.destroy_user("alice").await?, 3);
    for s in &alice {
        assert_eq!(store.get::<()>(&s.id).await?, None);
    }
    assert!(store.get::<()>(&bob.id).await?.is_some());
    assert_eq!(store.destroy_user("alice").await?, 0);
    Ok(())
}
on_both!(
    session_destroy_user,
    session_destroy_user_engine,
    session_destroy_user_redis
);

#[tokio::test]
async fn session_reads_work_with_a_read_only_token() -> TestResult {
    let r = RedisServer::start()?;
    let mut config = edgestash_server::ServerConfig::new("tok");
    config.backend = edgestash_server::Backend::Redis(r.url());
    config.read_only_token = Some("ro".to_owned());
    let s = EdgeServer::start(config)?;
    let full = Client::new(Config::new(&s.url(), "tok")?)?.workspace("42")?;
    let ro = Client::new(Config::new(&s.url(), "ro")?)?.workspace("42")?;
    let clock: SharedClock = Arc::new(ManualClock::new(START_MS));
    let writer = SessionStore::new(full, SessionConfig::default(), clock.clone());
    let reader = SessionStore::new(ro, SessionConfig::default(), clock);
    let session = writer.create(Some("u"), &7u8).await?;
    assert_eq!(
        reader.get::<u8>(&session.id).await?.map(|g| g.data),
        Some(7)
    );
    assert!(
        reader.get_and_touch::<u8>(&session.id).await.is_err(),
        "touching writes, so the read-only token refuses it"
    );
    Ok(())
}

async fn cache_aside(env: Env) -> TestResult {
    let ws = env.ws()?;
    let options = CacheOptions {
        grace_ms: 60_000,
        ..CacheOptions::default()
    };
    let cache = Cache::new(ws.clone(), "app", env.shared_clock(), options);
    let key = cache.key("user", "7");
    assert_eq!(key, "app:cache:user:7");
    let calls = AtomicU32::new(0);
    let load = |v: u32| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move { Ok::<_, std::io::Error>(v) }
    };
    assert_eq!(cache.get_or_set(&key, 60_000, || load(1)).await?, 1);
    assert_eq!(cache.get_or_set(&key, 60_000, || load(2)).await?, 1);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let m = ws.metrics().snapshot();
    assert_eq!((m.cache_hits, m.cache_misses), (1, 1));

    // Stale within grace: the lock winner reloads; a caller that loses
    // the lock gets the stale value.
    env.clock.advance(60_001);
    let lock = format!("{key}:lock");
    ws.set_with(&lock, "1", SetOptions::default().nx().px(5_000))
        .await?;
    assert_eq!(cache.get_or_set(&key, 60_000, || load(3)).await?, 1);
    ws.del([&lock]).await?;
    assert_eq!(cache.get_or_set(&key, 60_000, || load(4)).await?, 4);
    assert_eq!(cache.get_or_set(&key, 60_000, || load(5)).await?, 4);

    assert!(cache.invalidate(&key).await?);
    // A loader error comes back typed, and its lock is released.
    let failed = cache
        .get_or_set::<u32, _, _, _>(&key, 1_000, || async {
            Err(std::io::Error::other("db down"))
        })
        .await;
    assert!(matches!(failed, Err(CacheError::Loader(_))));
    assert_eq!(ws.exists([&lock]).await?, 0);
    assert_eq!(cache.get_or_set(&key, 1_000, || load(6)).await?, 6);
    Ok(())
}
on_both!(cache_aside, cache_aside_engine, cache_aside_redis);

async fn cache_stampede(env: Env) -> TestResult {
    let ws = env.ws()?;
    let a = Cache::new(
        ws.clone(),
        "app",
        env.shared_clock(),
        CacheOptions::default(),
    );
    // Another instance: its own handle on the same workspace.
    let b = Cache::new(
        env.ws()?,
        "app",
        env.shared_clock(),
        CacheOptions::default(),
    );
    // Many rounds, so the interleavings vary: among them, one instance
    // storing and releasing between the other's read and its lock.
    for round in 0..40 {
        let key = a.key("report", &round.to_string());
        let calls = AtomicU32::new(0);
        let slow = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            for _ in 0..3 {
                tokio::task::yield_now().await;
            }
            Ok::<_, std::io::Error>(String::from("expensive"))
        };
        let (x, y) = tokio::join!(
            a.get_or_set(&key, 60_000, slow),
            b.get_or_set(&key, 60_000, slow)
        );
        assert_eq!(x?, "expensive");
        assert_eq!(y?, "expensive");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "one loader per key (round {round})"
        );
    }
    Ok(())
}
on_both!(cache_stampede, cache_stampede_engine, cache_stampede_redis);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Job {
    n: u32,
}

async fn queue_redelivery(env: Env) -> TestResult {
    let ws = env.ws()?;
    let options = QueueOptions {
        visibility_ms: 30_000,
        max_attempts: 2,
    };
    let q = WorkQueue::new(ws.clone(), "jobs", env.shared_clock(), options);
    q.enqueue(&Job { n: 1 }).await?;
    q.enqueue(&Job { n: 2 }).await?;
    assert_eq!(q.len().await?, 2);

    // A consumer takes job 1 and dies before acknowledging it.
    {
        let doomed = q.clone();
        let d = doomed.dequeue::<Job>().await?.ok_or("empty")?;
        assert_eq!((d.payload.n, d.attempt), (1, 1));
        drop(doomed);
    }
    assert_eq!((q.len().await?, q.in_flight().await?), (1, 1));
    // Not yet expired: nothing moves.
    assert_eq!(q.requeue_expired().await?.requeued, 0);
    env.clock.advance(30_001);
    assert_eq!(q.requeue_expired().await?.requeued, 1);

    // Another consumer gets job 1 again, first.
    let other = WorkQueue::new(ws.clone(), "jobs", env.shared_clock(), options);
    let d = other.dequeue::<Job>().await?.ok_or("lost")?;
    assert_eq!((d.payload.n, d.attempt), (1, 2));
    // It dies too: after max_attempts deliveries it is dead-lettered.
    env.clock.advance(30_001);
    let r = other.requeue_expired().await?;
    assert_eq!((r.requeued, r.dead), (0, 1));
    assert_eq!(other.dead_letters::<Job>().await?, vec![Job { n: 1 }]);
    assert!(!other.ack(&d).await?, "too late");

    let d2 = other.dequeue::<Job>().await?.ok_or("job 2 lost")?;
    assert_eq!(d2.payload.n, 2);
    assert!(other.ack(&d2).await?);
    assert_eq!(other.dequeue::<Job>().await?, None);
    assert_eq!((other.len().await?, other.in_flight().await?), (0, 0));
    Ok(())
}
on_both!(
    queue_redelivery,
    queue_redelivery_engine,
    queue_redelivery_redis
);

async fn queue_consumer_dies_mid_dequeue(env: Env) -> TestResult {
    let ws = env.ws()?;
    let q = WorkQueue::new(
        ws.clone(),
        "jobs",
        env.shared_clock(),
        QueueOptions::default(),
    );
    q.enqueue(&Job { n: 9 }).await?;
    // The consumer's LMOVE ran, then it died before recording a deadline.
    ws.lmove(
        "queue:jobs",
        "queue:jobs:processing",
        ListEnd::Right,
        ListEnd::Left,
    )
    .await?;
    assert_eq!(q.dequeue::<Job>().await?, None);
    // The reaper gives it a deadline, and re-queues it once that passes.
    assert_eq!(q.requeue_expired().await?.requeued, 0);
    env.clock.advance(QueueOptions::default().visibility_ms + 1);
    assert_eq!(q.requeue_expired().await?.requeued, 1);
    let d = q.dequeue::<Job>().await?.ok_or("lost")?;
    assert_eq!(d.payload, Job { n: 9 });
    assert!(q.ack(&d).await?);
    Ok(())
}
on_both!(
    queue_consumer_dies_mid_dequeue,
    queue_dies_mid_dequeue_engine,
    queue_dies_mid_dequeue_redis
);
