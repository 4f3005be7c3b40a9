//! The primary Redis Sentinel names, followed across failovers without a
//! restart.
//!
//! Owns: asking the sentinels (redis-rs's `SentinelClient`, which checks
//! the named server really is a primary) for the current primary, keeping
//! one shared multiplexed connection to it, and forgetting it when a
//! request on it fails or meets `READONLY` (the old primary became a
//! replica), so the next request asks the sentinels again. Must not: retry
//! a request that may have run (a retried INCR applies twice; the failed
//! request answers 503 and the client decides), or log addresses with
//! credentials.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ::redis::aio::MultiplexedConnection;
use ::redis::sentinel::{SentinelClient, SentinelClientBuilder, SentinelServerType};
use ::redis::{AsyncConnectionConfig, Client, ConnectionAddr, ErrorKind, RedisResult, TlsCertificates};

use crate::redis_connect::{classify, ConnectError, Template, CONNECT_TIMEOUT, RESPONSE_TIMEOUT};

/// The connection to the primary in use, and which one it is.
#[derive(Clone)]
struct Current {
    generation: u64,
    client: Client,
    conn: MultiplexedConnection,
}

/// The sentinels and the primary they currently name.
pub struct SentinelLink {
    sentinel: tokio::sync::Mutex<SentinelClient>,
    current: Mutex<Option<Current>>,
    next_generation: AtomicU64,
}

impl std::fmt::Debug for SentinelLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SentinelLink")
    }
}

impl SentinelLink {
    /// Builds the sentinel client and connects to the primary it names,
    /// so a wrong address, name or password fails at start-up.
    pub(crate) async fn connect(
        sentinels: Vec<(String, u16)>,
        master_name: &str,
        template: Template,
        certs: Option<TlsCertificates>,
        sentinel_password: Option<&str>,
    ) -> Result<Self, ConnectError> {
        let addrs = sentinels
            .into_iter()
            .map(|(host, port)| ConnectionAddr::Tcp(host, port));
        let mut builder = SentinelClientBuilder::new(addrs, master_name, SentinelServerType::Master)
            .map_err(|e| classify(&e))?
            .set_client_to_redis_db(template.db);
        if let Some(password) = sentinel_password {
            builder = builder.set_client_to_sentinel_password(password);
        }
        if let Some(name) = &template.username {
            builder = builder.set_client_to_redis_username(name);
        }
        if let Some(password) = &template.password {
            builder = builder.set_client_to_redis_password(password);
        }
        if template.tls {
            builder = builder.set_client_to_redis_tls_mode(::redis::TlsMode::Secure);
        }
        if let Some(certs) = certs {
            builder = builder.set_client_to_redis_certificates(certs);
        }
        let client = builder.build().map_err(|e| classify(&e))?;
        let link = Self {
            sentinel: tokio::sync::Mutex::new(client),
            current: Mutex::new(None),
            next_generation: AtomicU64::new(1),
        };
        link.current().await.map_err(|e| match e.kind() {
            ErrorKind::MasterNameNotFoundBySentinel | ErrorKind::NoValidReplicasFoundBySentinel => {
                ConnectError::NoPrimary {
                    master_name: master_name.to_owned(),
                }
            }
            _ if e.is_io_error() && !e.to_string().to_ascii_lowercase().contains("certificate") => {
                ConnectError::SentinelUnreachable(Box::new(classify(&e)))
            }
            _ => classify(&e),
        })?;
        Ok(link)
    }

    /// The shared connection to the current primary and its generation
    /// (for [`SentinelLink::forget`]); asks the sentinels when there is
    /// none.
    pub async fn shared(&self) -> RedisResult<(u64, MultiplexedConnection)> {
        let c = self.current().await?;
        Ok((c.generation, c.conn))
    }

    /// A client for the current primary, for connections of their own
    /// (transactions).
    pub async fn client(&self) -> RedisResult<(u64, Client)> {
        let c = self.current().await?;
        Ok((c.generation, c.client))
    }

    /// Forgets the primary of `generation` (a request on it failed or met
    /// READONLY), so the next request asks the sentinels; a newer primary
    /// found meanwhile is kept.
    pub fn forget(&self, generation: u64) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_ref().is_some_and(|c| c.generation == generation) {
            tracing::warn!("sentinel: forgetting the primary; the next request asks the sentinels");
            *current = None;
        }
    }

    async fn current(&self) -> RedisResult<Current> {
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        // One lookup at a time; whoever waited finds the fresh result.
        let mut sentinel = self.sentinel.lock().await;
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let client = sentinel.async_get_client().await?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let conn = client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let c = Current {
            generation: self.next_generation.fetch_add(1, Ordering::Relaxed),
            client,
            conn,
        };
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
        tracing::info!(generation = c.generation, "sentinel: connected to the primary");
        Ok(c)
    }

    fn cached(&self) -> Option<Current> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
