//! The steps of one decision, shared by every algorithm and by
//! [`Ratelimit::limit_all`]: answer locally if possible ([`Ratelimit::plan`]),
//! otherwise read the script's reply ([`Ratelimit::conclude`]) and, rarely,
//! record units owed to Redis ([`Ratelimit::record_owed`]).
//!
//! Owns: the block cache, the timeout policy and the rate-limit metrics.
//! Must not: know an algorithm's keys or reply layout (the [`Algorithm`]
//! does).

use super::algorithm::{Call, LocalAnswer};
use super::{Decision, Ratelimit, Reason, TimeoutPolicy, MAX_COUNT};
use crate::error::{Error, Result, TransportErrorKind};
use crate::metrics::RateLimitOutcome;

/// How one request is answered.
pub(super) enum Plan {
    /// Decided without Redis (block cache or local counters).
    Done(Decision),
    /// The call, and the locally admitted units it carries (cached window).
    Send(Call, u64),
}

impl Ratelimit {
    /// Counts a decision in the client's metrics.
    fn record(&self, outcome: RateLimitOutcome) {
        self.client.metrics().record_ratelimit(outcome);
    }

    /// Answers `rate` units for `identifier` locally, or says which call
    /// to send.
    pub(super) fn plan(&self, identifier: &str, rate: i64) -> Result<Plan> {
        if rate.unsigned_abs() > MAX_COUNT {
            return Err(Error::invalid_request(None, "rate-limit rate beyond 2^53"));
        }
        let now = self.now();
        if rate > 0 {
            if let Some(until) = self
                .cache
                .as_ref()
                .and_then(|c| c.blocked_until(identifier, now.estimate()))
            {
                self.record(RateLimitOutcome::CacheBlocked);
                return Ok(Plan::Done(Decision {
                    success: false,
                    limit: self.algorithm.limit(),
                    remaining: 0,
                    reset: until,
                    reason: Reason::CacheBlock,
                }));
            }
        }
        let taken = match self
            .algorithm
            .answer_locally(identifier, now.estimate(), rate)
        {
            LocalAnswer::Decided(decision) => {
                self.record(if decision.success {
                    RateLimitOutcome::Allowed
                } else {
                    RateLimitOutcome::CacheBlocked
                });
                return Ok(Plan::Done(decision));
            }
            LocalAnswer::Ask { taken } => taken,
        };
        let units = i64::try_from(taken).unwrap_or(i64::MAX);
        Ok(Plan::Send(
            self.algorithm
                .call(&self.key(identifier), now, rate.saturating_add(units)),
            taken,
        ))
    }

    /// The decision from a script reply, and (cached window) the locally
    /// admitted units a denial left unrecorded, owed to Redis.
    pub(super) fn conclude(
        &self,
        identifier: &str,
        rate: i64,
        taken: u64,
        reply: Result<Vec<i64>>,
    ) -> Result<(Decision, u64)> {
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => {
                self.algorithm
                    .synced(identifier, None, taken, rate, self.clock.now_ms())?;
                return self.timed_out(e).map(|d| (d, 0));
            }
        };
        let (decision, blocked) = self.algorithm.decide(&reply, rate)?;
        let owed =
            self.algorithm
                .synced(identifier, Some(&reply), taken, rate, self.clock.now_ms())?;
        if let Some(cache) = &self.cache {
            match blocked {
                Some(until) => cache.block(identifier, until),
                None if rate < 0 => cache.unblock(identifier),
                None => {}
            }
        }
        self.record(if decision.success {
            RateLimitOutcome::Allowed
        } else {
            RateLimitOutcome::Denied
        });
        Ok((decision, owed))
    }

    /// The timeout policy's decision when `error` is a timeout; any other
    /// error is returned.
    fn timed_out(&self, error: Error) -> Result<Decision> {
        let Error::Transport {
            kind: TransportErrorKind::Timeout,
            ..
        } = error
        else {
            return Err(error);
        };
        self.record(RateLimitOutcome::Timeout);
        Ok(Decision {
            success: self.timeout == TimeoutPolicy::FailOpen,
            limit: self.algorithm.limit(),
            remaining: 0,
            reset: self.clock.now_ms(),
            reason: Reason::Timeout(self.timeout),
        })
    }

    /// Writes `owed` units admitted locally that a denied sync did not
    /// record (only the cached window ever owes any).
    pub(super) async fn record_owed(&self, identifier: &str, owed: u64) -> Result<()> {
        if owed == 0 {
            return Ok(());
        }
        let Some(call) = self
            .algorithm
            .owed_call(&self.key(identifier), self.now(), owed)
        else {
            return Ok(());
        };
        let reply = call
            .script
            .run::<Vec<i64>, _, _>(&self.client, &call.keys, &call.args)
            .await?;
        self.algorithm
            .owed_recorded(identifier, &reply, self.clock.now_ms())
    }
}
