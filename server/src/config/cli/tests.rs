use super::*;

fn parse(args: &[&str]) -> Result<ServerConfig, ServerError> {
    let cli = Cli::try_parse_from(std::iter::once("edgestash-server").chain(args.iter().copied()))
        .map_err(|e| ServerError::Config(e.kind().to_string()))?;
    cli.into_config(|_| None)
}

#[test]
fn defaults_to_loopback_and_memory() {
    let c = parse(&["--token", "t"]).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8079");
    assert_eq!(c.backend, Backend::Memory);
    assert_eq!(c.max_request_size, 10 * 1024 * 1024);
}

#[test]
fn redis_and_memory_conflict() {
    let e = parse(&["--token", "t", "--redis", "redis://x", "--memory"]).unwrap_err();
    assert!(e.to_string().contains("--memory"));
}

#[test]
fn token_is_required_and_falls_back() {
    let e = parse(&[]).unwrap_err();
    assert!(e.to_string().contains("--token"));
    let cli = Cli::try_parse_from(["edgestash-server"]).unwrap();
    let c = cli
        .into_config(|name| (name == TOKEN_FALLBACK_ENV).then(|| "up".to_owned()))
        .unwrap();
    assert_eq!(c.token, "up");
}

#[test]
fn token_map_file_is_read_and_errors_are_clear() {
    let path = std::env::temp_dir().join(format!("edgestash-token-map-{}", std::process::id()));
    std::fs::write(&path, "# tenants\nsecret-a=ws-a:pw-a\n").unwrap();
    let file = path.to_str().unwrap();
    let c = parse(&["--token", "t", "--token-map", file]).unwrap();
    assert_eq!(c.token_map.len(), 1);
    assert_eq!(c.token_map[0].user, "ws-a");
    std::fs::write(&path, "secret-a=ws-a:pw-a\nsecret-b\n").unwrap();
    let e = parse(&["--token", "t", "--token-map", file])
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && !e.contains("secret"), "{e}");
    std::fs::remove_file(&path).unwrap();
    let e = parse(&["--token", "t", "--token-map", file])
        .unwrap_err()
        .to_string();
    assert!(e.contains("--token-map"), "{e}");
}

#[test]
fn check_subcommand_takes_the_serving_flags() {
    let cli = Cli::try_parse_from([
        "edgestash-server",
        "check",
        "--token",
        "t",
        "--redis",
        "redis://127.0.0.1:1",
    ])
    .unwrap();
    assert_eq!(cli.mode, Some(Mode::Check));
    let c = cli.into_config(|_| None).unwrap();
    assert_eq!(c.backend, Backend::Redis("redis://127.0.0.1:1".to_owned()));
    let serve = Cli::try_parse_from(["edgestash-server", "--token", "t"]).unwrap();
    assert_eq!(serve.mode, None);
}

#[test]
fn sentinel_flags_build_the_backend() {
    let c = parse(&[
        "--token",
        "t",
        "--sentinel",
        "10.0.0.1:26379,10.0.0.2:26379",
        "--master-name",
        "mymaster",
        "--sentinel-password",
        "sp",
        "--redis",
        "redis://:pw@primary/2",
    ])
    .unwrap();
    assert_eq!(
        c.backend,
        Backend::Sentinel(SentinelBackend {
            sentinels: vec!["10.0.0.1:26379".to_owned(), "10.0.0.2:26379".to_owned()],
            master_name: "mymaster".to_owned(),
            redis_url: Some("redis://:pw@primary/2".to_owned()),
            sentinel_password: Some("sp".to_owned()),
        })
    );
    let e = parse(&["--token", "t", "--sentinel", "h:1"]).unwrap_err();
    assert!(e.to_string().contains("--master-name"), "{e}");
    let e = parse(&["--token", "t", "--master-name", "m"]).unwrap_err();
    assert!(e.to_string().contains("--sentinel"), "{e}");
}

#[test]
fn cluster_flags_build_the_backend_and_conflicts_are_named() {
    let c = parse(&["--token", "t", "--cluster", "h1:7000,h2:7001"]).unwrap();
    assert_eq!(
        c.backend,
        Backend::Cluster(ClusterBackend {
            nodes: vec!["h1:7000".to_owned(), "h2:7001".to_owned()],
            redis_url: None,
        })
    );
    let e = parse(&[
        "--token",
        "t",
        "--cluster",
        "h:1",
        "--sentinel",
        "h:2",
        "--master-name",
        "m",
    ])
    .unwrap_err();
    assert!(e.to_string().contains("--cluster"), "{e}");
    let e = parse(&["--token", "t", "--cluster", "h:1", "--memory"]).unwrap_err();
    assert!(e.to_string().contains("--memory"), "{e}");
}

#[test]
fn tls_files_are_read_and_need_redis() {
    let c = parse(&[
        "--token",
        "t",
        "--redis",
        "rediss://127.0.0.1:1",
        "--redis-ca-file",
        "/etc/ca.pem",
        "--redis-client-cert",
        "/etc/c.pem",
        "--redis-client-key",
        "/etc/k.pem",
    ])
    .unwrap();
    assert_eq!(
        c.redis_tls.ca_file.as_deref(),
        Some(std::path::Path::new("/etc/ca.pem"))
    );
    assert_eq!(
        c.redis_tls.client_key.as_deref(),
        Some(std::path::Path::new("/etc/k.pem"))
    );
    let e = parse(&["--token", "t", "--redis-ca-file", "/etc/ca.pem"]).unwrap_err();
    assert!(e.to_string().contains("--redis-ca-file"), "{e}");
}

#[test]
fn flags_are_read() {
    let c = parse(&[
        "--token",
        "t",
        "--read-only-token",
        "r",
        "--redis",
        "redis://127.0.0.1:1",
        "--listen",
        "127.0.0.1:0",
        "--max-request-size",
        "100",
    ])
    .unwrap();
    assert_eq!(c.backend, Backend::Redis("redis://127.0.0.1:1".to_owned()));
    assert_eq!(c.read_only_token.as_deref(), Some("r"));
    assert_eq!(c.max_request_size, 100);
}
