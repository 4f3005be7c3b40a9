//! `edgestash-server check`: the pre-flight a deploy script or systemd's
//! `ExecStartPre=` runs before serving.
//!
//! Owns: validating the configuration exactly as serving would and asking the
//! backend whether it answers (Redis: `PING` must answer `PONG`, which also
//! proves the URL's password and database are accepted). Must not: bind the
//! listen address (the previous instance may still hold it during a restart),
//! write anything to Redis, or put the URL, the password or a token in its
//! texts.

use std::time::Duration;

use ::redis::{AsyncConnectionConfig, Client, RedisError, Value as RValue};

use crate::config::{Backend, ServerConfig};
use crate::error::ServerError;

/// How long the whole check may take before it fails: long enough for a
/// loaded Redis, short enough that a deploy does not hang.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Validates `config` and checks its backend answers; on success returns the
/// one line to print.
pub async fn check(config: &ServerConfig) -> Result<String, ServerError> {
    config.validate()?;
    match &config.backend {
        Backend::Redis(url) => {
            let pong = tokio::time::timeout(CHECK_TIMEOUT, ping(url))
                .await
                .map_err(|_| ServerError::Backend("timed out waiting for PONG".to_owned()))??;
            Ok(format!(
                "edgestash-server check: OK (redis answered {pong}; listen {})",
                config.listen
            ))
        }
        Backend::Memory => Ok(format!(
            "edgestash-server check: OK (memory backend, nothing external to reach; listen {})",
            config.listen
        )),
        #[allow(unreachable_patterns)]
        _ => Err(ServerError::Config("unknown backend".to_owned())),
    }
}

/// Connects (with the URL's password and database) and sends `PING`.
async fn ping(url: &str) -> Result<&'static str, ServerError> {
    let client = Client::open(url)
        .map_err(|_| ServerError::Config("the Redis URL is not valid".to_owned()))?;
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(CHECK_TIMEOUT));
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|e| ServerError::Backend(reason(&e).to_owned()))?;
    let reply: RValue = ::redis::cmd("PING")
        .query_async(&mut conn)
        .await
        .map_err(|e| ServerError::Backend(reason(&e).to_owned()))?;
    match reply {
        RValue::SimpleString(s) if s == "PONG" => Ok("PONG"),
        _ => Err(ServerError::Backend(
            "PING did not answer PONG (is this a Redis server?)".to_owned(),
        )),
    }
}

/// A short reason without addresses or credentials, with a hint for the
/// usual fixes.
fn reason(e: &RedisError) -> &'static str {
    if e.is_connection_refusal() {
        "connection refused (is redis-server running and listening on the URL's host and port?)"
    } else if e.is_timeout() {
        "timed out (is the host reachable?)"
    } else if e.is_connection_dropped() {
        "connection dropped (is it a Redis server, and does it expect TLS?)"
    } else if e.is_io_error() {
        "I/O error (unknown host or unreachable network?)"
    } else if matches!(e.kind(), ::redis::ErrorKind::AuthenticationFailed)
        || e.code()
            .is_some_and(|c| matches!(c, "NOAUTH" | "WRONGPASS" | "NOPERM"))
    {
        "authentication failed (check the password in the Redis URL)"
    } else {
        "Redis refused the connection (check the URL's password and database number)"
    }
}
