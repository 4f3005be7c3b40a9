//! Blocking commands over REST, as Upstash runs them: the request is held
//! until data arrives or the command's timeout passes, on both backends
//! (a real redis-server, and `--memory`). Other requests keep flowing
//! while one waits; XREAD's `$` means "entries added after the request";
//! a client that goes away mid-wait leaves no blocked connection behind.

use std::time::{Duration, Instant};

use edgestash_integration::{EdgeServer, RedisServer};
use serde_json::{json, Value as Json};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const TOKEN: &str = "blocking-token";

/// POSTs `body` to `url` and reads the JSON reply (200 expected).
async fn send(url: String, body: Json) -> TestResult<Json> {
    let r = reqwest::Client::new()
        .post(url)
        .bearer_auth(TOKEN)
        .body(serde_json::to_vec(&body)?)
        .send()
        .await?;
    assert_eq!(r.status().as_u16(), 200, "{body}");
    Ok(serde_json::from_slice(&r.bytes().await?)?)
}

async fn post(server: &EdgeServer, path: &str, body: Json) -> TestResult<Json> {
    send(format!("{}{path}", server.url()), body).await
}

/// Runs `check` on a server over redis-server, then on one over `--memory`.
async fn on_both<F, Fut>(check: F) -> TestResult
where
    F: Fn(EdgeServer) -> Fut,
    Fut: std::future::Future<Output = TestResult>,
{
    let redis = RedisServer::start()?;
    check(EdgeServer::start_redis(&redis, TOKEN)?).await?;
    check(EdgeServer::start_memory(TOKEN)?).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pop_times_out_empty_then_waits_for_a_push() -> TestResult {
    on_both(|server| async move {
        let t0 = Instant::now();
        assert_eq!(
            post(&server, "/", json!(["BLPOP", "q", "0.3"])).await?,
            json!({"result": null})
        );
        assert!(
            t0.elapsed() >= Duration::from_millis(280),
            "{:?}",
            t0.elapsed()
        );

        let waiting = tokio::spawn(send(server.url(), json!(["BRPOP", "none", "q", "5"])));
        tokio::time::sleep(Duration::from_millis(200)).await;
        // The wait stalls nobody: other requests answer meanwhile.
        let t1 = Instant::now();
        assert_eq!(
            post(&server, "/", json!(["SET", "k", "v"])).await?,
            json!({"result": "OK"})
        );
        assert!(t1.elapsed() < Duration::from_secs(1));
        assert!(!waiting.is_finished());
        assert_eq!(
            post(&server, "/", json!(["RPUSH", "q", "job"])).await?,
            json!({"result": 1})
        );
        assert_eq!(waiting.await??, json!({"result": ["q", "job"]}));
        assert_eq!(
            post(&server, "/", json!(["LLEN", "q"])).await?,
            json!({"result": 0})
        );

        // In a pipeline, and on sorted sets.
        post(&server, "/", json!(["ZADD", "z", "1", "m"])).await?;
        assert_eq!(
            post(
                &server,
                "/pipeline",
                json!([["BZPOPMIN", "z", "1"], ["GET", "k"]])
            )
            .await?,
            json!([{"result": ["z", "m", "1"]}, {"result": "v"}])
        );
        // A bad timeout is Redis's error at once.
        assert_eq!(
            post(&server, "/pipeline", json!([["BLPOP", "q", "-1"]])).await?,
            json!([{"error": "ERR timeout is negative"}])
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_reads_block_for_new_entries() -> TestResult {
    on_both(|server| async move {
        post(&server, "/", json!(["XADD", "s", "*", "old", "1"])).await?;
        post(&server, "/", json!(["XGROUP", "CREATE", "s", "g", "$"])).await?;
        let read = |body: Json| tokio::spawn(send(server.url(), body));
        let plain = read(json!(["XREAD", "BLOCK", "5000", "STREAMS", "s", "$"]));
        let group = read(json!([
            "XREADGROUP",
            "GROUP",
            "g",
            "c",
            "BLOCK",
            "5000",
            "STREAMS",
            "s",
            ">"
        ]));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let id = post(&server, "/", json!(["XADD", "s", "*", "new", "2"])).await?["result"].clone();
        let entry = json!([["s", [[id, ["new", "2"]]]]]);
        assert_eq!(plain.await??, json!({"result": entry}));
        assert_eq!(group.await??, json!({"result": entry}));
        // Nothing new: the read times out with nil.
        let t0 = Instant::now();
        assert_eq!(
            post(
                &server,
                "/",
                json!(["XREAD", "BLOCK", "200", "STREAMS", "s", "$"])
            )
            .await?,
            json!({"result": null})
        );
        assert!(t0.elapsed() >= Duration::from_millis(180));
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_leaves_mid_wait_leaves_no_blocked_connection() -> TestResult {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, TOKEN)?;
    let mut admin = redis.connection()?;
    let blocked = |admin: &mut redis::Connection| -> redis::RedisResult<usize> {
        let list: String = redis::cmd("CLIENT").arg("LIST").query(admin)?;
        Ok(list.lines().filter(|l| l.contains("cmd=blpop")).count())
    };
    let request = reqwest::Client::new()
        .post(server.url())
        .bearer_auth(TOKEN)
        .timeout(Duration::from_millis(300))
        .body(r#"["BLPOP","never","0"]"#)
        .send();
    let waiting = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        blocked(&mut admin)?,
        1,
        "the BLPOP waits on a connection of its own"
    );
    assert!(waiting.await?.is_err(), "the client gave up");
    let deadline = Instant::now() + Duration::from_secs(5);
    while blocked(&mut admin)? > 0 {
        assert!(
            Instant::now() < deadline,
            "a blocked connection outlived its request"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}
