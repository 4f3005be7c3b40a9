//! `edgestash-server` in this process, on a free loopback port, for the
//! length of a test.
//!
//! The server runs in a tokio runtime of its own on a background thread, so
//! synchronous tests and `#[tokio::test]`s (whatever their runtime flavour)
//! can both use it without one runtime blocking inside another. Dropping
//! the handle shuts the server down gracefully and joins the thread.

use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use edgestash_server::{Backend, ServerConfig};
use tokio::sync::oneshot;

use crate::RedisServer;

/// How long in-flight requests get to finish when the handle is dropped.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// A running edgestash-server; stopped on drop.
#[derive(Debug)]
pub struct EdgeServer {
    addr: SocketAddr,
    token: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EdgeServer {
    /// Serves from `redis` with `token`.
    pub fn start_redis(redis: &RedisServer, token: &str) -> io::Result<Self> {
        let mut config = ServerConfig::new(token);
        config.backend = Backend::Redis(redis.url());
        Self::start(config)
    }

    /// Serves from the embedded engine with `token`.
    pub fn start_memory(token: &str) -> io::Result<Self> {
        Self::start(ServerConfig::new(token))
    }

    /// Starts with any configuration (read-only token, size limit...);
    /// `listen` should keep port 0 so parallel tests do not collide.
    pub fn start(config: ServerConfig) -> io::Result<Self> {
        let token = config.token.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<SocketAddr>>();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("edgestash-server".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let server = match edgestash_server::start(config).await {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = ready_tx.send(Err(io::Error::other(e.to_string())));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(server.local_addr()));
                    let _ = stop_rx.await;
                    // Bounded, so a client holding a connection open cannot
                    // hang the test that drops this handle.
                    let _ = tokio::time::timeout(SHUTDOWN_GRACE, server.shutdown()).await;
                });
            })?;
        let addr = ready_rx
            .recv()
            .map_err(|_| io::Error::other("the server thread ended before it started"))??;
        Ok(Self {
            addr,
            token,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`: the REST URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full-access token it was started with.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Drop for EdgeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
