//! The send loop: the one path every request of a client takes, alone or
//! batched, and the one place a failure is counted.
//!
//! Owns: the read-your-writes token on the way out and back, timing and
//! byte counts, the debug log line per request, and retries per the
//! [`RetryPolicy`]. Must not: know commands, namespaces or the platform
//! (the caller decodes; the transport moves bytes).

use crate::clock::Stopwatch;
use crate::config::RetryPolicy;
use crate::error::{Error, Result};
use crate::protocol::WireRequest;
use crate::transport::WireResponse;

use super::Client;

impl Client {
    /// Sends a request, retrying per the configured policy, and decodes
    /// the reply; see [`Client::send_with_policy`].
    pub(super) async fn send_with_retry<T>(
        &self,
        request: &WireRequest,
        label: &str,
        read_only: bool,
        decode: impl Fn(&WireResponse) -> Result<T>,
    ) -> Result<T> {
        let policy = self.inner.config.retry;
        self.send_with_policy(request, label, read_only, policy, decode)
            .await
    }

    /// Sends a request with an explicit retry policy and decodes the reply.
    ///
    /// A failure is retried when it is transient and either certainly did not
    /// reach the server, or every command only reads, or writes may be retried.
    ///
    /// Logs the label (command name, `PIPELINE` or `MULTI`), outcome and
    /// timing at debug level; never arguments, values or the token.
    pub(super) async fn send_with_policy<T>(
        &self,
        request: &WireRequest,
        label: &str,
        read_only: bool,
        policy: RetryPolicy,
        decode: impl Fn(&WireResponse) -> Result<T>,
    ) -> Result<T> {
        let inner = &self.inner;
        let mut attempt = 1;
        loop {
            let token = inner.sync.get();
            let watch = Stopwatch::start();
            let outcome = match inner.transport.send(request, token.as_deref()).await {
                Ok(resp) => {
                    inner.sync.observe(resp.sync_token.as_deref());
                    let decoded = decode(&resp);
                    let micros = watch.elapsed_us();
                    inner.metrics.record_request(
                        micros,
                        request.body.len() + request.path.len(),
                        resp.body.len(),
                    );
                    tracing::debug!(
                        command = label,
                        status = resp.status,
                        micros,
                        ok = decoded.is_ok(),
                        "edgestash request"
                    );
                    decoded
                }
                Err(e) => Err(e),
            };
            match outcome {
                Err(e) if policy.allows_retry(&e, attempt, read_only) => {
                    tracing::debug!(
                        command = label,
                        attempt,
                        error = e.kind_label(),
                        "edgestash retry"
                    );
                    inner.metrics.record_retry();
                    inner.transport.sleep(policy.delay(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// The epilogue of every failed call: counts the error by kind and
    /// names the command (or `PIPELINE`/`MULTI`) it belongs to.
    pub(super) fn failed(&self, label: &str, error: Error) -> Error {
        self.inner.metrics.record_error(error.kind_label());
        error.with_command(label)
    }
}
