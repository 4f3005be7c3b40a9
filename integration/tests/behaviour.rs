//! The behaviour suite on every backend: the embedded engine in process, the
//! HTTP path to edgestash-server over a real redis-server, and the HTTP path
//! to edgestash-server on the engine (`--memory`).

use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::{Client, Config};
use edgestash_integration::behaviour::{self, Family};
use edgestash_integration::{EdgeServer, RedisServer};

/// What the engine implements: everything but general scripting. The engine
/// runs only edgestash's own scripts (by SHA-1), so the suite's ad-hoc EVAL
/// bodies and PUBLISH run on real Redis only.
const ENGINE_FAMILIES: &[Family] = &[
    Family::Basic,
    Family::Strings,
    Family::Bitmaps,
    Family::HyperLogLog,
    Family::Keys,
    Family::Hashes,
    Family::Lists,
    Family::Sets,
    Family::SortedSets,
    Family::Server,
];

#[tokio::test]
async fn engine_passes_the_behaviour_suite() -> Result<(), behaviour::Failure> {
    let engine = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    let client = Client::with_engine(Arc::new(engine));
    behaviour::run(&client, ENGINE_FAMILIES, "engine").await
}

#[tokio::test]
async fn redis_through_edgestash_server_passes_the_behaviour_suite(
) -> Result<(), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, "behaviour-token")?;
    let client = Client::new(Config::new(&server.url(), server.token())?)?;
    behaviour::run(&client, Family::ALL, "redis").await?;
    Ok(())
}

#[tokio::test]
async fn memory_server_passes_the_behaviour_suite() -> Result<(), Box<dyn std::error::Error>> {
    let server = EdgeServer::start_memory("behaviour-token")?;
    let client = Client::new(Config::new(&server.url(), server.token())?)?;
    behaviour::run(&client, ENGINE_FAMILIES, "memory server").await?;
    Ok(())
}
