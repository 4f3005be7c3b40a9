//! A Jepsen-style list-append check through `/multi-exec`: 20 concurrent
//! native clients run transactions of RPUSH (unique elements) and LRANGE on
//! a few keys against one redis-server primary behind edgestash-server;
//! afterwards the checker (`edgestash_integration::list_append`) verifies
//! every acknowledged append is there exactly once, nothing that failed was
//! applied, and every read is a prefix of the final list (one order, seen
//! by all readers).

use std::collections::BTreeMap;

use edgestash::prelude::*;
use edgestash::RetryPolicy;
use edgestash_integration::list_append::{check, Op, Outcome, Txn, Violation};
use edgestash_integration::{EdgeServer, RedisServer};

const CLIENTS: usize = 20;
const TXNS_PER_CLIENT: usize = 30;
const KEYS: [&str; 4] = ["la:0", "la:1", "la:2", "la:3"];

/// A small deterministic generator (no randomness crate needed; the seed
/// is the client number, so a failure reproduces).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The operations of one transaction: 1 to 4 of them, appends and reads
/// mixed, on random keys.
fn plan(rng: &mut Lcg, client: usize, txn: usize) -> Vec<Op> {
    let n = 1 + rng.next(4) as usize;
    (0..n)
        .map(|i| {
            let key = KEYS[rng.next(KEYS.len() as u64) as usize].to_owned();
            if rng.next(2) == 0 {
                Op::Append {
                    key,
                    element: format!("c{client}-t{txn}-{i}"),
                }
            } else {
                Op::Read {
                    key,
                    observed: None,
                }
            }
        })
        .collect()
}

/// Runs one transaction through /multi-exec and records what came back.
async fn run(client: &Client, id: usize, mut ops: Vec<Op>) -> Txn {
    let m = client.multi();
    enum Slot {
        Append(SlotRef<i64>),
        Read(SlotRef<Vec<Vec<u8>>>),
    }
    let slots: Vec<Slot> = ops
        .iter()
        .map(|op| match op {
            Op::Append { key, element } => Slot::Append(m.rpush(key, [element])),
            Op::Read { key, .. } => Slot::Read(m.lrange(key, 0, -1)),
        })
        .collect();
    // exec_each: the call fails only when the request failed or Redis
    // discarded the transaction; a command's own error stays in its slot.
    let outcome = match m.exec_each().await {
        Ok(mut results) => {
            let mut ok = true;
            for (op, slot) in ops.iter_mut().zip(slots) {
                match (op, slot) {
                    (Op::Read { observed, .. }, Slot::Read(s)) => match results.take(s) {
                        Ok(items) => {
                            *observed = Some(
                                items
                                    .into_iter()
                                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                                    .collect(),
                            )
                        }
                        Err(_) => ok = false,
                    },
                    (_, Slot::Append(s)) => ok &= results.take(s).is_ok(),
                    _ => ok = false,
                }
            }
            // EXEC ran; a per-command error would be a bug in the test's
            // commands, so it is surfaced as an unknown outcome.
            if ok {
                Outcome::Ok
            } else {
                Outcome::Unknown
            }
        }
        // Redis said the transaction was discarded: nothing ran.
        Err(Error::Redis { .. }) => Outcome::Failed,
        // No answer: it may or may not have run.
        Err(_) => Outcome::Unknown,
    };
    Txn {
        client: id,
        ops,
        outcome,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_list_appends_are_exactly_once_and_ordered() {
    let redis = RedisServer::start().unwrap();
    let server = EdgeServer::start_redis(&redis, "jepsen-token").unwrap();
    let mut tasks = Vec::new();
    for id in 0..CLIENTS {
        let mut config = Config::new(&server.url(), server.token()).unwrap();
        // The history must record what happened, not what a retry made of it.
        config.retry = RetryPolicy::none();
        let client = Client::new(config).unwrap();
        tasks.push(tokio::spawn(async move {
            let mut rng = Lcg(id as u64 + 1);
            let mut history = Vec::new();
            for t in 0..TXNS_PER_CLIENT {
                let ops = plan(&mut rng, id, t);
                history.push(run(&client, id, ops).await);
            }
            history
        }));
    }
    let mut history = Vec::new();
    for t in tasks {
        history.extend(t.await.unwrap());
    }

    let mut direct = redis.connection().unwrap();
    let mut finals: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in KEYS {
        let list: Vec<String> = redis::cmd("LRANGE")
            .arg(key)
            .arg(0)
            .arg(-1)
            .query(&mut direct)
            .unwrap();
        finals.insert(key.to_owned(), list);
    }

    let acknowledged = history.iter().filter(|t| t.outcome == Outcome::Ok).count();
    let appends: usize = finals.values().map(Vec::len).sum();
    let nonempty_reads = history
        .iter()
        .flat_map(|t| &t.ops)
        .filter(|op| matches!(op, Op::Read { observed: Some(o), .. } if !o.is_empty()))
        .count();
    eprintln!(
        "{} transactions, {acknowledged} acknowledged, {appends} elements, {nonempty_reads} non-empty reads",
        history.len()
    );
    // The workload must have exercised something, or the check proves nothing.
    assert_eq!(
        acknowledged,
        CLIENTS * TXNS_PER_CLIENT,
        "no failures are expected on a healthy server"
    );
    assert!(appends > 500 && nonempty_reads > 500, "workload too small");

    let violations = check(&history, &finals);
    assert!(violations.is_empty(), "anomalies: {violations:#?}");

    // The same real history with a tampered final state is caught: the
    // check is not vacuous on this data.
    let mut lost = finals.clone();
    let dropped = lost.get_mut("la:0").unwrap().remove(0);
    let v = check(&history, &lost);
    assert!(
        v.iter()
            .any(|x| matches!(x, Violation::Lost { element, .. } if *element == dropped)),
        "{v:?}"
    );
    let mut reordered = finals.clone();
    reordered.get_mut("la:1").unwrap().swap(0, 1);
    assert!(check(&history, &reordered)
        .iter()
        .any(|x| matches!(x, Violation::NotPrefix { .. })));
    let mut duplicated = finals;
    let first = duplicated["la:2"][0].clone();
    duplicated.get_mut("la:2").unwrap().push(first);
    assert!(check(&history, &duplicated)
        .iter()
        .any(|x| matches!(x, Violation::Duplicate { .. })));
}
