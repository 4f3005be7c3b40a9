//! edgestash-server: the Upstash REST protocol over redis-server or the embedded engine.
//!
//! Thin: parse the command line, set up logging, start the server from the
//! library, stop gracefully on SIGINT or SIGTERM; or, with `check`, run the
//! pre-flight check and exit.

use clap::Parser;
use edgestash_server::config::cli::{Cli, Mode};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edgestash-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), edgestash_server::ServerError> {
    let cli = Cli::parse();
    let mode = cli.mode;
    let config = cli.into_config(|name| std::env::var(name).ok())?;
    if mode == Some(Mode::Check) {
        println!("{}", edgestash_server::check::check(&config).await?);
        return Ok(());
    }
    let mut server = edgestash_server::start(config).await?;
    tokio::select! {
        result = server.wait() => return result,
        () = shutdown_signal() => tracing::info!("shutting down"),
    }
    server.shutdown().await
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
