//! Key specs as Redis 7 describes them (`COMMAND INFO`'s key specs), and
//! finding a command's key positions from them the way Redis's
//! `getKeysUsingKeySpecs` does, a little stricter (see [`key_positions`]).

/// A key spec's flags (`RW`, `ACCESS`...) as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFlags(pub u16);

macro_rules! key_flag_names {
    ($($name:ident = $bit:expr, $text:literal;)*) => {
        impl KeyFlags {
            $(
                #[doc = concat!("Redis's `", $text, "` key-spec flag.")]
                pub const $name: KeyFlags = KeyFlags(1 << $bit);
            )*
            /// Every flag with its `COMMAND INFO` spelling.
            pub const NAMES: &'static [(KeyFlags, &'static str)] = &[$((KeyFlags::$name, $text)),*];
        }

        /// The flags as plain bits, so the table can `|` them in constants.
        // Every Redis flag is named, also those no record uses yet.
        #[allow(dead_code)]
        pub(super) mod kbit {
            $(pub const $name: u16 = 1 << $bit;)*
        }
    };
}

key_flag_names! {
    RO = 0, "RO";
    RW = 1, "RW";
    OW = 2, "OW";
    RM = 3, "RM";
    ACCESS = 4, "access";
    UPDATE = 5, "update";
    INSERT = 6, "insert";
    DELETE = 7, "delete";
    NOT_KEY = 8, "not_key";
    INCOMPLETE = 9, "incomplete";
    VARIABLE_FLAGS = 10, "variable_flags";
}

impl KeyFlags {
    /// True when every bit of `other` is set.
    pub const fn has(self, other: KeyFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Where the search for a spec's keys begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Begin {
    /// At this argument (the command name is 0).
    Index(u8),
    /// After the first `word` found from argument `from` on (backwards from
    /// the end when `from` is negative).
    Keyword {
        /// The keyword, upper case.
        word: &'static str,
        /// Where the search starts.
        from: i8,
    },
    /// Not expressible: the command's own parser knows.
    Unknown,
}

/// Which keys follow the beginning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Find {
    /// Keys up to `last` (relative to the beginning; negative counts from
    /// the end) every `step`; with `limit` > 0 and `last` -1, only the first
    /// 1/limit of the remaining arguments (XREAD's STREAMS k1 k2 id1 id2).
    Range {
        /// The last key, relative.
        last: i8,
        /// Distance between keys.
        step: u8,
        /// The fraction limit (0: none).
        limit: u8,
    },
    /// A key count at `count_at` (relative), the first key at `first`
    /// (relative), every `step`.
    KeyNum {
        /// Where the count is.
        count_at: u8,
        /// Where the first key is.
        first: u8,
        /// Distance between keys.
        step: u8,
    },
    /// Not expressible: the command's own parser knows.
    Unknown,
}

/// One key spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// Its flags.
    pub flags: KeyFlags,
    /// Where the search begins.
    pub begin: Begin,
    /// Which keys follow.
    pub find: Find,
}

impl KeySpec {
    /// True when positions can be found from the spec alone (no unknown
    /// part, not INCOMPLETE, and what it finds are keys).
    pub fn is_complete(&self) -> bool {
        !matches!(self.begin, Begin::Unknown)
            && !matches!(self.find, Find::Unknown)
            && !self.flags.has(KeyFlags::INCOMPLETE)
            && !self.flags.has(KeyFlags::NOT_KEY)
    }
}

pub(super) const fn k(flags: u16, begin: Begin, find: Find) -> KeySpec {
    KeySpec {
        flags: KeyFlags(flags),
        begin,
        find,
    }
}
pub(super) const fn i(index: u8) -> Begin {
    Begin::Index(index)
}
pub(super) const fn kw(word: &'static str, from: i8) -> Begin {
    Begin::Keyword { word, from }
}
pub(super) const fn r(last: i8, step: u8, limit: u8) -> Find {
    Find::Range { last, step, limit }
}
pub(super) const fn n(count_at: u8, first: u8, step: u8) -> Find {
    Find::KeyNum {
        count_at,
        first,
        step,
    }
}
pub(super) const UNKNOWN_BEGIN: Begin = Begin::Unknown;
pub(super) const UNKNOWN_FIND: Find = Find::Unknown;

/// The arguments do not hold the keys their specs promise (a key count
/// that is not a count or exceeds the arguments, a missing or unbalanced
/// `STREAMS` part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the arguments do not match the command's key specs")]
pub struct MalformedKeys;

/// The positions (the command name is 0) of the keys that `specs` find in
/// `parts`, in spec order, skipping specs that are not complete
/// ([`KeySpec::is_complete`]).
///
/// As Redis's `getKeysUsingKeySpecs`, except that what Redis would silently
/// skip is an error here: a key count that is not a plain non-negative
/// integer or names more keys than there are, and a fraction-limited range
/// (XREAD's `STREAMS`) whose keyword is missing or whose arguments do not
/// split evenly. A namespace must not guess where such a command's keys are.
pub fn key_positions<A: AsRef<[u8]>>(
    specs: &[KeySpec],
    parts: &[A],
) -> Result<Vec<usize>, MalformedKeys> {
    let argc = parts.len();
    let mut out = Vec::new();
    for spec in specs.iter().filter(|s| s.is_complete()) {
        let first = match spec.begin {
            Begin::Index(at) => usize::from(at),
            Begin::Keyword { word, from } => match keyword(parts, word, from) {
                Some(at) => at + 1,
                None if matches!(spec.find, Find::Range { limit, .. } if limit > 0) => {
                    return Err(MalformedKeys)
                }
                None => continue,
            },
            Begin::Unknown => continue,
        };
        let (first, last, step) = match spec.find {
            Find::Range { last, step, limit } => {
                let end = if last >= 0 {
                    Some(first + last.unsigned_abs() as usize)
                } else if limit == 0 {
                    argc.checked_sub(usize::from(last.unsigned_abs()))
                } else {
                    let rest = argc.saturating_sub(first);
                    let limit = usize::from(limit);
                    if rest == 0 || rest % limit != 0 {
                        return Err(MalformedKeys);
                    }
                    (first + rest / limit).checked_sub(usize::from(last.unsigned_abs()))
                };
                match end {
                    Some(end) => (first, end, usize::from(step)),
                    None => continue,
                }
            }
            Find::KeyNum {
                count_at,
                first: key_at,
                step,
            } => {
                let count = parts
                    .get(first + usize::from(count_at))
                    .and_then(|c| parse_count(c.as_ref()))
                    .ok_or(MalformedKeys)?;
                let start = first + usize::from(key_at);
                let step = usize::from(step).max(1);
                if count == 0 {
                    continue;
                }
                let end = start + (count - 1) * step;
                if end >= argc {
                    return Err(MalformedKeys);
                }
                (start, end, step)
            }
            Find::Unknown => continue,
        };
        let mut at = first;
        while at <= last && at < argc {
            out.push(at);
            at += step.max(1);
        }
    }
    Ok(out)
}

/// The position of `word` searched as Redis does: from `from` forwards to
/// the second-to-last argument, or backwards from `argc + from` when
/// `from` is negative.
fn keyword<A: AsRef<[u8]>>(parts: &[A], word: &str, from: i8) -> Option<usize> {
    let argc = parts.len();
    let is_word = |at: &usize| {
        parts
            .get(*at)
            .is_some_and(|p| p.as_ref().eq_ignore_ascii_case(word.as_bytes()))
    };
    if from > 0 {
        (usize::from(from.unsigned_abs())..argc.saturating_sub(1)).find(is_word)
    } else {
        let start = argc.checked_sub(usize::from(from.unsigned_abs()))?;
        (1..=start).rev().find(is_word)
    }
}

/// A key count as Redis's `string2ll` reads it, not negative: decimal
/// digits, no sign, no leading zero.
fn parse_count(b: &[u8]) -> Option<usize> {
    let digits_only = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let leading_zero = b.len() > 1 && b.first() == Some(&b'0');
    if !digits_only || leading_zero {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::lookup;

    fn keys(words: &[&str]) -> Result<Vec<usize>, MalformedKeys> {
        let spec = lookup(words[0].as_bytes())
            .map(|c| c.keys)
            .unwrap_or_default();
        key_positions(spec, words)
    }

    #[test]
    fn finds_keys_by_index_count_and_keyword() {
        assert_eq!(keys(&["GET", "k"]), Ok(vec![1]));
        assert_eq!(keys(&["MSET", "a", "1", "b", "2"]), Ok(vec![1, 3]));
        assert_eq!(keys(&["BLPOP", "a", "b", "0"]), Ok(vec![1, 2]));
        assert_eq!(keys(&["LMOVE", "a", "b", "LEFT", "RIGHT"]), Ok(vec![1, 2]));
        assert_eq!(
            keys(&["ZUNIONSTORE", "d", "2", "a", "b"]),
            Ok(vec![1, 3, 4])
        );
        assert_eq!(keys(&["EVAL", "s", "0"]), Ok(vec![]));
        assert_eq!(
            keys(&["XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0"]),
            Ok(vec![4, 5])
        );
        assert_eq!(
            keys(&["GEORADIUS", "g", "0", "0", "1", "m", "STORE", "d"]),
            Ok(vec![1, 7])
        );
    }

    #[test]
    fn malformed_counts_and_streams_are_errors() {
        assert_eq!(
            keys(&["ZUNIONSTORE", "d", "3", "a", "b"]),
            Err(MalformedKeys)
        );
        assert_eq!(keys(&["ZUNIONSTORE", "d", "01", "a"]), Err(MalformedKeys));
        assert_eq!(keys(&["ZUNIONSTORE", "d", "-1", "a"]), Err(MalformedKeys));
        assert_eq!(
            keys(&["XREAD", "STREAMS", "a", "b", "0"]),
            Err(MalformedKeys)
        );
        assert_eq!(keys(&["XREAD", "COUNT", "1"]), Err(MalformedKeys));
    }
}
