//! The primary Redis Sentinel names, followed across failovers without a
//! restart.
//!
//! Owns: asking the sentinels (redis-rs's `SentinelClient`, which checks
//! the named server really is a primary) for the current primary, keeping
//! one shared multiplexed connection to it, and forgetting it, so the next
//! request asks the sentinels again, when:
//! - the sentinels name another primary (a watcher task asks them every
//!   [`WATCH_PERIOD`]): after `SENTINEL FAILOVER` the old primary keeps
//!   accepting writes for seconds until Sentinel demotes it, and writes it
//!   takes then are lost when it resyncs from the new one, so waiting for
//!   it to drop the connection is not enough;
//! - a request on it fails, or meets `READONLY` (it was demoted).
//!
//! Must not: retry a request that may have run (a retried INCR applies
//! twice; the failed request answers 503 and the client decides), or log
//! addresses with credentials.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use ::redis::aio::MultiplexedConnection;
use ::redis::sentinel::{SentinelClient, SentinelClientBuilder, SentinelServerType};
use ::redis::{
    AsyncConnectionConfig, Client, ConnectionAddr, ErrorKind, IntoConnectionInfo,
    RedisConnectionInfo, RedisResult, TlsCertificates,
};

use super::connect::{classify, ConnectError, Template, CONNECT_TIMEOUT, RESPONSE_TIMEOUT};

/// How often the watcher asks the sentinels which server is the primary.
pub const WATCH_PERIOD: Duration = Duration::from_millis(500);
/// How long one question to one sentinel may take.
const SENTINEL_TIMEOUT: Duration = Duration::from_secs(1);

/// The connection to the primary in use, and which one it is.
#[derive(Clone)]
struct Current {
    generation: u64,
    client: Client,
    conn: MultiplexedConnection,
    /// Host and port, as the sentinels name it.
    addr: (String, u16),
}

/// The sentinels and the primary they currently name.
pub struct SentinelLink {
    sentinel: tokio::sync::Mutex<SentinelClient>,
    current: Mutex<Option<Current>>,
    next_generation: AtomicU64,
    master_name: String,
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
    ) -> Result<Arc<Self>, ConnectError> {
        let watch_clients = sentinels
            .iter()
            .map(|(host, port)| {
                let info = ConnectionAddr::Tcp(host.clone(), *port).into_connection_info()?;
                let mut settings = RedisConnectionInfo::default();
                if let Some(password) = sentinel_password {
                    settings = settings.set_password(password);
                }
                Client::open(info.set_redis_settings(settings))
            })
            .collect::<RedisResult<Vec<_>>>()
            .map_err(|e| classify(&e))?;
        let addrs = sentinels
            .into_iter()
            .map(|(host, port)| ConnectionAddr::Tcp(host, port));
        let mut builder =
            SentinelClientBuilder::new(addrs, master_name, SentinelServerType::Master)
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
            master_name: master_name.to_owned(),
        };
        link.current().await.map_err(|e| match e.kind() {
            ErrorKind::MasterNameNotFoundBySentinel | ErrorKind::NoValidReplicasFoundBySentinel => {
                ConnectError::NoPrimary {
                    master_name: master_name.to_owned(),
                }
            }
            _ => match classify(&e) {
                ConnectError::Auth => ConnectError::SentinelAuth,
                // The sentinels' or the named primary's: redis-rs returns
                // the last failure without saying whose it was.
                why @ (ConnectError::Refused
                | ConnectError::TimedOut
                | ConnectError::Dropped
                | ConnectError::Io) => ConnectError::SentinelUnreachable(Box::new(why)),
                other => other,
            },
        })?;
        let link = Arc::new(link);
        tokio::spawn(watch(Arc::downgrade(&link), watch_clients));
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
        let addr = match client.get_connection_info().addr() {
            ConnectionAddr::Tcp(host, port) | ConnectionAddr::TcpTls { host, port, .. } => {
                (host.clone(), *port)
            }
            _ => (String::new(), 0),
        };
        let c = Current {
            generation: self.next_generation.fetch_add(1, Ordering::Relaxed),
            client,
            conn,
            addr,
        };
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
        tracing::info!(
            generation = c.generation,
            "sentinel: connected to the primary"
        );
        Ok(c)
    }

    fn cached(&self) -> Option<Current> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Every [`WATCH_PERIOD`], asks the sentinels which server is the primary
/// and forgets the current one when they name another. Ends when the link
/// is dropped.
async fn watch(link: Weak<SentinelLink>, sentinels: Vec<Client>) {
    let mut conns: Vec<Option<MultiplexedConnection>> = vec![None; sentinels.len()];
    loop {
        tokio::time::sleep(WATCH_PERIOD).await;
        let Some(link) = link.upgrade() else {
            return;
        };
        let Some(current) = link.cached() else {
            continue;
        };
        if let Some(named) = ask(&sentinels, &mut conns, &link.master_name).await {
            if named != current.addr {
                tracing::warn!(
                    port = named.1,
                    "sentinel: the sentinels name another primary (failover)"
                );
                link.forget(current.generation);
            }
        }
    }
}

/// `SENTINEL GET-MASTER-ADDR-BY-NAME` of the first sentinel that answers,
/// reusing (and on failure dropping) a connection per sentinel.
async fn ask(
    sentinels: &[Client],
    conns: &mut [Option<MultiplexedConnection>],
    master_name: &str,
) -> Option<(String, u16)> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(SENTINEL_TIMEOUT))
        .set_response_timeout(Some(SENTINEL_TIMEOUT));
    for (client, slot) in sentinels.iter().zip(conns.iter_mut()) {
        if slot.is_none() {
            *slot = client
                .get_multiplexed_async_connection_with_config(&config)
                .await
                .ok();
        }
        let Some(conn) = slot.as_mut() else {
            continue;
        };
        let reply: RedisResult<Option<(String, u16)>> = ::redis::cmd("SENTINEL")
            .arg("GET-MASTER-ADDR-BY-NAME")
            .arg(master_name)
            .query_async(conn)
            .await;
        match reply {
            Ok(Some(addr)) => return Some(addr),
            Ok(None) => {}
            Err(_) => *slot = None,
        }
    }
    None
}
