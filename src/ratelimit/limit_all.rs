//! [`Ratelimit::limit_all`]: several limits decided in one round trip.
//!
//! Owns: planning every request, sending the calls that need Redis in one
//! pipeline through the client's script path ([`Script::run_all`]:
//! EVALSHA, then EVAL for any NOSCRIPT), and concluding each with its own
//! limiter. Must not: re-implement the script fallback.

use super::flow::Plan;
use super::{Decision, Ratelimit};
use crate::commands::Script;
use crate::error::{Error, Result};

impl Ratelimit {
    /// Decides several limits in ONE round trip (one pipeline of EVALSHA;
    /// the very first time a server lacks a script, a second pipeline
    /// re-sends just those with EVAL). Cache-blocked requests are answered
    /// locally. All limiters must use the same Redis; the first one's client
    /// sends. Each request has weight 1.
    pub async fn limit_all(requests: &[(&Ratelimit, &str)]) -> Result<Vec<Decision>> {
        let Some((first, _)) = requests.first() else {
            return Ok(Vec::new());
        };
        let mut plans = Vec::with_capacity(requests.len());
        for (limiter, id) in requests {
            plans.push(limiter.plan(id, 1)?);
        }
        let calls: Vec<_> = plans
            .iter()
            .filter_map(|plan| match plan {
                Plan::Send(call, _) => Some((call.script, &call.keys[..], &call.args[..])),
                Plan::Done(_) => None,
            })
            .collect();
        let mut replies = Script::run_all::<Vec<i64>>(&first.client, &calls)
            .await
            .into_iter();
        let mut decisions = Vec::with_capacity(plans.len());
        for (plan, (limiter, id)) in plans.into_iter().zip(requests) {
            decisions.push(match plan {
                Plan::Done(d) => d,
                Plan::Send(_, taken) => {
                    let reply = replies.next().unwrap_or_else(|| {
                        Err(Error::UnexpectedReply {
                            command: Some("PIPELINE".to_owned()),
                            expected: "a reply per command",
                            got: "fewer replies",
                        })
                    });
                    let (d, owed) = limiter.conclude(id, 1, taken, reply)?;
                    // Rare (a denial carrying locally admitted units).
                    limiter.record_owed(id, owed).await?;
                    d
                }
            });
        }
        Ok(decisions)
    }
}
