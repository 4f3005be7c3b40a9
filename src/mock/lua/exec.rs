//! Running a script or function for a command handler: shebang and
//! read-only rules, then the interpreter, or [`NO_LUA`](super::NO_LUA) in a
//! build without one.
//!
//! Must not: parse command arguments (the handlers in `scripting` and
//! `functions` do).

use super::shebang::script_flags;
use crate::mock::ctx::{Ctx, Reply};

/// Redis's refusal of a writing script under EVAL_RO / FCALL_RO.
pub const WRITE_FLAG_RO: &str = "ERR Can not execute a script with write flag using *_ro command.";

/// Checks `body`'s shebang against `ro` (EVAL_RO/EVALSHA_RO) and returns
/// whether the run is read-only and the code after the shebang.
fn prepare(body: &[u8], ro: bool) -> Result<(bool, &[u8]), String> {
    let (flags, code) = script_flags(body)?;
    if ro && flags.declared && !flags.no_writes {
        return Err(WRITE_FLAG_RO.to_owned());
    }
    Ok((ro || flags.no_writes, code))
}

#[cfg(feature = "lua")]
mod imp {
    use super::super::store::Library;
    use super::super::vm::{metadata, Vm};
    use super::*;

    /// Runs `f` with the engine's interpreter, created on first use.
    fn with_vm<R>(
        ctx: &mut Ctx<'_>,
        f: impl FnOnce(&mut Vm, &mut Ctx<'_>) -> Result<R, String>,
    ) -> Result<R, String> {
        let mut vm = match ctx.db.scripts.vm.take() {
            Some(vm) => vm,
            None => Box::new(Vm::new()?),
        };
        let out = f(&mut vm, ctx);
        ctx.db.scripts.vm = Some(vm);
        out
    }

    /// Compiles `body` and caches it under `sha1` (SCRIPT LOAD, EVAL).
    pub fn load_script(ctx: &mut Ctx<'_>, sha1: &str, body: &[u8]) -> Result<(), String> {
        let (_, code) = prepare(body, false)?;
        with_vm(ctx, |vm, _| vm.compile(sha1, code))?;
        ctx.db.scripts.insert(sha1.to_owned(), body);
        Ok(())
    }

    /// EVAL / EVALSHA (and their _RO forms) of a cached or given body.
    pub fn eval(
        ctx: &mut Ctx<'_>,
        sha1: &str,
        body: &[u8],
        keys: &[Vec<u8>],
        argv: &[Vec<u8>],
        ro: bool,
    ) -> Reply {
        let (read_only, code) = prepare(body, ro)?;
        with_vm(ctx, |vm, ctx| {
            vm.compile(sha1, code)?;
            ctx.db.scripts.insert(sha1.to_owned(), body);
            vm.eval(ctx, sha1, code, keys, argv, read_only)
        })
    }

    /// FCALL / FCALL_RO of function `name`.
    pub fn fcall(
        ctx: &mut Ctx<'_>,
        name: &str,
        keys: &[Vec<u8>],
        argv: &[Vec<u8>],
        ro: bool,
    ) -> Reply {
        let no_writes = match ctx.db.scripts.function(name) {
            Some((_, meta)) => meta.no_writes,
            None => return Err("ERR Function not found".to_owned()),
        };
        if ro && !no_writes {
            return Err(WRITE_FLAG_RO.to_owned());
        }
        with_vm(ctx, |vm, ctx| {
            vm.fcall(ctx, name, keys, argv, ro || no_writes)
        })
    }

    /// FUNCTION LOAD: runs the library and installs its functions under
    /// `name`, replacing a library of that name when `replace`.
    pub fn load_library(
        ctx: &mut Ctx<'_>,
        name: &str,
        body: &[u8],
        code: &[u8],
        replace: bool,
    ) -> Result<(), String> {
        if !replace && ctx.db.scripts.libraries.contains_key(name) {
            return Err(format!("ERR Library '{name}' already exists"));
        }
        with_vm(ctx, |vm, ctx| {
            let registered = vm.load_library(code)?;
            let store = &mut ctx.db.scripts;
            for (f, _, _) in &registered {
                if let Some((lib, _)) = store.function(f) {
                    if lib != name {
                        return Err(format!("ERR Function {f} already exists"));
                    }
                }
            }
            if let Some(old) = store.libraries.remove(name) {
                vm.uninstall(old.functions.keys());
            }
            let functions = metadata(&registered);
            vm.install(registered.into_iter().map(|(n, f, _)| (n, f)));
            store.libraries.insert(
                name.to_owned(),
                Library {
                    code: body.to_vec(),
                    functions,
                },
            );
            Ok(())
        })
    }

    /// Forgets a library's functions in the interpreter.
    pub fn unload_library(ctx: &mut Ctx<'_>, library: &Library) {
        if let Some(vm) = ctx.db.scripts.vm.as_mut() {
            vm.uninstall(library.functions.keys());
        }
    }
}

#[cfg(not(feature = "lua"))]
mod imp {
    use super::super::store::Library;
    use super::super::NO_LUA;
    use super::*;

    /// Without Lua nothing compiles: refused with [`NO_LUA`].
    pub fn load_script(_: &mut Ctx<'_>, _: &str, body: &[u8]) -> Result<(), String> {
        prepare(body, false)?;
        Err(NO_LUA.to_owned())
    }

    /// Without Lua: the shebang is still checked, then [`NO_LUA`].
    pub fn eval(
        _: &mut Ctx<'_>,
        _: &str,
        body: &[u8],
        _: &[Vec<u8>],
        _: &[Vec<u8>],
        ro: bool,
    ) -> Reply {
        prepare(body, ro)?;
        Err(NO_LUA.to_owned())
    }

    /// No function can have been loaded without Lua.
    pub fn fcall(_: &mut Ctx<'_>, _: &str, _: &[Vec<u8>], _: &[Vec<u8>], _: bool) -> Reply {
        Err("ERR Function not found".to_owned())
    }

    /// Without Lua: [`NO_LUA`].
    pub fn load_library(
        _: &mut Ctx<'_>,
        _: &str,
        _: &[u8],
        _: &[u8],
        _: bool,
    ) -> Result<(), String> {
        Err(NO_LUA.to_owned())
    }

    /// Nothing to forget without an interpreter.
    pub fn unload_library(_: &mut Ctx<'_>, _: &Library) {}
}

pub use imp::*;
