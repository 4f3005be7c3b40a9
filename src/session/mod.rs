//! Server-side sessions in a workspace: create, read, slide, update,
//! regenerate and destroy, with an idle timeout and an absolute lifetime.
//!
//! Owns: the key layout and the atomicity of every change. A session is two
//! keys under the client's namespace, both named by the SHA-256 of the id
//! (the raw id never appears in a key):
//!
//! - `session:<hash>`: the JSON record, whose TTL is the absolute lifetime,
//!   set once at creation and never extended (RENAME and `SET KEEPTTL`
//!   keep it);
//! - `session:<hash>:idle`: a marker whose TTL is the sliding idle timeout;
//!   touching refreshes it with PEXPIRE, which does nothing once it expired.
//!
//! A session is alive while both exist. That makes get+touch one
//! `/multi-exec` (GET the record, PEXPIRE the marker) with no script and no
//! read-then-write, and a plain read (GET + EXISTS) needs only read
//! commands, so it works with a read-only token. Sessions of a user are
//! listed in `session-user:<sha256 of user>` so they can all be destroyed.
//!
//! Must not: know the transport or the engine (layer L6: client, commands
//! and clock only), or log ids, user ids or payloads.

mod cookie;
mod id;
mod record;

pub use cookie::{parse_cookie_header, CookieConfig, SameSite};
pub use id::{SessionId, ID_LEN};
use record::{Meta, Record};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::clock::SharedClock;
use crate::commands::{KeyCommands, SetCommands, SetOptions, StringCommands};
use crate::error::Error;

/// What can go wrong with a session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The id (from a cookie or a caller) does not have the shape of one of
    /// ours; nothing was sent to Redis.
    #[error("malformed session id")]
    MalformedId,
    /// A signed cookie value whose signature does not verify.
    #[error("session cookie signature does not verify")]
    BadSignature,
    /// The platform's random source failed.
    #[error("random source unavailable")]
    Random,
    /// Creating a session found its id taken (a 2^-256 event or a bug).
    #[error("session id already in use")]
    IdCollision,
    /// The payload did not (de)serialize as JSON.
    #[error("session payload is not valid JSON for this type")]
    Json,
    /// Redis or the transport failed.
    #[error(transparent)]
    Redis(#[from] Error),
}

/// Timeouts of sessions, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// Sliding: a session not accessed for this long ends.
    pub idle_ms: u64,
    /// Absolute: a session ends this long after creation, however busy.
    pub absolute_ms: u64,
}

impl Default for SessionConfig {
    /// 30 minutes idle, 12 hours absolute (OWASP's ranges for ordinary apps).
    fn default() -> Self {
        Self {
            idle_ms: 30 * 60 * 1000,
            absolute_ms: 12 * 60 * 60 * 1000,
        }
    }
}

/// A live session as read from Redis.
#[derive(Debug, Clone, PartialEq)]
pub struct Session<T> {
    /// The id (a secret: send it only in the cookie).
    pub id: SessionId,
    /// The user it belongs to, if signed in.
    pub user: Option<String>,
    /// When it was created (Unix ms, the store's clock).
    pub created_ms: u64,
    /// When its absolute lifetime ends (Unix ms, the store's clock).
    pub expires_ms: u64,
    /// The application's payload.
    pub data: T,
}

/// Sessions stored through one (normally workspace-scoped) client.
#[derive(Debug, Clone)]
pub struct SessionStore {
    client: Client,
    config: SessionConfig,
    clock: SharedClock,
}

/// The record's key; its TTL is the absolute lifetime.
fn data_key(hash: &str) -> String {
    format!("session:{hash}")
}

/// The idle marker's key; its TTL is the sliding idle timeout.
fn idle_key(hash: &str) -> String {
    format!("session:{hash}:idle")
}

/// The set of a user's sessions, named by the SHA-256 of the user id so
/// the id itself never appears in a key.
fn user_key(user: &str) -> String {
    format!(
        "session-user:{}",
        crate::scripts::to_hex(&Sha256::digest(user.as_bytes()))
    )
}

/// Milliseconds as Redis's signed PX/PEXPIRE argument (saturating).
fn millis(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A stored JSON body; the serde error (which may quote the data) is dropped.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, SessionError> {
    serde_json::from_slice(bytes).map_err(|_| SessionError::Json)
}

impl SessionStore {
    /// A store writing through `client` (scope it with
    /// [`Client::workspace`] to keep tenants apart), with `config`'s
    /// timeouts and `clock` for the timestamps in records and cookies.
    pub fn new(client: Client, config: SessionConfig, clock: SharedClock) -> Self {
        Self {
            client,
            config,
            clock,
        }
    }

    /// The timeouts in force.
    pub fn config(&self) -> SessionConfig {
        self.config
    }

    /// Creates a session for `user` (None: anonymous) holding `data`: one
    /// `/multi-exec` with `SET NX` for both keys and the user index.
    pub async fn create<T: Serialize + Clone>(
        &self,
        user: Option<&str>,
        data: &T,
    ) -> Result<Session<T>, SessionError> {
        let id = SessionId::generate()?;
        let hash = id.key_hash();
        let now = self.clock.now_ms();
        let record = Record {
            user: user.map(str::to_owned),
            created_ms: now,
            expires_ms: now.saturating_add(self.config.absolute_ms),
            data: data.clone(),
        };
        let body = serde_json::to_vec(&record).map_err(|_| SessionError::Json)?;
        let tx = self.client.multi();
        let set = tx.set_with(
            data_key(&hash),
            body,
            SetOptions::default().nx().px(self.config.absolute_ms),
        );
        let _ = tx.set_with(
            idle_key(&hash),
            "1",
            SetOptions::default().nx().px(self.config.idle_ms),
        );
        if let Some(user) = user {
            let index = user_key(user);
            let _ = tx.sadd(&index, [&hash]);
            // Every session in the index ends by then; newer ones push it on.
            let _ = tx.pexpire(&index, millis(self.config.absolute_ms));
        }
        let mut results = tx.exec().await?;
        if !results.take(set)? {
            return Err(SessionError::IdCollision);
        }
        self.client.metrics().record_session(true);
        Ok(Session {
            id,
            user: record.user,
            created_ms: record.created_ms,
            expires_ms: record.expires_ms,
            data: record.data,
        })
    }

    /// Reads a session and slides its idle timeout, in ONE round trip (GET
    /// and PEXPIRE in one transaction). None when it does not exist, idled
    /// out or reached its absolute lifetime.
    pub async fn get_and_touch<T: DeserializeOwned>(
        &self,
        id: &SessionId,
    ) -> Result<Option<Session<T>>, SessionError> {
        let hash = id.key_hash();
        let tx = self.client.multi();
        let get = tx.get(data_key(&hash));
        let touched = tx.pexpire(idle_key(&hash), millis(self.config.idle_ms));
        let mut results = tx.exec().await?;
        let body = results.take(get)?;
        let alive = results.take(touched)?;
        self.finish(id, body, alive)
    }

    /// Reads a session without writing anything (it works with a read-only
    /// token and does not slide the idle timeout): GET and EXISTS in one
    /// transaction.
    pub async fn get<T: DeserializeOwned>(
        &self,
        id: &SessionId,
    ) -> Result<Option<Session<T>>, SessionError> {
        let hash = id.key_hash();
        let tx = self.client.multi();
        let get = tx.get(data_key(&hash));
        let idle = tx.exists([idle_key(&hash)]);
        let mut results = tx.exec().await?;
        let body = results.take(get)?;
        let alive = results.take(idle)? == 1;
        self.finish(id, body, alive)
    }

    fn finish<T: DeserializeOwned>(
        &self,
        id: &SessionId,
        body: Option<Vec<u8>>,
        alive: bool,
    ) -> Result<Option<Session<T>>, SessionError> {
        let Some(body) = body.filter(|_| alive) else {
            return Ok(None);
        };
        let record: Record<T> = decode(&body)?;
        Ok(Some(Session {
            id: id.clone(),
            user: record.user,
            created_ms: record.created_ms,
            expires_ms: record.expires_ms,
            data: record.data,
        }))
    }

    /// Slides the idle timeout without reading the payload. False when the
    /// session is gone.
    pub async fn touch(&self, id: &SessionId) -> Result<bool, SessionError> {
        let hash = id.key_hash();
        let tx = self.client.multi();
        let exists = tx.exists([data_key(&hash)]);
        let touched = tx.pexpire(idle_key(&hash), millis(self.config.idle_ms));
        let mut results = tx.exec().await?;
        Ok(results.take(exists)? == 1 && results.take(touched)?)
    }

    /// Replaces the payload of a live session and slides its idle timeout,
    /// keeping its absolute lifetime (`SET XX KEEPTTL` + PEXPIRE, one
    /// transaction). False when the session is gone.
    pub async fn update<T: Serialize>(&self, session: &Session<T>) -> Result<bool, SessionError> {
        let hash = session.id.key_hash();
        let record = Record {
            user: session.user.clone(),
            created_ms: session.created_ms,
            expires_ms: session.expires_ms,
            data: &session.data,
        };
        let body = serde_json::to_vec(&record).map_err(|_| SessionError::Json)?;
        let tx = self.client.multi();
        let set = tx.set_with(data_key(&hash), body, SetOptions::default().xx().keep_ttl());
        let touched = tx.pexpire(idle_key(&hash), millis(self.config.idle_ms));
        let mut results = tx.exec().await?;
        Ok(results.take(set)? && results.take(touched)?)
    }

    /// Gives a session a new id (on login, logout or any privilege change)
    /// and kills the old one in the same transaction: both keys are renamed
    /// (keeping their TTLs, so the absolute lifetime does not restart) and
    /// the user index swaps the hashes. None when the session was gone.
    pub async fn regenerate<T: Clone>(
        &self,
        session: &Session<T>,
    ) -> Result<Option<Session<T>>, SessionError> {
        let old = session.id.key_hash();
        let id = SessionId::generate()?;
        let new = id.key_hash();
        let tx = self.client.multi();
        let moved = tx.renamenx(data_key(&old), data_key(&new));
        let moved_idle = tx.renamenx(idle_key(&old), idle_key(&new));
        let index = session.user.as_deref().map(user_key);
        if let Some(index) = &index {
            let _ = tx.srem(index, [&old]);
            let _ = tx.sadd(index, [&new]);
        }
        let mut results = tx.exec_each().await?;
        // RENAMENX of a missing key fails its slot only; the session had
        // expired, so remove whatever half of it moved.
        let ok =
            matches!(results.take(moved), Ok(true)) && matches!(results.take(moved_idle), Ok(true));
        if !ok {
            let tx = self.client.multi();
            let _ = tx.del([data_key(&new), idle_key(&new)]);
            if let Some(index) = &index {
                let _ = tx.srem(index, [&new]);
            }
            tx.exec().await?;
            return Ok(None);
        }
        Ok(Some(Session {
            id,
            ..session.clone()
        }))
    }

    /// Ends a session: both keys and its index entry in one transaction.
    /// True when it was alive.
    pub async fn destroy<T>(&self, session: &Session<T>) -> Result<bool, SessionError> {
        self.destroy_parts(&session.id, session.user.as_deref())
            .await
    }

    /// Ends a session known only by id: reads the owner first (a user never
    /// changes for a key, so the read cannot go stale), then deletes as
    /// [`SessionStore::destroy`] does. Two round trips.
    pub async fn destroy_id(&self, id: &SessionId) -> Result<bool, SessionError> {
        let body = self.client.get(data_key(&id.key_hash())).await?;
        let user = match body {
            Some(body) => decode::<Meta>(&body)?.user,
            None => None,
        };
        self.destroy_parts(id, user.as_deref()).await
    }

    async fn destroy_parts(
        &self,
        id: &SessionId,
        user: Option<&str>,
    ) -> Result<bool, SessionError> {
        let hash = id.key_hash();
        let tx = self.client.multi();
        let deleted = tx.del([data_key(&hash), idle_key(&hash)]);
        if let Some(user) = user {
            let _ = tx.srem(user_key(user), [&hash]);
        }
        let mut results = tx.exec().await?;
        let alive = results.take(deleted)? == 2;
        if alive {
            self.client.metrics().record_session(false);
        }
        Ok(alive)
    }

    /// Ends every session of `user` (e.g. on password change) and returns
    /// how many were alive. Members are removed from the index by name, so
    /// a session created meanwhile stays indexed.
    pub async fn destroy_user(&self, user: &str) -> Result<u64, SessionError> {
        let index = user_key(user);
        let hashes: Vec<Vec<u8>> = self.client.smembers(&index).await?;
        if hashes.is_empty() {
            return Ok(0);
        }
        let hashes: Vec<String> = hashes
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let tx = self.client.multi();
        let deleted = tx.del(hashes.iter().map(|h| data_key(h)));
        let _ = tx.del(hashes.iter().map(|h| idle_key(h)));
        let _ = tx.srem(&index, &hashes);
        let mut results = tx.exec().await?;
        let n = u64::try_from(results.take(deleted)?).unwrap_or(0);
        for _ in 0..n {
            self.client.metrics().record_session(false);
        }
        Ok(n)
    }
}
