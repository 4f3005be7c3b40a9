//! A Redis Cluster of three primaries on loopback (no replicas), for
//! slot-routing tests.
//!
//! Owns: starting three `cluster-enabled` redis-servers (each on a port
//! whose bus port, +10000, is free too; node config files in a temporary
//! directory removed on drop), joining them with `redis-cli --cluster
//! create`, and waiting for `cluster_state:ok` on every node. Every process
//! is killed on drop. Must not: sleep for fixed times.

use std::io;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::redis_server::{free_cluster_port, wait_until};
use crate::tls::TestPki;
use crate::RedisServer;

/// How long the cluster may take to agree (generous, for a loaded machine).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Three primaries sharing the 16384 slots; stopped on drop.
#[derive(Debug)]
pub struct RedisCluster {
    /// The nodes, in the order they were given to `--cluster create`.
    pub nodes: Vec<RedisServer>,
    /// CA, client certificate and key, for a TLS cluster.
    tls: Option<[PathBuf; 3]>,
    dir: PathBuf,
}

impl RedisCluster {
    /// Starts the nodes, creates the cluster and waits until it is ok.
    pub fn start() -> io::Result<Self> {
        Self::start_with(None)
    }

    /// A cluster speaking only TLS (`--tls-cluster yes`: clients and the
    /// cluster bus) with `pki`'s certificates; client certificates optional.
    pub fn start_tls(pki: &TestPki) -> io::Result<Self> {
        Self::start_with(Some(pki))
    }

    fn start_with(pki: Option<&TestPki>) -> io::Result<Self> {
        let dir = crate::tls::unique_temp_dir("edgestash-cluster")?;
        let mut cluster = Self {
            nodes: Vec::new(),
            tls: pki.map(|p| [p.ca_file(), p.client_cert_file(), p.client_key_file()]),
            dir,
        };
        for _ in 0..3 {
            let port = free_cluster_port()?;
            let dir = cluster.dir.to_string_lossy().into_owned();
            let mut args: Vec<String> = [
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                &format!("nodes-{port}.conf"),
                "--cluster-node-timeout",
                "5000",
                "--dir",
                &dir,
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
            cluster.nodes.push(match pki {
                None => RedisServer::start_with(port, args)?,
                Some(pki) => {
                    args.extend(pki.server_args(false));
                    args.extend(["--tls-cluster".to_owned(), "yes".to_owned()]);
                    RedisServer::start_tls(port, args)?
                }
            });
        }
        let mut cli = Command::new("redis-cli");
        if let Some([ca, cert, key]) = &cluster.tls {
            cli.arg("--tls")
                .arg("--cacert")
                .arg(ca)
                .arg("--cert")
                .arg(cert)
                .arg("--key")
                .arg(key);
        }
        let status = cli
            .arg("--cluster")
            .arg("create")
            .args(cluster.addrs())
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .status()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot run redis-cli ({e})")))?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "redis-cli --cluster create failed: {status}"
            )));
        }
        for node in &cluster.nodes {
            wait_until(SETTLE_TIMEOUT, "cluster_state:ok on every node", || {
                let mut c = cluster.connection(node).ok()?;
                let info: String = redis::cmd("CLUSTER").arg("INFO").query(&mut c).ok()?;
                let slots_ok = info.contains("cluster_slots_ok:16384");
                (info.contains("cluster_state:ok")
                    && slots_ok
                    && info.contains("cluster_known_nodes:3"))
                .then_some(())
            })?;
        }
        Ok(cluster)
    }

    /// A synchronous connection to one node (over TLS for a TLS cluster).
    pub fn connection(&self, node: &RedisServer) -> redis::RedisResult<redis::Connection> {
        match &self.tls {
            None => node.connection(),
            Some([ca, cert, key]) => {
                let certs = redis::TlsCertificates {
                    client_tls: Some(redis::ClientTlsConfig {
                        client_cert: std::fs::read(cert)?,
                        client_key: std::fs::read(key)?,
                    }),
                    root_cert: Some(std::fs::read(ca)?),
                };
                redis::Client::build_with_tls(node.url(), certs)?.get_connection()
            }
        }
    }

    /// `127.0.0.1:<port>` of every node, for `--cluster`.
    pub fn addrs(&self) -> Vec<String> {
        self.nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port()))
            .collect()
    }

    /// The node serving `key`'s slot (asks `CLUSTER KEYSLOT` and `CLUSTER
    /// SLOTS`), for checking where data landed.
    pub fn node_for(&self, key: &str) -> io::Result<&RedisServer> {
        let mut c = self
            .connection(&self.nodes[0])
            .map_err(|e| io::Error::other(format!("cluster node connection: {e}")))?;
        let slot: i64 = redis::cmd("CLUSTER")
            .arg("KEYSLOT")
            .arg(key)
            .query(&mut c)
            .map_err(|e| io::Error::other(format!("CLUSTER KEYSLOT: {e}")))?;
        // Each range: [first, last, [host, port, id, ...], replicas...].
        let ranges: Vec<Vec<redis::Value>> = redis::cmd("CLUSTER")
            .arg("SLOTS")
            .query(&mut c)
            .map_err(|e| io::Error::other(format!("CLUSTER SLOTS: {e}")))?;
        let port = ranges
            .iter()
            .find_map(|range| match range.as_slice() {
                [redis::Value::Int(lo), redis::Value::Int(hi), redis::Value::Array(primary), ..]
                    if (*lo..=*hi).contains(&slot) =>
                {
                    match primary.get(1) {
                        Some(redis::Value::Int(port)) => u16::try_from(*port).ok(),
                        _ => None,
                    }
                }
                _ => None,
            })
            .ok_or_else(|| io::Error::other("no node serves the slot"))?;
        self.nodes
            .iter()
            .find(|n| n.port() == port)
            .ok_or_else(|| io::Error::other("CLUSTER SLOTS names an unknown node"))
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        self.nodes.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
