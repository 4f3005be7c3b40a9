//! Differential test: random command sequences run on the embedded engine and
//! on a real redis-server 7, every reply compared.
//!
//! Sequences draw from small key, field, member and value universes so type
//! collisions (WRONGTYPE), overwrites and empty-key deletions are frequent,
//! and from argument lists that mix valid and invalid values (bad integers,
//! floats, options, syntax), so error texts are compared too. Every command
//! family the engine implements is covered, plus MULTI batches
//! (`Engine::execute_multi` vs MULTI/EXEC).
//!
//! Time: the engine runs on a `ManualClock` that is set to wall time before
//! every command, so both sides see the same "now" to within a millisecond.
//! Expiry is exercised without racing that millisecond: relative TTLs are
//! ≥ 10^5 s (nothing expires during a run), absolute ones are either already
//! past (the key is gone at its next access: lazy expiry on both sides) or a
//! fixed distance from the case's start time (so `EXPIRETIME`, and GT/LT
//! comparisons between two absolute times, are exact). Remaining-time replies
//! (`TTL`, `PTTL`, `EXPIRETIME`, `PEXPIRETIME` after a relative TTL) are
//! compared by class: -2, -1 or positive. GT/LT are only generated with
//! absolute times: two relative TTLs of equal length set a millisecond apart
//! would compare differently depending on where the tick fell.
//!
//! Not compared exactly, by Redis's own contract (see [`Rule`]): the order of
//! SMEMBERS/SINTER/SUNION/SDIFF/HKEYS/HVALS/HGETALL/KEYS and of SCAN-family
//! pages (cursors are skipped too), and random picks (RANDOMKEY, SRANDMEMBER,
//! HRANDFIELD, ZRANDMEMBER, TIME), compared by shape; DBSIZE, which in
//! Redis still counts expired keys its background cycle has not reclaimed. SPOP is only generated
//! with a count larger than any set (even the bulk-written ones) (it then pops everything, deterministic
//! up to order); a smaller SPOP would leave the two keyspaces different.
//!
//! Size: `PROPTEST_CASES` cases (default 200) of sequences whose length is
//! uniform in 1..=2·`DIFF_LEN` (default 120), about 24,000 commands a run (the
//! test prints the count). A divergence fails with the shrunk sequence
//! printed as command lines and both replies as text.
//!
//! Layout: [`generate`] builds the commands, [`rules`] says how each reply
//! is compared, this file runs sequences on both sides.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use edgestash::clock::ManualClock;
use edgestash::mock::{Engine, Reply};
use edgestash::Value;
use edgestash_integration::{reply_from_redis, run_on_redis, value_from_redis, RedisServer};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

mod generate;
mod rules;

use generate::{step_strategy, Cmd, Step};
use rules::{rule_for, same};

/// A reply as readable text for failure messages (bulk strings as text).
fn show(reply: &Reply) -> String {
    fn value(v: &Value) -> String {
        match v {
            Value::Bytes(b) => format!("{:?}", String::from_utf8_lossy(b)),
            Value::Array(items) => {
                let inner: Vec<String> = items.iter().map(value).collect();
                format!("[{}]", inner.join(", "))
            }
            other => format!("{other:?}"),
        }
    }
    match reply {
        Ok(v) => value(v),
        Err(e) => format!("(error) {e}"),
    }
}

fn show_all(replies: &Result<Vec<Reply>, String>) -> String {
    match replies {
        Ok(rs) => {
            let inner: Vec<String> = rs.iter().map(show).collect();
            format!("[{}]", inner.join("; "))
        }
        Err(e) => format!("(error) {e}"),
    }
}

fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Replaces the `@...` time tokens with times relative to the case start.
fn resolve(cmd: &Cmd, start_ms: u64) -> Vec<Vec<u8>> {
    cmd.0
        .iter()
        .map(|w| {
            let ms = |offset: i64| start_ms.saturating_add_signed(offset);
            let text = match w.as_str() {
                "@past_ms" => ms(-10_000).to_string(),
                "@fut1_ms" => ms(50_000_000).to_string(),
                "@fut2_ms" => ms(150_000_000).to_string(),
                "@past_s" => (ms(-10_000) / 1000).to_string(),
                "@fut1_s" => (ms(50_000_000) / 1000).to_string(),
                "@fut2_s" => (ms(150_000_000) / 1000).to_string(),
                other => other.to_owned(),
            };
            text.into_bytes()
        })
        .collect()
}

struct World {
    engine: Engine,
    clock: ManualClock,
    conn: redis::Connection,
    /// Commands run so far, MULTI slots included.
    commands: usize,
    /// Of those, how many Redis answered with an error, and with WRONGTYPE.
    errors: usize,
    wrongtype: usize,
}

impl World {
    fn tally(&mut self, theirs: &Reply) {
        if let Err(text) = theirs {
            self.errors += 1;
            if text.starts_with("WRONGTYPE") {
                self.wrongtype += 1;
            }
        }
    }
}

impl World {
    fn sync_clock(&self) {
        self.clock.set(wall_ms());
    }

    fn run_case(&mut self, steps: &[Step]) -> Result<(), TestCaseError> {
        let start = wall_ms();
        self.sync_clock();
        let _ = self.engine.execute(&[b"FLUSHDB".to_vec()]);
        redis::cmd("FLUSHDB")
            .query::<redis::Value>(&mut self.conn)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (i, step) in steps.iter().enumerate() {
            match step {
                Step::One(cmd) => {
                    self.commands += 1;
                    let parts = resolve(cmd, start);
                    self.sync_clock();
                    let ours = self.engine.execute(&parts);
                    let theirs = run_on_redis(&mut self.conn, &parts)
                        .map_err(|e| TestCaseError::fail(format!("redis: {e}")))?;
                    self.tally(&theirs);
                    if !same(rule_for(cmd), &ours, &theirs) {
                        return Err(TestCaseError::fail(format!(
                            "step {i}: {cmd:?}\n  engine: {}\n  redis:  {}",
                            show(&ours),
                            show(&theirs)
                        )));
                    }
                }
                Step::Multi(cmds) => {
                    self.commands += cmds.len();
                    let parts: Vec<Vec<Vec<u8>>> = cmds.iter().map(|c| resolve(c, start)).collect();
                    self.sync_clock();
                    let ours = self.engine.execute_multi(&parts);
                    let theirs = self.exec_on_redis(&parts)?;
                    let ok = match (&ours, &theirs) {
                        (Err(a), Err(b)) => a == b,
                        (Ok(a), Ok(b)) => {
                            a.len() == b.len()
                                && cmds
                                    .iter()
                                    .zip(a.iter().zip(b))
                                    .all(|(c, (x, y))| same(rule_for(c), x, y))
                        }
                        _ => false,
                    };
                    if !ok {
                        return Err(TestCaseError::fail(format!(
                            "step {i}: {step:?}\n  engine: {}\n  redis:  {}",
                            show_all(&ours),
                            show_all(&theirs)
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// MULTI, the commands, EXEC; EXEC's slots converted one by one (a slot
    /// may be an error reply, which `value_from_redis` maps to `Err(text)`).
    fn exec_on_redis(
        &mut self,
        cmds: &[Vec<Vec<u8>>],
    ) -> Result<Result<Vec<Reply>, String>, TestCaseError> {
        let fail = |e: String| TestCaseError::fail(format!("redis: {e}"));
        redis::cmd("MULTI")
            .query::<redis::Value>(&mut self.conn)
            .map_err(|e| fail(e.to_string()))?;
        for c in cmds {
            let _queued = run_on_redis(&mut self.conn, c).map_err(|e| fail(e.to_string()))?;
        }
        // `req_command`, not `query`: query turns an error slot into an
        // error for the whole reply.
        let exec = redis::ConnectionLike::req_command(&mut self.conn, &redis::cmd("EXEC"));
        match exec {
            Ok(redis::Value::Array(items)) => items
                .into_iter()
                .map(|item| value_from_redis(item).map_err(|e| fail(e.to_string())))
                .collect::<Result<Vec<_>, _>>()
                .map(Ok),
            other => match reply_from_redis(other).map_err(|e| fail(e.to_string()))? {
                Err(text) => Ok(Err(text)),
                Ok(v) => Err(fail(format!("EXEC replied {v:?}"))),
            },
        }
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn engine_matches_redis_on_random_sequences() {
    let server = RedisServer::start().unwrap();
    let clock = ManualClock::new(wall_ms());
    let world = std::cell::RefCell::new(World {
        engine: Engine::new(Arc::new(clock.clone())),
        clock,
        conn: server.connection().unwrap(),
        commands: 0,
        errors: 0,
        wrongtype: 0,
    });
    let cases = env_usize("PROPTEST_CASES", 200);
    let len = env_usize("DIFF_LEN", 120);
    let config = Config {
        cases: u32::try_from(cases).unwrap(),
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    // Lengths vary around DIFF_LEN (so shrinking can drop steps); the
    // total is printed and checked below.
    let strategy = prop::collection::vec(step_strategy(), 1..=2 * len);
    let result = runner.run(&strategy, |steps| world.borrow_mut().run_case(&steps));
    match result {
        Ok(()) => {
            let w = world.borrow();
            eprintln!(
                "{} commands compared, no divergence ({} error replies, {} WRONGTYPE)",
                w.commands, w.errors, w.wrongtype
            );
        }
        Err(TestError::Fail(reason, steps)) => {
            let lines: Vec<String> = steps.iter().map(|s| format!("  {s:?}")).collect();
            panic!(
                "engine and redis diverge: {reason}\nminimal sequence ({} steps):\n{}",
                steps.len(),
                lines.join("\n")
            );
        }
        Err(e) => panic!("{e}"),
    }
}
