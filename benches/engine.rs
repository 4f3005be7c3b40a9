//! Embedded engine throughput, in process, single thread, on a 100k-key keyspace.
//!
//! `cargo bench --bench engine`. Compare with
//! `redis-benchmark -P 100 -q -n 2000000 -r 100000 -t get,set,incr,hset,lpush,lpop,zadd`
//! (see BENCHMARKS.md for recorded figures).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use edgestash::clock::ManualClock;
use edgestash::mock::Engine;

const KEYS: usize = 100_000;

/// Builds the command line for the i-th operation.
type MakeCommand = fn(usize) -> Vec<Vec<u8>>;

fn engine() -> Engine {
    let e = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    for i in 0..KEYS {
        let reply = e.execute(&[b"SET".to_vec(), key(i), b"xxx".to_vec()]);
        assert!(reply.is_ok(), "seeding failed: {reply:?}");
    }
    e
}

fn key(i: usize) -> Vec<u8> {
    format!("key:{i:06}").into_bytes()
}

fn bench(c: &mut Criterion) {
    let e = engine();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    let mut next = move || {
        i = (i + 7919) % KEYS;
        i
    };
    let cases: [(&str, MakeCommand); 7] = [
        ("GET", |i| vec![b"GET".to_vec(), key(i)]),
        ("SET", |i| vec![b"SET".to_vec(), key(i), b"yyy".to_vec()]),
        ("INCR", |i| {
            vec![b"INCR".to_vec(), format!("counter:{i}").into_bytes()]
        }),
        ("HSET", |i| {
            vec![b"HSET".to_vec(), b"hash".to_vec(), key(i), b"v".to_vec()]
        }),
        ("ZADD", |i| {
            vec![
                b"ZADD".to_vec(),
                b"zset".to_vec(),
                i.to_string().into_bytes(),
                key(i),
            ]
        }),
        ("LPUSH", |i| {
            vec![
                b"LPUSH".to_vec(),
                format!("list:{}", i % 100).into_bytes(),
                b"item".to_vec(),
            ]
        }),
        ("LPOP", |i| {
            vec![b"LPOP".to_vec(), format!("list:{}", i % 100).into_bytes()]
        }),
    ];
    for (name, make) in cases {
        group.bench_function(name, |b| {
            b.iter_batched(
                || make(next()),
                |cmd| {
                    let reply = e.execute(black_box(&cmd));
                    assert!(reply.is_ok(), "{name} failed: {reply:?}");
                    reply
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
