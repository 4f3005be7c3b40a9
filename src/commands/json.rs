//! RedisJSON commands (JSON.*): JSON documents under one key, addressed by
//! path.
//!
//! Paths are JSONPath (`$`, `$.a[0]`), whose replies hold one item per
//! match, as the reply types here expect; Redis also accepts the legacy
//! paths (`.`, `.a`), whose replies are single values: send those as a
//! `Command`. JSON values go as JSON text (`"\"x\""` for a string, `"1"`,
//! `"{\"a\":1}"`), as every other method takes its values.

use super::strings::SetCondition;
use super::Commands;
use crate::protocol::{Command, Json, ToArg, Value};

/// JSON.GET's formatting: `JsonFormat::default().indent("  ").newline("\n")`.
/// The default sends none and gets compact JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonFormat {
    /// INDENT: the indentation of nested levels.
    pub indent: Option<String>,
    /// NEWLINE: the line terminator.
    pub newline: Option<String>,
    /// SPACE: the text between a key and its value.
    pub space: Option<String>,
}

impl JsonFormat {
    /// INDENT text.
    pub fn indent(mut self, text: impl Into<String>) -> Self {
        self.indent = Some(text.into());
        self
    }
    /// NEWLINE text.
    pub fn newline(mut self, text: impl Into<String>) -> Self {
        self.newline = Some(text.into());
        self
    }
    /// SPACE text.
    pub fn space(mut self, text: impl Into<String>) -> Self {
        self.space = Some(text.into());
        self
    }

    fn apply(&self, mut cmd: Command) -> Command {
        for (word, text) in [
            ("INDENT", &self.indent),
            ("NEWLINE", &self.newline),
            ("SPACE", &self.space),
        ] {
            if let Some(text) = text {
                cmd = cmd.arg(word).arg(text);
            }
        }
        cmd
    }
}

/// `name key path`: most JSON commands start so.
fn path_command(name: &'static str, key: impl ToArg, path: impl ToArg) -> Command {
    Command::new(name).key(key).arg(path)
}

/// JSON.SET, JSON.GET, JSON.ARRAPPEND, JSON.NUMINCRBY and friends.
///
/// "Per match" replies hold one item for each value the path matched, in
/// order: `None` where that value has the wrong JSON type.
pub trait JsonCommands: Commands {
    /// JSON.SET: writes `value` at `path` (`$` for the whole document),
    /// with NX or XX when `condition` is set; true when written, false when
    /// the condition stopped it.
    fn json_set(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        value: impl ToArg,
        condition: Option<SetCondition>,
    ) -> Self::Reply<bool> {
        let cmd = path_command("JSON.SET", key, path).arg(value);
        self.command(match condition {
            Some(SetCondition::IfAbsent) => cmd.arg("NX"),
            Some(SetCondition::IfPresent) => cmd.arg("XX"),
            None => cmd,
        })
    }

    /// JSON.GET: the JSON text of the paths' matches (for one JSONPath, an
    /// array of matches; for several, an object keyed by path; for none,
    /// the whole document), formatted as `format` says; `None` when the key
    /// does not exist.
    fn json_get<P: ToArg>(
        &self,
        key: impl ToArg,
        format: &JsonFormat,
        paths: impl IntoIterator<Item = P>,
    ) -> Self::Reply<Option<Vec<u8>>> {
        self.command(format.apply(Command::new("JSON.GET").key(key)).args(paths))
    }

    /// JSON.GET decoded with serde (the shape as [`JsonCommands::json_get`]
    /// describes: `Vec<T>` for one JSONPath); `None` when the key does not exist.
    fn json_get_json<T, P: ToArg>(
        &self,
        key: impl ToArg,
        paths: impl IntoIterator<Item = P>,
    ) -> Self::Reply<Option<Json<T>>>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
    {
        self.command(Command::new("JSON.GET").key(key).args(paths))
    }

    /// JSON.MGET: the JSON text of `path`'s matches in each key (an array
    /// per key for a JSONPath), `None` for a missing key.
    fn json_mget<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        path: impl ToArg,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(Command::new("JSON.MGET").keys(keys).arg(path))
    }

    /// JSON.MERGE: merges `value` into the value at `path` (RFC 7396: a
    /// null member deletes it); replies `OK`.
    fn json_merge(&self, key: impl ToArg, path: impl ToArg, value: impl ToArg) -> Self::Reply<()> {
        self.command(path_command("JSON.MERGE", key, path).arg(value))
    }

    /// JSON.DEL: deletes the matches of `path` (`$`: the key); returns how many.
    fn json_del(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<i64> {
        self.command(path_command("JSON.DEL", key, path))
    }

    /// JSON.FORGET: JSON.DEL under its other name; returns how many went.
    fn json_forget(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<i64> {
        self.command(path_command("JSON.FORGET", key, path))
    }

    /// JSON.CLEAR: empties the matched arrays and objects and zeroes the
    /// matched numbers; returns how many changed.
    fn json_clear(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<i64> {
        self.command(path_command("JSON.CLEAR", key, path))
    }

    /// JSON.TYPE: the JSON type of each match (`object`, `array`, `string`,
    /// `integer`, `number`, `boolean`, `null`); empty for a missing key.
    fn json_type(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Vec<String>> {
        self.command(path_command("JSON.TYPE", key, path))
    }

    /// JSON.TOGGLE: flips each matched boolean; per match its new value.
    fn json_toggle(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Vec<Option<bool>>> {
        self.command(path_command("JSON.TOGGLE", key, path))
    }

    /// JSON.NUMINCRBY: adds `by` to each matched number; per match its new value.
    fn json_numincrby(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        by: f64,
    ) -> Self::Reply<Json<Vec<Option<f64>>>> {
        self.command(path_command("JSON.NUMINCRBY", key, path).arg(by))
    }

    /// JSON.NUMMULTBY: multiplies each matched number by `by`; per match its
    /// new value.
    fn json_nummultby(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        by: f64,
    ) -> Self::Reply<Json<Vec<Option<f64>>>> {
        self.command(path_command("JSON.NUMMULTBY", key, path).arg(by))
    }

    /// JSON.STRAPPEND: appends `value` (a JSON string, quoted) to each
    /// matched string; per match its new length.
    fn json_strappend(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        value: impl ToArg,
    ) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.STRAPPEND", key, path).arg(value))
    }

    /// JSON.STRLEN: per match the string's length.
    fn json_strlen(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.STRLEN", key, path))
    }

    /// JSON.OBJKEYS: per match the object's keys.
    fn json_objkeys(
        &self,
        key: impl ToArg,
        path: impl ToArg,
    ) -> Self::Reply<Vec<Option<Vec<String>>>> {
        self.command(path_command("JSON.OBJKEYS", key, path))
    }

    /// JSON.OBJLEN: per match the object's number of keys.
    fn json_objlen(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.OBJLEN", key, path))
    }

    /// JSON.RESP: the matches as Redis values (arrays start with `[`,
    /// objects with `{`, numbers are integers or text), nested as Redis sends them.
    fn json_resp(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Value> {
        self.command(path_command("JSON.RESP", key, path))
    }

    /// JSON.ARRAPPEND: appends the values to each matched array; per match
    /// its new length.
    fn json_arrappend<V: ToArg>(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        values: impl IntoIterator<Item = V>,
    ) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.ARRAPPEND", key, path).args(values))
    }

    /// JSON.ARRINSERT: inserts the values before `index` (negative counts
    /// from the end) in each matched array; per match its new length.
    fn json_arrinsert<V: ToArg>(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        index: i64,
        values: impl IntoIterator<Item = V>,
    ) -> Self::Reply<Vec<Option<i64>>> {
        self.command(
            path_command("JSON.ARRINSERT", key, path)
                .arg(index)
                .args(values),
        )
    }

    /// JSON.ARRINDEX: per match the first index of `value` in the array
    /// (-1 when absent), searching from `start` (default 0) to `stop`
    /// (exclusive; default the end).
    fn json_arrindex(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        value: impl ToArg,
        start: Option<i64>,
        stop: Option<i64>,
    ) -> Self::Reply<Vec<Option<i64>>> {
        let cmd = path_command("JSON.ARRINDEX", key, path).arg(value);
        self.command(match (start, stop) {
            (start, Some(stop)) => cmd.arg(start.unwrap_or(0)).arg(stop),
            (Some(start), None) => cmd.arg(start),
            (None, None) => cmd,
        })
    }

    /// JSON.ARRLEN: per match the array's length.
    fn json_arrlen(&self, key: impl ToArg, path: impl ToArg) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.ARRLEN", key, path))
    }

    /// JSON.ARRPOP: removes and returns the element at `index` (default -1,
    /// the last) of each matched array; per match its JSON text (`None`
    /// for an empty array or a non-array).
    fn json_arrpop(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        index: Option<i64>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        let cmd = path_command("JSON.ARRPOP", key, path);
        self.command(match index {
            Some(i) => cmd.arg(i),
            None => cmd,
        })
    }

    /// JSON.ARRTRIM: keeps the elements from `start` to `stop` (inclusive)
    /// of each matched array; per match its new length.
    fn json_arrtrim(
        &self,
        key: impl ToArg,
        path: impl ToArg,
        start: i64,
        stop: i64,
    ) -> Self::Reply<Vec<Option<i64>>> {
        self.command(path_command("JSON.ARRTRIM", key, path).arg(start).arg(stop))
    }
}

impl<C: Commands + ?Sized> JsonCommands for C {}

#[cfg(test)]
mod tests;
