//! Server-side tenant confinement: workspace ACL users provisioned with
//! `edgestash::tenant_acl`, and edgestash-server's `--token-map` running a
//! tenant token's requests as that user on a real redis-server. Redis's own
//! NOPERM comes back unchanged as `Error::Permission`.

use edgestash::prelude::*;
use edgestash::tenant_acl::{provision_workspace_user, upstash_rest_token, AclOptions};
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::TenantToken;
use edgestash_server::{Backend, ServerConfig};

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn is_permission<T: std::fmt::Debug>(r: &edgestash::Result<T>) -> bool {
    matches!(r, Err(Error::Permission { .. }))
}

#[tokio::test]
async fn tenant_tokens_are_confined_by_redis_acl() -> TestResult {
    let redis = RedisServer::start()?;
    let admin_server = EdgeServer::start_redis(&redis, "admin-token")?;
    let admin = Client::new(Config::new(&admin_server.url(), admin_server.token())?)?;

    let a = provision_workspace_user(&admin, "A", &AclOptions::new()).await?;
    let b = provision_workspace_user(&admin, "B", &AclOptions::new()).await?;
    assert_eq!(a.username, "ws-A");
    assert!(!format!("{a:?}").contains(a.password.expose()));
    // redis-server has no ACL RESTTOKEN (Upstash only): a Redis error.
    let rest = upstash_rest_token(&admin, &a.username, &a.password).await;
    assert!(matches!(rest, Err(Error::Redis { .. })), "{rest:?}");

    let mut config = ServerConfig::new("server-token");
    config.backend = Backend::Redis(redis.url());
    config.token_map = vec![
        TenantToken {
            token: "token-a".to_owned(),
            user: a.username.clone(),
            password: a.password.expose().to_owned(),
        },
        TenantToken {
            token: "token-b".to_owned(),
            user: b.username.clone(),
            password: b.password.expose().to_owned(),
        },
    ];
    let server = EdgeServer::start(config)?;
    let ta = Client::new(Config::new(&server.url(), "token-a")?)?;
    let tb = Client::new(Config::new(&server.url(), "token-b")?)?;

    // Own namespace: works.
    ta.set("ws:A:x", "a").await?;
    assert_eq!(ta.get_string("ws:A:x").await?, Some("a".to_owned()));
    tb.set("ws:B:x", "b").await?;

    // Other tenant's keys and keys outside any namespace: NOPERM.
    assert!(is_permission(&ta.get("ws:B:x").await), "GET ws:B:x");
    assert!(is_permission(&ta.set("other", "x").await), "SET other");
    assert!(is_permission(&tb.get("ws:A:x").await), "B reads A");
    // Listing and wiping the whole database: refused.
    let keys = ta.exec(Command::new("KEYS").arg("*")).await;
    assert!(is_permission(&keys), "{keys:?}");
    let flush = ta.exec(Command::new("FLUSHALL")).await;
    assert!(flush.is_err(), "{flush:?}");
    let acl = ta.exec(Command::new("ACL").arg("WHOAMI")).await;
    assert!(acl.is_err(), "{acl:?}");
    assert_eq!(admin.get_string("ws:B:x").await?, Some("b".to_owned()));
    assert_eq!(admin.get("other").await?, None);
    // Channels are confined like keys.
    let own_channel = ta
        .exec(Command::new("PUBLISH").arg("ws:A:ch").arg("m"))
        .await?;
    assert_eq!(own_channel, Value::Int(0));
    let other = ta
        .exec(Command::new("PUBLISH").arg("ws:B:ch").arg("m"))
        .await;
    assert!(is_permission(&other), "{other:?}");

    // Transactions run on the tenant's connection too.
    let m = ta.multi();
    m.set("ws:A:t", "1");
    m.incr("ws:A:t");
    m.exec().await?;
    assert_eq!(admin.get_string("ws:A:t").await?, Some("2".to_owned()));
    let m = ta.multi();
    m.set("ws:B:t", "1");
    assert!(m.exec().await.is_err());
    assert_eq!(admin.get("ws:B:t").await?, None);

    // The library's namespace over the tenant's token: end to end.
    let ws = ta.workspace("A")?;
    ws.set("k", "v").await?;
    assert_eq!(ws.get_string("k").await?, Some("v".to_owned()));
    assert_eq!(ws.incr("n").await?, 1);
    assert_eq!(admin.get_string("ws:A:k").await?, Some("v".to_owned()));
    // The wrong workspace on A's token: Redis refuses what the client allowed.
    let wrong = ta.workspace("B")?;
    assert!(is_permission(&wrong.get("x").await));

    // The server's own token still runs unconfined.
    let own = Client::new(Config::new(&server.url(), "server-token")?)?;
    assert_eq!(own.get_string("ws:B:x").await?, Some("b".to_owned()));
    Ok(())
}

/// Tenants run only allow-listed scripts (edgestash's own and the
/// operator's `--tenant-scripts`), checked by the server before Redis: the
/// workspace ACL user may EVAL, and Redis cannot tell a vetted script from
/// a busy loop that would stall every tenant.
#[tokio::test]
async fn tenant_tokens_run_only_allow_listed_scripts() -> TestResult {
    let redis = RedisServer::start()?;
    let admin_server = EdgeServer::start_redis(&redis, "admin-token")?;
    let admin = Client::new(Config::new(&admin_server.url(), admin_server.token())?)?;
    let user = provision_workspace_user(&admin, "S", &AclOptions::new()).await?;

    let vetted = "return redis.call('GET', KEYS[1])";
    let dir = std::env::temp_dir().join(format!("edgestash-tenant-scripts-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("scripts");
    std::fs::write(
        &file,
        format!(
            "# vetted by the operator\n{}\n",
            edgestash::scripts::sha1_hex(vetted.as_bytes())
        ),
    )?;
    let mut config = ServerConfig::new("server-token");
    config.backend = Backend::Redis(redis.url());
    config.tenant_scripts =
        edgestash_server::config::tenant_scripts::parse(&std::fs::read_to_string(&file)?)?;
    config.token_map = vec![TenantToken {
        token: "token-s".to_owned(),
        user: user.username.clone(),
        password: user.password.expose().to_owned(),
    }];
    let server = EdgeServer::start(config)?;
    let tenant = Client::new(Config::new(&server.url(), "token-s")?)?;
    let own = Client::new(Config::new(&server.url(), "server-token")?)?;
    tenant.set("ws:S:k", "v").await?;

    // A script the operator listed: EVAL, SCRIPT LOAD and EVALSHA run.
    let eval = |body: &str| Command::new("EVAL").arg(body).arg("1").arg("ws:S:k");
    assert_eq!(
        tenant.exec(eval(vetted)).await?,
        Value::Bytes(b"v".to_vec())
    );
    let sha = tenant
        .exec(Command::new("SCRIPT").arg("LOAD").arg(vetted))
        .await?;
    let Value::Bytes(sha) = sha else {
        return Err(format!("SCRIPT LOAD answered {sha:?}").into());
    };
    let by_sha = Command::new("EVALSHA").arg(sha).arg("1").arg("ws:S:k");
    assert_eq!(tenant.exec(by_sha).await?, Value::Bytes(b"v".to_vec()));
    // edgestash's own scripts run on a tenant token: a rate limit.
    let limiter = edgestash::ratelimit::Ratelimit::fixed_window(2, "60s")?
        .prefix("ws:S:rl")
        .on_timeout(edgestash::ratelimit::TimeoutPolicy::FailClosed)
        .build(&tenant)?;
    assert!(limiter.limit("id").await?.success);

    // Anything else is refused before Redis sees it, with no script text.
    let busy = tenant.exec(eval("while true do end")).await;
    assert!(is_permission(&busy), "{busy:?}");
    assert!(!format!("{busy:?}").contains("while"));
    let unknown = tenant
        .exec(Command::new("EVALSHA").arg("0".repeat(40)).arg("0"))
        .await;
    assert!(is_permission(&unknown), "{unknown:?}");
    let flush = tenant.exec(Command::new("SCRIPT").arg("FLUSH")).await;
    assert!(is_permission(&flush), "{flush:?}");
    // The server's own token is not a tenant: any script runs.
    assert_eq!(
        own.exec(Command::new("EVAL").arg("return 7").arg("0"))
            .await?,
        Value::Int(7)
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[test]
fn token_map_needs_the_redis_backend() {
    let mut config = ServerConfig::new("t");
    config.token_map = vec![TenantToken {
        token: "tok".to_owned(),
        user: "ws-a".to_owned(),
        password: "pw".to_owned(),
    }];
    let e = EdgeServer::start(config).unwrap_err().to_string();
    assert!(e.contains("--token-map") && e.contains("--redis"), "{e}");
}

#[test]
fn a_wrong_tenant_password_fails_at_start_without_leaking_it() {
    let redis = RedisServer::start().unwrap();
    let mut config = ServerConfig::new("t");
    config.backend = Backend::Redis(redis.url());
    config.token_map = vec![TenantToken {
        token: "tok".to_owned(),
        user: "nobody".to_owned(),
        password: "hunter2".to_owned(),
    }];
    let e = EdgeServer::start(config).unwrap_err().to_string();
    assert!(e.contains("nobody") && !e.contains("hunter2"), "{e}");
}
