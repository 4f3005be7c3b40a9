//! Client CPU of a session get+touch and a cache hit, on the engine
//! transport (so no network; the figure also includes the engine's own work
//! on the command, an upper bound on the client's share).
//!
//! `cargo bench --bench sessions -- --warm-up-time 1 --measurement-time 3`.
//! Round trips: each is one request (`/multi-exec` and one GET).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use edgestash::cache::{Cache, CacheOptions};
use edgestash::clock::{ManualClock, SharedClock};
use edgestash::mock::Engine;
use edgestash::session::{SessionConfig, SessionStore};
use edgestash::Client;

fn bench(c: &mut Criterion) {
    let clock = ManualClock::new(1_700_000_000_000);
    let shared: SharedClock = Arc::new(clock.clone());
    let root = Client::with_engine(Arc::new(Engine::new(Arc::new(clock))));
    let ws = match root.workspace("42") {
        Ok(ws) => ws,
        Err(e) => return eprintln!("workspace: {e}"),
    };
    let rt = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => return eprintln!("runtime: {e}"),
    };
    let store = SessionStore::new(ws.clone(), SessionConfig::default(), shared.clone());
    let data = vec!["item".to_owned(); 4];
    let Ok(session) = rt.block_on(store.create(Some("alice"), &data)) else {
        return eprintln!("create failed");
    };
    c.bench_function("session get_and_touch (1 round trip)", |b| {
        b.iter(|| rt.block_on(store.get_and_touch::<Vec<String>>(&session.id)))
    });
    let cache = Cache::new(ws, "app", shared, CacheOptions::default());
    let key = cache.key("user", "7");
    let _ = rt.block_on(cache.get_or_set(&key, 60_000, || async {
        Ok::<_, std::io::Error>(data.clone())
    }));
    c.bench_function("cache hit (1 round trip)", |b| {
        b.iter(|| {
            rt.block_on(cache.get_or_set::<Vec<String>, std::io::Error, _, _>(
                &key,
                60_000,
                || async { Ok(Vec::new()) },
            ))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
