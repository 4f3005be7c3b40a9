//! Health, readiness and metrics: the library's checks against a real
//! redis-server behind edgestash-server, and edgestash-server's own
//! `/healthz`, `/readyz`, `/metrics` and `/dashboard`, including a Redis
//! outage and recovery without restarting anything.

use edgestash::health::{HealthStatus, MOCK_IN_PRODUCTION};
use edgestash::{Client, Config};
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::{Backend, ServerConfig};
use serde_json::Value as Json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TOKEN: &str = "obs-token";
const ADMIN: &str = "obs-admin";

fn server(redis: &RedisServer, admin: Option<&str>) -> std::io::Result<EdgeServer> {
    let mut config = ServerConfig::new(TOKEN);
    config.backend = Backend::Redis(redis.url());
    config.admin_token = admin.map(str::to_owned);
    EdgeServer::start(config)
}

async fn get(url: &str, bearer: Option<&str>) -> Result<(u16, String), Box<dyn std::error::Error>> {
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = bearer {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.text().await?))
}

async fn get_json(url: &str) -> Result<(u16, Json), Box<dyn std::error::Error>> {
    let (status, text) = get(url, None).await?;
    Ok((status, serde_json::from_str(&text)?))
}

#[tokio::test]
async fn healthz_and_readyz_follow_redis_down_and_back() -> TestResult {
    let mut redis = RedisServer::start()?;
    let edge = server(&redis, None)?;
    let base = edge.url();

    let (status, health) = get_json(&format!("{base}/healthz")).await?;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["mode"], "redis");
    assert!(health["latency_ms"].is_u64());
    let (status, ready) = get_json(&format!("{base}/readyz")).await?;
    assert_eq!((status, &ready["ready"]), (200, &Json::Bool(true)));

    redis.stop();
    let (status, health) = get_json(&format!("{base}/healthz")).await?;
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["status"], "unhealthy");
    assert!(health["reason"].is_string(), "{health}");
    let (status, ready) = get_json(&format!("{base}/readyz")).await?;
    assert_eq!(status, 503, "{ready}");
    assert_eq!(ready["ready"], false);
    assert!(ready["reason"].is_string());

    // Same server, same connection manager: it reconnects by itself.
    redis.restart()?;
    let mut recovered = false;
    for _ in 0..50 {
        let (h, _) = get_json(&format!("{base}/healthz")).await?;
        let (r, _) = get_json(&format!("{base}/readyz")).await?;
        if h == 200 && r == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        recovered,
        "healthz/readyz did not recover after Redis restarted"
    );
    Ok(())
}

#[tokio::test]
async fn admin_routes_need_the_admin_token_and_hide_without_one() -> TestResult {
    let redis = RedisServer::start()?;
    let hidden = server(&redis, None)?;
    for path in ["/metrics", "/metrics.json", "/dashboard"] {
        let (status, _) = get(&format!("{}{path}", hidden.url()), Some(TOKEN)).await?;
        assert_eq!(status, 404, "{path} without an admin token configured");
    }

    let edge = server(&redis, Some(ADMIN))?;
    let base = edge.url();
    let client = Client::new(Config::new(&base, TOKEN)?)?;
    use edgestash::commands::StringCommands as _;
    client.set("k", "v").await?;
    let _: Option<String> = client.get_string("k").await?;
    let _: Option<String> = client.get_string("missing").await?;

    // The data needs the admin token; the page holds none (it asks).
    for path in ["/metrics", "/metrics.json"] {
        let (status, _) = get(&format!("{base}{path}"), None).await?;
        assert_eq!(status, 401, "{path} without a token");
        let (status, _) = get(&format!("{base}{path}"), Some(TOKEN)).await?;
        assert_eq!(status, 401, "{path} with the REST token");
    }

    let (status, text) = get(&format!("{base}/metrics"), Some(ADMIN)).await?;
    assert_eq!(status, 200);
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))?;
    let sample = |name: &str, label: Option<(&str, &str)>| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
            .map(|s| s.value.clone())
    };
    assert!(matches!(
        sample("edgestash_server_requests_total", Some(("command", "GET"))),
        Some(prometheus_parse::Value::Counter(v)) if v == 2.0
    ));
    assert!(matches!(
        sample("edgestash_server_responses_total", Some(("class", "2xx"))),
        Some(prometheus_parse::Value::Counter(v)) if v >= 3.0
    ));
    assert!(matches!(
        sample("edgestash_redis_used_memory_bytes", None),
        Some(prometheus_parse::Value::Gauge(v)) if v > 0.0
    ));
    for gauge in [
        "edgestash_redis_connected_clients",
        "edgestash_redis_keyspace_hits",
        "edgestash_redis_keyspace_misses",
        "edgestash_redis_evicted_keys",
    ] {
        assert!(sample(gauge, None).is_some(), "{gauge} missing");
    }
    assert!(matches!(
        sample("edgestash_server_request_duration_seconds", None),
        Some(prometheus_parse::Value::Histogram(_))
    ));

    let (status, text) = get(&format!("{base}/metrics.json"), Some(ADMIN)).await?;
    assert_eq!(status, 200);
    let json: Json = serde_json::from_str(&text)?;
    assert_eq!(json["backend"], "redis");
    assert!(json["redis"]["keyspace_hits"].as_u64() >= Some(1));
    // The token never travels in a URL: a query token is not accepted.
    let (status, _) = get(&format!("{base}/metrics.json?token={ADMIN}"), None).await?;
    assert_eq!(status, 401);

    // The page holds no secret (it asks for the token), and is served with
    // a strict Content-Security-Policy and no Referer.
    let page = reqwest::get(format!("{base}/dashboard")).await?;
    assert_eq!(page.status().as_u16(), 200);
    let header = |name: &str| {
        page.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header("content-security-policy");
    assert!(
        csp.starts_with("default-src 'none'; script-src 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header("referrer-policy"), "no-referrer");
    let page = page.text().await?;
    assert!(page.contains("uPlot"), "uPlot is inlined");
    assert!(!page.contains("{{JS}}") && !page.contains("<script src="));
    assert!(!page.contains("?token="));
    Ok(())
}

#[tokio::test]
async fn client_health_through_the_server() -> TestResult {
    let redis = RedisServer::start()?;
    let edge = server(&redis, None)?;

    let good = Client::new(Config::new(&edge.url(), TOKEN)?)?;
    let report = good.health().await;
    assert_eq!(report.status, HealthStatus::Ok, "{report:?}");
    assert_eq!((report.mode, report.http_status()), ("redis", 200));
    assert!(good.readiness().await.ready);

    let wrong = Client::new(Config::new(&edge.url(), "not-the-token")?)?;
    let report = wrong.health().await;
    assert_eq!(report.status, HealthStatus::Unhealthy);
    assert_eq!(report.reason, Some("auth"));
    assert_eq!(report.http_status(), 503);
    let ready = wrong.readiness().await;
    assert_eq!((ready.ready, ready.reason), (false, Some("auth")));
    Ok(())
}

#[tokio::test]
async fn client_health_when_redis_is_stopped_then_back() -> TestResult {
    let mut redis = RedisServer::start()?;
    let edge = server(&redis, None)?;
    let client = Client::new(Config::new(&edge.url(), TOKEN)?)?;
    assert_eq!(client.health().await.status, HealthStatus::Ok);
    redis.stop();
    let report = client.health().await;
    assert_eq!(report.status, HealthStatus::Unhealthy, "{report:?}");
    assert_eq!(report.http_status(), 503);
    assert!(!client.readiness().await.ready);
    redis.restart()?;
    let mut back = false;
    for _ in 0..50 {
        if client.health().await.status == HealthStatus::Ok {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(back, "the client's health did not recover");
    Ok(())
}

#[tokio::test]
async fn mock_mode_is_degraded_in_development_and_refused_in_production() -> TestResult {
    let lookup = |env: &'static str| {
        move |name: &str| match name {
            "MOCK_REDIS" => Some("true".to_owned()),
            "APP_ENV" => Some(env.to_owned()),
            _ => None,
        }
    };
    let client = Client::new(Config::from_lookup(lookup("development"))?)?;
    let report = client.health().await;
    assert_eq!(
        (report.status, report.mode, report.http_status()),
        (HealthStatus::Degraded, "mock", 200)
    );
    let refused = Config::from_lookup(lookup("production"));
    assert!(
        matches!(&refused, Err(e) if e.kind_label() == "config"),
        "{refused:?}"
    );
    // Even a hand-built production mock client is never healthy nor ready.
    let mut config = Config::mock();
    config.environment = edgestash::Environment::Production;
    let forced = Client::new(config)?;
    assert_eq!(forced.health().await.reason, Some(MOCK_IN_PRODUCTION));
    assert!(!forced.readiness().await.ready);
    Ok(())
}
