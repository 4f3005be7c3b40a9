//! edgestash-server over a 3-primary Redis Cluster on loopback, driven by
//! the native client: commands land on the node serving their slot,
//! multi-key commands across slots get Redis's CROSSSLOT unchanged,
//! transactions run within one slot (hash tags) and are refused across
//! slots, and pipelines spanning slots work.

use edgestash::prelude::*;
use edgestash_integration::cluster::RedisCluster;
use edgestash_integration::EdgeServer;
use edgestash_server::{Backend, ClusterBackend, ServerConfig};

/// Redis's full error line for keys in several slots.
const CROSSSLOT: &str = "CROSSSLOT Keys in request don't hash to the same slot";

fn start(cluster: &RedisCluster) -> (EdgeServer, Client) {
    let mut config = ServerConfig::new("cluster-token");
    config.backend = Backend::Cluster(ClusterBackend {
        nodes: cluster.addrs(),
        redis_url: None,
    });
    let server = EdgeServer::start(config).unwrap();
    let client = Client::new(Config::new(&server.url(), server.token()).unwrap()).unwrap();
    (server, client)
}

/// The client's typed view (it shortens messages at a quote, so only the
/// start is compared; the raw HTTP test checks the whole line).
fn is_crossslot(r: &Result<impl std::fmt::Debug>) -> bool {
    matches!(r, Err(Error::Redis { kind, message, .. })
        if kind == "CROSSSLOT" && message.starts_with("CROSSSLOT Keys in request don"))
}

/// POSTs `body` to `path` and returns the status and the JSON reply.
async fn post(
    server: &EdgeServer,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .header("Authorization", format!("Bearer {}", server.token()))
        .body(serde_json::to_vec(&body).unwrap())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (
        status,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crossslot_reaches_the_http_client_unchanged() {
    let cluster = RedisCluster::start().unwrap();
    let (server, _client) = start(&cluster);
    let (status, json) = post(&server, "/", serde_json::json!(["MGET", "a", "b"])).await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(json, serde_json::json!({ "error": CROSSSLOT }));
    let (status, json) = post(
        &server,
        "/",
        serde_json::json!(["MSET", "a", "1", "b", "2"]),
    )
    .await;
    assert_eq!(
        (status, json),
        (400, serde_json::json!({ "error": CROSSSLOT }))
    );
    // In a pipeline, in its own slot; the other commands run.
    let (status, json) = post(
        &server,
        "/pipeline",
        serde_json::json!([["SET", "a", "1"], ["MGET", "a", "b"], ["GET", "a"]]),
    )
    .await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        json,
        serde_json::json!([{ "result": "OK" }, { "error": CROSSSLOT }, { "result": "1" }])
    );
    // A transaction across slots: refused as a whole with the same text.
    let (status, json) = post(
        &server,
        "/multi-exec",
        serde_json::json!([["SET", "a", "2"], ["SET", "b", "2"]]),
    )
    .await;
    assert_eq!(
        (status, json),
        (400, serde_json::json!({ "error": CROSSSLOT }))
    );
    let (_, json) = post(&server, "/", serde_json::json!(["GET", "a"])).await;
    assert_eq!(json, serde_json::json!({ "result": "1" }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_by_slot_and_keeps_redis_errors() {
    let cluster = RedisCluster::start().unwrap();
    let (_server, client) = start(&cluster);

    assert_eq!(client.ping().await.unwrap(), "PONG");
    // Keys spread over the three nodes; each lands where its slot lives.
    let mut nodes_used = std::collections::HashSet::new();
    for i in 0..30 {
        let key = format!("key:{i}");
        client.set(&key, i).await.unwrap();
        let node = cluster.node_for(&key).unwrap();
        nodes_used.insert(node.port());
        let mut direct = cluster.connection(node).unwrap();
        let v: Option<i64> = redis::cmd("GET").arg(&key).query(&mut direct).unwrap();
        assert_eq!(v, Some(i), "{key} is not on the node serving its slot");
        assert_eq!(client.get_string(&key).await.unwrap(), Some(i.to_string()));
    }
    assert_eq!(nodes_used.len(), 3, "30 keys should cover all three nodes");
    // DBSIZE goes to every primary and the counts are summed.
    let size: i64 = client.exec_as(Command::new("DBSIZE")).await.unwrap();
    assert_eq!(size, 30);

    // Multi-key commands: one slot works, across slots is Redis's CROSSSLOT.
    client.set("{user1}:a", "1").await.unwrap();
    client.set("{user1}:b", "2").await.unwrap();
    assert_eq!(
        client.mget(["{user1}:a", "{user1}:b"]).await.unwrap(),
        vec![Some(b"1".to_vec()), Some(b"2".to_vec())]
    );
    let r = client.mget(["key:1", "key:2"]).await;
    assert!(is_crossslot(&r), "{r:?}");
    let r = client.del(["key:1", "key:2"]).await;
    assert!(is_crossslot(&r), "{r:?}");
    // Nothing was deleted by the refused DEL.
    assert_eq!(
        client.get_string("key:1").await.unwrap(),
        Some("1".to_owned())
    );

    // A transaction within one slot (hash tags).
    let m = client.multi();
    let a = m.incr("{user1}:n");
    let b = m.rpush("{user1}:log", ["x"]);
    let c = m.get("{user1}:a");
    let mut r = m.exec().await.unwrap();
    assert_eq!(r.take(a).unwrap(), 1);
    assert_eq!(r.take(b).unwrap(), 1);
    assert_eq!(r.take(c).unwrap(), Some(b"1".to_vec()));
    // Across slots: refused with Redis's text, nothing applied.
    let m = client.multi();
    m.incr("key:1");
    m.incr("key:2");
    let r = m.exec().await;
    assert!(is_crossslot(&r), "{r:?}");
    assert_eq!(
        client.get_string("key:1").await.unwrap(),
        Some("1".to_owned())
    );

    // A pipeline spanning slots, with a per-command error in the middle.
    let p = client.pipeline();
    let s1 = p.set("key:1", "one");
    let s2 = p.incr("key:2");
    let s3 = p.incr("key:1");
    let s4 = p.get("key:1");
    let s5 = p.mget(["key:3", "key:4"]);
    let s6 = p.get("key:3");
    let mut r = p.exec_each().await.unwrap();
    r.take(s1).unwrap();
    assert_eq!(r.take(s2).unwrap(), 3);
    assert!(
        r.take(s3).is_err(),
        "INCR on a string fails in its slot only"
    );
    assert_eq!(r.take(s4).unwrap(), Some(b"one".to_vec()));
    let mget = r.take(s5);
    assert!(is_crossslot(&mget), "{mget:?}");
    assert_eq!(r.take(s6).unwrap(), Some(b"3".to_vec()));
}

/// A TLS-only cluster (clients and the bus), reached as an ACL user that
/// exists on every node: the `--redis` URL template gives the scheme, user
/// and password; `--redis-ca-file` the trust.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_over_tls_as_an_acl_user() {
    let pki = edgestash_integration::tls::TestPki::generate().unwrap();
    let cluster = RedisCluster::start_tls(&pki).unwrap();
    for node in &cluster.nodes {
        let mut c = cluster.connection(node).unwrap();
        edgestash_integration::redis_server::create_acl_user(&mut c, "app", "cluster-pw", "~*")
            .unwrap();
    }
    let mut config = ServerConfig::new("cluster-token");
    config.backend = Backend::Cluster(ClusterBackend {
        nodes: cluster.addrs(),
        redis_url: Some("rediss://app:cluster-pw@cluster/0".to_owned()),
    });
    config.redis_tls.ca_file = Some(pki.ca_file());
    let server = EdgeServer::start(config.clone()).unwrap();
    let client = Client::new(Config::new(&server.url(), server.token()).unwrap()).unwrap();
    for i in 0..10 {
        client.set(format!("tls:{i}"), i).await.unwrap();
    }
    let size: i64 = client.exec_as(Command::new("DBSIZE")).await.unwrap();
    assert_eq!(size, 10);
    let node = cluster.node_for("tls:3").unwrap();
    let mut direct = cluster.connection(node).unwrap();
    let clients: String = redis::cmd("CLIENT").arg("LIST").query(&mut direct).unwrap();
    assert!(clients.lines().any(|l| l.contains("user=app")), "{clients}");
    drop(server);

    // Database 3 does not exist on a cluster: refused before connecting.
    config.backend = Backend::Cluster(ClusterBackend {
        nodes: cluster.addrs(),
        redis_url: Some("rediss://app:cluster-pw@cluster/3".to_owned()),
    });
    let text = EdgeServer::start(config).unwrap_err().to_string();
    assert!(
        text.contains("only database 0") && !text.contains("cluster-pw"),
        "{text}"
    );
}

/// The next message, or a panic when none comes within a few seconds.
async fn next_message(sub: &mut edgestash::pubsub::Subscription) -> edgestash::pubsub::Message {
    match tokio::time::timeout(std::time::Duration::from_secs(10), sub.next()).await {
        Ok(Some(Ok(m))) => m,
        other => panic!("no message: {other:?}"),
    }
}

/// Classic pub/sub is cluster-wide: streams open on the nodes in turn, and
/// a message published through any node reaches every subscriber. MONITOR
/// (one node sees only its own commands) is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pubsub_streams_work_across_the_cluster() {
    let cluster = RedisCluster::start().unwrap();
    let (server, client) = start(&cluster);
    // Three subscriptions: one per node, by the server's rotation.
    let mut subs = Vec::new();
    for _ in 0..3 {
        subs.push(client.subscribe(["news", "a,b"]).await.unwrap());
    }
    let mut psub = client.psubscribe(["n*"]).await.unwrap();
    for payload in ["one", "two, with a comma"] {
        client.publish("news", payload).await.unwrap();
    }
    for sub in &mut subs {
        for payload in ["one", "two, with a comma"] {
            let m = next_message(sub).await;
            assert_eq!(
                (m.channel_str(), m.payload_str()),
                (Some("news"), Some(payload))
            );
        }
    }
    let m = next_message(&mut psub).await;
    assert_eq!(m.pattern.as_deref(), Some(&b"n*"[..]));
    assert_eq!(m.payload_str(), Some("one"));

    let monitor = reqwest::Client::new()
        .get(format!("{}/monitor", server.url()))
        .header("Authorization", format!("Bearer {}", server.token()))
        .send()
        .await
        .unwrap();
    assert_ne!(
        monitor.status().as_u16(),
        200,
        "MONITOR over a cluster is refused"
    );
}
