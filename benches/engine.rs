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
    streams_and_scripts(c, &e);
}

/// The three-command script of the EVALSHA figure (BENCHMARKS.md).
const SCRIPT: &[u8] = b"redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 60) return redis.call('GET', KEYS[1])";

fn cmd(parts: &[&[u8]]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.to_vec()).collect()
}

/// XADD; one queue round (XADD, XREADGROUP of it, XACK); EVALSHA of a
/// three-command script (with the `lua` feature).
fn streams_and_scripts(c: &mut Criterion, e: &Engine) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    group.bench_function("XADD", |b| {
        b.iter(|| {
            let reply = e.execute(black_box(&cmd(&[
                b"XADD", b"bench:x", b"MAXLEN", b"~", b"100000", b"*", b"f", b"v",
            ])));
            assert!(reply.is_ok(), "{reply:?}");
        })
    });
    let create = e.execute(&cmd(&[
        b"XGROUP",
        b"CREATE",
        b"bench:q",
        b"g",
        b"$",
        b"MKSTREAM",
    ]));
    assert!(create.is_ok(), "{create:?}");
    group.bench_function("XADD+XREADGROUP+XACK", |b| {
        b.iter(|| {
            let id = e.execute(&cmd(&[b"XADD", b"bench:q", b"*", b"body", b"payload"]));
            let read = e.execute(black_box(&cmd(&[
                b"XREADGROUP",
                b"GROUP",
                b"g",
                b"c",
                b"COUNT",
                b"1",
                b"STREAMS",
                b"bench:q",
                b">",
            ])));
            assert!(matches!(read, Ok(edgestash::Value::Array(_))), "{read:?}");
            let Ok(edgestash::Value::Bytes(id)) = id else {
                unreachable!("XADD replies an ID")
            };
            let ack = e.execute(&[b"XACK".to_vec(), b"bench:q".to_vec(), b"g".to_vec(), id]);
            assert_eq!(ack, Ok(edgestash::Value::Int(1)));
        })
    });
    if cfg!(feature = "lua") {
        let sha = e.execute(&cmd(&[b"SCRIPT", b"LOAD", SCRIPT]));
        let Ok(edgestash::Value::Bytes(sha)) = sha else {
            unreachable!("SCRIPT LOAD replies a SHA-1")
        };
        let mut i = 0usize;
        group.bench_function("EVALSHA (INCR, EXPIRE, GET)", |b| {
            b.iter(|| {
                i = (i + 7919) % KEYS;
                let reply = e.execute(black_box(&[
                    b"EVALSHA".to_vec(),
                    sha.clone(),
                    b"1".to_vec(),
                    format!("lua:{i}").into_bytes(),
                ]));
                assert!(reply.is_ok(), "{reply:?}");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
