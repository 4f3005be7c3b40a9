//! edgestash-server over HTTP, byte for byte: every command form, batches,
//! auth, permissions, limits and refusals, against a real redis-server and,
//! where the engine has the commands, against the embedded engine too.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::{Backend, ServerConfig};
use serde_json::{json, Value as Json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TOKEN: &str = "test-token";
const RO_TOKEN: &str = "read-only-token";

/// A reply as the test sees it.
#[derive(Debug)]
struct Reply {
    status: u16,
    json: Json,
    sync: Option<u64>,
}

/// A small HTTP helper around one server.
struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    fn new(server: &EdgeServer) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: server.url(),
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        token: Option<&str>,
        base64: bool,
    ) -> Result<Reply, Box<dyn std::error::Error>> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .body(body);
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        if base64 {
            req = req.header("Upstash-Encoding", "base64");
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let sync = resp
            .headers()
            .get("upstash-sync-token")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let bytes = resp.bytes().await?;
        let json = if bytes.is_empty() {
            Json::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        Ok(Reply { status, json, sync })
    }

    /// `POST /` with a JSON command, full token, plain strings.
    async fn cmd(&self, cmd: Json) -> Result<Reply, Box<dyn std::error::Error>> {
        self.send("POST", "/", serde_json::to_vec(&cmd)?, Some(TOKEN), false)
            .await
    }

    /// `POST /` with a JSON command, full token, base64 strings.
    async fn cmd64(&self, cmd: Json) -> Result<Reply, Box<dyn std::error::Error>> {
        self.send("POST", "/", serde_json::to_vec(&cmd)?, Some(TOKEN), true)
            .await
    }

    async fn post(
        &self,
        path: &str,
        body: Json,
        token: &str,
    ) -> Result<Reply, Box<dyn std::error::Error>> {
        self.send("POST", path, serde_json::to_vec(&body)?, Some(token), false)
            .await
    }
}

fn redis_pair() -> Result<(RedisServer, EdgeServer), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, TOKEN)?;
    Ok((redis, server))
}

fn with_read_only(backend: Backend) -> Result<EdgeServer, Box<dyn std::error::Error>> {
    let mut config = ServerConfig::new(TOKEN);
    config.backend = backend;
    config.read_only_token = Some(RO_TOKEN.to_owned());
    Ok(EdgeServer::start(config)?)
}

// ---- behaviour shared by both backends -------------------------------------

async fn forms_and_batches(http: &Http) -> TestResult {
    // Body form, any case, numbers as arguments.
    let r = http.cmd(json!(["set", "n", 41])).await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let r = http.cmd(json!(["InCr", "n"])).await?;
    assert_eq!((r.status, r.json), (200, json!({"result": 42})));

    // Path form with URL-encoded segments.
    let r = http
        .send(
            "GET",
            "/set/a%2Fb/hello%20world",
            vec![],
            Some(TOKEN),
            false,
        )
        .await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let r = http.cmd(json!(["GET", "a/b"])).await?;
    assert_eq!(r.json, json!({"result": "hello world"}));

    // Value in body: every byte value, invalid UTF-8 included.
    let all: Vec<u8> = (0..=255u8).collect();
    let r = http
        .send("POST", "/set/bin", all.clone(), Some(TOKEN), false)
        .await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let r = http
        .send("GET", "/get/bin", vec![], Some(TOKEN), true)
        .await?;
    assert_eq!(r.json, json!({"result": B64.encode(&all)}));
    // Without base64 invalid UTF-8 is replaced, as Upstash does.
    http.send("POST", "/set/bad", vec![b'a', 0xff], Some(TOKEN), false)
        .await?;
    let r = http.cmd(json!(["GET", "bad"])).await?;
    assert_eq!(r.json, json!({"result": "a\u{fffd}"}));
    // Binary bytes in a path segment.
    http.send("GET", "/set/pb/%FF%00", vec![], Some(TOKEN), false)
        .await?;
    let r = http.cmd64(json!(["GET", "pb"])).await?;
    assert_eq!(r.json, json!({"result": B64.encode([0xff, 0x00])}));

    // Base64 on and off, and the OK exception.
    http.cmd(json!(["SET", "ok", "OK"])).await?;
    let r = http.cmd64(json!(["GET", "ok"])).await?;
    assert_eq!(r.json, json!({"result": "T0s="}));
    let r = http.cmd(json!(["GET", "ok"])).await?;
    assert_eq!(r.json, json!({"result": "OK"}));
    let r = http.cmd64(json!(["SET", "ok", "x"])).await?;
    assert_eq!(r.json, json!({"result": "OK"}));
    let r = http.cmd64(json!(["PING"])).await?;
    assert_eq!(r.json, json!({"result": B64.encode("PONG")}));
    let r = http.cmd64(json!(["GET", "missing"])).await?;
    assert_eq!(r.json, json!({"result": null}));

    // Pipeline with an error in one slot.
    let r = http
        .post(
            "/pipeline",
            json!([["SET", "p", "x"], ["INCR", "p"], ["GET", "p"]]),
            TOKEN,
        )
        .await?;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json,
        json!([
            {"result": "OK"},
            {"error": "ERR value is not an integer or out of range"},
            {"result": "x"}
        ])
    );

    // Multi-exec: a run-time error stays in its slot, the others ran.
    let r = http
        .post(
            "/multi-exec",
            json!([["SET", "m", "x"], ["INCR", "m"], ["SET", "m2", "y"]]),
            TOKEN,
        )
        .await?;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json,
        json!([
            {"result": "OK"},
            {"error": "ERR value is not an integer or out of range"},
            {"result": "OK"}
        ])
    );
    assert_eq!(
        http.cmd(json!(["GET", "m2"])).await?.json,
        json!({"result": "y"})
    );
    // Multi-exec discarded: one error object, nothing applied.
    let r = http
        .post(
            "/multi-exec",
            json!([["SET", "d", "1"], ["NOSUCHCOMMAND", "d"]]),
            TOKEN,
        )
        .await?;
    // The cause is named after Redis's text (the engine gives the text alone).
    assert_eq!(r.status, 400);
    let text = r.json["error"].as_str().unwrap_or("");
    assert!(
        text.starts_with("EXECABORT Transaction discarded because of previous errors."),
        "{text}"
    );
    assert!(
        text == "EXECABORT Transaction discarded because of previous errors."
            || text.contains("Cause: ERR unknown command 'NOSUCHCOMMAND'"),
        "{text}"
    );
    assert_eq!(
        http.cmd(json!(["GET", "d"])).await?.json,
        json!({"result": null})
    );
    let r = http
        .post("/multi-exec", json!([["SET", "d", "1"], ["GET"]]), TOKEN)
        .await?;
    assert_eq!(r.status, 400);
    let text = r.json["error"].as_str().unwrap_or("");
    assert!(
        text == "EXECABORT Transaction discarded because of previous errors."
            || text.ends_with("Cause: ERR wrong number of arguments for 'get' command"),
        "{text}"
    );
    Ok(())
}

async fn refusals_and_bad_input(http: &Http) -> TestResult {
    for (cmd, name) in [
        (json!(["WATCH", "k"]), "watch"),
        (json!(["WAIT", 1, 0]), "wait"),
        (json!(["MULTI"]), "multi"),
        (json!(["EXEC"]), "exec"),
        (json!(["SUBSCRIBE", "c"]), "subscribe"),
        (json!(["MONITOR"]), "monitor"),
        (json!(["SELECT", 1]), "select"),
        (json!(["AUTH", "x"]), "auth"),
        (json!(["HELLO", 3]), "hello"),
        (json!(["CLIENT", "LIST"]), "client"),
        (json!(["SHUTDOWN"]), "shutdown"),
    ] {
        let r = http.cmd(cmd).await?;
        assert_eq!(r.status, 400, "{name}");
        assert_eq!(
            r.json,
            json!({"error": format!("ERR Command is not allowed over REST: '{name}'")})
        );
    }
    // In a pipeline, per slot; in a transaction, the whole.
    let r = http
        .post("/pipeline", json!([["PING"], ["UNWATCH"]]), TOKEN)
        .await?;
    assert_eq!(
        r.json,
        json!([{"result": "PONG"}, {"error": "ERR Command is not allowed over REST: 'unwatch'"}])
    );
    let r = http
        .post(
            "/multi-exec",
            json!([["SET", "w", 1], ["WATCH", "k"]]),
            TOKEN,
        )
        .await?;
    assert_eq!(
        (r.status, r.json),
        (
            400,
            json!({"error": "ERR Command is not allowed over REST: 'watch'"})
        )
    );

    // Unknown commands are Redis's own error.
    let r = http.cmd(json!(["NOSUCH", "a"])).await?;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]
        .as_str()
        .unwrap_or("")
        .starts_with("ERR unknown command 'NOSUCH'"));

    // Malformed bodies: a JSON error, never a crash.
    for body in [
        &b"{"[..],
        b"{}",
        b"[]",
        b"[[1]]",
        b"[true]",
        b"[null]",
        b"\x00\xff\xfe garbage",
        b"",
    ] {
        let r = http
            .send("POST", "/", body.to_vec(), Some(TOKEN), false)
            .await?;
        assert_eq!(r.status, 400, "{body:?}");
        assert!(r.json["error"].is_string(), "{body:?}");
    }
    for body in [&b"[]"[..], b"[\"GET\"]", b"{\"a\":1}", b"[[]]"] {
        for path in ["/pipeline", "/multi-exec"] {
            let r = http
                .send("POST", path, body.to_vec(), Some(TOKEN), false)
                .await?;
            assert_eq!(r.status, 400, "{path} {body:?}");
            assert!(r.json["error"].is_string());
        }
    }

    // Methods.
    for method in ["DELETE", "PATCH", "OPTIONS"] {
        let r = http
            .send(method, "/", b"[\"PING\"]".to_vec(), Some(TOKEN), false)
            .await?;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.json, json!({"error": "ERR method not allowed"}));
    }
    for method in ["GET", "POST", "PUT"] {
        let r = http
            .send(method, "/ping", vec![], Some(TOKEN), false)
            .await?;
        assert_eq!(
            (r.status, r.json),
            (200, json!({"result": "PONG"})),
            "{method}"
        );
    }
    let r = http
        .send("HEAD", "/ping", vec![], Some(TOKEN), false)
        .await?;
    assert_eq!(r.status, 200);
    Ok(())
}

async fn auth_and_sync_token(http: &Http) -> TestResult {
    let wrongpass = json!({"error": "WRONGPASS invalid or missing auth token"});
    let r = http.send("GET", "/ping", vec![], None, false).await?;
    assert_eq!((r.status, &r.json), (401, &wrongpass));
    let r = http
        .send("GET", "/ping", vec![], Some("nope"), false)
        .await?;
    assert_eq!((r.status, &r.json), (401, &wrongpass));
    let r = http
        .send("GET", "/ping?_token=nope", vec![], None, false)
        .await?;
    assert_eq!(r.status, 401);
    let r = http
        .send(
            "POST",
            &format!("/set/tq/v?_token={TOKEN}"),
            vec![],
            None,
            false,
        )
        .await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let r = http
        .send(
            "GET",
            &format!("/get/tq?_token={TOKEN}"),
            vec![],
            None,
            false,
        )
        .await?;
    assert_eq!(r.json, json!({"result": "v"}));

    // The sync token is on every reply and grows with writes.
    let first = http
        .cmd(json!(["GET", "tq"]))
        .await?
        .sync
        .ok_or("no sync token")?;
    let after_write = http
        .cmd(json!(["SET", "tq", "w"]))
        .await?
        .sync
        .ok_or("no sync token")?;
    assert!(after_write > first);
    let after_read = http
        .cmd(json!(["GET", "tq"]))
        .await?
        .sync
        .ok_or("no sync token")?;
    assert!(after_read >= after_write);
    // A refused caller learns nothing, not even the sync token.
    let r = http.send("GET", "/ping", vec![], None, false).await?;
    assert_eq!(r.status, 401);
    assert!(r.sync.is_none());
    // A token sent back by the client is accepted and ignored.
    let resp = http
        .client
        .post(format!("{}/get/tq", http.base))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("upstash-sync-token", after_write.to_string())
        .send()
        .await?;
    assert_eq!(resp.status().as_u16(), 200);
    Ok(())
}

async fn read_only_token(http: &Http) -> TestResult {
    http.cmd(json!(["SET", "ro", "v"])).await?;
    let r = http.post("/", json!(["GET", "ro"]), RO_TOKEN).await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "v"})));
    let r = http.post("/", json!(["set", "ro", "w"]), RO_TOKEN).await?;
    assert_eq!(
        (r.status, r.json),
        (
            400,
            json!({"error": "NOPERM this user has no permissions to run the 'set' command"})
        )
    );
    let r = http
        .send(
            "GET",
            &format!("/del/ro?_token={RO_TOKEN}"),
            vec![],
            None,
            false,
        )
        .await?;
    assert_eq!(r.status, 400);
    let r = http
        .post(
            "/pipeline",
            json!([["GET", "ro"], ["INCR", "ro"]]),
            RO_TOKEN,
        )
        .await?;
    assert_eq!(
        (r.status, r.json),
        (
            200,
            json!([
                {"result": "v"},
                {"error": "NOPERM this user has no permissions to run the 'incr' command"}
            ])
        )
    );
    let r = http
        .post(
            "/multi-exec",
            json!([["GET", "ro"], ["DEL", "ro"]]),
            RO_TOKEN,
        )
        .await?;
    assert_eq!(
        (r.status, r.json),
        (
            400,
            json!({"error": "NOPERM this user has no permissions to run the 'del' command"})
        )
    );
    assert_eq!(
        http.cmd(json!(["GET", "ro"])).await?.json,
        json!({"result": "v"})
    );
    Ok(())
}

async fn size_limit(server: &EdgeServer) -> TestResult {
    let http = Http::new(server);
    let too_large = json!({"error": "ERR max request size exceeded"});
    let value = vec![b'x'; 1000];
    let r = http
        .send("POST", "/set/s", value, Some(TOKEN), false)
        .await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let r = http
        .send("POST", "/set/s", vec![b'x'; 2000], Some(TOKEN), false)
        .await?;
    assert_eq!((r.status, &r.json), (400, &too_large));
    let big = serde_json::to_vec(&json!([["SET", "s", "y".repeat(5000)]]))?;
    let r = http
        .send("POST", "/pipeline", big, Some(TOKEN), false)
        .await?;
    assert_eq!((r.status, &r.json), (400, &too_large));
    // The connection stays usable after a refusal.
    let r = http.cmd(json!(["GET", "s"])).await?;
    assert_eq!(r.json["result"].as_str().map(str::len), Some(1000));
    Ok(())
}

// ---- Redis backend ------------------------------------------------------------

#[tokio::test]
async fn redis_forms_and_batches() -> TestResult {
    let (_redis, server) = redis_pair()?;
    let http = Http::new(&server);
    forms_and_batches(&http).await?;
    // Query options after a value in the body.
    let r = http
        .send("POST", "/set/ttl?EX=100", b"v".to_vec(), Some(TOKEN), false)
        .await?;
    assert_eq!((r.status, r.json), (200, json!({"result": "OK"})));
    let ttl = http.cmd(json!(["TTL", "ttl"])).await?.json["result"]
        .as_i64()
        .ok_or("ttl")?;
    assert!((1..=100).contains(&ttl));
    let r = http
        .send("GET", "/set/ttl2/v/EX/50", vec![], Some(TOKEN), false)
        .await?;
    assert_eq!(r.status, 200);
    // Redis's own errors pass through whole.
    http.cmd(json!(["LPUSH", "list", "a"])).await?;
    let r = http.cmd(json!(["GET", "list"])).await?;
    assert_eq!(
        (r.status, r.json),
        (
            400,
            json!({"error": "WRONGTYPE Operation against a key holding the wrong kind of value"})
        )
    );
    // Nested arrays, base64 inside them, OK status inside a transaction.
    let r = http
        .send(
            "POST",
            "/multi-exec",
            serde_json::to_vec(&json!([
                ["SET", "ma", "OK"],
                ["MGET", "ma", "nope"],
                ["LPUSH", "ma", "x"]
            ]))?,
            Some(TOKEN),
            true,
        )
        .await?;
    assert_eq!(
        r.json,
        json!([
            {"result": "OK"},
            {"result": ["T0s=", null]},
            {"error": "WRONGTYPE Operation against a key holding the wrong kind of value"}
        ])
    );
    Ok(())
}

#[tokio::test]
async fn redis_refusals_and_bad_input() -> TestResult {
    let (_redis, server) = redis_pair()?;
    refusals_and_bad_input(&Http::new(&server)).await
}

#[tokio::test]
async fn redis_auth_and_sync_token() -> TestResult {
    let (_redis, server) = redis_pair()?;
    auth_and_sync_token(&Http::new(&server)).await
}

#[tokio::test]
async fn redis_read_only_token() -> TestResult {
    let redis = RedisServer::start()?;
    let server = with_read_only(Backend::Redis(redis.url()))?;
    read_only_token(&Http::new(&server)).await
}

#[tokio::test]
async fn redis_size_limit() -> TestResult {
    let redis = RedisServer::start()?;
    let mut config = ServerConfig::new(TOKEN);
    config.backend = Backend::Redis(redis.url());
    config.max_request_size = 1024;
    size_limit(&EdgeServer::start(config)?).await
}

#[tokio::test]
async fn default_size_limit_is_ten_mebibytes() -> TestResult {
    let server = EdgeServer::start_memory(TOKEN)?;
    let http = Http::new(&server);
    let r = http
        .send(
            "POST",
            "/set/big",
            vec![b'x'; 10 * 1024 * 1024 + 1],
            Some(TOKEN),
            false,
        )
        .await?;
    assert_eq!(
        (r.status, r.json),
        (400, json!({"error": "ERR max request size exceeded"}))
    );
    let r = http
        .send(
            "POST",
            "/set/big",
            vec![b'x'; 9 * 1024 * 1024],
            Some(TOKEN),
            false,
        )
        .await?;
    assert_eq!(r.status, 200);
    Ok(())
}

#[tokio::test]
async fn redis_outage_is_503_and_recovers_without_restart() -> TestResult {
    let (mut redis, server) = redis_pair()?;
    let http = Http::new(&server);
    assert_eq!(http.cmd(json!(["SET", "k", "v"])).await?.status, 200);

    redis.stop();
    let unavailable = json!({"error": "ERR backend unavailable"});
    for _ in 0..3 {
        let r = http.cmd(json!(["GET", "k"])).await?;
        assert_eq!((r.status, &r.json), (503, &unavailable));
    }
    let r = http
        .post("/pipeline", json!([["GET", "k"], ["PING"]]), TOKEN)
        .await?;
    assert_eq!((r.status, &r.json), (503, &unavailable));
    let r = http
        .post("/multi-exec", json!([["SET", "k", "2"]]), TOKEN)
        .await?;
    assert_eq!((r.status, &r.json), (503, &unavailable));
    // The reply never leaks the URL.
    assert!(!r.json.to_string().contains("127.0.0.1"));

    redis.restart()?;
    // The connection manager reconnects in the background; the first
    // requests after the restart may still see the old failure.
    let mut recovered = None;
    for _ in 0..100 {
        let r = http.cmd(json!(["PING"])).await?;
        if r.status == 200 {
            recovered = Some(r.json);
            break;
        }
        assert_eq!((r.status, &r.json), (503, &unavailable));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(recovered, Some(json!({"result": "PONG"})));
    assert_eq!(
        http.cmd(json!(["SET", "k", "back"])).await?.json,
        json!({"result": "OK"})
    );
    let r = http
        .post("/multi-exec", json!([["INCR", "n"], ["INCR", "n"]]), TOKEN)
        .await?;
    assert_eq!(r.json, json!([{"result": 1}, {"result": 2}]));
    Ok(())
}

// ---- memory backend ---------------------------------------------------------

#[tokio::test]
async fn memory_forms_and_batches() -> TestResult {
    let server = EdgeServer::start_memory(TOKEN)?;
    forms_and_batches(&Http::new(&server)).await
}

#[tokio::test]
async fn memory_refusals_and_bad_input() -> TestResult {
    let server = EdgeServer::start_memory(TOKEN)?;
    refusals_and_bad_input(&Http::new(&server)).await
}

#[tokio::test]
async fn memory_auth_and_sync_token() -> TestResult {
    let server = EdgeServer::start_memory(TOKEN)?;
    auth_and_sync_token(&Http::new(&server)).await
}

#[tokio::test]
async fn memory_read_only_token() -> TestResult {
    let server = with_read_only(Backend::Memory)?;
    read_only_token(&Http::new(&server)).await
}

#[tokio::test]
async fn memory_size_limit() -> TestResult {
    let mut config = ServerConfig::new(TOKEN);
    config.max_request_size = 1024;
    size_limit(&EdgeServer::start(config)?).await
}

// ---- start-up -------------------------------------------------------------

#[tokio::test]
async fn start_up_errors_are_clear_and_secret_free() -> TestResult {
    let e = edgestash_server::start(ServerConfig::new("")).await;
    assert!(matches!(e, Err(edgestash_server::ServerError::Config(_))));
    let port = edgestash_integration::redis_server::free_port()?;
    let mut config = ServerConfig::new(TOKEN);
    config.backend = Backend::Redis(format!("redis://:hunter2@127.0.0.1:{port}"));
    let text = match edgestash_server::start(config).await {
        Err(e) => e.to_string(),
        Ok(_) => return Err("started without Redis".into()),
    };
    assert!(text.contains("Redis"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    Ok(())
}
