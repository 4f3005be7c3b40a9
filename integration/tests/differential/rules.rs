//! How the engine's and Redis's replies to one command are compared.

use edgestash::mock::Reply;
use edgestash::Value;

use crate::generate::Cmd;

/// How one command's replies are compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    Exact,
    /// Array compared as a multiset.
    Unordered,
    /// Flat field/value array compared as a set of pairs.
    UnorderedPairs,
    /// `[cursor, items]`: cursor skipped, items as a multiset (of pairs).
    Scan {
        pairs: bool,
    },
    /// -2, -1 or positive.
    TtlClass,
    /// Random picks: same reply kind and array length.
    Shape,
    /// DBSIZE: Redis counts keys whose time has passed until its active
    /// expiry cycle (a background timer) reclaims them; the engine reclaims
    /// them on its own schedule. Neither count is wrong, so the engine's may
    /// only be lower.
    AtMost,
}

pub fn rule_for(cmd: &Cmd) -> Rule {
    let name = cmd
        .0
        .first()
        .map(|n| n.to_ascii_uppercase())
        .unwrap_or_default();
    match name.as_str() {
        "SMEMBERS" | "SINTER" | "SUNION" | "SDIFF" | "HKEYS" | "HVALS" | "KEYS" | "SPOP" => {
            Rule::Unordered
        }
        "HGETALL" => Rule::UnorderedPairs,
        "SCAN" | "SSCAN" => Rule::Scan { pairs: false },
        "HSCAN" | "ZSCAN" => Rule::Scan { pairs: true },
        "TTL" | "PTTL" | "EXPIRETIME" | "PEXPIRETIME" => Rule::TtlClass,
        "DBSIZE" => Rule::AtMost,
        "RANDOMKEY" | "SRANDMEMBER" | "HRANDFIELD" | "ZRANDMEMBER" | "TIME" => Rule::Shape,
        _ => Rule::Exact,
    }
}

fn sort_key(v: &Value) -> String {
    format!("{v:?}")
}

fn multiset(items: &[Value], pairs: bool) -> Vec<String> {
    let mut out: Vec<String> = if pairs {
        items
            .chunks(2)
            .map(|c| c.iter().map(sort_key).collect::<Vec<_>>().join("\u{0}"))
            .collect()
    } else {
        items.iter().map(sort_key).collect()
    };
    out.sort();
    out
}

fn ttl_class(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n) => Some((*n).clamp(-2, 1)),
        _ => None,
    }
}

pub fn same(rule: Rule, ours: &Reply, theirs: &Reply) -> bool {
    let (a, b) = match (ours, theirs) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => return a == b,
        _ => return false,
    };
    match rule {
        Rule::Exact => a == b,
        Rule::Unordered | Rule::UnorderedPairs => match (a, b) {
            (Value::Array(x), Value::Array(y)) => {
                multiset(x, rule == Rule::UnorderedPairs)
                    == multiset(y, rule == Rule::UnorderedPairs)
            }
            _ => a == b,
        },
        Rule::Scan { pairs } => match (a, b) {
            (Value::Array(x), Value::Array(y)) => match (x.get(1), y.get(1)) {
                (Some(Value::Array(i)), Some(Value::Array(j))) => {
                    x.len() == 2 && y.len() == 2 && multiset(i, pairs) == multiset(j, pairs)
                }
                _ => false,
            },
            _ => a == b,
        },
        Rule::TtlClass => ttl_class(a).is_some() && ttl_class(a) == ttl_class(b),
        Rule::AtMost => matches!((a, b), (Value::Int(x), Value::Int(y)) if x <= y),
        Rule::Shape => match (a, b) {
            (Value::Array(x), Value::Array(y)) => x.len() == y.len(),
            _ => std::mem::discriminant(a) == std::mem::discriminant(b),
        },
    }
}
