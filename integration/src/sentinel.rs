//! A Sentinel topology on loopback: a primary, a replica and three
//! sentinels watching them as `mymaster`, for failover tests.
//!
//! Owns: starting the five processes (redis-server runs as a sentinel with
//! `--sentinel` on a generated config file, which Sentinel must be able to
//! rewrite, so it lives in a temporary directory removed on drop), waiting
//! until the sentinels agree on the topology, and triggering and awaiting a
//! failover. Every process is killed on drop. Must not: sleep for fixed
//! times; every wait is a deadline loop.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use crate::redis_server::{free_port, wait_until};
use crate::RedisServer;

/// The name the sentinels monitor the primary under.
pub const MASTER_NAME: &str = "mymaster";

/// How long the topology may take to settle or fail over (generous, for a
/// loaded 2-core machine).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A primary, a replica and three sentinels; all stopped on drop.
#[derive(Debug)]
pub struct SentinelTopology {
    /// The data servers; index 0 starts as the primary, 1 as its replica.
    pub servers: Vec<RedisServer>,
    sentinels: Vec<RedisServer>,
    /// The sentinels' own password (`requirepass` in their config), if any.
    sentinel_password: Option<String>,
    dir: PathBuf,
}

impl SentinelTopology {
    /// Starts the topology and waits until the replica is in sync and every
    /// sentinel knows the replica and the two other sentinels.
    pub fn start() -> io::Result<Self> {
        Self::start_with(None)
    }

    /// Like [`SentinelTopology::start`], with the sentinels requiring
    /// `password` from their clients (`requirepass`) and from each other
    /// (`sentinel sentinel-pass`).
    pub fn start_with(sentinel_password: Option<&str>) -> io::Result<Self> {
        // Replication writes RDB files (a replica's full sync, the old
        // primary's resync after the failover): into the temporary
        // directory, not the test's working directory.
        let dir = crate::tls::unique_temp_dir("edgestash-sentinel")?;
        let data_dir = dir.to_string_lossy().into_owned();
        let in_dir = |mut args: Vec<String>| {
            args.extend(["--dir".to_owned(), data_dir.clone()]);
            args
        };
        let primary = RedisServer::start_with(free_port()?, in_dir(Vec::new()))?;
        let replica = RedisServer::start_with(
            free_port()?,
            in_dir(vec![
                "--replicaof".to_owned(),
                "127.0.0.1".to_owned(),
                primary.port().to_string(),
            ]),
        )?;
        let mut topology = Self {
            servers: vec![primary, replica],
            sentinels: Vec::new(),
            sentinel_password: sentinel_password.map(str::to_owned),
            dir,
        };
        let auth = match sentinel_password {
            Some(p) => format!("requirepass {p}\nsentinel sentinel-pass {p}\n"),
            None => String::new(),
        };
        for i in 0..3 {
            let port = free_port()?;
            let conf = topology.dir.join(format!("sentinel-{i}.conf"));
            std::fs::write(
                &conf,
                format!(
                    "port {port}\nbind 127.0.0.1\nprotected-mode no\nsentinel resolve-hostnames no\n\
                     sentinel monitor {MASTER_NAME} 127.0.0.1 {} 2\n\
                     sentinel down-after-milliseconds {MASTER_NAME} 2000\n\
                     sentinel failover-timeout {MASTER_NAME} 20000\n\
                     sentinel parallel-syncs {MASTER_NAME} 1\n{auth}",
                    topology.servers[0].port()
                ),
            )?;
            topology.sentinels.push(RedisServer::start_sentinel(
                port,
                conf.to_string_lossy().into_owned(),
            )?);
        }
        topology.wait_settled()?;
        Ok(topology)
    }

    /// The sentinels' password, if they have one.
    pub fn sentinel_password(&self) -> Option<&str> {
        self.sentinel_password.as_deref()
    }

    /// `host:port` of every sentinel, for `--sentinel`.
    pub fn sentinel_addrs(&self) -> Vec<String> {
        self.sentinels
            .iter()
            .map(|s| format!("127.0.0.1:{}", s.port()))
            .collect()
    }

    /// A connection to sentinel `i` (authenticated when they have a
    /// password).
    pub fn sentinel_connection(&self, i: usize) -> io::Result<redis::Connection> {
        let port = self.sentinels[i].port();
        let url = match &self.sentinel_password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{port}"),
            None => format!("redis://127.0.0.1:{port}"),
        };
        redis::Client::open(url)
            .and_then(|c| c.get_connection())
            .map_err(|e| io::Error::other(format!("sentinel connection: {e}")))
    }

    /// The port of the server the sentinels currently name as primary.
    pub fn primary_port(&self) -> io::Result<u16> {
        let mut conn = self.sentinel_connection(0)?;
        let (_, port): (String, u16) = redis::cmd("SENTINEL")
            .arg("GET-MASTER-ADDR-BY-NAME")
            .arg(MASTER_NAME)
            .query(&mut conn)
            .map_err(|e| io::Error::other(format!("SENTINEL GET-MASTER-ADDR-BY-NAME: {e}")))?;
        Ok(port)
    }

    /// The data server currently named primary.
    pub fn primary(&self) -> io::Result<&RedisServer> {
        let port = self.primary_port()?;
        self.servers
            .iter()
            .find(|s| s.port() == port)
            .ok_or_else(|| io::Error::other("the sentinels name an unknown primary"))
    }

    /// Runs `SENTINEL FAILOVER mymaster` and waits until the sentinels name
    /// the other server as primary and it answers `ROLE` as master. Returns
    /// the new primary's port.
    pub fn failover(&self) -> io::Result<u16> {
        let old = self.primary_port()?;
        let mut conn = self.sentinel_connection(0)?;
        // A sentinel may refuse while it is still settling (INPROG, or
        // NOGOODSLAVE until it has seen the replica's INFO): retry until the
        // deadline.
        wait_until(SETTLE_TIMEOUT, "SENTINEL FAILOVER to be accepted", || {
            redis::cmd("SENTINEL")
                .arg("FAILOVER")
                .arg(MASTER_NAME)
                .query::<()>(&mut conn)
                .ok()
        })?;
        wait_until(SETTLE_TIMEOUT, "the replica to become primary", || {
            let port = self.primary_port().ok().filter(|p| *p != old)?;
            let server = self.servers.iter().find(|s| s.port() == port)?;
            let mut c = server.connection().ok()?;
            let role: Vec<redis::Value> = redis::cmd("ROLE").query(&mut c).ok()?;
            matches!(role.first(), Some(redis::Value::BulkString(r)) if r == b"master")
                .then_some(port)
        })
    }

    fn wait_settled(&self) -> io::Result<()> {
        wait_until(SETTLE_TIMEOUT, "the replica to sync", || {
            let mut c = self.servers[1].connection().ok()?;
            let info: String = redis::cmd("INFO").arg("replication").query(&mut c).ok()?;
            info.contains("master_link_status:up").then_some(())
        })?;
        for i in 0..self.sentinels.len() {
            wait_until(
                SETTLE_TIMEOUT,
                "the sentinels to discover each other",
                || {
                    let mut c = self.sentinel_connection(i).ok()?;
                    let master: std::collections::HashMap<String, String> = redis::cmd("SENTINEL")
                        .arg("MASTER")
                        .arg(MASTER_NAME)
                        .query(&mut c)
                        .ok()?;
                    let ok = master.get("num-slaves").map(String::as_str) == Some("1")
                        && master.get("num-other-sentinels").map(String::as_str) == Some("2")
                        && master.get("flags").map(String::as_str) == Some("master");
                    ok.then_some(())
                },
            )?;
        }
        Ok(())
    }
}

impl Drop for SentinelTopology {
    fn drop(&mut self) {
        // Sentinels first, so none of them reacts to the data servers going.
        self.sentinels.clear();
        self.servers.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
