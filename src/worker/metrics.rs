//! Metrics across isolates: each isolate adds what it counted into Redis
//! in the background, and the admin routes read the sum over every isolate.
//!
//! Owns: the gateway's own counters (cache tiers, answers by status
//! class), the isolate's [`Reporter`] (random id) and when it reports:
//! after a response, through `ctx.wait_until`, at most once per
//! [`REPORT_EVERY_MS`] per isolate; a request arriving sooner schedules
//! the report for when it is due, so a request shows in the totals within
//! about 5 s plus one round trip, well inside 15 s. A report is one
//! pipeline of two commands (`HSET gw:metrics:<interval> <isolate> <json>`,
//! `PEXPIRE`), on the unscoped client. Reading is one pipeline: this
//! isolate's report (so its own requests are never missing) and one
//! `HGETALL` per interval of the window (see [`crate::metrics::cluster`]).
//! A failed report is dropped (counting must never fail a request).
//! Must not: hold keys, values or tokens (only counter names).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::time::Duration;

use ::worker::Context;

use super::state::Isolate;
use crate::client::Batch;
use crate::clock::{Clock, SystemClock};
use crate::commands::{HashCommands, KeyCommands};
use crate::metrics::cluster::{
    window_keys, ClusterTotals, IntervalCounts, Report, Reporter, INTERVAL_MS, KEEP_MS,
};
use crate::Client;

/// The gateway's own counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Counter {
    /// Answered by the location's Cache API.
    L1Hit,
    /// Answered fresh from Redis.
    L2Hit,
    /// Answered stale within stale-while-revalidate.
    Stale,
    /// Answered stale because the origin failed (stale-if-error).
    StaleOnError,
    /// A 304 from the origin refreshed an entry.
    Revalidated,
    /// Asked the origin for a missing (or unusable) entry.
    Miss,
    /// Stored an origin response.
    Stored,
    /// The origin's response could not be stored.
    NotStored,
    /// The origin could not be reached.
    OriginError,
    /// Not a cached route (`X-Cache: BYPASS`).
    Bypass,
    /// A purge request.
    Purge,
    /// Answers by status class.
    Status2xx,
    Status3xx,
    Status4xx,
    Status5xx,
}

impl Counter {
    fn name(self) -> &'static str {
        match self {
            Self::L1Hit => "edge.l1_hit",
            Self::L2Hit => "edge.l2_hit",
            Self::Stale => "edge.stale",
            Self::StaleOnError => "edge.stale_if_error",
            Self::Revalidated => "edge.revalidated",
            Self::Miss => "edge.miss",
            Self::Stored => "edge.stored",
            Self::NotStored => "edge.not_stored",
            Self::OriginError => "edge.origin_error",
            Self::Bypass => "edge.bypass",
            Self::Purge => "edge.purge",
            Self::Status2xx => "status.2xx",
            Self::Status3xx => "status.3xx",
            Self::Status4xx => "status.4xx",
            Self::Status5xx => "status.5xx",
        }
    }

    /// The class counter of an HTTP status (1xx counts nowhere).
    pub(super) fn of_status(status: u16) -> Option<Self> {
        match status / 100 {
            2 => Some(Self::Status2xx),
            3 => Some(Self::Status3xx),
            4 => Some(Self::Status4xx),
            5 => Some(Self::Status5xx),
            _ => None,
        }
    }
}

/// The isolate's counters and reporter.
pub(super) struct Reporting {
    counters: RefCell<BTreeMap<Counter, u64>>,
    reporter: RefCell<Reporter>,
    scheduled: Cell<bool>,
}

impl Reporting {
    /// Fresh counters and a reporter with a random id.
    pub(super) fn new() -> Self {
        let mut bytes = [0u8; 8];
        let id = match getrandom::fill(&mut bytes) {
            Ok(()) => crate::scripts::to_hex(&bytes),
            Err(_) => format!("isolate-{}", SystemClock.now_ms()),
        };
        Self {
            counters: RefCell::new(BTreeMap::new()),
            reporter: RefCell::new(Reporter::new(id)),
            scheduled: Cell::new(false),
        }
    }

    /// Adds one to `counter`.
    pub(super) fn count(&self, counter: Counter) {
        *self.counters.borrow_mut().entry(counter).or_default() += 1;
    }

    /// This isolate's reporter id.
    pub(super) fn id(&self) -> String {
        self.reporter.borrow().id().to_owned()
    }

    fn cumulative(&self, client: &Client) -> IntervalCounts {
        let counters = self.counters.borrow();
        IntervalCounts::from_snapshot(
            &client.metrics().snapshot(),
            counters.iter().map(|(c, n)| (c.name(), *n)),
        )
    }

    /// The report owed now, if anything changed; `force` ignores the pace.
    fn due(&self, client: &Client, now: u64, force: bool) -> Option<Report> {
        let mut reporter = self.reporter.borrow_mut();
        if !force && reporter.wait_ms(now) > 0 {
            return None;
        }
        reporter.report(now, self.cumulative(client))
    }
}

fn queue_report(batch: &Batch, report: &Report) {
    batch.hset(&report.key, [(&report.field, &report.value)]);
    batch.pexpire(&report.key, KEEP_MS as i64);
}

/// After a response: makes sure this isolate reports soon, in the
/// background (now when due, else when due; one pending report at most).
pub(super) fn schedule(isolate: &Rc<Isolate>, ctx: &Context) {
    let reporting = &isolate.reporting;
    if reporting.scheduled.get() {
        return;
    }
    reporting.scheduled.set(true);
    let wait = reporting.reporter.borrow().wait_ms(SystemClock.now_ms());
    let isolate = Rc::clone(isolate);
    ctx.wait_until(async move {
        if wait > 0 {
            isolate.client.sleep(Duration::from_millis(wait)).await;
        }
        isolate.reporting.scheduled.set(false);
        let now = SystemClock.now_ms();
        if let Some(report) = isolate.reporting.due(&isolate.client, now, false) {
            let batch = isolate.client.pipeline();
            queue_report(&batch, &report);
            let _ = batch.exec().await;
        }
    });
}

/// The sum over every isolate for the last `intervals` intervals, this
/// isolate's counts written first; and the span they cover, ms.
pub(super) async fn read_totals(
    isolate: &Isolate,
    intervals: u64,
) -> crate::Result<(ClusterTotals, u64)> {
    let client = &isolate.client;
    let now = SystemClock.now_ms();
    let batch = client.pipeline();
    if let Some(report) = isolate.reporting.due(client, now, true) {
        queue_report(&batch, &report);
    }
    let keys = window_keys(now, intervals);
    let slots: Vec<_> = keys.iter().map(|k| batch.hgetall(k)).collect();
    let mut results = batch.exec().await?;
    let mut hashes: Vec<HashMap<Vec<u8>, Vec<u8>>> = Vec::with_capacity(slots.len());
    for slot in slots {
        hashes.push(results.take(slot)?);
    }
    let totals = ClusterTotals::sum(
        hashes
            .iter()
            .map(|h| h.iter().map(|(k, v)| (k.as_slice(), v.as_slice()))),
    );
    let first = crate::metrics::cluster::interval_of(now) + 1 - keys.len() as u64;
    let span = now.saturating_sub(first * INTERVAL_MS).max(1);
    Ok((totals, span))
}
