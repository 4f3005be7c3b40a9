use super::*;
use std::collections::HashMap;

fn load(vars: &[(&str, &str)]) -> Result<Config> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|n| map.get(n).cloned())
}

fn variable_of(r: Result<Config>) -> String {
    match r {
        Err(Error::Config { variable, .. }) => variable,
        other => format!("not a config error: {other:?}"),
    }
}

#[test]
fn reads_url_and_token_with_aliases_and_trims() {
    let c = load(&[
        ("KV_REST_API_URL", " https://x.upstash.io/ "),
        ("UPSTASH_REDIS_TOKEN", " t0k "),
    ]);
    let Ok(Config {
        mode: Mode::Redis { url, token },
        ..
    }) = c
    else {
        unreachable!("expected a redis config, got {c:?}");
    };
    assert_eq!(url, "https://x.upstash.io");
    assert_eq!(token.expose(), "t0k");
}

#[test]
fn production_fails_fast_naming_the_variable() {
    let prod = ("APP_ENV", "production");
    assert_eq!(variable_of(load(&[prod])), "UPSTASH_REDIS_REST_URL");
    assert_eq!(
        variable_of(load(&[prod, ("UPSTASH_REDIS_REST_URL", "https://x")])),
        "UPSTASH_REDIS_REST_TOKEN"
    );
    assert_eq!(
        variable_of(load(&[prod, ("MOCK_REDIS", "true")])),
        "MOCK_REDIS"
    );
    assert_eq!(
        variable_of(load(&[
            ("NODE_ENV", "production"),
            ("UPSTASH_REDIS_REST_URL", "http://127.0.0.1:1"),
            ("UPSTASH_REDIS_REST_TOKEN", "t")
        ])),
        "UPSTASH_REDIS_REST_URL"
    );
}

#[test]
fn http_only_on_loopback_outside_production() {
    for ok in [
        "http://127.0.0.1:8079",
        "http://localhost",
        "http://[::1]:80",
        "https://a.b",
    ] {
        assert!(
            load(&[
                ("UPSTASH_REDIS_REST_URL", ok),
                ("UPSTASH_REDIS_REST_TOKEN", "t")
            ])
            .is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "http://10.0.0.1",
        "redis://127.0.0.1:6379",
        "https://u:p@h",
        "https://h?x=1",
        "https://h:notaport",
        "nope",
    ] {
        assert_eq!(
            variable_of(load(&[
                ("UPSTASH_REDIS_REST_URL", bad),
                ("UPSTASH_REDIS_REST_TOKEN", "t")
            ])),
            "UPSTASH_REDIS_REST_URL",
            "{bad}"
        );
    }
}

#[test]
fn mock_switch_is_strict() {
    assert!(load(&[("MOCK_REDIS", "TRUE")]).is_ok_and(|c| c.is_mock()));
    assert!(load(&[("MOCK_REDIS", "1")]).is_ok_and(|c| c.is_mock()));
    assert_eq!(variable_of(load(&[("MOCK_REDIS", "yes")])), "MOCK_REDIS");
    assert_eq!(
        variable_of(load(&[("MOCK_REDIS", "0")])),
        "UPSTASH_REDIS_REST_URL"
    );
    assert_eq!(variable_of(load(&[("APP_ENV", "prodution")])), "APP_ENV");
}

#[test]
fn numeric_settings_are_validated() {
    let base = [("MOCK_REDIS", "true")];
    let c = load(&[
        base[0],
        ("REDIS_MAX_CONNECTIONS", "8"),
        ("REDIS_RETRY_WRITES", "true"),
        ("REDIS_READ_YOUR_WRITES", "false"),
    ]);
    assert!(c
        .as_ref()
        .is_ok_and(|c| c.max_connections == 8 && c.retry.retry_writes && !c.read_your_writes));
    assert_eq!(
        variable_of(load(&[base[0], ("REDIS_MAX_CONNECTIONS", "0")])),
        "REDIS_MAX_CONNECTIONS"
    );
    assert_eq!(
        variable_of(load(&[base[0], ("REDIS_TIMEOUT_MS", "-5")])),
        "REDIS_TIMEOUT_MS"
    );
}

#[test]
fn token_never_printed() {
    let c = Config::new("https://h", "supersecret-token");
    let shown = format!("{c:?}");
    assert!(!shown.contains("supersecret"), "{shown}");
    assert!(matches!(
        Config::new("https://h", "with space"),
        Err(Error::Config { .. })
    ));
}

#[test]
fn retries_only_what_cannot_apply_twice() {
    use crate::error::TransportErrorKind;
    let t = |kind| Error::Transport {
        command: None,
        kind,
    };
    let p = RetryPolicy::default();
    let unsent = t(TransportErrorKind::Connect);
    let ambiguous = t(TransportErrorKind::Io);
    assert!(
        p.allows_retry(&unsent, 1, false),
        "connect failures never reached the server"
    );
    assert!(
        p.allows_retry(&ambiguous, 1, true),
        "reads are safe to repeat"
    );
    assert!(
        !p.allows_retry(&ambiguous, 1, false),
        "writes may have applied"
    );
    assert!(!p.allows_retry(&unsent, 10, false), "attempts are capped");
    let redis = Error::from_reply(Some("GET"), "ERR boom");
    assert!(
        !p.allows_retry(&redis, 1, true),
        "a Redis error is an answer, not a failure"
    );
    let writes = RetryPolicy {
        retry_writes: true,
        ..p
    };
    assert!(writes.allows_retry(&ambiguous, 1, false));
    assert!(writes.allows_retry(&t(TransportErrorKind::Status(503)), 9, false));
}

#[test]
fn retry_delays_double_and_cap() {
    let p = RetryPolicy::default();
    assert_eq!(p.delay(1), Duration::from_millis(50));
    assert_eq!(p.delay(2), Duration::from_millis(100));
    assert_eq!(p.delay(7), Duration::from_millis(3000));
    assert_eq!(p.delay(60), Duration::from_millis(3000));
}
