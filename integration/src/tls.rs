//! Certificates for TLS tests, generated at test time: a CA, a server
//! certificate for 127.0.0.1/localhost and a client certificate signed by
//! it, and an unrelated CA to prove a wrong CA is refused.
//!
//! Owns: generating them (rcgen, so CI needs no openssl CLI), writing them
//! as PEM files into a private temporary directory removed on drop, and the
//! redis-server arguments that use them. Must not: be used outside tests
//! (the keys are throwaway and unprotected).

use std::io;
use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};

use crate::RedisServer;

/// A throwaway PKI in a temporary directory; the directory goes on drop.
#[derive(Debug)]
pub struct TestPki {
    dir: PathBuf,
}

impl TestPki {
    /// Generates the CA, server and client certificates and an unrelated CA.
    pub fn generate() -> io::Result<Self> {
        let dir = unique_temp_dir("edgestash-tls")?;
        let pki = Self { dir };
        let (ca, ca_key) = new_ca("edgestash test CA")?;
        write(&pki.ca_file(), &ca.pem())?;
        let (other, _) = new_ca("an unrelated CA")?;
        write(&pki.wrong_ca_file(), &other.pem())?;

        let server_key = KeyPair::generate().map_err(other_err)?;
        let server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .map_err(other_err)?
            .signed_by(&server_key, &ca, &ca_key)
            .map_err(other_err)?;
        write(&pki.server_cert_file(), &server.pem())?;
        write(&pki.server_key_file(), &server_key.serialize_pem())?;

        let client_key = KeyPair::generate().map_err(other_err)?;
        let mut params = CertificateParams::new(Vec::new()).map_err(other_err)?;
        params
            .distinguished_name
            .push(DnType::CommonName, "edgestash test client");
        let client = params
            .signed_by(&client_key, &ca, &ca_key)
            .map_err(other_err)?;
        write(&pki.client_cert_file(), &client.pem())?;
        write(&pki.client_key_file(), &client_key.serialize_pem())?;
        Ok(pki)
    }

    /// The CA bundle (PEM) that signed the server and client certificates.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A CA (PEM) that signed nothing here: trusting only it must fail.
    pub fn wrong_ca_file(&self) -> PathBuf {
        self.dir.join("wrong-ca.pem")
    }

    /// The server certificate (for 127.0.0.1 and localhost).
    pub fn server_cert_file(&self) -> PathBuf {
        self.dir.join("server.pem")
    }

    /// The server's private key.
    pub fn server_key_file(&self) -> PathBuf {
        self.dir.join("server-key.pem")
    }

    /// A client certificate signed by the CA, for mutual TLS.
    pub fn client_cert_file(&self) -> PathBuf {
        self.dir.join("client.pem")
    }

    /// The client certificate's private key.
    pub fn client_key_file(&self) -> PathBuf {
        self.dir.join("client-key.pem")
    }

    /// redis-server arguments for these certificates; `require_client_cert`
    /// sets `--tls-auth-clients yes` (mutual TLS) instead of `optional`.
    pub fn server_args(&self, require_client_cert: bool) -> Vec<String> {
        let path = |p: PathBuf| p.to_string_lossy().into_owned();
        vec![
            "--tls-cert-file".to_owned(),
            path(self.server_cert_file()),
            "--tls-key-file".to_owned(),
            path(self.server_key_file()),
            "--tls-ca-cert-file".to_owned(),
            path(self.ca_file()),
            "--tls-auth-clients".to_owned(),
            if require_client_cert {
                "yes"
            } else {
                "optional"
            }
            .to_owned(),
        ]
    }

    /// Starts a TLS-only redis-server (`--port 0`) on a free port with
    /// these certificates.
    pub fn start_redis(&self, require_client_cert: bool) -> io::Result<RedisServer> {
        RedisServer::start_tls(
            crate::redis_server::free_port()?,
            self.server_args(require_client_cert),
        )
    }

    /// A synchronous TLS connection trusting the CA and presenting the
    /// client certificate, for test setup (ACL users, inspection).
    pub fn connection(&self, server: &RedisServer) -> redis::RedisResult<redis::Connection> {
        let certs = redis::TlsCertificates {
            client_tls: Some(redis::ClientTlsConfig {
                client_cert: std::fs::read(self.client_cert_file())?,
                client_key: std::fs::read(self.client_key_file())?,
            }),
            root_cert: Some(std::fs::read(self.ca_file())?),
        };
        redis::Client::build_with_tls(server.url(), certs)?.get_connection()
    }
}

impl Drop for TestPki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh directory under the system's temp dir, private to this process
/// and call.
pub fn unique_temp_dir(prefix: &str) -> io::Result<PathBuf> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn new_ca(name: &str) -> io::Result<(rcgen::Certificate, KeyPair)> {
    let key = KeyPair::generate().map_err(other_err)?;
    let mut params = CertificateParams::new(Vec::new()).map_err(other_err)?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let cert = params.self_signed(&key).map_err(other_err)?;
    Ok((cert, key))
}

fn write(path: &Path, pem: &str) -> io::Result<()> {
    std::fs::write(path, pem)
}

fn other_err(e: rcgen::Error) -> io::Error {
    io::Error::other(format!("certificate generation failed: {e}"))
}
