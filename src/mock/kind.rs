//! The Rust type behind each Redis value type, so one set of keyspace
//! accessors ([`Ctx::read`](super::ctx::Ctx::read) and friends) serves every
//! command family instead of each family matching on [`Data`] itself.
//!
//! Owns: the mapping between [`Data`] variants and their payload types.
//! Must not: know about commands or error texts (the WRONGTYPE decision is
//! the accessor's, in `ctx.rs`).

use std::collections::{HashMap, HashSet, VecDeque};

use super::db::Data;
use super::zset::SortedSet;

/// A payload type one [`Data`] variant holds.
pub trait Kind: Sized {
    /// The payload when `data` is of this kind.
    fn of(data: &Data) -> Option<&Self>;
    /// The payload, mutable, when `data` is of this kind.
    fn of_mut(data: &mut Data) -> Option<&mut Self>;
    /// An empty value of this kind, for commands that create their key.
    fn empty() -> Data;
}

/// Implements [`Kind`] for a payload type and its variant: the three
/// methods differ only in the variant's name.
macro_rules! kind {
    ($payload:ty, $variant:ident, $empty:expr) => {
        impl Kind for $payload {
            fn of(data: &Data) -> Option<&Self> {
                match data {
                    Data::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn of_mut(data: &mut Data) -> Option<&mut Self> {
                match data {
                    Data::$variant(v) => Some(v),
                    _ => None,
                }
            }
            fn empty() -> Data {
                Data::$variant($empty)
            }
        }
    };
}

kind!(Vec<u8>, Str, Vec::new());
kind!(VecDeque<Vec<u8>>, List, VecDeque::new());
kind!(HashMap<Vec<u8>, Vec<u8>>, Hash, HashMap::new());
kind!(HashSet<Vec<u8>>, Set, HashSet::new());
kind!(SortedSet, ZSet, Box::default());
kind!(Box<super::stream::Stream>, Stream, Box::default());
