//! Hash commands, with Redis 7.0's replies, argument checks and error texts
//! (in Redis's order: argument parsing first where Redis parses first).
//!
//! Must not: keep empty hashes (Redis deletes them) or promise any field
//! order (Redis promises none either).

use std::collections::HashMap;

use super::ctx::{bulk, bulk_array, parse_int, ArgError, Ctx, Reply, WRONGTYPE};
use super::db::{Data, Entry};
use super::hscan::hscan_page;
use super::long_double::LongDouble;
use super::Registration;
use crate::protocol::Value;

type Hash = HashMap<Vec<u8>, Vec<u8>>;

pub(super) const COMMANDS: &[Registration] = &[
    ("hset", hset),
    ("hmset", hmset),
    ("hsetnx", hsetnx),
    ("hget", hget),
    ("hmget", hmget),
    ("hgetall", hgetall),
    ("hdel", hdel),
    ("hexists", hexists),
    ("hincrby", hincrby),
    ("hincrbyfloat", hincrbyfloat),
    ("hkeys", hkeys),
    ("hvals", hvals),
    ("hlen", hlen),
    ("hstrlen", hstrlen),
    ("hrandfield", hrandfield),
    ("hscan", hscan),
];

fn hset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let added = set_pairs(ctx, args)?;
    Ok(Value::Int(added))
}

fn hmset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    set_pairs(ctx, args)?;
    Ok(Value::Okay)
}

/// Stores field/value pairs; the number of fields that were new.
fn set_pairs(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Result<i64, String> {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let pairs = a.pairs()?;
    let hash = ctx.write::<Hash>(key)?;
    let mut added = 0;
    for (field, value) in pairs {
        if hash.insert(field.to_vec(), value.to_vec()).is_none() {
            added += 1;
        }
    }
    Ok(added)
}

fn hsetnx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field, value) = (a.arg()?, a.arg()?, a.arg()?);
    let hash = ctx.write::<Hash>(key)?;
    if hash.contains_key(field) {
        return Ok(Value::Int(0));
    }
    hash.insert(field.to_vec(), value.to_vec());
    Ok(Value::Int(1))
}

fn hget(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field) = (a.arg()?, a.arg()?);
    Ok(ctx
        .read::<Hash>(key)?
        .and_then(|h| h.get(field))
        .map_or(Value::Nil, |v| bulk(v.clone())))
}

fn hmget(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let fields = a.rest();
    let hash = ctx.read::<Hash>(key)?;
    Ok(Value::Array(
        fields
            .iter()
            .map(|f| {
                hash.and_then(|h| h.get(f))
                    .map_or(Value::Nil, |v| bulk(v.clone()))
            })
            .collect(),
    ))
}

fn hgetall(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let hash = ctx.read::<Hash>(key)?;
    Ok(bulk_array(
        hash.into_iter()
            .flatten()
            .flat_map(|(f, v)| [f.clone(), v.clone()]),
    ))
}

fn hkeys(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let hash = ctx.read::<Hash>(key)?;
    Ok(bulk_array(hash.into_iter().flat_map(|h| h.keys().cloned())))
}

fn hvals(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let hash = ctx.read::<Hash>(key)?;
    Ok(bulk_array(
        hash.into_iter().flat_map(|h| h.values().cloned()),
    ))
}

fn hlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let len = ctx.read::<Hash>(key)?.map_or(0, HashMap::len);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

fn hstrlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field) = (a.arg()?, a.arg()?);
    let len = ctx
        .read::<Hash>(key)?
        .and_then(|h| h.get(field))
        .map_or(0, Vec::len);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

fn hexists(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field) = (a.arg()?, a.arg()?);
    let found = ctx
        .read::<Hash>(key)?
        .is_some_and(|h| h.contains_key(field));
    Ok(Value::Int(i64::from(found)))
}

fn hdel(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let fields = a.rest();
    let removed = match ctx.entry_mut(key) {
        None => return Ok(Value::Int(0)),
        Some(Entry {
            data: Data::Hash(h),
            ..
        }) => fields.iter().filter(|f| h.remove(*f).is_some()).count(),
        Some(_) => return Err(WRONGTYPE.to_owned()),
    };
    ctx.db.drop_if_empty(key);
    Ok(Value::Int(i64::try_from(removed).unwrap_or(i64::MAX)))
}

fn hincrby(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field, by) = (a.arg()?, a.arg()?, a.int()?);
    let current = match ctx.read::<Hash>(key)?.and_then(|h| h.get(field)) {
        Some(v) => parse_int(v).map_err(|_| "ERR hash value is not an integer".to_owned())?,
        None => 0,
    };
    let next = current
        .checked_add(by)
        .ok_or_else(|| "ERR increment or decrement would overflow".to_owned())?;
    ctx.write::<Hash>(key)?
        .insert(field.to_vec(), next.to_string().into_bytes());
    Ok(Value::Int(next))
}

fn hincrbyfloat(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field) = (a.arg()?, a.arg()?);
    let by = LongDouble::parse(a.arg()?).ok_or(ArgError::NotFloat)?;
    if by.is_infinite() {
        return Err("ERR value is NaN or Infinity".to_owned());
    }
    let current = match ctx.read::<Hash>(key)?.and_then(|h| h.get(field)) {
        Some(v) => {
            LongDouble::parse(v).ok_or_else(|| "ERR hash value is not a float".to_owned())?
        }
        None => LongDouble::zero(),
    };
    let next = current.add(by);
    if next.is_infinite() {
        return Err("ERR increment would produce NaN or Infinity".to_owned());
    }
    let text = next.to_redis_string();
    ctx.write::<Hash>(key)?.insert(field.to_vec(), text.clone());
    Ok(bulk(text))
}

/// Largest |count| HRANDFIELD takes with WITHVALUES (Redis: `LONG_MAX/2`).
const MAX_COUNT_WITH_VALUES: i64 = i64::MAX / 2;

fn hrandfield(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    if a.is_empty() {
        return random_field(ctx, key);
    }
    let count = a.rand_count()?;
    let with_values = a.eat("withvalues");
    a.finish()?;
    if with_values && !(-MAX_COUNT_WITH_VALUES..=MAX_COUNT_WITH_VALUES).contains(&count) {
        return Err("ERR value is out of range".to_owned());
    }
    let Some(hash) = ctx.read::<Hash>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let fields: Vec<(Vec<u8>, Vec<u8>)> =
        hash.iter().map(|(f, v)| (f.clone(), v.clone())).collect();
    let picks = pick(ctx, fields, count);
    Ok(bulk_array(picks.into_iter().flat_map(|(f, v)| {
        if with_values {
            vec![f, v]
        } else {
            vec![f]
        }
    })))
}

/// HRANDFIELD without a count: one field, or nil.
fn random_field(ctx: &mut Ctx<'_>, key: &[u8]) -> Reply {
    let Some(hash) = ctx.read::<Hash>(key)? else {
        return Ok(Value::Nil);
    };
    let fields: Vec<Vec<u8>> = hash.keys().cloned().collect();
    let i = ctx.db.rng.below(fields.len());
    Ok(fields.get(i).map_or(Value::Nil, |f| bulk(f.clone())))
}

/// Redis's count rules: positive picks distinct fields (all of them when
/// count reaches the size), negative picks |count| times with repeats.
fn pick(
    ctx: &mut Ctx<'_>,
    mut fields: Vec<(Vec<u8>, Vec<u8>)>,
    count: i64,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    if count < 0 {
        let times = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        for _ in 0..times {
            let i = ctx.db.rng.below(fields.len());
            if let Some(pair) = fields.get(i) {
                out.push(pair.clone());
            }
        }
        return out;
    }
    let wanted = usize::try_from(count).unwrap_or(usize::MAX);
    if wanted >= fields.len() {
        return fields;
    }
    // Partial Fisher-Yates: the first `wanted` slots become the sample.
    for slot in 0..wanted {
        let j = slot + ctx.db.rng.below(fields.len() - slot);
        fields.swap(slot, j);
    }
    fields.truncate(wanted);
    fields
}

fn hscan(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, cursor) = (a.arg()?, a.cursor()?);
    // Read now, reported only for an existing hash (Redis's order).
    let options = a.scan_options(false);
    let Some(hash) = ctx.read::<Hash>(key)? else {
        return Ok(empty_scan());
    };
    let options = options?;
    let (next, items) = hscan_page(hash, cursor, &options);
    Ok(Value::Array(vec![
        bulk(next.to_string()),
        bulk_array(items.into_iter().flat_map(|(f, v)| [f, v])),
    ]))
}

/// `["0", []]`, what SCAN-family commands answer for a missing key.
fn empty_scan() -> Value {
    Value::Array(vec![bulk("0"), Value::Array(Vec::new())])
}

#[cfg(test)]
mod tests;
