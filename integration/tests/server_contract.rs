//! The Upstash contract as the official SDKs see it, and the refusals that
//! make edgestash-server safe to expose, over a real redis-server: JSON
//! booleans and exact numbers, server administration refused unless the
//! operator allows it, harmless CLIENT subcommands, no sync token on 401,
//! bounded metric labels, plain-text SSE for `Upstash-Encoding: base64`
//! (base64 only behind edgestash's opt-in), per-token stream shares and
//! 16,000-channel subscriptions.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::{Backend, ServerConfig};
use serde_json::{json, Value as Json};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const TOKEN: &str = "contract-token";
const RO_TOKEN: &str = "contract-ro-token";
const ADMIN: &str = "contract-admin";
const WAIT: Duration = Duration::from_secs(20);

fn config(redis: &RedisServer) -> ServerConfig {
    let mut c = ServerConfig::new(TOKEN);
    c.backend = Backend::Redis(redis.url());
    c.read_only_token = Some(RO_TOKEN.to_owned());
    c.admin_token = Some(ADMIN.to_owned());
    c
}

async fn post(server: &EdgeServer, path: &str, body: Json) -> TestResult<(u16, Json)> {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .bearer_auth(TOKEN)
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    let status = r.status().as_u16();
    Ok((status, serde_json::from_slice(&r.bytes().await?)?))
}

#[tokio::test(flavor = "multi_thread")]
async fn json_booleans_and_numbers_keep_their_text() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    let big = "12345678901234567890123";
    let body = format!(r#"["SET","n",{big}]"#);
    let r = reqwest::Client::new()
        .post(server.url())
        .bearer_auth(TOKEN)
        .body(body)
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        post(&server, "/", json!(["GET", "n"])).await?.1,
        json!({"result": big})
    );
    assert_eq!(post(&server, "/", json!(["SET", "t", true])).await?.0, 200);
    assert_eq!(
        post(&server, "/", json!(["GET", "t"])).await?.1,
        json!({"result": "true"})
    );
    assert_eq!(
        post(&server, "/", json!(["HSET", "h", "flag", false, "f", 1.50]))
            .await?
            .1,
        json!({"result": 2})
    );
    assert_eq!(
        post(&server, "/", json!(["HGETALL", "h"])).await?.1,
        json!({"result": ["flag", "false", "f", "1.5"]})
    );
    // Raw JSON keeps the exact spelling the client sent.
    let r = reqwest::Client::new()
        .post(format!("{}/pipeline", server.url()))
        .bearer_auth(TOKEN)
        .body(r#"[["SET","e",1.50e+3],["GET","e"]]"#)
        .send()
        .await?;
    let j: Json = serde_json::from_slice(&r.bytes().await?)?;
    assert_eq!(j, json!([{"result": "OK"}, {"result": "1.50e+3"}]));
    // null, objects and nested arrays stay refused.
    assert_eq!(post(&server, "/", json!(["SET", "x", null])).await?.0, 400);
    assert_eq!(
        post(&server, "/", json!(["SET", "x", {"a": 1}])).await?.0,
        400
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn server_administration_is_refused_unless_allowed() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    for cmd in [
        json!(["CONFIG", "SET", "maxmemory", "1"]),
        json!(["config", "get", "requirepass"]),
        json!(["REPLICAOF", "10.0.0.1", "6379"]),
        json!(["SLAVEOF", "10.0.0.1", "6379"]),
        json!(["MIGRATE", "10.0.0.1", "6379", "k", "0", "1000"]),
        json!(["MODULE", "LIST"]),
        json!(["DEBUG", "SLEEP", "0"]),
        json!(["SAVE"]),
        json!(["BGSAVE"]),
        json!(["BGREWRITEAOF"]),
        json!(["SWAPDB", "0", "1"]),
        json!(["FAILOVER"]),
        json!(["SHUTDOWN"]),
    ] {
        let name = cmd[0].as_str().unwrap_or("").to_ascii_lowercase();
        let (status, body) = post(&server, "/", cmd.clone()).await?;
        assert_eq!(status, 400, "{cmd}");
        let text = body["error"].as_str().unwrap_or("");
        assert!(
            text.starts_with(&format!("ERR Command is not allowed over REST: '{name}'")),
            "{text}"
        );
        // In a pipeline the slot carries the refusal; the rest runs.
        let (status, body) = post(&server, "/pipeline", json!([cmd, ["PING"]])).await?;
        assert_eq!(status, 200);
        assert!(
            body[0]["error"].is_string() && body[1]["result"] == "PONG",
            "{body}"
        );
    }
    // Nothing reached Redis.
    let mut direct = redis.connection()?;
    let max: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("maxmemory")
        .query(&mut direct)?;
    assert_eq!(max[1], "0");
    // The operator may allow a named list.
    let mut allowing = config(&redis);
    allowing.allow_admin_commands = vec!["CONFIG".to_owned()];
    let server = EdgeServer::start(allowing)?;
    let (status, body) = post(&server, "/", json!(["CONFIG", "GET", "maxmemory"])).await?;
    assert_eq!((status, body), (200, json!({"result": ["maxmemory", "0"]})));
    assert_eq!(
        post(&server, "/", json!(["DEBUG", "SLEEP", "0"])).await?.0,
        400
    );
    // An unknown name in the allow-list is a start-up error.
    let mut wrong = config(&redis);
    wrong.allow_admin_commands = vec!["GET".to_owned()];
    assert!(EdgeServer::start(wrong).is_err());
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn harmless_client_subcommands_are_accepted() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    assert_eq!(
        post(
            &server,
            "/",
            json!(["CLIENT", "SETINFO", "LIB-NAME", "redis-py"])
        )
        .await?,
        (200, json!({"result": "OK"}))
    );
    assert_eq!(
        post(&server, "/", json!(["client", "setname", "me"])).await?,
        (200, json!({"result": "OK"}))
    );
    let (status, body) = post(
        &server,
        "/pipeline",
        json!([
            ["CLIENT", "SETINFO", "LIB-VER", "1.0"],
            ["CLIENT", "GETNAME"],
            ["PING"]
        ]),
    )
    .await?;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!([{"result": "OK"}, {"result": null}, {"result": "PONG"}])
    );
    // The rest of CLIENT stays refused (it concerns other connections).
    for sub in ["LIST", "KILL", "PAUSE"] {
        assert_eq!(
            post(&server, "/", json!(["CLIENT", sub])).await?.0,
            400,
            "{sub}"
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_carry_no_sync_token_and_junk_names_are_not_labels() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    let http = reqwest::Client::new();
    let r = http.post(server.url()).body("[\"PING\"]").send().await?;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().get("upstash-sync-token").is_none());
    let r = http
        .post(server.url())
        .bearer_auth("wrong")
        .body("[\"SET\",\"k\",\"v\"]")
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().get("upstash-sync-token").is_none());
    let r = http
        .post(server.url())
        .bearer_auth(TOKEN)
        .body("[\"PING\"]")
        .send()
        .await?;
    assert!(r.headers().get("upstash-sync-token").is_some());
    for i in 0..50 {
        let junk = format!("JUNKNAME{i}");
        assert_eq!(post(&server, "/", json!([junk])).await?.0, 400);
        // Through the read-only token too (NOPERM before Redis).
        let r = http
            .post(server.url())
            .bearer_auth(RO_TOKEN)
            .body(serde_json::to_vec(&json!([format!("JUNKRO{i}")]))?)
            .send()
            .await?;
        assert_eq!(r.status().as_u16(), 400);
    }
    assert_eq!(post(&server, "/", json!(["SET", "k", "v"])).await?.0, 200);
    let metrics = http
        .get(format!("{}/metrics", server.url()))
        .bearer_auth(ADMIN)
        .send()
        .await?
        .text()
        .await?;
    assert!(!metrics.contains("JUNK"), "{metrics}");
    assert!(metrics.contains("\"SET\""), "{metrics}");
    assert!(metrics.contains("\"UNKNOWN\""), "{metrics}");
    Ok(())
}

/// Reads SSE `data:` lines until `n` arrived.
async fn data_lines(response: &mut reqwest::Response, n: usize) -> TestResult<Vec<String>> {
    let mut buf = String::new();
    let mut out = Vec::new();
    while out.len() < n {
        let chunk = tokio::time::timeout(WAIT, response.chunk())
            .await??
            .ok_or("stream ended")?;
        buf.push_str(std::str::from_utf8(&chunk)?);
        while let Some(end) = buf.find('\n') {
            let line: String = buf.drain(..=end).collect();
            if let Some(data) = line.trim_end_matches('\n').strip_prefix("data: ") {
                out.push(data.to_owned());
            }
        }
    }
    Ok(out)
}

async fn open(
    server: &EdgeServer,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
) -> TestResult<reqwest::Response> {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", server.url()))
        .bearer_auth(token)
        .header("Accept", "text/event-stream");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    Ok(req.send().await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn upstash_encoding_leaves_streams_plain_and_the_opt_in_is_base64() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    // What @upstash/redis sends: Upstash-Encoding on every request.
    let mut plain = open(
        &server,
        "/subscribe/news",
        TOKEN,
        &[("Upstash-Encoding", "base64")],
    )
    .await?;
    assert_eq!(plain.status().as_u16(), 200);
    assert!(plain.headers().get("edgestash-stream-encoding").is_none());
    assert_eq!(data_lines(&mut plain, 1).await?, ["subscribe,news,1"]);
    let mut opted = open(
        &server,
        "/psubscribe/n*",
        TOKEN,
        &[
            ("Upstash-Encoding", "base64"),
            ("Edgestash-Stream-Encoding", "base64"),
        ],
    )
    .await?;
    assert_eq!(
        opted
            .headers()
            .get("edgestash-stream-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"base64"[..])
    );
    assert_eq!(
        data_lines(&mut opted, 1).await?,
        [format!("psubscribe,{},1", B64.encode("n*"))]
    );
    let payload = "a, b,c";
    assert_eq!(
        post(&server, "/", json!(["PUBLISH", "news", payload]))
            .await?
            .1,
        json!({"result": 2})
    );
    assert_eq!(
        data_lines(&mut plain, 1).await?,
        [format!("message,news,{payload}")]
    );
    assert_eq!(
        data_lines(&mut opted, 1).await?,
        [format!(
            "pmessage,{},{},{}",
            B64.encode("n*"),
            B64.encode("news"),
            B64.encode(payload)
        )]
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn one_token_cannot_take_every_stream_slot() -> TestResult {
    let redis = RedisServer::start()?;
    let mut c = config(&redis);
    c.pubsub.max_subscribers = 3;
    c.pubsub.max_subscribers_per_token = Some(2);
    let server = EdgeServer::start(c)?;
    let a = open(&server, "/subscribe/a", TOKEN, &[]).await?;
    let b = open(&server, "/subscribe/b", TOKEN, &[]).await?;
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let third = open(&server, "/subscribe/c", TOKEN, &[]).await?;
    assert_eq!(third.status().as_u16(), 429);
    let j: Json = serde_json::from_slice(&third.bytes().await?)?;
    assert_eq!(
        j["error"],
        "ERR max number of subscribers reached for this token"
    );
    // Another token still gets its share.
    let other = open(&server, "/subscribe/c", RO_TOKEN, &[]).await?;
    assert_eq!(other.status().as_u16(), 200);
    drop(a);
    // The freed slot comes back once the stream is torn down.
    let mut again = None;
    for _ in 0..50 {
        let r = open(&server, "/subscribe/d", TOKEN, &[]).await?;
        if r.status().as_u16() == 200 {
            again = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(again.is_some());
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn sixteen_thousand_channels_with_duplicates() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start(config(&redis))?;
    // Short base-36 names keep the path under the URI length bound.
    let names: Vec<String> = (0..16_000u32)
        .map(|i| {
            let mut n = i;
            let mut s = String::new();
            loop {
                s.push(char::from_digit(n % 36, 36).unwrap_or('0'));
                n /= 36;
                if n == 0 {
                    break s;
                }
            }
        })
        .collect();
    let mut path = String::from("/subscribe");
    for n in names.iter().chain(names.iter().take(100)) {
        path.push('/');
        path.push_str(n);
    }
    let mut stream = open(&server, &path, TOKEN, &[]).await?;
    assert_eq!(stream.status().as_u16(), 200);
    let lines = data_lines(&mut stream, 16_000).await?;
    assert_eq!(lines[0], format!("subscribe,{},1", names[0]));
    assert_eq!(lines[15_999], format!("subscribe,{},16000", names[15_999]));
    assert_eq!(
        post(
            &server,
            "/",
            json!(["PUBLISH", names[12_345].clone(), "hi"])
        )
        .await?
        .1,
        json!({"result": 1})
    );
    assert_eq!(
        data_lines(&mut stream, 1).await?,
        [format!("message,{},hi", names[12_345])]
    );
    Ok(())
}
