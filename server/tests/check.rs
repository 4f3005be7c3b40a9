//! `edgestash-server check` as deploy scripts run it: the built binary,
//! against a live redis-server, a stopped one, a password-protected one and
//! bad configuration. Every case also checks the output never shows the
//! token or the URL's password.

use std::process::{Command, Output};

use edgestash_integration::RedisServer;

const TOKEN: &str = "tok-s3cret-value";
const PASSWORD: &str = "hunter2-pass";

/// Runs `edgestash-server check` with only the given environment (the
/// caller's EDGESTASH_* and UPSTASH_* variables are removed).
fn run_check(args: &[&str], env: &[(&str, &str)]) -> std::io::Result<Output> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_edgestash-server"));
    for (name, _) in std::env::vars() {
        if name.starts_with("EDGESTASH_") || name.starts_with("UPSTASH_") {
            cmd.env_remove(name);
        }
    }
    cmd.arg("check").args(args).envs(env.iter().copied());
    cmd.output()
}

fn texts(out: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    for text in [&stdout, &stderr] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
    }
    (stdout, stderr)
}

#[test]
fn ok_against_a_running_redis() {
    let redis = RedisServer::start().unwrap();
    let out = run_check(&["--token", TOKEN, "--redis", &redis.url()], &[]).unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "stderr: {stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("edgestash-server check: OK"), "{stdout}");
    assert!(stdout.contains("PONG"), "{stdout}");
}

#[test]
fn reads_the_same_environment_as_serving() {
    let redis = RedisServer::start().unwrap();
    let url = redis.url();
    let out = run_check(
        &[],
        &[
            ("EDGESTASH_REDIS_URL", url.as_str()),
            ("UPSTASH_REDIS_REST_TOKEN", TOKEN),
        ],
    )
    .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(stdout.contains("PONG"), "{stdout}");
}

#[test]
fn fails_when_redis_is_stopped() {
    let mut redis = RedisServer::start().unwrap();
    let port = redis.port();
    redis.stop();
    let url = format!("redis://:{PASSWORD}@127.0.0.1:{port}");
    let out = run_check(&["--token", TOKEN, "--redis", &url], &[]).unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(!out.status.success());
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("connection refused"), "{stderr}");
}

#[test]
fn fails_on_a_bad_url() {
    let url = format!("http://:{PASSWORD}@127.0.0.1:6379");
    let out = run_check(&["--token", TOKEN, "--redis", &url], &[]).unwrap();
    let (_, stderr) = texts(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("the Redis URL is not valid"), "{stderr}");
}

#[test]
fn fails_on_a_wrong_password_and_passes_with_the_right_one() {
    let redis = RedisServer::start().unwrap();
    let mut conn = redis.connection().unwrap();
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("requirepass")
        .arg(PASSWORD)
        .query(&mut conn)
        .unwrap();
    let port = redis.port();

    let wrong = format!("redis://:wrong-{PASSWORD}@127.0.0.1:{port}");
    let out = run_check(&["--token", TOKEN, "--redis", &wrong], &[]).unwrap();
    let (_, stderr) = texts(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("authentication failed"), "{stderr}");

    let none = format!("redis://127.0.0.1:{port}");
    let out = run_check(&["--token", TOKEN, "--redis", &none], &[]).unwrap();
    let (_, stderr) = texts(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("authentication failed"), "{stderr}");

    let right = format!("redis://:{PASSWORD}@127.0.0.1:{port}");
    let out = run_check(&["--token", TOKEN, "--redis", &right], &[]).unwrap();
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "stderr: {stderr}");
}

#[test]
fn fails_without_a_token() {
    let out = run_check(&["--memory"], &[]).unwrap();
    let (_, stderr) = texts(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("a token is required"), "{stderr}");
}

#[test]
fn memory_backend_passes() {
    let out = run_check(&["--memory", "--token", TOKEN], &[]).unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(stdout.contains("memory backend"), "{stdout}");
}

/// Runs the check with `args` after `--token`; asserts it passed and
/// returns stdout.
fn passes(args: &[&str]) -> std::io::Result<String> {
    let out = run_check(&[&["--token", TOKEN][..], args].concat(), &[])?;
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "stderr: {stderr}");
    Ok(stdout)
}

/// Runs the check with `args` after `--token`; asserts it failed and
/// returns stderr.
fn fails(args: &[&str]) -> std::io::Result<String> {
    let out = run_check(&[&["--token", TOKEN][..], args].concat(), &[])?;
    let (_, stderr) = texts(&out);
    assert!(!out.status.success(), "passed unexpectedly: {stderr}");
    Ok(stderr)
}

/// TLS: the right CA, an ACL user and a database pass; an unrelated CA
/// fails with a clear message that names the flag and leaks nothing.
#[test]
fn tls_with_the_right_ca_passes_and_a_wrong_ca_fails_clearly() {
    use edgestash_integration::tls::TestPki;
    let pki = TestPki::generate().unwrap();
    let redis = pki.start_redis(false).unwrap();
    let mut admin = pki.connection(&redis).unwrap();
    edgestash_integration::redis_server::create_acl_user(&mut admin, "checker", PASSWORD, "~*")
        .unwrap();
    let url = format!("rediss://checker:{PASSWORD}@127.0.0.1:{}/3", redis.port());
    let ca = pki.ca_file();
    let ca = ca.to_str().unwrap();
    let stdout = passes(&["--redis", &url, "--redis-ca-file", ca]).unwrap();
    assert!(stdout.contains("PONG"), "{stdout}");

    let wrong = pki.wrong_ca_file();
    let stderr = fails(&["--redis", &url, "--redis-ca-file", wrong.to_str().unwrap()]).unwrap();
    assert!(
        stderr.contains("certificate is not trusted") && stderr.contains("--redis-ca-file"),
        "{stderr}"
    );

    // Plain TCP to a TLS-only port: a clear failure, not a hang.
    let plain = format!("redis://checker:{PASSWORD}@127.0.0.1:{}", redis.port());
    let stderr = fails(&["--redis", &plain]).unwrap();
    assert!(
        stderr.contains("cannot connect to the Redis backend"),
        "{stderr}"
    );

    // A CA file with a redis:// URL is a configuration error.
    let stderr = fails(&["--redis", &plain, "--redis-ca-file", ca]).unwrap();
    assert!(stderr.contains("needs a rediss:// URL"), "{stderr}");
}

#[test]
fn sentinel_backend_passes_and_a_wrong_master_name_fails() {
    let topology =
        edgestash_integration::sentinel::SentinelTopology::start_with(Some(PASSWORD)).unwrap();
    let sentinels = topology.sentinel_addrs().join(",");
    let stdout = passes(&[
        "--sentinel",
        &sentinels,
        "--master-name",
        "mymaster",
        "--sentinel-password",
        PASSWORD,
    ])
    .unwrap();
    assert!(stdout.contains("sentinels answered PONG"), "{stdout}");
    let stderr = fails(&["--sentinel", &sentinels, "--master-name", "mymaster"]).unwrap();
    assert!(stderr.contains("--sentinel-password"), "{stderr}");
    let stderr = fails(&[
        "--sentinel",
        &sentinels,
        "--master-name",
        "nosuchmaster",
        "--sentinel-password",
        PASSWORD,
    ])
    .unwrap();
    assert!(
        stderr.contains("nosuchmaster") && stderr.contains("--master-name"),
        "{stderr}"
    );
}

#[test]
fn cluster_backend_passes() {
    let cluster = edgestash_integration::cluster::RedisCluster::start().unwrap();
    let stdout = passes(&["--cluster", &cluster.addrs().join(",")]).unwrap();
    assert!(
        stdout.contains("every cluster primary answered PONG"),
        "{stdout}"
    );
}

#[test]
fn unreachable_sentinels_and_cluster_fail_clearly() {
    let nothing = format!(
        "127.0.0.1:{}",
        edgestash_integration::redis_server::free_port().unwrap()
    );
    let stderr = fails(&["--sentinel", &nothing, "--master-name", "mymaster"]).unwrap();
    assert!(stderr.contains("cannot reach the sentinels"), "{stderr}");
    let stderr = fails(&["--cluster", &nothing]).unwrap();
    assert!(
        stderr.contains("cannot reach the Redis Cluster"),
        "{stderr}"
    );
    let stderr = fails(&["--cluster", "no-port-here"]).unwrap();
    assert!(
        stderr.contains("--cluster address number 1 is not host:port"),
        "{stderr}"
    );
}
