//! The TLS files for a `rediss://` connection (`--redis-ca-file`,
//! `--redis-client-cert`, `--redis-client-key`): reading them and checking
//! they hold PEM blocks of the right kind.
//!
//! Owns: turning [`RedisTls`] into redis-rs's [`TlsCertificates`]. Must
//! not: put a file's contents in an error (its path is fine), or open
//! connections.

use std::path::Path;

use ::redis::{ClientTlsConfig, TlsCertificates};

use super::ConnectError;
use crate::config::RedisTls;

/// Reads the TLS files; `None` when none is set. A file set for a
/// non-TLS connection is an error rather than silently unused.
pub fn certificates(tls: &RedisTls, is_tls: bool) -> Result<Option<TlsCertificates>, ConnectError> {
    if !tls.is_set() {
        return Ok(None);
    }
    if !is_tls {
        let flag = if tls.ca_file.is_some() {
            "--redis-ca-file"
        } else {
            "--redis-client-cert"
        };
        return Err(ConnectError::TlsFileWithoutTls { flag });
    }
    let root_cert = match &tls.ca_file {
        None => None,
        Some(path) => Some(read_pem(
            "--redis-ca-file",
            path,
            "CERTIFICATE",
            "CA certificate",
        )?),
    };
    let client_tls = match (&tls.client_cert, &tls.client_key) {
        (None, None) => None,
        (Some(cert), Some(key)) => Some(ClientTlsConfig {
            client_cert: read_pem("--redis-client-cert", cert, "CERTIFICATE", "certificate")?,
            client_key: read_pem("--redis-client-key", key, "PRIVATE KEY", "private key")?,
        }),
        _ => return Err(ConnectError::ClientCertWithoutKey),
    };
    Ok(Some(TlsCertificates {
        client_tls,
        root_cert,
    }))
}

/// Reads a PEM file and checks it has a block whose label contains `label`
/// (so `-----BEGIN EC PRIVATE KEY-----` counts as a private key).
fn read_pem(
    flag: &'static str,
    path: &Path,
    label: &str,
    what: &'static str,
) -> Result<Vec<u8>, ConnectError> {
    let bytes = std::fs::read(path).map_err(|e| ConnectError::UnreadableFile {
        flag,
        path: path.to_owned(),
        reason: e.kind().to_string(),
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let has_block = text
        .lines()
        .any(|l| l.starts_with("-----BEGIN ") && l.contains(label));
    if !has_block {
        return Err(ConnectError::BadPem {
            flag,
            path: path.to_owned(),
            what,
        });
    }
    Ok(bytes)
}
