//! Typed methods for Redis commands, one file per family.
//!
//! Owns: the shape of each command (which arguments are keys, which options
//! exist) and the type of its reply. Every method is written once, as a
//! default method of a family trait over [`Commands`], and so works on the
//! [`Client`](crate::Client) (returning a future) and on a
//! [`Batch`](crate::Batch) (returning a slot) alike. Must not: send anything
//! itself or know the transport.

mod arrays;
mod bitfield;
mod bitmaps;
mod geo;
mod geo_options;
mod hash_expiry;
mod hashes;
mod hyperloglog;
mod json;
mod keys;
mod lists;
mod pubsub;
mod scan;
mod scripting;
mod server;
mod sets;
mod sorted_set_options;
mod sorted_sets;
mod stream_info;
mod streams;
mod strings;

#[cfg(test)]
pub(crate) mod recorder;

pub use arrays::{ArCombine, ArGrep, ArGrepPredicate, ArIndex, ArOp, ArrayCommands};
pub use bitfield::{BitField, BitFieldOverflow, BitFieldType, BitOffset};
pub use bitmaps::{BitOp, BitUnit, BitmapCommands};
pub use geo::GeoCommands;
pub use geo_options::{
    GeoAddOptions, GeoFrom, GeoMatch, GeoOrder, GeoSearch, GeoShape, GeoUnit, GeoWith,
};
pub use hash_expiry::{HSetExCondition, HSetExOptions, HashExpiryCommands};
pub use hashes::HashCommands;
pub use hyperloglog::HyperLogLogCommands;
pub use json::{JsonCommands, JsonFormat};
pub use keys::{ExpireCondition, KeyCommands};
pub use lists::{InsertPosition, ListCommands, ListEnd, LposOptions, PoppedElements};
pub use pubsub::PubSubCommands;
pub use scan::{MemberScanOptions, ScanOptions};
pub use scripting::{Script, ScriptCall, ScriptingCommands};
pub use server::{ClientInfo, FlushMode, ServerCommands};
pub use sets::SetCommands;
pub use sorted_set_options::{
    Aggregate, LexBound, Limit, ScoreBound, ScoreEnd, ZAddComparison, ZAddCondition, ZAddOptions,
    ZCombineOptions, ZRangeBy, ZRangeQuery,
};
pub use sorted_sets::{PoppedMembers, SortedSetCommands};
pub use stream_info::{StreamConsumerInfo, StreamGroupInfo, StreamInfo, StreamInfoCommands};
pub use streams::{StreamCommands, StreamDeleteRefs, StreamEntry, StreamReads, StreamTrim};
pub use strings::{GetExExpiry, SetCondition, SetExpiry, SetOptions, StringCommands};

use crate::error::Error;
use crate::protocol::{Command, FromValue};

/// Something that can run or queue a command and hand back its typed reply.
///
/// For the client, `Reply<T>` is a future of `Result<T>`; for a batch it is a
/// [`SlotRef<T>`](crate::SlotRef) to read after `exec`.
pub trait Commands {
    /// What a typed method returns.
    type Reply<T: FromValue + Send + 'static>;

    /// Runs or queues `command`, whose reply converts to `T`.
    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T>;

    /// A reply that is already an error: for methods that find a problem
    /// (e.g. a value that does not serialize) before anything is sent. On a
    /// batch it makes the whole batch fail before sending.
    fn fail<T: FromValue + Send + 'static>(&self, error: Error) -> Self::Reply<T>;
}
