//! The `struct` library as Redis loads it (Roberto Ierusalimschy's
//! `struct` 0.2): `pack`, `unpack`, `size`.
//!
//! Formats: `<` `>` `=` endianness, `x` padding, `b/B h/H l/L T i/I[n]`
//! integers, `f d` floats, `s` zero-terminated and `c[n]` fixed strings.
//! Gap: `!` alignment is accepted and ignored (Redis's scripts rarely use
//! it).

use mlua::{Lua, MultiValue, Table, Value as LuaValue};

fn err(text: &str) -> mlua::Error {
    mlua::Error::RuntimeError(text.to_owned())
}

/// One format item: the option and its size (or count for `c`).
enum Item {
    Little(bool),
    Pad,
    Int { size: usize, signed: bool },
    Float,
    Double,
    Zstr,
    Chars(Option<usize>),
}

fn parse(fmt: &[u8]) -> mlua::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut i = 0;
    let num = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < fmt.len() && fmt[*i].is_ascii_digit() {
            *i += 1;
        }
        std::str::from_utf8(&fmt[start..*i]).ok()?.parse().ok()
    };
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        let item = match c {
            b' ' => continue,
            b'<' | b'=' => Item::Little(true),
            b'>' => Item::Little(false),
            b'!' => {
                num(&mut i);
                continue;
            }
            b'x' => Item::Pad,
            b'b' | b'B' => Item::Int {
                size: 1,
                signed: c == b'b',
            },
            b'h' | b'H' => Item::Int {
                size: 2,
                signed: c == b'h',
            },
            b'l' | b'L' | b'T' => Item::Int {
                size: 8,
                signed: c == b'l',
            },
            b'i' | b'I' => {
                let size = num(&mut i).unwrap_or(4);
                if !(1..=8).contains(&size) {
                    return Err(err("integral size out of limits"));
                }
                Item::Int {
                    size,
                    signed: c == b'i',
                }
            }
            b'f' => Item::Float,
            b'd' => Item::Double,
            b's' => Item::Zstr,
            b'c' => Item::Chars(num(&mut i)),
            _ => return Err(err(&format!("invalid format option '{}'", c as char))),
        };
        items.push(item);
    }
    Ok(items)
}

fn put_int(out: &mut Vec<u8>, v: i64, size: usize, little: bool) {
    let bytes = v.to_le_bytes();
    let mut b = bytes[..size].to_vec();
    if !little {
        b.reverse();
    }
    out.extend_from_slice(&b);
}

fn get_int(b: &[u8], signed: bool, little: bool) -> f64 {
    let mut v: u64 = 0;
    let iter: Box<dyn Iterator<Item = &u8>> = if little {
        Box::new(b.iter().rev())
    } else {
        Box::new(b.iter())
    };
    for &x in iter {
        v = (v << 8) | u64::from(x);
    }
    if signed && b.len() < 8 {
        let shift = 64 - 8 * b.len() as u32;
        (((v << shift) as i64) >> shift) as f64
    } else if signed {
        v as i64 as f64
    } else {
        v as f64
    }
}

fn number(v: Option<&LuaValue>) -> mlua::Result<f64> {
    match v {
        Some(LuaValue::Number(n)) => Ok(*n),
        Some(LuaValue::Integer(i)) => Ok(*i as f64),
        Some(LuaValue::String(s)) => s
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| err("bad argument to 'pack' (number expected)")),
        _ => Err(err("bad argument to 'pack' (number expected)")),
    }
}

fn pack(lua: &Lua, args: MultiValue) -> mlua::Result<mlua::String> {
    let mut args = args.into_iter();
    let fmt = match args.next() {
        Some(LuaValue::String(s)) => s.as_bytes().to_vec(),
        _ => return Err(err("bad argument #1 to 'pack' (string expected)")),
    };
    let args: Vec<LuaValue> = args.collect();
    let mut next = args.iter();
    let mut little = true;
    let mut out = Vec::new();
    for item in parse(&fmt)? {
        match item {
            Item::Little(l) => little = l,
            Item::Pad => out.push(0),
            Item::Int { size, .. } => put_int(&mut out, number(next.next())? as i64, size, little),
            Item::Float => {
                let b = (number(next.next())? as f32).to_bits().to_le_bytes();
                out.extend(if little {
                    b.to_vec()
                } else {
                    b.iter().rev().copied().collect()
                });
            }
            Item::Double => {
                let b = number(next.next())?.to_bits().to_le_bytes();
                out.extend(if little {
                    b.to_vec()
                } else {
                    b.iter().rev().copied().collect()
                });
            }
            Item::Zstr | Item::Chars(_) => {
                let s = match next.next() {
                    Some(LuaValue::String(s)) => s.as_bytes().to_vec(),
                    Some(LuaValue::Number(n)) => super::number_text::format_g(*n, 14).into_bytes(),
                    _ => return Err(err("bad argument to 'pack' (string expected)")),
                };
                match item {
                    Item::Chars(Some(n)) => {
                        if s.len() < n {
                            return Err(err("bad argument to 'pack' (string too short)"));
                        }
                        out.extend_from_slice(&s[..n]);
                    }
                    Item::Chars(None) => out.extend_from_slice(&s),
                    _ => {
                        out.extend_from_slice(&s);
                        out.push(0);
                    }
                }
            }
        }
    }
    lua.create_string(out)
}

fn unpack(
    lua: &Lua,
    (fmt, data, init): (mlua::String, mlua::String, Option<f64>),
) -> mlua::Result<MultiValue> {
    let fmt = fmt.as_bytes().to_vec();
    let data = data.as_bytes().to_vec();
    let mut pos = init.map_or(0, |i| (i as usize).saturating_sub(1));
    let mut little = true;
    let mut out: Vec<LuaValue> = Vec::new();
    let short = || err("bad argument #2 to 'unpack' (data string too short)");
    for item in parse(&fmt)? {
        match item {
            Item::Little(l) => little = l,
            Item::Pad => pos += 1,
            Item::Int { size, signed } => {
                let b = data.get(pos..pos + size).ok_or_else(short)?;
                out.push(LuaValue::Number(get_int(b, signed, little)));
                pos += size;
            }
            Item::Float | Item::Double => {
                let size = if matches!(item, Item::Float) { 4 } else { 8 };
                let b = data.get(pos..pos + size).ok_or_else(short)?;
                let v = get_int(b, false, little) as u64;
                let f = if size == 4 {
                    f64::from(f32::from_bits(v as u32))
                } else {
                    f64::from_bits(v)
                };
                out.push(LuaValue::Number(f));
                pos += size;
            }
            Item::Zstr => {
                let rest = data.get(pos..).ok_or_else(short)?;
                let end = rest.iter().position(|&b| b == 0).ok_or_else(short)?;
                out.push(LuaValue::String(lua.create_string(&rest[..end])?));
                pos += end + 1;
            }
            Item::Chars(n) => {
                let n = match n {
                    Some(n) => n,
                    // `c0`: the length is the previous value read.
                    None => match out.pop() {
                        Some(LuaValue::Number(n)) => n as usize,
                        _ => return Err(err("format 'c0' needs a previous size")),
                    },
                };
                let b = data.get(pos..pos + n).ok_or_else(short)?;
                out.push(LuaValue::String(lua.create_string(b)?));
                pos += n;
            }
        }
    }
    out.push(LuaValue::Number((pos + 1) as f64));
    Ok(MultiValue::from_iter(out))
}

fn size(_: &Lua, fmt: mlua::String) -> mlua::Result<f64> {
    let mut n = 0usize;
    for item in parse(&fmt.as_bytes())? {
        n += match item {
            Item::Little(_) => 0,
            Item::Pad => 1,
            Item::Int { size, .. } => size,
            Item::Float => 4,
            Item::Double => 8,
            Item::Chars(Some(c)) => c,
            Item::Zstr | Item::Chars(None) => {
                return Err(err("options 's' and 'c0' have no fixed size"))
            }
        };
    }
    Ok(n as f64)
}

/// The `struct` table.
pub fn library(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("pack", lua.create_function(pack)?)?;
    t.raw_set("unpack", lua.create_function(unpack)?)?;
    t.raw_set("size", lua.create_function(size)?)?;
    Ok(t)
}
