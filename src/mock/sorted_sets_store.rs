//! Sorted set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and
//! ZINTERCARD, as Redis 7.0's zunionInterDiffGenericCommand parses and
//! computes them (WEIGHTS, AGGREGATE SUM|MIN|MAX, WITHSCORES; plain sets
//! count as members with score 1).
//!
//! Must not: change any key but the STORE destination.

use std::collections::{HashMap, HashSet};

use super::ctx::{is, ArgError, Args, Ctx, Reply, WRONGTYPE};
use super::db::{Data, Entry};
use super::sorted_sets::pairs_reply;
use super::zset::{parse_score, SortedSet};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("zunionstore", zunionstore),
    ("zinterstore", zinterstore),
    ("zdiffstore", zdiffstore),
    ("zunion", zunion),
    ("zinter", zinter),
    ("zdiff", zdiff),
    ("zintercard", zintercard),
];

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// One input: its members in iteration order, a lookup, and its weight.
struct Source {
    items: Vec<(Vec<u8>, f64)>,
    lookup: HashMap<Vec<u8>, f64>,
    weight: f64,
}

impl Source {
    fn new(items: Vec<(Vec<u8>, f64)>) -> Self {
        let lookup = items.iter().cloned().collect();
        Self {
            items,
            lookup,
            weight: 1.0,
        }
    }
}

/// What the caller wants back.
enum Output<'a> {
    Store(&'a [u8]),
    Reply,
    Cardinality,
}

fn zunionstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    store_generic(ctx, args, Op::Union)
}

fn zinterstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    store_generic(ctx, args, Op::Inter)
}

fn zdiffstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    store_generic(ctx, args, Op::Diff)
}

/// The STORE forms: the destination, then what the plain form takes.
fn store_generic(ctx: &mut Ctx<'_>, args: &[Vec<u8>], op: Op) -> Reply {
    let mut a = ctx.args(args);
    let dst = a.arg()?;
    generic(ctx, a, Output::Store(dst), op)
}

fn zunion(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    generic(ctx, a, Output::Reply, Op::Union)
}

fn zinter(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    generic(ctx, a, Output::Reply, Op::Inter)
}

fn zdiff(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    generic(ctx, a, Output::Reply, Op::Diff)
}

fn zintercard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    generic(ctx, a, Output::Cardinality, Op::Inter)
}

/// Loads one input key: a sorted set, a set (scores 1) or nothing.
fn load(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Source>, String> {
    match ctx.entry(key) {
        None => Ok(None),
        Some(Entry {
            data: Data::ZSet(z),
            ..
        }) => Ok(Some(Source::new(
            z.iter().map(|(m, s)| (m.to_vec(), s)).collect(),
        ))),
        Some(Entry {
            data: Data::Set(s), ..
        }) => Ok(Some(Source::new(
            s.iter().map(|m| (m.clone(), 1.0)).collect(),
        ))),
        Some(_) => Err(WRONGTYPE.to_owned()),
    }
}

fn aggregate(target: &mut f64, value: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += value;
            // +inf + -inf: Redis keeps 0 rather than NaN.
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if value < *target {
                *target = value;
            }
        }
        Aggregate::Max => {
            if value > *target {
                *target = value;
            }
        }
    }
}

fn weighted(score: f64, weight: f64) -> f64 {
    let v = score * weight;
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

/// `a` = numkeys, keys, options. Redis type-checks the keys before it
/// reads the options, so a WRONGTYPE wins over a bad option.
fn generic(ctx: &mut Ctx<'_>, mut a: Args<'_>, out: Output<'_>, op: Op) -> Reply {
    let numkeys = a.int()?;
    if numkeys < 1 {
        return Err(format!(
            "ERR at least 1 input key is needed for '{}' command",
            ctx.name
        ));
    }
    let numkeys = usize::try_from(numkeys).unwrap_or(usize::MAX);
    let keys = a.take(numkeys).ok_or(ArgError::Syntax)?;
    let mut sources = Vec::with_capacity(numkeys);
    for key in keys {
        sources.push(load(ctx, key)?);
    }
    let mut weights = vec![1.0; numkeys];
    let mut how = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0usize;
    let cardinality = matches!(out, Output::Cardinality);
    let store = matches!(out, Output::Store(_));
    // ZINTERCARD takes LIMIT only, unlike the other intersections.
    let scored = op != Op::Diff && !cardinality;
    while let Some(opt) = a.next_arg() {
        if scored && a.len() >= numkeys && is(opt, "weights") {
            for w in &mut weights {
                *w = parse_score(a.arg()?)
                    .ok_or(ArgError::Command("ERR weight value is not a float"))?;
            }
        } else if scored && !a.is_empty() && is(opt, "aggregate") {
            how = if a.eat("sum") {
                Aggregate::Sum
            } else if a.eat("min") {
                Aggregate::Min
            } else if a.eat("max") {
                Aggregate::Max
            } else {
                return Err(ArgError::Syntax.into());
            };
        } else if !store && !cardinality && is(opt, "withscores") {
            withscores = true;
        } else if cardinality && !a.is_empty() && is(opt, "limit") {
            limit = a.limit()?;
        } else {
            return Err(ArgError::Syntax.into());
        }
    }
    // Missing keys are empty inputs; weights follow their key.
    let mut inputs: Vec<Source> = sources
        .into_iter()
        .zip(weights)
        .map(|(s, w)| {
            let mut s = s.unwrap_or_else(|| Source::new(Vec::new()));
            s.weight = w;
            s
        })
        .collect();
    if op != Op::Diff {
        // Redis sorts inputs by size (affects only float summation order).
        crate::sorting::sort_by_key(&mut inputs, |s| s.items.len());
    }
    let result: Vec<(Vec<u8>, f64)> = match op {
        Op::Inter => intersect(&inputs, how, if cardinality { limit } else { 0 }),
        Op::Union => union(&inputs, how),
        Op::Diff => difference(&inputs),
    };
    match out {
        Output::Cardinality => Ok(Value::Int(result.len() as i64)),
        Output::Reply => {
            let z = to_skiplist(result);
            Ok(pairs_reply(
                z.iter().map(|(m, s)| (m.to_vec(), s)),
                withscores,
            ))
        }
        Output::Store(dst) => {
            if result.is_empty() {
                ctx.db.remove(dst);
                return Ok(Value::Int(0));
            }
            let mut z = to_skiplist(result);
            z.compact_if_small();
            let n = z.len() as i64;
            ctx.db.insert(dst.to_vec(), Data::ZSet(Box::new(z)), None);
            Ok(Value::Int(n))
        }
    }
}

/// The result as Redis builds it: a skiplist, later compacted if stored small.
fn to_skiplist(items: Vec<(Vec<u8>, f64)>) -> SortedSet {
    let mut z = SortedSet::with_hint(usize::MAX, 0);
    for (m, s) in items {
        z.insert(m, s);
    }
    z
}

fn intersect(inputs: &[Source], how: Aggregate, limit: usize) -> Vec<(Vec<u8>, f64)> {
    let Some((first, rest)) = inputs.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    'members: for (m, s) in &first.items {
        let mut score = weighted(*s, first.weight);
        for src in rest {
            let Some(v) = src.lookup.get(m) else {
                continue 'members;
            };
            aggregate(&mut score, weighted(*v, src.weight), how);
        }
        out.push((m.clone(), score));
        if limit > 0 && out.len() >= limit {
            break;
        }
    }
    out
}

fn union(inputs: &[Source], how: Aggregate) -> Vec<(Vec<u8>, f64)> {
    let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
    for src in inputs {
        for (m, s) in &src.items {
            let score = weighted(*s, src.weight);
            match acc.get_mut(m) {
                Some(t) => aggregate(t, score, how),
                None => {
                    acc.insert(m.clone(), score);
                }
            }
        }
    }
    acc.into_iter().collect()
}

fn difference(inputs: &[Source]) -> Vec<(Vec<u8>, f64)> {
    let Some((first, rest)) = inputs.split_first() else {
        return Vec::new();
    };
    let removed: HashSet<&Vec<u8>> = rest.iter().flat_map(|s| s.lookup.keys()).collect();
    first
        .items
        .iter()
        .filter(|(m, _)| !removed.contains(m))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::{arr, engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn union_inter_diff_with_weights() {
        let e = engine();
        run(&e, &["ZADD", "a", "1", "x", "2", "y"]).unwrap();
        run(&e, &["ZADD", "b", "10", "y", "20", "z"]).unwrap();
        run(&e, &["SADD", "s", "y"]).unwrap();
        assert_eq!(
            run(
                &e,
                &["ZUNION", "2", "a", "b", "WEIGHTS", "2", "1", "WITHSCORES"]
            ),
            Ok(arr(&["x", "2", "y", "14", "z", "20"]))
        );
        assert_eq!(
            run(
                &e,
                &[
                    "ZINTER",
                    "3",
                    "a",
                    "b",
                    "s",
                    "AGGREGATE",
                    "MAX",
                    "WITHSCORES"
                ]
            ),
            Ok(arr(&["y", "10"]))
        );
        assert_eq!(run(&e, &["ZDIFF", "2", "a", "b"]), Ok(arr(&["x"])));
        assert_eq!(
            run(&e, &["ZINTERSTORE", "d", "2", "a", "b"]),
            Ok(Value::Int(1))
        );
        assert_eq!(
            run(&e, &["ZSCORE", "d", "y"]),
            Ok(Value::Bytes(b"12".to_vec()))
        );
        assert_eq!(
            run(&e, &["ZINTERCARD", "2", "a", "b", "LIMIT", "0"]),
            Ok(Value::Int(1))
        );
        assert_eq!(
            run(&e, &["ZUNIONSTORE", "d", "0", "a"]),
            Err("ERR at least 1 input key is needed for 'zunionstore' command".to_owned())
        );
        assert_eq!(
            run(&e, &["ZDIFF", "1", "a", "WEIGHTS", "1"]),
            Err("ERR syntax error".to_owned())
        );
        assert_eq!(
            run(&e, &["ZDIFFSTORE", "d", "2", "a", "a"]),
            Ok(Value::Int(0))
        );
        assert_eq!(run(&e, &["ZCARD", "d"]), Ok(Value::Int(0)));
    }
}
