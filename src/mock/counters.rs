//! Counter commands: INCR INCRBY DECR DECRBY INCRBYFLOAT.
//!
//! Owns: integer and float arithmetic on string values, which keeps the
//! key's TTL (the value changes in place). Float sums use the exact
//! long-double emulation in `long_double` so replies match Redis's digits.

use super::ctx::{bulk, parse_int, ArgError, Ctx, Reply, WRONGTYPE};
use super::db::{Data, Entry};
use super::long_double::LongDouble;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("incr", incr),
    ("decr", decr),
    ("incrby", incrby),
    ("decrby", decrby),
    ("incrbyfloat", incrbyfloat),
];

fn incr(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    incr_by(ctx, key, 1)
}

fn decr(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    incr_by(ctx, key, -1)
}

fn incrby(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, by) = (a.arg()?, a.int()?);
    incr_by(ctx, key, by)
}

fn decrby(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, by) = (a.arg()?, a.int()?);
    let Some(neg) = by.checked_neg() else {
        return Err("ERR decrement would overflow".to_owned());
    };
    incr_by(ctx, key, neg)
}

/// Replaces the string at `key` in place (keeping its TTL), or creates it.
fn put_in_place(ctx: &mut Ctx<'_>, key: &[u8], value: Vec<u8>) {
    match ctx.entry_mut(key) {
        Some(Entry { data, .. }) => *data = Data::Str(value),
        None => ctx.db.insert(key.to_vec(), Data::Str(value), None),
    }
}

/// Adds `by` to the integer at `key`, keeping its TTL, as INCR/INCRBY/DECR* do.
fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], by: i64) -> Reply {
    let current = match ctx.get_str(key)? {
        Some(s) => parse_int(s)?,
        None => 0,
    };
    let next = current
        .checked_add(by)
        .ok_or_else(|| "ERR increment or decrement would overflow".to_owned())?;
    put_in_place(ctx, key, next.to_string().into_bytes());
    Ok(Value::Int(next))
}

fn incrbyfloat(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    // Parsed now, reported after the stored value's own check (Redis's order).
    let by = LongDouble::parse(a.arg()?).ok_or(ArgError::NotFloat);
    let current = match ctx.get_str(key) {
        Ok(Some(s)) => LongDouble::parse(s).ok_or(ArgError::NotFloat)?,
        Ok(None) => LongDouble::zero(),
        Err(_) => return Err(WRONGTYPE.to_owned()),
    };
    let by = by?;
    let sum = current.add(by);
    if sum.is_infinite() {
        return Err("ERR increment would produce NaN or Infinity".to_owned());
    }
    let text = sum.to_redis_string();
    put_in_place(ctx, key, text.clone());
    Ok(bulk(text))
}

#[cfg(test)]
mod tests {
    use crate::mock::keys::tests::{b, engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn integer_counters() {
        let (e, _) = engine();
        assert_eq!(run(&e, "INCR n"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "INCRBY n 10"), Ok(Value::Int(11)));
        assert_eq!(run(&e, "DECR n"), Ok(Value::Int(10)));
        assert_eq!(run(&e, "DECRBY n 20"), Ok(Value::Int(-10)));
        run(&e, "PEXPIRE n 500").unwrap();
        assert_eq!(run(&e, "INCR n"), Ok(Value::Int(-9)));
        assert_eq!(run(&e, "PTTL n"), Ok(Value::Int(500)), "INCR keeps TTL");
        run(&e, "SET m 9223372036854775807").unwrap();
        assert_eq!(
            run(&e, "INCR m"),
            Err("ERR increment or decrement would overflow".into())
        );
        assert_eq!(
            run(&e, "DECRBY m -9223372036854775808"),
            Err("ERR decrement would overflow".into())
        );
        run(&e, "SET s abc").unwrap();
        assert_eq!(
            run(&e, "INCR s"),
            Err("ERR value is not an integer or out of range".into())
        );
        assert_eq!(
            run(&e, "INCRBY n 1.5"),
            Err("ERR value is not an integer or out of range".into())
        );
    }

    #[crate::unit_test]
    fn float_counter() {
        let (e, _) = engine();
        assert_eq!(run(&e, "INCRBYFLOAT f 0.1"), Ok(b("0.1")));
        assert_eq!(run(&e, "INCRBYFLOAT f 0.2"), Ok(b("0.3")));
        assert_eq!(
            run(&e, "INCRBYFLOAT g 1e20"),
            Ok(b("100000000000000000000"))
        );
        assert_eq!(run(&e, "INCRBYFLOAT h 3.0e3"), Ok(b("3000")));
        assert_eq!(
            run(&e, "INCRBYFLOAT h inf"),
            Err("ERR increment would produce NaN or Infinity".into())
        );
        assert_eq!(
            run(&e, "INCRBYFLOAT h x"),
            Err("ERR value is not a valid float".into())
        );
        run(&e, "SET s abc").unwrap();
        assert_eq!(
            run(&e, "INCRBYFLOAT s 1"),
            Err("ERR value is not a valid float".into())
        );
    }
}
