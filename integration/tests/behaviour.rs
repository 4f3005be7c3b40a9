//! The behaviour suite on every backend. Each runner names the families its
//! backend implements; switching a family on is adding it to that list.

mod support {
    pub mod rest_shim;
}

use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::{Client, Config};
use edgestash_integration::behaviour::{self, Family};
use edgestash_integration::RedisServer;

/// The families the embedded engine implements so far. Add a family here
/// when its engine commands land (the goal: `Family::ALL`).
const ENGINE_FAMILIES: &[Family] = &[Family::Basic];

/// Real redis-server implements everything.
const REDIS_FAMILIES: &[Family] = Family::ALL;

#[tokio::test]
async fn engine_passes_the_behaviour_suite() -> Result<(), behaviour::Failure> {
    let engine = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    let client = Client::with_engine(Arc::new(engine));
    behaviour::run(&client, ENGINE_FAMILIES, "engine").await
}

#[tokio::test]
async fn redis_passes_the_behaviour_suite() -> Result<(), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    // Stand-in for edgestash-server; when it lands, this line becomes
    // `let server = EdgeServer::start_redis(&redis.url()).await?;`.
    let server = support::rest_shim::RestShim::start(&redis.url())?;
    let client = Client::new(Config::new(&server.url(), "behaviour-token")?)?;
    behaviour::run(&client, REDIS_FAMILIES, "redis").await?;
    Ok(())
}
