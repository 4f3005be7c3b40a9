//! Metrics overhead per command: what the client records for every command
//! (`Metrics::record_command` + `Metrics::record_request`) against doing
//! nothing, and a client command on the embedded engine for scale.
//!
//! `cargo bench --bench metrics` (figures in BENCHMARKS.md, "Metrics overhead").

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use edgestash::clock::ManualClock;
use edgestash::commands::StringCommands as _;
use edgestash::metrics::Metrics;
use edgestash::mock::Engine;
use edgestash::Client;

const NAMES: [&str; 8] = [
    "GET", "SET", "INCR", "HSET", "LPUSH", "ZADD", "EXPIRE", "DEL",
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("metrics");
    group.throughput(Throughput::Elements(1));
    let metrics = Metrics::default();
    let mut i = 0usize;
    group.bench_function("off (baseline)", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box((NAMES[i % NAMES.len()], (i % 5000) as u64));
        })
    });
    group.bench_function("on: record_command + record_request", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            metrics.record_command(black_box(NAMES[i % NAMES.len()]));
            metrics.record_request(black_box((i % 5000) as u64), 32, 16);
        })
    });
    group.bench_function("on: 200 labels already present", |b| {
        // The lock-and-lookup path with a full label map.
        let full = Metrics::default();
        for n in 0..edgestash::metrics::MAX_COMMAND_LABELS {
            full.record_command(&format!("C{n}"));
        }
        b.iter(|| {
            i = i.wrapping_add(1);
            full.record_command(black_box(NAMES[i % NAMES.len()]));
            full.record_request(black_box((i % 5000) as u64), 32, 16);
        })
    });
    group.bench_function("snapshot + prometheus text", |b| {
        b.iter(|| black_box(metrics.snapshot().to_prometheus().len()))
    });
    group.finish();

    // A whole command through the client on the engine (metrics always on),
    // to set the recording cost against.
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return;
        }
    };
    let client = Client::with_engine(Arc::new(Engine::new(Arc::new(ManualClock::new(
        1_700_000_000_000,
    )))));
    let mut group = c.benchmark_group("client_on_engine");
    group.throughput(Throughput::Elements(1));
    group.bench_function("GET (metrics recorded)", |b| {
        b.iter(|| runtime.block_on(async { black_box(client.get_string("k").await.is_ok()) }))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
