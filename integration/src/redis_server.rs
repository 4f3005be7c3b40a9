//! A real `redis-server` on a free loopback port, for the length of a test.
//!
//! Owns: starting one redis-server process (plain, or with extra arguments
//! for TLS, replication, cluster or sentinel mode), waiting until it
//! listens, and killing it on drop. Topologies built from several servers
//! live in [`crate::sentinel`] and [`crate::cluster`]; certificates in
//! [`crate::tls`].

use std::io;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a freshly started redis-server may take to listen (generous:
/// a loaded 2-core machine building in parallel can be slow).
const LISTEN_TIMEOUT: Duration = Duration::from_secs(20);

/// A running redis-server child process; killed and reaped on drop.
///
/// Started with no persistence (`--save ""`, `--appendonly no`) so tests
/// leave nothing on disk, bound to 127.0.0.1 only.
#[derive(Debug)]
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    /// The full command line, kept so [`RedisServer::restart`] starts the
    /// same server again.
    args: Vec<String>,
    /// Whether `port` is the plain TCP port (else it is the TLS port and
    /// `url()` is `rediss://`).
    tls: bool,
}

impl RedisServer {
    /// Starts redis-server on a free port and waits until it accepts connections.
    ///
    /// Fails with a clear message when `redis-server` is not installed (the
    /// README's test command installs it).
    pub fn start() -> io::Result<Self> {
        // A free port can be taken by a parallel test's server between
        // `free_port` and the bind: then ours exits and another answers on
        // the port (`spawn` notices by process id), so try another port.
        let mut last = None;
        for _ in 0..5 {
            match Self::start_with(free_port()?, Vec::new()) {
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free port for redis-server")))
    }

    /// Starts redis-server on `port` with `extra` arguments after the
    /// defaults (`--port`, `--bind 127.0.0.1`, no persistence); later
    /// arguments win, so `extra` may override a default.
    pub fn start_with(port: u16, extra: Vec<String>) -> io::Result<Self> {
        let mut server = Self {
            child: None,
            port,
            args: default_args(port, extra),
            tls: false,
        };
        server.spawn()?;
        Ok(server)
    }

    /// Starts redis-server serving TLS only on `tls_port` (`--port 0`), with
    /// `extra` arguments carrying the certificate options (see
    /// [`crate::tls::TestPki::server_args`]).
    pub fn start_tls(tls_port: u16, mut extra: Vec<String>) -> io::Result<Self> {
        let mut args = vec![
            "--port".to_owned(),
            "0".to_owned(),
            "--tls-port".to_owned(),
            tls_port.to_string(),
        ];
        args.append(&mut extra);
        let mut server = Self {
            child: None,
            port: tls_port,
            args: default_args(tls_port, args),
            tls: true,
        };
        server.spawn()?;
        Ok(server)
    }

    /// Starts redis-server as a Sentinel on `port` from the config file
    /// `conf` (which must set that port and be writable: Sentinel rewrites
    /// it).
    pub fn start_sentinel(port: u16, conf: String) -> io::Result<Self> {
        let mut server = Self {
            child: None,
            port,
            args: vec![
                conf,
                "--sentinel".to_owned(),
                "--loglevel".to_owned(),
                "warning".to_owned(),
            ],
            tls: false,
        };
        server.spawn()?;
        Ok(server)
    }

    fn spawn(&mut self) -> io::Result<()> {
        let child = Command::new("redis-server")
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot start redis-server ({e}); install it: apt-get install -y redis-server"),
                )
            })?;
        let pid = child.id();
        self.child = Some(child);
        wait_for_port(self.port, LISTEN_TIMEOUT)?;
        let exited = self
            .child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))));
        let other = !self.tls && self.listening_pid().is_some_and(|p| p != pid);
        if exited || other {
            // Another server holds the port: ours failed to bind (or is
            // about to); a caller picking ports may retry. (A server that
            // cannot be asked, e.g. with a password, is taken at its word.)
            self.stop();
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("port {} is taken by another redis-server", self.port),
            ));
        }
        Ok(())
    }

    /// The process id of the redis-server answering on the port (`INFO
    /// server`), if it answers (TLS servers are not asked).
    fn listening_pid(&self) -> Option<u32> {
        let client = redis::Client::open(self.url()).ok()?;
        let mut conn = client.get_connection().ok()?;
        let info: String = redis::cmd("INFO").arg("server").query(&mut conn).ok()?;
        info.lines()
            .find_map(|l| l.strip_prefix("process_id:"))
            .and_then(|pid| pid.trim().parse().ok())
    }

    /// The TCP port it listens on (the TLS port for [`RedisServer::start_tls`]).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:<port>`, or `rediss://` for a TLS server.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Kills the server (to test outages). [`RedisServer::restart`] brings it back on the same port.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port after [`RedisServer::stop`].
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.spawn()
    }

    /// A synchronous connection for test setup and inspection (plain
    /// servers only).
    pub fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The defaults (port, loopback, no persistence, quiet) then `extra`.
fn default_args(port: u16, extra: Vec<String>) -> Vec<String> {
    let mut args: Vec<String> = [
        "--port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(extra);
    args
}

/// `ACL SETUSER user on >password <keys> +@all` on `conn`: a user that may
/// run every command on keys matching `keys` (`~*`, `~app:*`).
pub fn create_acl_user(
    conn: &mut redis::Connection,
    user: &str,
    password: &str,
    keys: &str,
) -> redis::RedisResult<()> {
    redis::cmd("ACL")
        .arg("SETUSER")
        .arg(user)
        .arg("on")
        .arg(format!(">{password}"))
        .arg(keys)
        .arg("+@all")
        .query(conn)
}

/// A port that was free a moment ago (bind to port 0, read it, release it).
pub fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A free port `p` whose cluster bus port `p + 10000` is free too (Redis
/// Cluster listens on both).
pub fn free_cluster_port() -> io::Result<u16> {
    for _ in 0..200 {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let Some(bus) = port.checked_add(10000) else {
            continue;
        };
        if TcpListener::bind(("127.0.0.1", bus)).is_ok() {
            return Ok(port);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        "no free port pair (port, port + 10000) for a cluster node",
    ))
}

/// Waits until something accepts TCP connections on loopback `port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> io::Result<()> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        format!("redis-server did not listen on port {port} within {timeout:?}"),
    ))
}

/// Polls `check` until it returns `Some`, or fails after `timeout` with
/// `what` in the message: the harness's deadline loop (no fixed sleeps).
pub fn wait_until<T>(
    timeout: Duration,
    what: &str,
    mut check: impl FnMut() -> Option<T>,
) -> io::Result<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return Ok(v);
        }
        if start.elapsed() > timeout {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("timed out after {timeout:?} waiting for {what}"),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
