//! `edgestash-server check`: the pre-flight a deploy script or systemd's
//! `ExecStartPre=` runs before serving.
//!
//! Owns: validating the configuration exactly as serving would and asking the
//! backend whether it answers (Redis: `PING` must answer `PONG`, which also
//! proves the URL's password and database, the TLS files, the Sentinel
//! lookup or the Cluster's slot map are accepted). Must not: bind the
//! listen address (the previous instance may still hold it during a restart),
//! write anything to Redis, or put the URL, the password or a token in its
//! texts.

use std::time::Duration;

use crate::backend::RedisStore;
use crate::config::{Backend, ServerConfig};
use crate::error::ServerError;

/// How long the whole check may take before it fails: long enough for a
/// loaded Redis (or a Sentinel lookup), short enough that a deploy does not
/// hang.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Validates `config` and checks its backend answers; on success returns the
/// one line to print.
pub async fn check(config: &ServerConfig) -> Result<String, ServerError> {
    config.validate()?;
    let what = match &config.backend {
        Backend::Memory => {
            return Ok(format!(
                "edgestash-server check: OK (memory backend, nothing external to reach; listen {})",
                config.listen
            ))
        }
        Backend::Redis(_) => "redis",
        Backend::Sentinel(_) => "the primary named by the sentinels",
        Backend::Cluster(_) => "every cluster primary",
        #[allow(unreachable_patterns)]
        _ => "redis",
    };
    tokio::time::timeout(CHECK_TIMEOUT, ping(config))
        .await
        .map_err(|_| ServerError::Backend("timed out waiting for PONG".to_owned()))??;
    Ok(format!(
        "edgestash-server check: OK ({what} answered PONG; listen {})",
        config.listen
    ))
}

/// Connects exactly as serving does (URL, TLS files, Sentinel lookup or
/// Cluster slot map; typed errors from [`crate::backend::redis::connect`]) and sends
/// `PING`.
async fn ping(config: &ServerConfig) -> Result<(), ServerError> {
    let store = RedisStore::connect(&config.backend, &config.redis_tls).await?;
    store.ping().await.map_err(|why| {
        ServerError::Backend(match why {
            "auth" => "authentication failed (check the user name and password in the Redis URL)"
                .to_owned(),
            "error reply" => "PING did not answer PONG (is this a Redis server?)".to_owned(),
            other => other.to_owned(),
        })
    })
}
