//! From a key spec and a command's arguments to the positions the namespace
//! rewrites, or a refusal.
//!
//! Option parsing mirrors Redis's own parsers (SORT, SCAN, GEORADIUS) so the
//! namespace and the server agree on which argument is a key; where a
//! mismatch would be possible the command is refused instead.

use super::key_specs::{self, KeySpec};
use super::scripts::ScriptAllowList;
use crate::catalog;
use crate::error::NamespaceRefusal;
use crate::protocol::{Arg, ArgKind};

/// Where the rewriting applies.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Targets {
    /// `(position, role)`: role is Key, Channel or Pattern.
    pub positions: Vec<(usize, ArgKind)>,
    /// SCAN without MATCH: a `MATCH <prefix>*` must be appended.
    pub append_match: bool,
}

impl Targets {
    fn key(&mut self, at: usize) {
        self.positions.push((at, ArgKind::Key));
    }
}

type Refusal = NamespaceRefusal;

/// The positions `spec` assigns in `args`, or why the command is refused.
pub(crate) fn locate(
    spec: KeySpec,
    args: &[Arg],
    scripts: &ScriptAllowList,
) -> Result<Targets, Refusal> {
    let mut t = Targets::default();
    match spec {
        KeySpec::Specs(specs) => specs_keys(&mut t, specs, args)?,
        KeySpec::GeoRadius => {
            t.key(0);
            let mut i = 4;
            while i < args.len() {
                if (word_is(args, i, "STORE") || word_is(args, i, "STOREDIST"))
                    && i + 1 < args.len()
                {
                    t.key(i + 1);
                    i += 1;
                }
                i += 1;
            }
        }
        KeySpec::Sort => sort(&mut t, args)?,
        KeySpec::Copy => {
            if (2..args.len()).any(|i| word_is(args, i, "DB")) {
                return Err(Refusal::ForbiddenOption);
            }
            t.key(0);
            t.key(1);
        }
        KeySpec::Channel => t.positions.push((0, ArgKind::Channel)),
        KeySpec::KeysPattern => t.positions.push((0, ArgKind::Pattern)),
        KeySpec::Scan => scan(&mut t, args)?,
        KeySpec::EvalBody | KeySpec::EvalSha => {
            let script = args.first().ok_or(Refusal::MalformedArguments)?;
            let allowed = if spec == KeySpec::EvalBody {
                scripts.allows_body(&script.bytes)
            } else {
                scripts.allows_sha(&script.bytes)
            };
            if !allowed {
                return Err(Refusal::UnregisteredScript);
            }
            counted(&mut t, args, 1)?;
        }
        KeySpec::Script => script_admin(args, scripts)?,
        KeySpec::Subcommands(container) => {
            let sub = args.first().ok_or(Refusal::MalformedArguments)?;
            let inner =
                key_specs::subcommand(container, &sub.bytes).ok_or(Refusal::UnknownCommand)?;
            specs_keys(&mut t, inner, args)?;
        }
    }
    Ok(t)
}

fn word_is(args: &[Arg], i: usize, word: &str) -> bool {
    args.get(i)
        .is_some_and(|a| a.bytes.eq_ignore_ascii_case(word.as_bytes()))
}

/// The keys Redis's key specs find; positions in the specs count the
/// command name as 0, the arguments here start after it.
fn specs_keys(t: &mut Targets, specs: &[catalog::KeySpec], args: &[Arg]) -> Result<(), Refusal> {
    let parts: Vec<&[u8]> = std::iter::once(&b""[..])
        .chain(args.iter().map(|a| a.bytes.as_slice()))
        .collect();
    let found = catalog::key_positions(specs, &parts).map_err(|_| Refusal::MalformedArguments)?;
    for at in found {
        t.key(at.saturating_sub(1));
    }
    Ok(())
}

/// A key count as Redis reads it: decimal digits, no sign, no leading zero.
fn parse_count(arg: &Arg) -> Option<usize> {
    let b = &arg.bytes;
    let digits_only = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let leading_zero = b.len() > 1 && b.first() == Some(&b'0');
    if !digits_only || leading_zero {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

fn counted(t: &mut Targets, args: &[Arg], count_at: usize) -> Result<(), Refusal> {
    let n = args
        .get(count_at)
        .and_then(parse_count)
        .ok_or(Refusal::MalformedArguments)?;
    let first = count_at + 1;
    if first + n > args.len() {
        return Err(Refusal::MalformedArguments);
    }
    for i in first..first + n {
        t.key(i);
    }
    Ok(())
}

/// SORT key [BY p] [LIMIT o c] [GET p...] [ASC|DESC] [ALPHA] [STORE dest],
/// parsed in the order sortCommand does.
fn sort(t: &mut Targets, args: &[Arg]) -> Result<(), Refusal> {
    if args.is_empty() {
        return Err(Refusal::MalformedArguments);
    }
    t.key(0);
    let mut i = 1;
    while i < args.len() {
        if word_is(args, i, "BY") || word_is(args, i, "GET") {
            return Err(Refusal::ForbiddenOption);
        } else if word_is(args, i, "LIMIT") {
            i += 2;
        } else if word_is(args, i, "STORE") && i + 1 < args.len() {
            t.key(i + 1);
            i += 1;
        }
        i += 1;
    }
    Ok(())
}

/// SCAN cursor [MATCH p] [COUNT n] [TYPE t], parsed as scanGenericCommand does.
fn scan(t: &mut Targets, args: &[Arg]) -> Result<(), Refusal> {
    if args.is_empty() {
        return Err(Refusal::MalformedArguments);
    }
    let mut i = 1;
    let mut matched = false;
    while i < args.len() {
        if i + 1 >= args.len() {
            return Err(Refusal::MalformedArguments);
        }
        if word_is(args, i, "MATCH") {
            t.positions.push((i + 1, ArgKind::Pattern));
            matched = true;
        } else if !(word_is(args, i, "COUNT") || word_is(args, i, "TYPE")) {
            return Err(Refusal::MalformedArguments);
        }
        i += 2;
    }
    t.append_match = !matched;
    Ok(())
}

/// SCRIPT LOAD body / SCRIPT EXISTS sha...: only registered scripts. No
/// position is rewritten.
fn script_admin(args: &[Arg], scripts: &ScriptAllowList) -> Result<(), Refusal> {
    if word_is(args, 0, "LOAD") {
        match args.get(1..) {
            Some([body]) if scripts.allows_body(&body.bytes) => Ok(()),
            Some([_]) => Err(Refusal::UnregisteredScript),
            _ => Err(Refusal::MalformedArguments),
        }
    } else if word_is(args, 0, "EXISTS") {
        let shas = args.get(1..).unwrap_or_default();
        if shas.is_empty() {
            Err(Refusal::MalformedArguments)
        } else if shas.iter().all(|s| scripts.allows_sha(&s.bytes)) {
            Ok(())
        } else {
            Err(Refusal::UnregisteredScript)
        }
    } else if args.is_empty() {
        Err(Refusal::MalformedArguments)
    } else {
        Err(Refusal::Forbidden)
    }
}
