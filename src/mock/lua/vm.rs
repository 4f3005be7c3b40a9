//! The interpreter: one Lua 5.1 state per engine with Redis's globals, the
//! compiled scripts and registered functions, and the runs themselves.
//!
//! Owns: compiling (EVAL, SCRIPT LOAD, FUNCTION LOAD), running a script or
//! function with `redis.call` bound to the command's context, and the time
//! limit. Must not: keep any reference to the keyspace between runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mlua::{Function, HookTriggers, Lua, LuaOptions, MultiValue, StdLib, Table, Value as LuaValue};

use super::call::dispatch;
use super::convert::{lua_to_reply, reply_to_lua};
use super::errors::{final_text, handler, vm_error, CommandError};
use super::number_text::format_g;
use super::redis_lib::{install_random, redis_table, Rand48};
use super::shebang::{check_name, parse_flag_list};
use super::store::FunctionMeta;
use crate::mock::ctx::{Ctx, Reply};
use crate::mock::sorted_map::SortedMap;

/// How long a script may run before the engine stops it. Redis answers
/// BUSY to other clients after `busy-reply-threshold` (5 s) and waits for
/// SCRIPT KILL; the engine runs one command at a time under one lock, so no
/// other client could send that SCRIPT KILL: it stops the script itself.
const TIME_LIMIT: Duration = Duration::from_secs(5);

/// The error a script stopped by the time limit ends with.
const TIMED_OUT: &str = "Script killed: it ran longer than the embedded engine's 5 second limit (Redis's busy-reply-threshold)";

/// The Lua glue (see the file): `redis.call`/`pcall`, the runner, the
/// read-only globals.
const GLUE: &str = include_str!("glue.lua");

/// A function a library registered while loading.
pub type Registered = Vec<(String, Function, FunctionMeta)>;

/// One Lua state and what it has compiled.
pub struct Vm {
    lua: Lua,
    globals: Table,
    holder: Table,
    redis: Table,
    run: Function,
    env: Table,
    started: Arc<Mutex<Option<Instant>>>,
    scripts: HashMap<String, Function>,
    functions: HashMap<String, Function>,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm")
            .field("scripts", &self.scripts.len())
            .field("functions", &self.functions.len())
            .finish_non_exhaustive()
    }
}

fn lua_err(e: mlua::Error) -> String {
    vm_error(&e)
}

impl Vm {
    /// A fresh interpreter with Redis's libraries and globals.
    pub fn new() -> Result<Self, String> {
        Self::build().map_err(lua_err)
    }

    fn build() -> mlua::Result<Self> {
        let lua = Lua::new_with(
            StdLib::TABLE | StdLib::STRING | StdLib::MATH,
            LuaOptions::new(),
        )?;
        let globals = lua.globals();
        // Redis removes file access from the base library.
        for name in ["dofile", "loadfile", "print"] {
            globals.raw_set(name, LuaValue::Nil)?;
        }
        let rand = Rand48::default();
        rand.seed(0);
        install_random(&lua, &globals.raw_get::<Table>("math")?, &rand)?;
        let redis = redis_table(&lua, true)?;
        globals.raw_set("redis", redis.clone())?;
        globals.raw_set("cjson", super::cjson::library(&lua)?)?;
        globals.raw_set("bit", super::bit::library(&lua)?)?;
        globals.raw_set("struct", super::structlib::library(&lua)?)?;
        globals.raw_set("cmsgpack", super::cmsgpack::library(&lua)?)?;
        let holder = lua.create_table()?;
        holder.raw_set("handler", lua.create_function(handler)?)?;
        holder.raw_set("unwrap", lua.create_function(super::errors::unwrap)?)?;
        lua.load(GLUE)
            .set_name("=redis_glue")
            .call::<()>((holder.clone(), globals.clone()))?;
        let started: Arc<Mutex<Option<Instant>>> = Arc::default();
        let watch = Arc::clone(&started);
        lua.set_hook(
            HookTriggers::new().every_nth_instruction(100_000),
            move |_, _| {
                let since = *watch.lock().unwrap_or_else(|e| e.into_inner());
                match since {
                    Some(t) if t.elapsed() > TIME_LIMIT => {
                        Err(mlua::Error::RuntimeError(TIMED_OUT.to_owned()))
                    }
                    _ => Ok(mlua::VmState::Continue),
                }
            },
        )?;
        Ok(Self {
            run: holder.raw_get("run")?,
            env: holder.raw_get("env")?,
            lua,
            globals,
            holder,
            redis,
            started,
            scripts: HashMap::new(),
            functions: HashMap::new(),
        })
    }

    /// Drops every compiled script (SCRIPT FLUSH).
    pub fn forget_scripts(&mut self) {
        self.scripts.clear();
    }

    /// Compiles `body` (shebang already blanked) as script `sha1`, unless
    /// done before.
    pub fn compile(&mut self, sha1: &str, body: &[u8]) -> Result<(), String> {
        if self.scripts.contains_key(sha1) {
            return Ok(());
        }
        let f = self
            .lua
            .load(body)
            .set_name("@user_script")
            .set_environment(self.env.clone())
            .into_function()
            .map_err(|e| match e {
                mlua::Error::SyntaxError { message, .. } => {
                    format!("ERR Error compiling script (new function): {message}")
                }
                other => lua_err(other),
            })?;
        self.scripts.insert(sha1.to_owned(), f);
        Ok(())
    }

    /// Runs script `sha1` (compiled first) with KEYS and ARGV.
    pub fn eval(
        &mut self,
        ctx: &mut Ctx<'_>,
        sha1: &str,
        body: &[u8],
        keys: &[Vec<u8>],
        argv: &[Vec<u8>],
        read_only: bool,
    ) -> Reply {
        self.compile(sha1, body)?;
        let f = self
            .scripts
            .get(sha1)
            .cloned()
            .ok_or_else(|| "ERR internal: script vanished".to_owned())?;
        let set = |name: &str, items: &[Vec<u8>]| -> mlua::Result<()> {
            let t = self.sequence(items)?;
            self.globals.raw_set(name, t)
        };
        set("KEYS", keys).map_err(lua_err)?;
        set("ARGV", argv).map_err(lua_err)?;
        self.call(ctx, &f, LuaValue::Nil, LuaValue::Nil, read_only, sha1)
    }

    /// Runs registered function `name` (FCALL), if there is one.
    pub fn fcall(
        &mut self,
        ctx: &mut Ctx<'_>,
        name: &str,
        keys: &[Vec<u8>],
        argv: &[Vec<u8>],
        read_only: bool,
    ) -> Reply {
        let f = self
            .functions
            .get(name)
            .cloned()
            .ok_or_else(|| "ERR Function not found".to_owned())?;
        let k = LuaValue::Table(self.sequence(keys).map_err(lua_err)?);
        let a = LuaValue::Table(self.sequence(argv).map_err(lua_err)?);
        self.call(ctx, &f, k, a, read_only, name)
    }

    fn sequence(&self, items: &[Vec<u8>]) -> mlua::Result<Table> {
        let t = self.lua.create_table_with_capacity(items.len(), 0)?;
        for (i, item) in items.iter().enumerate() {
            t.raw_set(i + 1, self.lua.create_string(item)?)?;
        }
        Ok(t)
    }

    /// One run of `f(a, b)` under the error handler, with `redis.call`
    /// bound to `ctx`; `name` is what errors call the script.
    fn call(
        &mut self,
        ctx: &mut Ctx<'_>,
        f: &Function,
        a: LuaValue,
        b: LuaValue,
        read_only: bool,
        name: &str,
    ) -> Reply {
        self.set_started(Some(Instant::now()));
        let cell = RefCell::new(ctx);
        let command = |args: &MultiValue| -> (Reply, bool) {
            match command_parts(args) {
                Ok(parts) => {
                    let mut ctx = cell.borrow_mut();
                    dispatch(&mut ctx, &parts, read_only)
                }
                Err(text) => (Err(text.to_owned()), false),
            }
        };
        let outcome = self.lua.scope(|scope| {
            // `redis.call` is a Rust (C) function, as in Redis: a script's
            // `return redis.call(...)` keeps its frame, so errors name its line.
            let call = scope.create_function(|lua, args: MultiValue| match command(&args) {
                (Err(text), _) => Err(mlua::Error::external(CommandError(text))),
                (reply, status) => reply_to_lua(lua, &reply, status),
            })?;
            let pcall = scope.create_function(|lua, args: MultiValue| {
                let (reply, status) = command(&args);
                reply_to_lua(lua, &reply, status)
            })?;
            self.redis.raw_set("call", call)?;
            self.redis.raw_set("pcall", pcall)?;
            let out = self.run.call::<(bool, LuaValue)>((f.clone(), a, b));
            self.redis.raw_set("call", LuaValue::Nil)?;
            self.redis.raw_set("pcall", LuaValue::Nil)?;
            out
        });
        self.set_started(None);
        match outcome.map_err(lua_err)? {
            (true, v) => lua_to_reply(&v),
            (false, LuaValue::Table(err)) => Err(final_text(&err, name)),
            (false, _) => Err("ERR unknown error".to_owned()),
        }
    }

    fn set_started(&self, at: Option<Instant>) {
        *self.started.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// Runs a library's code (after its shebang) and returns the functions
    /// it registered, without installing them.
    pub fn load_library(&mut self, code: &[u8]) -> Result<Registered, String> {
        let load_redis = redis_table(&self.lua, false).map_err(lua_err)?;
        let make: Function = self.holder.raw_get("lib_env").map_err(lua_err)?;
        let (env, state): (Table, Table) = make.call(load_redis.clone()).map_err(lua_err)?;
        let chunk = self
            .lua
            .load(code)
            .set_name("@user_function")
            .set_environment(env)
            .into_function()
            .map_err(|e| match e {
                mlua::Error::SyntaxError { message, .. } => {
                    format!("ERR Error compiling function: {message}")
                }
                other => lua_err(other),
            })?;
        let mut registered: Registered = Vec::new();
        let wrapper: LuaValue = self.holder.raw_get("register_function").map_err(lua_err)?;
        load_redis
            .raw_set("register_function", wrapper)
            .map_err(lua_err)?;
        let outcome = self.lua.scope(|scope| {
            let register = scope.create_function_mut(|_, args: MultiValue| {
                Ok(register(&mut registered, args).err())
            })?;
            self.holder.raw_set("register", register)?;
            let out = self
                .run
                .call::<(bool, LuaValue)>((chunk, LuaValue::Nil, LuaValue::Nil));
            self.holder.raw_set("register", LuaValue::Nil)?;
            out
        });
        state.raw_set("loading", false).map_err(lua_err)?;
        match outcome.map_err(lua_err)? {
            (true, _) => {}
            (false, LuaValue::Table(err)) => {
                let text = err
                    .raw_get::<String>("err")
                    .unwrap_or_else(|_| "ERR unknown error".to_owned());
                return Err(format!("ERR Error registering functions: {text}"));
            }
            (false, _) => return Err("ERR Error registering functions".to_owned()),
        }
        if registered.is_empty() {
            return Err("ERR No functions registered".to_owned());
        }
        Ok(registered)
    }

    /// Makes registered functions callable by FCALL.
    pub fn install(&mut self, functions: impl IntoIterator<Item = (String, Function)>) {
        self.functions.extend(functions);
    }

    /// Forgets the functions of a deleted library.
    pub fn uninstall<'a>(&mut self, names: impl IntoIterator<Item = &'a String>) {
        for n in names {
            self.functions.remove(n);
        }
    }
}

/// A script's `redis.call` arguments as command parts: strings as they
/// are, numbers as `%.17g`, anything else refused with Redis's text.
fn command_parts(args: &MultiValue) -> Result<Vec<Vec<u8>>, &'static str> {
    const BAD: &str = "ERR Lua redis lib command arguments must be strings or integers";
    args.iter()
        .map(|a| match a {
            LuaValue::String(s) => Ok(s.as_bytes().to_vec()),
            LuaValue::Number(n) => Ok(format_g(*n, 17).into_bytes()),
            LuaValue::Integer(i) => Ok(format_g(*i as f64, 17).into_bytes()),
            _ => Err(BAD),
        })
        .collect()
}

/// `redis.register_function(name, callback)` or the table form; the error
/// text (Redis's) when the registration is refused.
fn register(registered: &mut Registered, args: MultiValue) -> Result<(), String> {
    let mut args = args.into_iter();
    let (name, callback, flags, description) = match (args.next(), args.next(), args.next()) {
        (Some(LuaValue::String(n)), Some(LuaValue::Function(f)), None) => {
            (n.to_string_lossy(), f, Vec::new(), None)
        }
        (Some(LuaValue::Table(t)), None, None) => table_form(&t)?,
        _ => return Err("ERR wrong number of arguments to redis.register_function".to_owned()),
    };
    check_name(&name)?;
    if registered.iter().any(|(n, _, _)| *n == name) {
        return Err("ERR Function already exists in the library".to_owned());
    }
    let no_writes = parse_flag_list(flags.iter().map(String::as_str), |_| {
        "ERR unknown flag given".to_owned()
    })?;
    registered.push((
        name,
        callback,
        FunctionMeta {
            description,
            flags,
            no_writes,
        },
    ));
    Ok(())
}

type TableForm = (String, Function, Vec<String>, Option<Vec<u8>>);

fn table_form(t: &Table) -> Result<TableForm, String> {
    let mut name = None;
    let mut callback = None;
    let mut flags = Vec::new();
    let mut description = None;
    for pair in t.pairs::<String, LuaValue>() {
        let (k, v) = pair.map_err(|_| {
            "ERR named argument key given to redis.register_function is not a string".to_owned()
        })?;
        match (k.as_str(), v) {
            ("function_name", LuaValue::String(s)) => name = Some(s.to_string_lossy()),
            ("callback", LuaValue::Function(f)) => callback = Some(f),
            ("description", LuaValue::String(s)) => description = Some(s.as_bytes().to_vec()),
            ("flags", LuaValue::Table(list)) => {
                for f in list.sequence_values::<String>() {
                    flags.push(f.map_err(|_| "ERR unknown flag given".to_owned())?);
                }
            }
            ("function_name" | "callback" | "description" | "flags", _) => {
                return Err(format!(
                    "ERR wrong type for argument '{k}' given to redis.register_function"
                ))
            }
            _ => return Err("ERR unknown argument given to redis.register_function".to_owned()),
        }
    }
    match (name, callback) {
        (Some(n), Some(f)) => Ok((n, f, flags, description)),
        (None, _) => {
            Err("ERR redis.register_function must get a function name argument".to_owned())
        }
        (_, None) => Err("ERR redis.register_function must get a callback argument".to_owned()),
    }
}

/// Library metadata for the store, from what a load registered.
pub fn metadata(registered: &Registered) -> SortedMap<String, FunctionMeta> {
    registered
        .iter()
        .map(|(n, _, m)| (n.clone(), m.clone()))
        .collect()
}
