//! edgestash-server over Redis Sentinel: a primary, a replica and three
//! sentinels on loopback. `SENTINEL FAILOVER` promotes the replica; the
//! same edgestash-server (no restart) resumes writing on the new primary,
//! and every write acknowledged before the failover is still there.

use std::time::{Duration, Instant};

use edgestash::prelude::*;
use edgestash::RetryPolicy;
use edgestash_integration::sentinel::{SentinelTopology, MASTER_NAME};
use edgestash_integration::EdgeServer;
use edgestash_server::{Backend, SentinelBackend, ServerConfig};

/// How long writes may take to resume after the failover (generous, for a
/// loaded 2-core machine).
const RESUME_DEADLINE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_a_failover_without_restart() {
    // Sentinels with a password of their own: it must reach them on every
    // lookup, including the failover watcher's.
    let topology = SentinelTopology::start_with(Some("sentinel-s3cret")).unwrap();
    let mut config = ServerConfig::new("sentinel-token");
    config.backend = Backend::Sentinel(SentinelBackend {
        sentinels: topology.sentinel_addrs(),
        master_name: MASTER_NAME.to_owned(),
        // The URL template: its database applies to whichever server is
        // primary (its host is ignored).
        redis_url: Some("redis://primary-named-by-sentinel/2".to_owned()),
        sentinel_password: topology.sentinel_password().map(str::to_owned),
    });
    let server = EdgeServer::start(config).unwrap();
    let mut client_config = Config::new(&server.url(), server.token()).unwrap();
    // Every outcome as it happened: no client-side retries.
    client_config.retry = RetryPolicy::none();
    let client = Client::new(client_config).unwrap();

    // Acknowledged writes before the failover.
    let mut acknowledged = Vec::new();
    for i in 0..50 {
        client.set(format!("before:{i}"), i).await.unwrap();
        acknowledged.push(i);
    }
    let m = client.multi();
    m.rpush("log", ["a", "b"]);
    m.incr("counter");
    m.exec().await.unwrap();

    let old_primary = topology.primary().unwrap().port();
    // Replication is asynchronous: Redis promises acknowledged writes
    // survive a failover only once the replica has them, so wait for that
    // (WAIT 1 replica) on the old primary before failing over.
    {
        let mut direct = topology.primary().unwrap().connection().unwrap();
        redis::cmd("SELECT")
            .arg(2)
            .query::<()>(&mut direct)
            .unwrap();
        let written: Option<String> = redis::cmd("GET")
            .arg("before:7")
            .query(&mut direct)
            .unwrap();
        assert_eq!(written.as_deref(), Some("7"), "writes go to database 2");
        let synced: i64 = redis::cmd("WAIT")
            .arg(1)
            .arg(10_000)
            .query(&mut direct)
            .unwrap();
        assert_eq!(synced, 1, "the replica did not acknowledge the writes");
    }

    let new_primary = topology.failover().unwrap();
    assert_ne!(new_primary, old_primary);

    // Writes resume through the same edgestash-server, on the new primary.
    // Requests in flight during the switch may fail (503 or READONLY):
    // that is the honest answer while the primary moves, and the client
    // decides to retry. Each attempt writes a fresh marker and checks it on
    // the new primary directly, so a write the old primary took in the
    // last moments before the server noticed is not mistaken for success.
    let new = topology
        .servers
        .iter()
        .find(|s| s.port() == new_primary)
        .unwrap();
    let mut direct = new.connection().unwrap();
    redis::cmd("SELECT")
        .arg(2)
        .query::<()>(&mut direct)
        .unwrap();
    let start = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let marker = format!("after:{attempts}");
        let written = client.set(&marker, "resumed").await;
        let landed: Option<String> = redis::cmd("GET").arg(&marker).query(&mut direct).unwrap();
        if written.is_ok() && landed.as_deref() == Some("resumed") {
            break;
        }
        assert!(
            start.elapsed() < RESUME_DEADLINE,
            "writes did not resume on the new primary within {RESUME_DEADLINE:?}: {written:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "writes resumed on the new primary after {:?} ({attempts} attempts)",
        start.elapsed()
    );
    // From now on every write goes to the new primary.
    for i in 0..20 {
        client.set(format!("later:{i}"), i).await.unwrap();
        let v: Option<i64> = redis::cmd("GET")
            .arg(format!("later:{i}"))
            .query(&mut direct)
            .unwrap();
        assert_eq!(v, Some(i));
    }

    // Every acknowledged write from before is still there, read through
    // edgestash-server.
    for i in acknowledged {
        assert_eq!(
            client.get_string(format!("before:{i}")).await.unwrap(),
            Some(i.to_string()),
            "acknowledged write before:{i} lost"
        );
    }
    assert_eq!(
        client.lrange("log", 0, -1).await.unwrap(),
        vec![b"a".to_vec(), b"b".to_vec()]
    );
    // Transactions and pipelines run on the new primary too.
    let m = client.multi();
    let n = m.incr("counter");
    let mut r = m.exec().await.unwrap();
    assert_eq!(r.take(n).unwrap(), 2);
    let p = client.pipeline();
    let a = p.incr("counter");
    let mut r = p.exec().await.unwrap();
    assert_eq!(r.take(a).unwrap(), 3);
}
