//! FUNCTION LOAD/LIST/DELETE/FLUSH/KILL/STATS and FCALL, FCALL_RO in the
//! engine (Redis 7 functions; the Lua runs in [`super::lua`]).
//!
//! Owns: argument parsing and replies of these commands. Must not: run Lua
//! itself ([`super::lua::exec`] does).

use super::ctx::{bulk, is, ArgError, Ctx, Reply};
use super::glob::matches;
use super::lua::exec;
use super::lua::shebang::{library_name, KNOWN};
use super::lua::store::Library;
use super::scripting::split_keys;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("function", function),
    ("fcall", fcall),
    ("fcall_ro", fcall_ro),
];

fn fcall(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    fcall_generic(ctx, args, false)
}

fn fcall_ro(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    fcall_generic(ctx, args, true)
}

fn fcall_generic(ctx: &mut Ctx<'_>, args: &[Vec<u8>], ro: bool) -> Reply {
    let mut a = ctx.args(args);
    let name = String::from_utf8_lossy(a.arg()?).into_owned();
    // FCALL words a non-integer key count differently from EVAL.
    if a.clone().int().is_err() {
        return Err(ArgError::Command("ERR Bad number of keys provided").into());
    }
    let (keys, argv) = split_keys(&mut a)?;
    exec::fcall(ctx, &name, keys, argv, ro)
}

fn sub_arity(sub: &[u8]) -> String {
    format!(
        "ERR wrong number of arguments for 'function|{}' command",
        String::from_utf8_lossy(sub).to_ascii_lowercase()
    )
}

fn function(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let sub = a.arg()?;
    let rest = a.rest();
    match (sub.to_ascii_uppercase().as_slice(), rest) {
        (b"LOAD", [body]) => load(ctx, false, body),
        (b"LOAD", [flag, body]) if is(flag, "REPLACE") => load(ctx, true, body),
        (b"LOAD", [option, _]) => Err(format!(
            "ERR Unknown option given: {}",
            String::from_utf8_lossy(option)
        )),
        (b"DELETE", [name]) => {
            let name = String::from_utf8_lossy(name).into_owned();
            let Some(library) = ctx.db.scripts.libraries.remove(&name) else {
                return Err("ERR Library not found".to_owned());
            };
            exec::unload_library(ctx, &library);
            Ok(Value::Okay)
        }
        (b"FLUSH", [] | [_]) => {
            if let [mode] = rest {
                if !(is(mode, "SYNC") || is(mode, "ASYNC")) {
                    return Err("ERR FUNCTION FLUSH only supports SYNC|ASYNC option".to_owned());
                }
            }
            let libraries = std::mem::take(&mut ctx.db.scripts.libraries);
            for library in libraries.values() {
                exec::unload_library(ctx, library);
            }
            Ok(Value::Okay)
        }
        (b"LIST", _) => list(ctx, rest),
        (b"STATS", []) => Ok(stats(ctx)),
        (b"LOAD" | b"DELETE" | b"FLUSH" | b"STATS", _) => Err(sub_arity(sub)),
        (b"KILL", _) => Err("NOTBUSY No scripts in execution right now.".to_owned()),
        (b"DUMP" | b"RESTORE", _) => Err(format!(
            "ERR FUNCTION {} is not supported by the embedded engine (its payload is Redis's RDB format)",
            String::from_utf8_lossy(sub).to_ascii_uppercase()
        )),
        _ => Err(format!(
            "ERR unknown subcommand '{}'. Try FUNCTION HELP.",
            String::from_utf8_lossy(sub)
        )),
    }
}

/// FUNCTION LOAD [REPLACE] body.
fn load(ctx: &mut Ctx<'_>, replace: bool, body: &[u8]) -> Reply {
    let (name, code) = library_name(body)?;
    exec::load_library(ctx, &name, body, code, replace)?;
    Ok(bulk(name))
}

/// FUNCTION STATS: no script runs while a command does (the engine runs
/// one at a time), so `running_script` is nil, then the Lua engine's
/// library and function counts.
fn stats(ctx: &Ctx<'_>) -> Value {
    let libraries = &ctx.db.scripts.libraries;
    let functions: usize = libraries.values().map(|l| l.functions.len()).sum();
    let count = |n: usize| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    Value::Array(vec![
        bulk("running_script"),
        Value::Nil,
        bulk("engines"),
        Value::Array(vec![
            bulk("LUA"),
            Value::Array(vec![
                bulk("libraries_count"),
                count(libraries.len()),
                bulk("functions_count"),
                count(functions),
            ]),
        ]),
    ])
}

/// FUNCTION LIST [WITHCODE] [LIBRARYNAME pattern] (`rest`: after LIST).
fn list(ctx: &mut Ctx<'_>, rest: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(rest);
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    while let Some(word) = a.next_arg() {
        if is(word, "WITHCODE") && !with_code {
            with_code = true;
        } else if is(word, "LIBRARYNAME") && pattern.is_none() {
            let Some(p) = a.next_arg() else {
                return Err("ERR library name argument was not given".to_owned());
            };
            pattern = Some(p);
        } else {
            return Err(format!(
                "ERR Unknown argument {}",
                String::from_utf8_lossy(word)
            ));
        }
    }
    let libraries = ctx
        .db
        .scripts
        .libraries
        .iter()
        .filter(|(name, _)| pattern.is_none_or(|p| matches(p, name.as_bytes())))
        .map(|(name, lib)| library_entry(name, lib, with_code))
        .collect();
    Ok(Value::Array(libraries))
}

fn library_entry(name: &str, lib: &Library, with_code: bool) -> Value {
    let functions = lib
        .functions
        .iter()
        .map(|(fname, meta)| {
            let flags = KNOWN
                .iter()
                .filter(|f| meta.flags.iter().any(|g| g == *f))
                .map(|f| bulk(*f))
                .collect();
            Value::Array(vec![
                bulk("name"),
                bulk(fname.as_str()),
                bulk("description"),
                meta.description.clone().map_or(Value::Nil, Value::Bytes),
                bulk("flags"),
                Value::Array(flags),
            ])
        })
        .collect();
    let mut entry = vec![
        bulk("library_name"),
        bulk(name),
        bulk("engine"),
        bulk("LUA"),
        bulk("functions"),
        Value::Array(functions),
    ];
    if with_code {
        entry.push(bulk("library_code"));
        entry.push(bulk(lib.code.clone()));
    }
    Value::Array(entry)
}
