use super::*;

#[test]
fn urls_never_reach_errors() {
    let e = client("redis://:hunter2@[bad", &RedisTls::default(), None).unwrap_err();
    assert_eq!(e, ConnectError::InvalidUrl);
    assert!(!e.to_string().contains("hunter2"));
}

#[test]
fn tls_files_need_rediss() {
    let tls = RedisTls {
        ca_file: Some("/nonexistent/ca.pem".into()),
        ..RedisTls::default()
    };
    let e = client("redis://127.0.0.1:6379", &tls, None).unwrap_err();
    assert_eq!(
        e,
        ConnectError::TlsFileWithoutTls {
            flag: "--redis-ca-file"
        }
    );
    let e = client("rediss://127.0.0.1:6379", &tls, None).unwrap_err();
    assert!(
        matches!(
            &e,
            ConnectError::UnreadableFile {
                flag: "--redis-ca-file",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
}

#[test]
fn client_cert_and_key_go_together() {
    let tls = RedisTls {
        client_cert: Some("/x.pem".into()),
        ..RedisTls::default()
    };
    let e = client("rediss://127.0.0.1:6379", &tls, None).unwrap_err();
    assert_eq!(e, ConnectError::ClientCertWithoutKey);
}

#[test]
fn a_file_without_pem_is_refused() {
    let path = std::env::temp_dir().join(format!("edgestash-not-pem-{}", std::process::id()));
    std::fs::write(&path, "not a certificate").unwrap();
    let tls = RedisTls {
        ca_file: Some(path.clone()),
        ..RedisTls::default()
    };
    let e = client("rediss://127.0.0.1:6379", &tls, None).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(
        matches!(
            e,
            ConnectError::BadPem {
                what: "CA certificate",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn addresses_are_host_and_port() {
    assert_eq!(
        host_port("--sentinel", 1, "10.0.0.1:26379").unwrap(),
        ("10.0.0.1".to_owned(), 26379)
    );
    assert_eq!(
        host_port("--sentinel", 1, "[::1]:26379").unwrap(),
        ("::1".to_owned(), 26379)
    );
    for bad in ["10.0.0.1", ":1", "h:port", "h:70000"] {
        assert_eq!(
            host_port("--cluster", 2, bad).unwrap_err(),
            ConnectError::BadAddress {
                flag: "--cluster",
                index: 2
            }
        );
    }
}

#[test]
fn templates_carry_credentials_and_db() {
    let t = Template::parse(Some("rediss://app:pw@ignored:1/3"), None).unwrap();
    assert!(t.tls);
    assert_eq!(t.username.as_deref(), Some("app"));
    assert_eq!(t.password.as_deref(), Some("pw"));
    assert_eq!(t.db, 3);
    let t = Template::parse(None, Some(("u", "p"))).unwrap();
    assert!(!t.tls && t.db == 0 && t.password.as_deref() == Some("p"));
}
