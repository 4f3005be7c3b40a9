//! String commands: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET
//! MSETNX APPEND STRLEN GETRANGE SETRANGE.
//!
//! Owns: whole-string reads and writes and their TTL rules (a plain write
//! clears the TTL unless KEEPTTL; APPEND and SETRANGE keep it). Counters
//! live in `counters`, bit operations in `bitmaps`.

use super::ctx::{bulk, is, parse_int, ArgError, Args, Ctx, Reply};
use super::db::Data;
use super::expire::invalid_expire;
use super::Registration;
use crate::protocol::Value;

/// Redis's default proto-max-bulk-len: the largest string it builds.
pub(super) const MAX_STRING: u64 = 512 * 1024 * 1024;

/// Redis's error when a write would grow a string past [`MAX_STRING`].
pub(super) const TOO_BIG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

pub(super) const COMMANDS: &[Registration] = &[
    ("get", get),
    ("set", set),
    ("setnx", setnx),
    ("setex", setex),
    ("psetex", psetex),
    ("getset", getset),
    ("getdel", getdel),
    ("getex", getex),
    ("mget", mget),
    ("mset", mset),
    ("msetnx", msetnx),
    ("append", append),
    ("strlen", strlen),
    ("getrange", getrange),
    // SUBSTR is GETRANGE's old name; Redis 7 runs the same code for both.
    ("substr", getrange),
    ("setrange", setrange),
];

fn get(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(ctx.get_str(key)?.map_or(Value::Nil, |s| bulk(s.clone())))
}

/// How an expiry argument is to be read.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    /// EX: seconds from now.
    Ex,
    /// PX: milliseconds from now.
    Px,
    /// EXAT: Unix seconds.
    ExAt,
    /// PXAT: Unix milliseconds.
    PxAt,
}

/// The options of SET (and, with `getex`, of GETEX), as Redis's
/// parseExtendedStringArgumentsOrReply accepts them.
#[derive(Default)]
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    /// The absolute expiry in Unix ms, once checked.
    expire_at: Option<i64>,
}

/// Whether the option list belongs to SET or to GETEX (they accept
/// different words).
#[derive(Clone, Copy, PartialEq)]
enum Family {
    Set,
    GetEx,
}

fn parse_set_options(ctx: &Ctx<'_>, opts: Args<'_>, family: Family) -> Result<SetOptions, String> {
    let (mut o, expiry) = parse_set_flags(opts, family)?;
    if let Some((u, raw)) = expiry {
        o.expire_at = Some(expire_millis(ctx, raw, u)?);
    }
    Ok(o)
}

/// An expiry option's unit and its not yet parsed value.
type RawExpiry<'a> = (Unit, &'a [u8]);

/// The syntax pass of [`parse_set_options`]: flags set, the expiry left raw
/// (GETEX validates it only after finding a string at the key, as Redis does).
fn parse_set_flags(
    mut opts: Args<'_>,
    family: Family,
) -> Result<(SetOptions, Option<RawExpiry<'_>>), ArgError> {
    let mut o = SetOptions::default();
    let mut unit: Option<Unit> = None;
    let mut raw: Option<&[u8]> = None;
    let set = family == Family::Set;
    while let Some(opt) = opts.next_arg() {
        // An expiry option may repeat itself but not mix with another kind.
        let other_unit = |u: Unit| unit.is_some_and(|cur| cur != u);
        let expiry_unit = if is(opt, "ex") {
            Some(Unit::Ex)
        } else if is(opt, "px") {
            Some(Unit::Px)
        } else if is(opt, "exat") {
            Some(Unit::ExAt)
        } else if is(opt, "pxat") {
            Some(Unit::PxAt)
        } else {
            None
        };
        if is(opt, "nx") && !o.xx && set {
            o.nx = true;
        } else if is(opt, "xx") && !o.nx && set {
            o.xx = true;
        } else if is(opt, "get") && set {
            o.get = true;
        } else if is(opt, "keepttl") && !o.persist && unit.is_none() && set {
            o.keepttl = true;
        } else if is(opt, "persist") && !set && unit.is_none() && !o.keepttl {
            o.persist = true;
        } else if let (Some(u), Some(value)) = (expiry_unit, opts.next_arg()) {
            if o.keepttl || o.persist || other_unit(u) {
                return Err(ArgError::Syntax);
            }
            unit = Some(u);
            raw = Some(value);
        } else {
            return Err(ArgError::Syntax);
        }
    }
    Ok((o, unit.zip(raw)))
}

/// Redis's getExpireMillisecondsOrReply: a positive time, converted to an
/// absolute Unix ms time, with overflow reported as an invalid expire time.
fn expire_millis(ctx: &Ctx<'_>, raw: &[u8], unit: Unit) -> Result<i64, String> {
    let mut ms = parse_int(raw)?;
    let seconds = matches!(unit, Unit::Ex | Unit::ExAt);
    if ms <= 0 || (seconds && ms > i64::MAX / 1000) {
        return Err(invalid_expire(ctx.name));
    }
    if seconds {
        ms *= 1000;
    }
    if matches!(unit, Unit::Ex | Unit::Px) {
        let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
        // Redis adds with wraparound and then rejects a non-positive result.
        ms = ms.wrapping_add(now);
        if ms <= 0 {
            return Err(invalid_expire(ctx.name));
        }
    }
    Ok(ms)
}

/// Stores a string, clearing or keeping the TTL; a time already past
/// leaves the key absent, as it would be on its next access in Redis.
fn store(ctx: &mut Ctx<'_>, key: &[u8], value: Vec<u8>, expire_at: Option<i64>, keepttl: bool) {
    let ttl = match expire_at {
        Some(at) => match u64::try_from(at) {
            Ok(at) if at > ctx.now_ms => Some(at),
            _ => {
                ctx.db.remove(key);
                return;
            }
        },
        None if keepttl => ctx.entry(key).and_then(|e| e.expires_at),
        None => None,
    };
    ctx.db.insert(key.to_vec(), Data::Str(value), ttl);
}

fn set(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, value) = (a.arg()?, a.arg()?);
    let o = parse_set_options(ctx, a, Family::Set)?;
    set_generic(ctx, key, value, &o)
}

fn set_generic(ctx: &mut Ctx<'_>, key: &[u8], value: &[u8], o: &SetOptions) -> Reply {
    let old = if o.get {
        Some(ctx.get_str(key)?.map_or(Value::Nil, |s| bulk(s.clone())))
    } else {
        None
    };
    // Existence only matters for NX/XX: a plain SET skips the lookup.
    let found = (o.nx || o.xx) && ctx.entry(key).is_some();
    if (o.nx && found) || (o.xx && !found) {
        return Ok(old.unwrap_or(Value::Nil));
    }
    store(ctx, key, value.to_vec(), o.expire_at, o.keepttl);
    Ok(old.unwrap_or(Value::Okay))
}

fn setnx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, value) = (a.arg()?, a.arg()?);
    if ctx.entry(key).is_some() {
        return Ok(Value::Int(0));
    }
    store(ctx, key, value.to_vec(), None, false);
    Ok(Value::Int(1))
}

fn setex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    set_with_expiry(ctx, args, Unit::Ex)
}

fn psetex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    set_with_expiry(ctx, args, Unit::Px)
}

/// SETEX and PSETEX: key, time in `unit`, value.
fn set_with_expiry(ctx: &mut Ctx<'_>, args: &[Vec<u8>], unit: Unit) -> Reply {
    let mut a = ctx.args(args);
    let (key, time, value) = (a.arg()?, a.arg()?, a.arg()?);
    let at = expire_millis(ctx, time, unit)?;
    store(ctx, key, value.to_vec(), Some(at), false);
    Ok(Value::Okay)
}

fn getset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, value) = (a.arg()?, a.arg()?);
    let old = ctx.get_str(key)?.map_or(Value::Nil, |s| bulk(s.clone()));
    store(ctx, key, value.to_vec(), None, false);
    Ok(old)
}

fn getdel(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let old = ctx.get_str(key)?.map_or(Value::Nil, |s| bulk(s.clone()));
    if old != Value::Nil {
        ctx.db.remove(key);
    }
    Ok(old)
}

fn getex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let (mut o, expiry) = parse_set_flags(a, Family::GetEx)?;
    let Some(value) = ctx.get_str(key)?.cloned() else {
        return Ok(Value::Nil);
    };
    if let Some((u, raw)) = expiry {
        o.expire_at = Some(expire_millis(ctx, raw, u)?);
    }
    if let Some(at) = o.expire_at {
        match u64::try_from(at) {
            Ok(at) if at > ctx.now_ms => {
                ctx.db.set_expiry(key, Some(at), ctx.now_ms);
            }
            _ => {
                ctx.db.remove(key);
            }
        }
    } else if o.persist {
        ctx.db.set_expiry(key, None, ctx.now_ms);
    }
    Ok(bulk(value))
}

fn mget(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    Ok(Value::Array(
        args.iter()
            .map(|k| match ctx.get_str(k) {
                Ok(Some(s)) => bulk(s.clone()),
                _ => Value::Nil,
            })
            .collect(),
    ))
}

fn mset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    for (key, value) in ctx.args(args).pairs()? {
        store(ctx, key, value.to_vec(), None, false);
    }
    Ok(Value::Okay)
}

fn msetnx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let pairs = ctx.args(args).pairs()?;
    if pairs.iter().any(|(key, _)| ctx.entry(key).is_some()) {
        return Ok(Value::Int(0));
    }
    for (key, value) in pairs {
        store(ctx, key, value.to_vec(), None, false);
    }
    Ok(Value::Int(1))
}

fn len_reply(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn append(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, tail) = (a.arg()?, a.arg()?);
    let current = ctx.get_str(key)?.map_or(0, Vec::len);
    if (current as u64).saturating_add(tail.len() as u64) > MAX_STRING {
        return Err(TOO_BIG.to_owned());
    }
    match ctx.entry_mut(key) {
        Some(e) => {
            if let Data::Str(s) = &mut e.data {
                s.extend_from_slice(tail);
                return Ok(len_reply(s.len()));
            }
            Ok(Value::Int(0))
        }
        None => {
            ctx.db.insert(key.to_vec(), Data::Str(tail.to_vec()), None);
            Ok(len_reply(tail.len()))
        }
    }
}

fn strlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(len_reply(ctx.get_str(key)?.map_or(0, Vec::len)))
}

fn getrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, mut start, mut end) = (a.arg()?, a.int()?, a.int()?);
    let Some(s) = ctx.get_str(key)? else {
        return Ok(bulk(Vec::new()));
    };
    let len = i64::try_from(s.len()).unwrap_or(i64::MAX);
    if start < 0 && end < 0 && start > end {
        return Ok(bulk(Vec::new()));
    }
    if start < 0 {
        start = start.saturating_add(len);
    }
    if end < 0 {
        end = end.saturating_add(len);
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(bulk(Vec::new()));
    }
    let (from, to) = (
        usize::try_from(start).unwrap_or(0),
        usize::try_from(end).unwrap_or(0),
    );
    Ok(bulk(s.get(from..=to).unwrap_or_default().to_vec()))
}

fn setrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, offset, value) = (a.arg()?, a.int()?, a.arg()?);
    let Ok(offset) = u64::try_from(offset) else {
        return Err("ERR offset is out of range".to_owned());
    };
    let current = ctx.get_str(key)?.map(Vec::len);
    if value.is_empty() {
        return Ok(len_reply(current.unwrap_or(0)));
    }
    if offset.saturating_add(value.len() as u64) > MAX_STRING {
        return Err(TOO_BIG.to_owned());
    }
    let from = usize::try_from(offset).map_err(|_| TOO_BIG.to_owned())?;
    let to = from + value.len();
    if current.is_none() {
        ctx.db.insert(key.to_vec(), Data::Str(Vec::new()), None);
    }
    match ctx.entry_mut(key) {
        Some(super::db::Entry {
            data: Data::Str(s), ..
        }) => {
            if s.len() < to {
                s.resize(to, 0);
            }
            if let Some(slot) = s.get_mut(from..to) {
                slot.copy_from_slice(value);
            }
            Ok(len_reply(s.len()))
        }
        _ => Ok(Value::Int(0)),
    }
}

#[cfg(test)]
mod tests;
