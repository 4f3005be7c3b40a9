//! Tenant namespaces: a workspace (`ws:<id>:`) reads, writes, lists and
//! deletes only its own keys.
//!
//! Owns: the allow-list of commands a workspace may run and where their keys
//! are (`key_specs.rs`), prefixing those keys and channels, escaping the
//! prefix in patterns, un-prefixing key names in replies, and refusing
//! everything that reaches beyond one workspace (FLUSHALL, CONFIG, SORT BY,
//! unregistered scripts, commands with no key spec).
//!
//! Must not: do I/O or know the transport; it is applied by the client at
//! its one chokepoint. Pure code that compiles for every target.

mod key_specs;
mod locate;
mod pattern;
mod reply;
mod scripts;
mod workspace_id;

pub use key_specs::{allowed_commands, ReplyKeys};
pub use scripts::ScriptAllowList;
pub use workspace_id::MAX_WORKSPACE_ID_LEN;

use crate::error::{Error, NamespaceRefusal, Result};
use crate::protocol::{ArgKind, Command, Value};

/// The key prefix of one workspace and the scripts it may run.
///
/// Built with [`Namespace::workspace`]; applied with [`Namespace::scope`]
/// before sending and [`Namespace::unscope_reply`] after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    prefix: Vec<u8>,
    pattern_prefix: Vec<u8>,
    scripts: ScriptAllowList,
}

/// A command rewritten for a namespace, and how to read its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    /// The command to send: keys and channels prefixed, patterns anchored.
    pub command: Command,
    /// Which parts of the reply are key names.
    pub reply: ReplyKeys,
    /// Positions (in the arguments after the name) of the keys that were
    /// prefixed; channels and patterns are not counted.
    pub key_positions: Vec<usize>,
}

impl Namespace {
    /// The namespace of workspace `id`: prefix `ws:<id>:`, edgestash's own
    /// scripts allowed. The id must be 1 to 64 characters of
    /// `[A-Za-z0-9_-]`; anything else is an [`Error::Namespace`] with
    /// [`NamespaceRefusal::InvalidWorkspaceId`], never a rewritten id.
    pub fn workspace(id: &str) -> Result<Self> {
        workspace_id::validate(id)?;
        let prefix = format!("ws:{id}:").into_bytes();
        Ok(Self {
            pattern_prefix: pattern::escape_glob(&prefix),
            prefix,
            scripts: ScriptAllowList::edgestash(),
        })
    }

    /// Replaces the scripts this namespace accepts.
    pub fn with_scripts(mut self, scripts: ScriptAllowList) -> Self {
        self.scripts = scripts;
        self
    }

    /// The scripts this namespace accepts.
    pub fn scripts(&self) -> &ScriptAllowList {
        &self.scripts
    }

    /// The key prefix, `ws:<id>:`.
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// A channel name as sent for this namespace: `ws:<id>:<channel>`.
    pub fn scope_channel(&self, channel: &[u8]) -> Vec<u8> {
        [&self.prefix[..], channel].concat()
    }

    /// A channel pattern as sent for this namespace: the prefix with its glob
    /// metacharacters escaped, then `pattern`, so it matches only this
    /// workspace's channels.
    pub fn scope_pattern(&self, pattern: &[u8]) -> Vec<u8> {
        [&self.pattern_prefix[..], pattern].concat()
    }

    /// A received channel name without the prefix; `None` when it is not
    /// this workspace's (such a message is dropped, never shown).
    pub fn unscope_channel<'a>(&self, channel: &'a [u8]) -> Option<&'a [u8]> {
        channel.strip_prefix(&self.prefix[..])
    }

    /// A received pattern without the escaped prefix; `None` when it is not
    /// one this workspace subscribed.
    pub fn unscope_pattern<'a>(&self, pattern: &'a [u8]) -> Option<&'a [u8]> {
        pattern.strip_prefix(&self.pattern_prefix[..])
    }

    /// Rewrites `command` for this namespace, or refuses it.
    ///
    /// The command's name picks its key spec; a command without one is
    /// refused. Arguments a typed builder marked as key, channel or pattern
    /// must be exactly where the spec puts one of that kind (a mismatch is a
    /// bug and is refused); unmarked arguments follow the spec.
    pub fn scope(&self, command: Command) -> Result<Scoped> {
        let name = command.upper_name();
        let refuse = |reason| Error::namespace(Some(&name), reason);
        let Some(entry) = key_specs::lookup(&name) else {
            return Err(refuse(if key_specs::is_forbidden(&name) {
                NamespaceRefusal::Forbidden
            } else {
                NamespaceRefusal::UnknownCommand
            }));
        };
        let targets =
            locate::locate(entry.keys, command.args_slice(), &self.scripts).map_err(refuse)?;
        let role_at = |i: usize| {
            targets
                .positions
                .iter()
                .find(|(p, _)| *p == i)
                .map_or(ArgKind::Value, |(_, role)| *role)
        };
        let marks_agree = command
            .args_slice()
            .iter()
            .enumerate()
            .all(|(i, arg)| arg.kind == ArgKind::Value || arg.kind == role_at(i));
        if !marks_agree {
            return Err(refuse(NamespaceRefusal::KeyMarkMismatch));
        }

        let mut command = command;
        let mut key_positions = Vec::new();
        let mut done = Vec::with_capacity(targets.positions.len());
        for &(i, role) in &targets.positions {
            // A position listed twice must not be prefixed twice.
            if done.contains(&i) {
                continue;
            }
            done.push(i);
            let Some(arg) = command.args_mut().get_mut(i) else {
                return Err(refuse(NamespaceRefusal::MalformedArguments));
            };
            let head = if role == ArgKind::Pattern {
                &self.pattern_prefix
            } else {
                &self.prefix
            };
            let mut bytes = Vec::with_capacity(head.len() + arg.bytes.len());
            bytes.extend_from_slice(head);
            bytes.extend_from_slice(&arg.bytes);
            arg.bytes = bytes;
            arg.kind = role;
            if role == ArgKind::Key {
                key_positions.push(i);
            }
        }
        if targets.append_match {
            let mut all = self.pattern_prefix.clone();
            all.push(b'*');
            command = command.arg("MATCH").pattern(all);
        }
        Ok(Scoped {
            command,
            reply: entry.reply,
            key_positions,
        })
    }

    /// Removes the prefix from the key names of a reply to a command scoped
    /// with `reply` as its [`Scoped::reply`]; KEYS and SCAN keep only names
    /// inside the namespace.
    pub fn unscope_reply(&self, reply: ReplyKeys, value: Value) -> Value {
        reply::unprefix(&self.prefix, reply, value)
    }
}

#[cfg(test)]
mod tests;
