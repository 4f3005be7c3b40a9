//! Commands as edgestash builds and sends them.

use std::borrow::Cow;

/// What an argument is, so layers above can treat keys differently from values.
///
/// The namespace layer prefixes [`ArgKind::Key`] and [`ArgKind::Channel`]
/// arguments and escapes [`ArgKind::Pattern`] ones; values pass untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgKind {
    /// A key name.
    Key,
    /// A pub/sub channel name.
    Channel,
    /// A glob pattern over key names (KEYS, SCAN MATCH).
    Pattern,
    /// Anything else: values, options, numbers.
    Value,
}

/// One argument: its bytes and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The raw bytes sent for this argument.
    pub bytes: Vec<u8>,
    /// Whether the argument is a key, a channel, a pattern or a value.
    pub kind: ArgKind,
}

/// A Redis command: its name and arguments, with keys marked.
///
/// Built with [`Command::new`] and the `key`/`arg` methods:
/// `Command::new("SET").key("k").arg("v").arg("EX").arg(10)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    name: Cow<'static, str>,
    args: Vec<Arg>,
}

/// Anything that can be sent as an argument: strings, bytes and integers.
///
/// Integers and floats are sent as their decimal text, as Redis expects.
pub trait ToArg {
    /// The bytes to send.
    fn to_arg(&self) -> Vec<u8>;
}

impl ToArg for str {
    fn to_arg(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}
impl ToArg for String {
    fn to_arg(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}
impl ToArg for [u8] {
    fn to_arg(&self) -> Vec<u8> {
        self.to_vec()
    }
}
impl<const N: usize> ToArg for [u8; N] {
    fn to_arg(&self) -> Vec<u8> {
        self.to_vec()
    }
}
impl ToArg for Vec<u8> {
    fn to_arg(&self) -> Vec<u8> {
        self.clone()
    }
}
impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Vec<u8> {
        (**self).to_arg()
    }
}

macro_rules! int_to_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Vec<u8> {
                self.to_string().into_bytes()
            }
        }
    )*};
}
int_to_arg!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// Floats as Redis reads them: `inf`/`-inf` for infinities, shortest round-trip text otherwise.
impl ToArg for f64 {
    fn to_arg(&self) -> Vec<u8> {
        if self.is_infinite() {
            if *self > 0.0 {
                b"+inf".to_vec()
            } else {
                b"-inf".to_vec()
            }
        } else {
            crate::float_text::display(*self).into_bytes()
        }
    }
}

impl Command {
    /// Starts a command. The name is sent as given; Redis ignores its case.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            args: Vec::new(),
        }
    }

    /// Builds a command from raw parts, every argument a value. Used where the
    /// caller's argument roles are unknown (e.g. parsing a request); the
    /// namespace layer then relies on per-command key specs.
    pub fn from_parts(name: impl Into<Cow<'static, str>>, args: Vec<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            args: args
                .into_iter()
                .map(|bytes| Arg {
                    bytes,
                    kind: ArgKind::Value,
                })
                .collect(),
        }
    }

    /// Appends a key argument.
    pub fn key(mut self, key: impl ToArg) -> Self {
        self.push(key.to_arg(), ArgKind::Key);
        self
    }

    /// Appends several key arguments.
    pub fn keys<K: ToArg>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        for k in keys {
            self.push(k.to_arg(), ArgKind::Key);
        }
        self
    }

    /// Appends a value argument (a value, an option word, a number).
    pub fn arg(mut self, arg: impl ToArg) -> Self {
        self.push(arg.to_arg(), ArgKind::Value);
        self
    }

    /// Appends several value arguments.
    pub fn args<A: ToArg>(mut self, args: impl IntoIterator<Item = A>) -> Self {
        for a in args {
            self.push(a.to_arg(), ArgKind::Value);
        }
        self
    }

    /// Appends a pub/sub channel argument.
    pub fn channel(mut self, channel: impl ToArg) -> Self {
        self.push(channel.to_arg(), ArgKind::Channel);
        self
    }

    /// Appends a key pattern argument (KEYS, SCAN MATCH).
    pub fn pattern(mut self, pattern: impl ToArg) -> Self {
        self.push(pattern.to_arg(), ArgKind::Pattern);
        self
    }

    /// Appends an argument of the given kind.
    pub fn push(&mut self, bytes: Vec<u8>, kind: ArgKind) {
        self.args.push(Arg { bytes, kind });
    }

    /// The command's name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The command's name in upper case, for matching, metrics and errors.
    pub fn upper_name(&self) -> String {
        self.name.to_ascii_uppercase()
    }

    /// The arguments after the name.
    pub fn args_slice(&self) -> &[Arg] {
        &self.args
    }

    /// Mutable access to the arguments, for layers that rewrite keys.
    pub fn args_mut(&mut self) -> &mut [Arg] {
        &mut self.args
    }

    /// The whole command as byte strings, name first, as it goes on the wire.
    pub fn to_parts(&self) -> Vec<&[u8]> {
        std::iter::once(self.name.as_bytes())
            .chain(self.args.iter().map(|a| a.bytes.as_slice()))
            .collect()
    }

    /// Total bytes of name and arguments: what metrics count as sent payload.
    pub fn payload_len(&self) -> usize {
        self.name.len() + self.args.iter().map(|a| a.bytes.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_keys_and_values() {
        let c = Command::new("set").key("k").arg("v").arg("EX").arg(10u32);
        assert_eq!(c.upper_name(), "SET");
        let kinds: Vec<_> = c.args_slice().iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![ArgKind::Key, ArgKind::Value, ArgKind::Value, ArgKind::Value]
        );
        assert_eq!(c.to_parts(), vec![&b"set"[..], b"k", b"v", b"EX", b"10"]);
        assert_eq!(f64::INFINITY.to_arg(), b"+inf");
        assert_eq!(1.5f64.to_arg(), b"1.5");
    }
}
