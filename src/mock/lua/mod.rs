//! Arbitrary Lua in the engine: EVAL/EVALSHA of any script, FUNCTION and
//! FCALL, as Redis 7 runs them (Lua 5.1, `redis.call`/`pcall`, the `cjson`,
//! `cmsgpack`, `bit` and `struct` libraries, read-only rules, Redis's error
//! texts).
//!
//! Owns: the script and function store every build keeps ([`store`]), the
//! shebang rules ([`shebang`]), and, with the `lua` feature (native builds),
//! the interpreter (`vm.rs`) and what it exposes to scripts. Without the
//! feature the store still answers SCRIPT EXISTS/FLUSH, FUNCTION LIST and
//! NOSCRIPT as Redis would, and running a script that is not one of
//! edgestash's own answers [`NO_LUA`].
//!
//! Must not: touch the keyspace except through the engine's command table
//! (a script's `redis.call` is dispatched exactly as a client's command), or
//! know about HTTP.

pub mod exec;
pub mod shebang;
pub mod store;

#[cfg(feature = "lua")]
mod bit;
#[cfg(feature = "lua")]
mod call;
#[cfg(feature = "lua")]
mod cjson;
#[cfg(feature = "lua")]
mod cmsgpack;
#[cfg(feature = "lua")]
mod convert;
#[cfg(feature = "lua")]
mod errors;
#[cfg(feature = "lua")]
mod number_text;
#[cfg(feature = "lua")]
mod redis_lib;
#[cfg(feature = "lua")]
mod structlib;
#[cfg(all(test, feature = "lua"))]
mod tests;
#[cfg(feature = "lua")]
pub mod vm;

/// The error a build without the `lua` feature answers for a script that is
/// not one of edgestash's own (those keep their native implementation).
pub const NO_LUA: &str = "ERR this edgestash build has no Lua interpreter (the wasm32 Worker and npm builds, or a native build without the `lua` feature): the embedded engine runs only edgestash's own scripts here";
