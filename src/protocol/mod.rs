//! The Upstash REST contract (see docs/PROTOCOL.md): commands, reply values, and
//! the encoding and decoding of requests and replies on both sides of the wire.
//!
//! Owns: the wire format only. Pure code: no I/O, no clock, no
//! `cfg(target_arch)`. Must not know about transports, namespaces or metrics.

pub mod blocking;
pub mod command;
pub mod pubsub;
pub mod read_only;
mod reply_body;
pub mod request;
pub mod response;
pub mod rest_policy;
pub mod sse;
pub mod value;

pub use command::{Arg, ArgKind, Command, ToArg};
pub use read_only::is_read_only;
pub use request::{
    encode_batch, encode_single, parse_request, Endpoint, ParsedRequest, RequestError, WireRequest,
};
pub use response::{decode_multi_exec, decode_pipeline, decode_single, Slot};
pub use rest_policy::refusal;
pub use value::{FieldValues, FromValue, Json, KeyType, Pairs, ScanPage, ScoredMembers, Value};
