//! The `cmsgpack` library as Redis loads it (lua-cmsgpack): `pack(...)`
//! and `unpack(s)`.
//!
//! Encoding as lua-cmsgpack does it: integral numbers as the smallest
//! integer type, other numbers as float32 when exact else float64, strings
//! as fixstr/str8/16/32, tables with keys 1..n as arrays, others as maps.
//! Gaps: `unpack_one`/`unpack_limit` are not provided; nesting is limited
//! to 16 levels when packing (deeper tables pack as nil, as lua-cmsgpack).

use mlua::{Lua, MultiValue, Table, Value as LuaValue};

fn err(text: &str) -> mlua::Error {
    mlua::Error::RuntimeError(text.to_owned())
}

fn pack_len(out: &mut Vec<u8>, len: usize, fix: u8, fix_max: usize, codes: [u8; 3]) {
    if len < fix_max {
        out.push(fix | len as u8);
    } else if codes[0] != 0 && len <= 0xff {
        out.push(codes[0]);
        out.push(len as u8);
    } else if len <= 0xffff {
        out.push(codes[1]);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(codes[2]);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

fn pack_int(out: &mut Vec<u8>, i: i64) {
    if i >= 0 {
        match i {
            0..=127 => out.push(i as u8),
            128..=0xff => out.extend_from_slice(&[0xcc, i as u8]),
            0x100..=0xffff => {
                out.push(0xcd);
                out.extend_from_slice(&(i as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(0xce);
                out.extend_from_slice(&(i as u32).to_be_bytes());
            }
            _ => {
                out.push(0xcf);
                out.extend_from_slice(&(i as u64).to_be_bytes());
            }
        }
    } else if i >= -32 {
        out.push(i as i8 as u8);
    } else if i >= -128 {
        out.extend_from_slice(&[0xd0, i as i8 as u8]);
    } else if i >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(i as i16).to_be_bytes());
    } else if i >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(i as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

fn pack_number(out: &mut Vec<u8>, n: f64) {
    if n.fract() == 0.0 && n.is_finite() && n.abs() < 9.2e18 {
        pack_int(out, n as i64);
    } else if f64::from(n as f32) == n || n.is_nan() {
        out.push(0xca);
        out.extend_from_slice(&(n as f32).to_be_bytes());
    } else {
        out.push(0xcb);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// The length n when the keys of `t` are exactly 1..n.
fn array_len(t: &Table) -> mlua::Result<Option<usize>> {
    let mut count = 0usize;
    let mut max = 0usize;
    for pair in t.clone().pairs::<LuaValue, LuaValue>() {
        let (k, _) = pair?;
        match k {
            LuaValue::Number(n) if n >= 1.0 && n.fract() == 0.0 => max = max.max(n as usize),
            LuaValue::Integer(i) if i >= 1 => max = max.max(i as usize),
            _ => return Ok(None),
        }
        count += 1;
    }
    Ok((count == max).then_some(max))
}

fn pack(out: &mut Vec<u8>, v: &LuaValue, depth: usize) -> mlua::Result<()> {
    match v {
        LuaValue::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        LuaValue::Integer(i) => pack_int(out, *i),
        LuaValue::Number(n) => pack_number(out, *n),
        LuaValue::String(s) => {
            let b = s.as_bytes();
            pack_len(out, b.len(), 0xa0, 32, [0xd9, 0xda, 0xdb]);
            out.extend_from_slice(&b);
        }
        LuaValue::Table(t) if depth < 16 => match array_len(t)? {
            Some(n) => {
                pack_len(out, n, 0x90, 16, [0, 0xdc, 0xdd]);
                for i in 1..=n {
                    pack(out, &t.raw_get::<LuaValue>(i)?, depth + 1)?;
                }
            }
            None => {
                let pairs: Vec<(LuaValue, LuaValue)> = t
                    .clone()
                    .pairs::<LuaValue, LuaValue>()
                    .collect::<mlua::Result<_>>()?;
                pack_len(out, pairs.len(), 0x80, 16, [0, 0xde, 0xdf]);
                for (k, v) in &pairs {
                    pack(out, k, depth + 1)?;
                    pack(out, v, depth + 1)?;
                }
            }
        },
        _ => out.push(0xc0),
    }
    Ok(())
}

/// Reads msgpack values from a byte slice.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> mlua::Result<&[u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or_else(|| err("Missing bytes in input."))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn uint(&mut self, n: usize) -> mlua::Result<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |a, &b| (a << 8) | u64::from(b)))
    }

    fn int(&mut self, n: usize) -> mlua::Result<f64> {
        let u = self.uint(n)?;
        let shift = 64 - 8 * n as u32;
        Ok((((u << shift) as i64) >> shift) as f64)
    }

    fn value(&mut self, lua: &Lua) -> mlua::Result<LuaValue> {
        let b = self.take(1)?[0];
        Ok(match b {
            0x00..=0x7f => LuaValue::Number(f64::from(b)),
            0x80..=0x8f => self.map(lua, usize::from(b & 0x0f))?,
            0x90..=0x9f => self.array(lua, usize::from(b & 0x0f))?,
            0xa0..=0xbf => self.string(lua, usize::from(b & 0x1f))?,
            0xc0 => LuaValue::Nil,
            0xc2 => LuaValue::Boolean(false),
            0xc3 => LuaValue::Boolean(true),
            0xca => {
                let bits = self.uint(4)? as u32;
                LuaValue::Number(f64::from(f32::from_bits(bits)))
            }
            0xcb => LuaValue::Number(f64::from_bits(self.uint(8)?)),
            0xcc => LuaValue::Number(self.uint(1)? as f64),
            0xcd => LuaValue::Number(self.uint(2)? as f64),
            0xce => LuaValue::Number(self.uint(4)? as f64),
            0xcf => LuaValue::Number(self.uint(8)? as f64),
            0xd0 => LuaValue::Number(self.int(1)?),
            0xd1 => LuaValue::Number(self.int(2)?),
            0xd2 => LuaValue::Number(self.int(4)?),
            0xd3 => LuaValue::Number(self.int(8)?),
            0xc4 | 0xd9 => {
                let n = self.uint(1)? as usize;
                self.string(lua, n)?
            }
            0xc5 | 0xda => {
                let n = self.uint(2)? as usize;
                self.string(lua, n)?
            }
            0xc6 | 0xdb => {
                let n = self.uint(4)? as usize;
                self.string(lua, n)?
            }
            0xdc => {
                let n = self.uint(2)? as usize;
                self.array(lua, n)?
            }
            0xdd => {
                let n = self.uint(4)? as usize;
                self.array(lua, n)?
            }
            0xde => {
                let n = self.uint(2)? as usize;
                self.map(lua, n)?
            }
            0xdf => {
                let n = self.uint(4)? as usize;
                self.map(lua, n)?
            }
            0xe0..=0xff => LuaValue::Number(f64::from(b as i8)),
            _ => return Err(err("Bad data format in input.")),
        })
    }

    fn string(&mut self, lua: &Lua, n: usize) -> mlua::Result<LuaValue> {
        Ok(LuaValue::String(lua.create_string(self.take(n)?)?))
    }

    fn array(&mut self, lua: &Lua, n: usize) -> mlua::Result<LuaValue> {
        let t = lua.create_table()?;
        for i in 1..=n {
            let v = self.value(lua)?;
            t.raw_set(i, v)?;
        }
        Ok(LuaValue::Table(t))
    }

    fn map(&mut self, lua: &Lua, n: usize) -> mlua::Result<LuaValue> {
        let t = lua.create_table()?;
        for _ in 0..n {
            let k = self.value(lua)?;
            let v = self.value(lua)?;
            if !k.is_nil() {
                t.raw_set(k, v)?;
            }
        }
        Ok(LuaValue::Table(t))
    }
}

/// The `cmsgpack` table.
pub fn library(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|lua, args: MultiValue| {
            if args.is_empty() {
                return Err(err("MessagePack pack needs input."));
            }
            let mut out = Vec::new();
            for a in args.iter() {
                pack(&mut out, a, 0)?;
            }
            lua.create_string(out)
        })?,
    )?;
    t.raw_set(
        "unpack",
        lua.create_function(|lua, s: mlua::String| {
            let bytes = s.as_bytes().to_vec();
            let mut r = Reader {
                data: &bytes,
                pos: 0,
            };
            let mut out = Vec::new();
            while r.pos < bytes.len() {
                out.push(r.value(lua)?);
            }
            Ok(MultiValue::from_iter(out))
        })?,
    )?;
    Ok(t)
}
