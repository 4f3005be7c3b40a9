//! Lua scripting: EVAL, EVALSHA, SCRIPT EXISTS/LOAD, and [`Script`], which
//! runs a script by its SHA-1 and sends the body only when the server lacks it.
//!
//! Must not: put a script body in an error (the [`Error`] rules forbid it),
//! nor decide a NOSCRIPT by reading message text: [`Error::is_noscript`] does.

use super::Commands;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::protocol::{Command, FromValue, ToArg};

/// `EVAL|EVALSHA body numkeys key... arg...`, with keys marked as keys and
/// `numkeys` counted from them.
fn script_command<K: ToArg, A: ToArg>(
    name: &'static str,
    body: impl ToArg,
    keys: impl IntoIterator<Item = K>,
    args: impl IntoIterator<Item = A>,
) -> Command {
    let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
    Command::new(name)
        .arg(body)
        .arg(keys.len())
        .keys(keys)
        .args(args)
}

/// EVAL, EVALSHA, SCRIPT EXISTS, SCRIPT LOAD.
pub trait ScriptingCommands: Commands {
    /// EVAL: runs the Lua `script` with `keys` (KEYS[]) and `args` (ARGV[]);
    /// the reply converts to `T` (use [`Value`](crate::Value) for anything).
    fn eval<T, K, A>(
        &self,
        script: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("EVAL", script, keys, args))
    }

    /// EVALSHA: runs a script the server already has, by its SHA-1 (hex).
    /// Fails with an error whose [`Error::is_noscript`] is true when the
    /// server does not have it: [`Script::run`] handles that for you.
    fn evalsha<T, K, A>(
        &self,
        sha1: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("EVALSHA", sha1, keys, args))
    }

    /// SCRIPT EXISTS: for each SHA-1, whether the server has that script.
    fn script_exists<S: ToArg>(
        &self,
        sha1s: impl IntoIterator<Item = S>,
    ) -> Self::Reply<Vec<bool>> {
        self.command(Command::new("SCRIPT").arg("EXISTS").args(sha1s))
    }

    /// SCRIPT LOAD: stores a script and returns its SHA-1.
    ///
    /// Caveat (docs/PROTOCOL.md): on Upstash, SCRIPT LOAD does not advance the
    /// read-your-writes token, so an EVALSHA right after it may reach a
    /// replica that lacks the script. Prefer [`Script::run`], which loads a
    /// script by EVAL when EVALSHA answers NOSCRIPT.
    fn script_load(&self, script: impl ToArg) -> Self::Reply<String> {
        self.command(Command::new("SCRIPT").arg("LOAD").arg(script))
    }

    /// EVAL_RO: runs a script that may only read (writes are refused).
    fn eval_ro<T, K, A>(
        &self,
        script: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("EVAL_RO", script, keys, args))
    }

    /// EVALSHA_RO: [`evalsha`](Self::evalsha) of a read-only run.
    fn evalsha_ro<T, K, A>(
        &self,
        sha1: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("EVALSHA_RO", sha1, keys, args))
    }

    /// SCRIPT FLUSH: forgets every cached script.
    fn script_flush(&self) -> Self::Reply<()> {
        self.command(Command::new("SCRIPT").arg("FLUSH"))
    }

    /// FCALL: calls a function a library registered (FUNCTION LOAD).
    fn fcall<T, K, A>(
        &self,
        function: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("FCALL", function, keys, args))
    }

    /// FCALL_RO: [`fcall`](Self::fcall) of a `no-writes` function.
    fn fcall_ro<T, K, A>(
        &self,
        function: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Self::Reply<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        self.command(script_command("FCALL_RO", function, keys, args))
    }

    /// FUNCTION LOAD: loads a library (`#!lua name=...`); returns its
    /// name. `replace` replaces a library of that name.
    fn function_load(&self, code: impl ToArg, replace: bool) -> Self::Reply<String> {
        let mut cmd = Command::new("FUNCTION").arg("LOAD");
        if replace {
            cmd = cmd.arg("REPLACE");
        }
        self.command(cmd.arg(code))
    }

    /// FUNCTION DELETE: removes a library and its functions.
    fn function_delete(&self, library: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("FUNCTION").arg("DELETE").arg(library))
    }

    /// FUNCTION FLUSH: removes every library.
    fn function_flush(&self) -> Self::Reply<()> {
        self.command(Command::new("FUNCTION").arg("FLUSH"))
    }

    /// FUNCTION LIST: the libraries and their functions, as Redis lists them.
    fn function_list(&self) -> Self::Reply<crate::protocol::Value> {
        self.command(Command::new("FUNCTION").arg("LIST"))
    }
}

impl<C: Commands + ?Sized> ScriptingCommands for C {}

/// One call of [`Script::run_all`]: the script, its KEYS and its ARGV.
pub type ScriptCall<'a> = (&'a Script, &'a [String], &'a [String]);

/// A Lua script and its SHA-1, to run by hash and fall back to the body.
///
/// Build it once (e.g. in a `static` via `LazyLock`) and call
/// [`Script::run`]: the body crosses the network only when the server does
/// not know the script yet.
#[derive(Clone, PartialEq, Eq)]
pub struct Script {
    source: String,
    sha1: String,
}

/// Shows the SHA-1 only: a script body must not end up in logs.
impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script").field("sha1", &self.sha1).finish()
    }
}

impl Script {
    /// Wraps `source` and computes its SHA-1, as Redis names scripts.
    pub fn new(source: impl Into<String>) -> Self {
        let source = source.into();
        let sha1 = crate::scripts::sha1_hex(source.as_bytes());
        Self { source, sha1 }
    }

    /// The Lua source.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The SHA-1 of the source, 40 lower-case hex digits.
    pub fn sha1(&self) -> &str {
        &self.sha1
    }

    /// Runs the script: EVALSHA first, and EVAL with the body only when the
    /// server answers NOSCRIPT (which also stores the script for next time).
    /// Any other error is returned as is.
    pub async fn run<T, K, A>(
        &self,
        client: &Client,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> Result<T>
    where
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
        let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.to_arg()).collect();
        match client.evalsha::<T, _, _>(&self.sha1, &keys, &args).await {
            Err(e) if e.is_noscript() => client.eval::<T, _, _>(&self.source, &keys, &args).await,
            other => other,
        }
    }

    /// Runs several script calls (each a script, its KEYS and its ARGV) in
    /// one round trip: one pipeline of EVALSHA, then, only when the server
    /// answered NOSCRIPT for some, a second pipeline re-sending just those
    /// with EVAL: [`Script::run`]'s fallback, batched. One outcome per
    /// call, in order; a failed request fails the calls it carried.
    pub async fn run_all<T>(client: &Client, calls: &[ScriptCall<'_>]) -> Vec<Result<T>>
    where
        T: FromValue + Send + 'static,
    {
        let mut replies: Vec<Option<Result<T>>> = calls.iter().map(|_| None).collect();
        for with_body in [false, true] {
            let pending: Vec<usize> = replies
                .iter()
                .enumerate()
                .filter(|(_, r)| match r {
                    None => true,
                    Some(Err(e)) => e.is_noscript(),
                    Some(Ok(_)) => false,
                })
                .map(|(i, _)| i)
                .collect();
            if pending.is_empty() {
                break;
            }
            let batch = client.pipeline();
            let slots: Vec<_> = pending
                .iter()
                .filter_map(|&i| calls.get(i))
                .map(|(script, keys, args)| match with_body {
                    false => batch.evalsha::<T, _, _>(&script.sha1, *keys, *args),
                    true => batch.eval::<T, _, _>(&script.source, *keys, *args),
                })
                .collect();
            match batch.exec_each().await {
                Ok(mut results) => {
                    for (&i, slot) in pending.iter().zip(slots) {
                        if let Some(r) = replies.get_mut(i) {
                            *r = Some(results.take(slot));
                        }
                    }
                }
                Err(e) => {
                    for &i in &pending {
                        if let Some(r) = replies.get_mut(i) {
                            *r = Some(Err(e.clone()));
                        }
                    }
                    break;
                }
            }
        }
        replies
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(Error::UnexpectedReply {
                        command: Some("PIPELINE".to_owned()),
                        expected: "a reply per command",
                        got: "fewer replies",
                    })
                })
            })
            .collect()
    }

    /// Queues or runs the script with EVAL (the body always sent): for
    /// pipelines and transactions, where a NOSCRIPT could not be answered by
    /// a second try inside the same batch.
    pub fn eval_on<C, T, K, A>(
        &self,
        on: &C,
        keys: impl IntoIterator<Item = K>,
        args: impl IntoIterator<Item = A>,
    ) -> C::Reply<T>
    where
        C: Commands + ?Sized,
        T: FromValue + Send + 'static,
        K: ToArg,
        A: ToArg,
    {
        on.eval(&self.source, keys, args)
    }
}

// The NOSCRIPT check must stay typed; make sure the method exists.
const _: fn(&Error) -> bool = Error::is_noscript;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};
    use crate::protocol::Value;

    #[test]
    fn builds_scripting_commands() {
        let r = Recorder;
        assert_wire!(
            r.eval::<Value, _, _>("return 1", ["k1", "k2"], ["a"]),
            ["EVAL", "return 1", "2", "@k1", "@k2", "a"]
        );
        assert_wire!(
            r.evalsha::<Value, &str, &str>("abc", [], []),
            ["EVALSHA", "abc", "0"]
        );
        assert_wire!(
            r.script_exists(["abc", "def"]),
            ["SCRIPT", "EXISTS", "abc", "def"]
        );
        assert_wire!(r.script_load("return 1"), ["SCRIPT", "LOAD", "return 1"]);
    }

    #[test]
    fn script_sha1_matches_redis() {
        // `redis-cli SCRIPT LOAD "return 1"` answers this hash.
        let s = Script::new("return 1");
        assert_eq!(s.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        assert!(!format!("{s:?}").contains("return"));
        assert_wire!(
            s.eval_on::<_, Value, _, _>(&Recorder, ["k"], ["v"]),
            ["EVAL", "return 1", "1", "@k", "v"]
        );
    }
}
