//! The client's own CPU per command, beyond the HTTP round trip: encoding the
//! request, decoding the reply (base64 + JSON), metrics. `cargo bench --bench client`.
//!
//! `exec_on_engine` runs the whole client path on the embedded engine, which
//! adds the server side's work too (request parsing, the command, envelope
//! encoding): an upper bound of everything except the network.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use edgestash::clock::ManualClock;
use edgestash::metrics::Metrics;
use edgestash::mock::Engine;
use edgestash::prelude::*;
use edgestash::protocol::{decode_single, encode_single};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("client");
    let set = Command::new("SET")
        .key("user:1234:profile")
        .arg("x".repeat(100));
    g.bench_function("encode_set_100B", |b| {
        b.iter(|| encode_single(black_box(&set)))
    });
    let body = format!(r#"{{"result":"{}"}}"#, "eHh4".repeat(33));
    g.bench_function("decode_get_100B", |b| {
        b.iter(|| decode_single(200, black_box(body.as_bytes()), "GET"))
    });
    let metrics = Metrics::default();
    g.bench_function("metrics_per_command", |b| {
        b.iter(|| {
            metrics.record_command(black_box("GET"));
            metrics.record_request(black_box(250), 20, 40);
        })
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| {
            eprintln!("no runtime: {e}");
            std::process::exit(1)
        });
    let client = Client::with_engine(Arc::new(Engine::new(Arc::new(ManualClock::new(0)))));
    g.bench_function("exec_on_engine_get", |b| {
        b.to_async(&rt)
            .iter(|| async { client.get(black_box("user:1234:profile")).await })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
