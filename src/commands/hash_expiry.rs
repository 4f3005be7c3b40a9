//! Hash-field expiry (Redis 7.4: HEXPIRE, HTTL, HPERSIST...) and the
//! read-and-expire / write-with-expiry forms of Redis 8.0 (HGETDEL, HGETEX,
//! HSETEX). Every one names its fields as `FIELDS numfields field...`.

use super::hashes::field_values;
use super::keys::ExpireCondition;
use super::strings::{GetExExpiry, SetExpiry};
use super::Commands;
use crate::protocol::{Command, ToArg};

/// FNX / FXX of HSETEX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HSetExCondition {
    /// FNX: only if none of the fields exists.
    IfNoneExist,
    /// FXX: only if every field exists.
    IfAllExist,
}

/// Options of HSETEX: `HSetExOptions::default().fnx().expiry(SetExpiry::Seconds(60))`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HSetExOptions {
    /// FNX or FXX, if any.
    pub condition: Option<HSetExCondition>,
    /// The fields' expiry (EX, PX, EXAT, PXAT or KEEPTTL), if any; without
    /// one the fields are set without expiry.
    pub expiry: Option<SetExpiry>,
}

impl HSetExOptions {
    /// FNX: only set when none of the fields exists.
    pub fn fnx(mut self) -> Self {
        self.condition = Some(HSetExCondition::IfNoneExist);
        self
    }
    /// FXX: only set when every field exists.
    pub fn fxx(mut self) -> Self {
        self.condition = Some(HSetExCondition::IfAllExist);
        self
    }
    /// The fields' expiry: EX, PX, EXAT, PXAT or KEEPTTL.
    pub fn expiry(mut self, expiry: SetExpiry) -> Self {
        self.expiry = Some(expiry);
        self
    }

    fn apply(&self, mut cmd: Command) -> Command {
        cmd = match self.condition {
            Some(HSetExCondition::IfNoneExist) => cmd.arg("FNX"),
            Some(HSetExCondition::IfAllExist) => cmd.arg("FXX"),
            None => cmd,
        };
        match self.expiry {
            Some(expiry) => expiry.apply(cmd),
            None => cmd,
        }
    }
}

/// Appends `FIELDS numfields field...`.
fn fields<F: ToArg>(cmd: Command, fields: impl IntoIterator<Item = F>) -> Command {
    let fields: Vec<Vec<u8>> = fields.into_iter().map(|f| f.to_arg()).collect();
    cmd.arg("FIELDS").arg(fields.len()).args(fields)
}

/// `name key [time [condition]] FIELDS numfields field...`.
fn fields_command<F: ToArg>(
    name: &'static str,
    key: impl ToArg,
    fields_of: impl IntoIterator<Item = F>,
) -> Command {
    fields(Command::new(name).key(key), fields_of)
}

/// `name key time [NX|XX|GT|LT] FIELDS numfields field...`.
fn expire_command<F: ToArg>(
    name: &'static str,
    key: impl ToArg,
    when: i64,
    condition: Option<ExpireCondition>,
    fields_of: impl IntoIterator<Item = F>,
) -> Command {
    let cmd = Command::new(name).key(key).arg(when);
    let cmd = match condition {
        Some(c) => cmd.arg(c.word()),
        None => cmd,
    };
    fields(cmd, fields_of)
}

/// HEXPIRE, HTTL, HPERSIST, HGETDEL, HGETEX, HSETEX and friends.
///
/// The expiry setters reply one code per field, in order: -2 no such
/// field (or key), 0 the condition stopped it, 1 set, 2 the time was in the
/// past so the field was deleted.
pub trait HashExpiryCommands: Commands {
    /// HEXPIRE: gives fields a time to live in seconds (with NX, XX, GT or
    /// LT when `condition` is set); one code per field.
    fn hexpire<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
        seconds: i64,
        condition: Option<ExpireCondition>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(expire_command("HEXPIRE", key, seconds, condition, fields))
    }

    /// HPEXPIRE: gives fields a time to live in milliseconds; one code per field.
    fn hpexpire<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
        millis: i64,
        condition: Option<ExpireCondition>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(expire_command("HPEXPIRE", key, millis, condition, fields))
    }

    /// HEXPIREAT: expires fields at a Unix time in seconds; one code per field.
    fn hexpireat<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
        unix_seconds: i64,
        condition: Option<ExpireCondition>,
    ) -> Self::Reply<Vec<i64>> {
        let cmd = expire_command("HEXPIREAT", key, unix_seconds, condition, fields);
        self.command(cmd)
    }

    /// HPEXPIREAT: expires fields at a Unix time in milliseconds; one code per field.
    fn hpexpireat<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
        unix_millis: i64,
        condition: Option<ExpireCondition>,
    ) -> Self::Reply<Vec<i64>> {
        let cmd = expire_command("HPEXPIREAT", key, unix_millis, condition, fields);
        self.command(cmd)
    }

    /// HTTL: each field's seconds to live; -1 without expiry, -2 no such field.
    fn httl<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(fields_command("HTTL", key, fields))
    }

    /// HPTTL: each field's milliseconds to live; -1 without expiry, -2 no such field.
    fn hpttl<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(fields_command("HPTTL", key, fields))
    }

    /// HEXPIRETIME: each field's expiry as a Unix time in seconds; -1
    /// without expiry, -2 no such field.
    fn hexpiretime<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(fields_command("HEXPIRETIME", key, fields))
    }

    /// HPEXPIRETIME: each field's expiry as a Unix time in milliseconds; -1
    /// without expiry, -2 no such field.
    fn hpexpiretime<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(fields_command("HPEXPIRETIME", key, fields))
    }

    /// HPERSIST: removes fields' expiry; per field 1 removed, -1 it had
    /// none, -2 no such field.
    fn hpersist<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(fields_command("HPERSIST", key, fields))
    }

    /// HGETDEL: the fields' values (`None` for missing ones), then deletes
    /// them (and the key once it is empty).
    fn hgetdel<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(fields_command("HGETDEL", key, fields))
    }

    /// HGETEX: the fields' values (`None` for missing ones), giving them
    /// `expiry` (EX, PX, EXAT, PXAT, or PERSIST to remove it) when set.
    fn hgetex<F: ToArg>(
        &self,
        key: impl ToArg,
        expiry: Option<GetExExpiry>,
        fields_of: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        let cmd = Command::new("HGETEX").key(key);
        let cmd = match expiry {
            Some(e) => e.apply(cmd),
            None => cmd,
        };
        self.command(fields(cmd, fields_of))
    }

    /// HSETEX: sets fields with the options' condition and expiry; true
    /// when set, false when FNX/FXX stopped it.
    fn hsetex<F: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        options: HSetExOptions,
        pairs: impl IntoIterator<Item = (F, V)>,
    ) -> Self::Reply<bool> {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = pairs
            .into_iter()
            .map(|(f, v)| (f.to_arg(), v.to_arg()))
            .collect();
        let cmd = options
            .apply(Command::new("HSETEX").key(key))
            .arg("FIELDS")
            .arg(pairs.len());
        self.command(field_values(cmd, pairs))
    }
}

impl<C: Commands + ?Sized> HashExpiryCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_field_expiry_commands() {
        let r = Recorder;
        assert_wire!(
            r.hexpire("h", ["f", "g"], 60, None),
            ["HEXPIRE", "@h", "60", "FIELDS", "2", "f", "g"]
        );
        assert_wire!(
            r.hexpire("h", ["f"], 60, Some(ExpireCondition::IfNoExpiry)),
            ["HEXPIRE", "@h", "60", "NX", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hpexpire("h", ["f"], 500, Some(ExpireCondition::IfHasExpiry)),
            ["HPEXPIRE", "@h", "500", "XX", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hexpireat("h", ["f"], 9, Some(ExpireCondition::IfGreater)),
            ["HEXPIREAT", "@h", "9", "GT", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hpexpireat("h", ["f"], 9, Some(ExpireCondition::IfLess)),
            ["HPEXPIREAT", "@h", "9", "LT", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hpexpireat("h", ["f"], 9, None),
            ["HPEXPIREAT", "@h", "9", "FIELDS", "1", "f"]
        );
        assert_wire!(r.httl("h", ["f"]), ["HTTL", "@h", "FIELDS", "1", "f"]);
        assert_wire!(
            r.hpttl("h", ["f", "g"]),
            ["HPTTL", "@h", "FIELDS", "2", "f", "g"]
        );
        assert_wire!(
            r.hexpiretime("h", ["f"]),
            ["HEXPIRETIME", "@h", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hpexpiretime("h", ["f"]),
            ["HPEXPIRETIME", "@h", "FIELDS", "1", "f"]
        );
        assert_wire!(
            r.hpersist("h", ["f"]),
            ["HPERSIST", "@h", "FIELDS", "1", "f"]
        );
    }

    #[test]
    fn builds_get_and_set_with_expiry() {
        let r = Recorder;
        assert_wire!(
            r.hgetdel("h", ["f", "g"]),
            ["HGETDEL", "@h", "FIELDS", "2", "f", "g"]
        );
        assert_wire!(
            r.hgetex("h", None, ["f"]),
            ["HGETEX", "@h", "FIELDS", "1", "f"]
        );
        let expiries = [
            (GetExExpiry::Seconds(5), vec!["EX", "5"]),
            (GetExExpiry::Millis(6), vec!["PX", "6"]),
            (GetExExpiry::AtSeconds(7), vec!["EXAT", "7"]),
            (GetExExpiry::AtMillis(8), vec!["PXAT", "8"]),
            (GetExExpiry::Persist, vec!["PERSIST"]),
        ];
        for (expiry, words) in expiries {
            let mut want = vec!["HGETEX", "@h"];
            want.extend(words);
            want.extend(["FIELDS", "1", "f"]);
            assert_eq!(
                crate::commands::recorder::render(r.hgetex("h", Some(expiry), ["f"])),
                want
            );
        }
        assert_wire!(
            r.hsetex("h", HSetExOptions::default(), [("f", "1"), ("g", "2")]),
            ["HSETEX", "@h", "FIELDS", "2", "f", "1", "g", "2"]
        );
        let options = [
            (
                HSetExOptions::default().fnx().expiry(SetExpiry::Seconds(5)),
                vec!["FNX", "EX", "5"],
            ),
            (
                HSetExOptions::default().fxx().expiry(SetExpiry::Millis(6)),
                vec!["FXX", "PX", "6"],
            ),
            (
                HSetExOptions::default().expiry(SetExpiry::AtSeconds(7)),
                vec!["EXAT", "7"],
            ),
            (
                HSetExOptions::default().expiry(SetExpiry::AtMillis(8)),
                vec!["PXAT", "8"],
            ),
            (
                HSetExOptions::default().fxx().expiry(SetExpiry::KeepTtl),
                vec!["FXX", "KEEPTTL"],
            ),
        ];
        for (options, words) in options {
            let mut want = vec!["HSETEX", "@h"];
            want.extend(words);
            want.extend(["FIELDS", "1", "f", "v"]);
            assert_eq!(
                crate::commands::recorder::render(r.hsetex("h", options, [("f", "v")])),
                want
            );
        }
    }
}
