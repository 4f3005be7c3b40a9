//! The `bit` library (LuaBitOp 1.0, as Redis loads it): 32-bit operations
//! on Lua numbers.
//!
//! Must not: accept non-numbers silently (they raise, as in LuaBitOp).

use mlua::{Lua, Table, Variadic};

/// LuaBitOp's `tobit`: the number rounded to an integer, wrapped to i32.
fn tobit(n: f64) -> i32 {
    let r = n.round_ties_even();
    (r.rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

fn fold(args: &Variadic<f64>, start: i32, op: fn(i32, i32) -> i32) -> f64 {
    f64::from(args.iter().map(|&n| tobit(n)).fold(start, op))
}

/// The `bit` table.
pub fn library(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "tobit",
        lua.create_function(|_, n: f64| Ok(f64::from(tobit(n))))?,
    )?;
    t.raw_set(
        "bnot",
        lua.create_function(|_, n: f64| Ok(f64::from(!tobit(n))))?,
    )?;
    t.raw_set(
        "band",
        lua.create_function(|_, a: Variadic<f64>| Ok(fold(&a, -1, |x, y| x & y)))?,
    )?;
    t.raw_set(
        "bor",
        lua.create_function(|_, a: Variadic<f64>| Ok(fold(&a, 0, |x, y| x | y)))?,
    )?;
    t.raw_set(
        "bxor",
        lua.create_function(|_, a: Variadic<f64>| Ok(fold(&a, 0, |x, y| x ^ y)))?,
    )?;
    let shift = |f: fn(i32, u32) -> i32| {
        move |_: &Lua, (x, n): (f64, f64)| Ok(f64::from(f(tobit(x), (tobit(n) & 31) as u32)))
    };
    t.raw_set(
        "lshift",
        lua.create_function(shift(|x, n| ((x as u32) << n) as i32))?,
    )?;
    t.raw_set(
        "rshift",
        lua.create_function(shift(|x, n| ((x as u32) >> n) as i32))?,
    )?;
    t.raw_set("arshift", lua.create_function(shift(|x, n| x >> n))?)?;
    t.raw_set(
        "rol",
        lua.create_function(shift(|x, n| (x as u32).rotate_left(n) as i32))?,
    )?;
    t.raw_set(
        "ror",
        lua.create_function(shift(|x, n| (x as u32).rotate_right(n) as i32))?,
    )?;
    t.raw_set(
        "bswap",
        lua.create_function(|_, x: f64| Ok(f64::from(tobit(x).swap_bytes())))?,
    )?;
    t.raw_set(
        "tohex",
        lua.create_function(|_, (x, n): (f64, Option<f64>)| {
            let n = n.map_or(8, tobit);
            let (upper, width) = if n < 0 { (true, -n) } else { (false, n) };
            let width = usize::try_from(width.clamp(1, 8)).unwrap_or(8);
            let v = tobit(x) as u32;
            let text = if upper {
                format!("{v:08X}")
            } else {
                format!("{v:08x}")
            };
            Ok(text[8 - width..].to_owned())
        })?,
    )?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tobit_wraps() {
        assert_eq!(super::tobit(4_294_967_295.0), -1);
        assert_eq!(super::tobit(-1.0), -1);
        assert_eq!(super::tobit(2_147_483_648.0), i32::MIN);
    }
}
