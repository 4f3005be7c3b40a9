//! edgestash-server over `rediss://`: TLS with a private CA and a client
//! certificate (mutual TLS), as a Redis ACL user, in a database other than
//! 0, driven by the native client. Certificates are generated at test time.

use edgestash::prelude::*;
use edgestash_integration::redis_server::create_acl_user;
use edgestash_integration::tls::TestPki;
use edgestash_integration::{EdgeServer, RedisServer};
use edgestash_server::{Backend, RedisTls, ServerConfig};

const PASSWORD: &str = "tls-acl-s3cret";

/// A TLS-only redis-server requiring client certificates, with an ACL user
/// `app` limited to keys `app:*`.
fn tls_redis(pki: &TestPki) -> RedisServer {
    let redis = pki.start_redis(true).unwrap();
    let mut admin = pki.connection(&redis).unwrap();
    create_acl_user(&mut admin, "app", PASSWORD, "~app:*").unwrap();
    redis
}

fn config(pki: &TestPki, redis: &RedisServer, with_client_cert: bool) -> ServerConfig {
    let mut config = ServerConfig::new("tls-token");
    config.backend = Backend::Redis(format!(
        "rediss://app:{PASSWORD}@127.0.0.1:{}/3",
        redis.port()
    ));
    config.redis_tls = RedisTls {
        ca_file: Some(pki.ca_file()),
        client_cert: with_client_cert.then(|| pki.client_cert_file()),
        client_key: with_client_cert.then(|| pki.client_key_file()),
    };
    config
}

#[tokio::test]
async fn serves_over_mutual_tls_as_an_acl_user_in_db_3() {
    let pki = TestPki::generate().unwrap();
    let redis = tls_redis(&pki);
    let server = EdgeServer::start(config(&pki, &redis, true)).unwrap();
    let client = Client::new(Config::new(&server.url(), server.token()).unwrap()).unwrap();

    assert_eq!(client.ping().await.unwrap(), "PONG");
    client.set("app:greeting", "hello over tls").await.unwrap();
    assert_eq!(
        client.get_string("app:greeting").await.unwrap(),
        Some("hello over tls".to_owned())
    );
    assert_eq!(client.incr("app:n").await.unwrap(), 1);
    let p = client.pipeline();
    let a = p.incr("app:n");
    let b = p.get("app:greeting");
    let mut r = p.exec().await.unwrap();
    assert_eq!(r.take(a).unwrap(), 2);
    assert_eq!(r.take(b).unwrap(), Some(b"hello over tls".to_vec()));
    let m = client.multi();
    let c = m.incr("app:n");
    let d = m.rpush("app:list", ["x", "y"]);
    let mut r = m.exec().await.unwrap();
    assert_eq!(r.take(c).unwrap(), 3);
    assert_eq!(r.take(d).unwrap(), 2);

    // The ACL user is the one in the URL: keys outside ~app:* are refused.
    let err = client.set("other", "x").await;
    // (Redis answers NOPERM, which the client types as a permission error.)
    assert!(matches!(err, Err(Error::Permission { .. })), "{err:?}");

    // The data is in database 3, not 0.
    let mut admin = pki.connection(&redis).unwrap();
    let in_db0: Option<String> = redis::cmd("GET")
        .arg("app:greeting")
        .query(&mut admin)
        .unwrap();
    assert_eq!(in_db0, None);
    redis::cmd("SELECT").arg(3).query::<()>(&mut admin).unwrap();
    let in_db3: Option<String> = redis::cmd("GET")
        .arg("app:greeting")
        .query(&mut admin)
        .unwrap();
    assert_eq!(in_db3.as_deref(), Some("hello over tls"));
    // And every connection of edgestash-server is the ACL user's, over TLS.
    let clients: String = redis::cmd("CLIENT").arg("LIST").query(&mut admin).unwrap();
    assert!(clients.lines().any(|l| l.contains("user=app")), "{clients}");
}

#[test]
fn start_up_errors_are_typed_and_never_show_the_password() {
    let pki = TestPki::generate().unwrap();
    let redis = tls_redis(&pki);

    // The server requires a client certificate; without one the handshake
    // (or the first read) fails at start-up.
    let err = EdgeServer::start(config(&pki, &redis, false)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("cannot connect to the Redis backend"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");

    // An unrelated CA: the certificate is not trusted.
    let mut wrong = config(&pki, &redis, true);
    wrong.redis_tls.ca_file = Some(pki.wrong_ca_file());
    let text = EdgeServer::start(wrong).unwrap_err().to_string();
    assert!(text.contains("certificate is not trusted"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");

    // A wrong password for the ACL user.
    let mut bad = config(&pki, &redis, true);
    bad.backend = Backend::Redis(format!(
        "rediss://app:nope-{PASSWORD}@127.0.0.1:{}/3",
        redis.port()
    ));
    let text = EdgeServer::start(bad).unwrap_err().to_string();
    assert!(text.contains("authentication failed"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");

    // A database that does not exist.
    let mut db = config(&pki, &redis, true);
    db.backend = Backend::Redis(format!(
        "rediss://app:{PASSWORD}@127.0.0.1:{}/99",
        redis.port()
    ));
    let text = EdgeServer::start(db).unwrap_err().to_string();
    assert!(text.contains("DB index is out of range"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
}
