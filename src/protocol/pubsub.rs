//! The pub/sub events of the Upstash SSE endpoints (`/subscribe/<ch>...`,
//! `/psubscribe/<pattern>...`): what one event's `data` says, both ways.
//!
//! Owns: the comma-separated event text (`subscribe,<ch>,<n>`,
//! `message,<ch>,<payload>`, `pmessage,<pattern>,<ch>,<payload>`), shared by
//! edgestash-server (encode) and the client (parse), and the binary-safe
//! variant: when the request carried edgestash's opt-in
//! `Edgestash-Stream-Encoding: base64` ([`STREAM_ENCODING_HEADER`]) and the
//! response echoes that header, channel, pattern and payload are each
//! standard base64, so commas, newlines, CR and any byte travel exactly.
//! `Upstash-Encoding: base64` never changes a stream: the official SDKs
//! send it on every request and read the stream as Upstash's plain text.
//! Without it (plain Upstash text), the payload is everything after the
//! fields before it, so it may contain commas; a channel or pattern
//! containing a comma is only safe in base64 mode.
//! Must not: frame lines (that is [`super::sse`]) or do I/O.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::sse::encode_event;

/// The request and response header that selects base64 fields: an
/// edgestash opt-in the official SDKs never send. Upstash ignores it and
/// answers plain text without echoing it, which the client then reads.
pub const STREAM_ENCODING_HEADER: &str = "edgestash-stream-encoding";

/// The former name of [`STREAM_ENCODING_HEADER`], kept for callers that
/// read the response header through it.
pub const ENCODING_HEADER: &str = STREAM_ENCODING_HEADER;

/// One event of a subscription stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PubSubEvent {
    /// The subscription to `channel` is active; `count` is the number of
    /// subscriptions of this stream so far.
    Subscribe {
        /// The channel, as subscribed.
        channel: Vec<u8>,
        /// Subscriptions of this stream so far.
        count: i64,
    },
    /// The subscription to `pattern` is active.
    PSubscribe {
        /// The pattern, as subscribed.
        pattern: Vec<u8>,
        /// Subscriptions of this stream so far.
        count: i64,
    },
    /// A message published on a subscribed channel.
    Message {
        /// The channel it was published on.
        channel: Vec<u8>,
        /// The published bytes.
        payload: Vec<u8>,
    },
    /// A message published on a channel matching a subscribed pattern.
    PMessage {
        /// The subscribed pattern that matched.
        pattern: Vec<u8>,
        /// The channel it was published on.
        channel: Vec<u8>,
        /// The published bytes.
        payload: Vec<u8>,
    },
}

/// Which streaming endpoint a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamKind {
    /// `/subscribe/<channel>...`: messages on these channels.
    Subscribe,
    /// `/psubscribe/<pattern>...`: messages on channels matching these patterns.
    PSubscribe,
    /// `/monitor`: every command the server runs, one line each.
    Monitor,
}

impl StreamKind {
    /// The first path segment: `subscribe`, `psubscribe` or `monitor`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Subscribe => "subscribe",
            Self::PSubscribe => "psubscribe",
            Self::Monitor => "monitor",
        }
    }
}

/// Characters kept literally in a channel segment; everything else is %-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// Why a stream path cannot be built or read (names no channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadStreamPath(pub &'static str);

/// The path of a streaming request: `/subscribe/<ch1>/<ch2>`, each channel
/// (or pattern) percent-encoded as one segment. Refuses an empty list, an
/// empty name, and `.`/`..`, which HTTP clients rewrite as dot segments.
pub fn stream_path(kind: StreamKind, targets: &[Vec<u8>]) -> Result<String, BadStreamPath> {
    let mut path = format!("/{}", kind.segment());
    if kind == StreamKind::Monitor {
        return Ok(path);
    }
    if targets.is_empty() {
        return Err(BadStreamPath("at least one channel or pattern is needed"));
    }
    for t in targets {
        check_target(t)?;
        path.push('/');
        path.extend(percent_encode(t, SEGMENT));
    }
    Ok(path)
}

fn check_target(t: &[u8]) -> Result<(), BadStreamPath> {
    match t {
        b"" => Err(BadStreamPath("a channel or pattern is empty")),
        b"." | b".." => Err(BadStreamPath(
            "a channel or pattern named '.' or '..' cannot travel in a URL path",
        )),
        _ => Ok(()),
    }
}

/// A parsed streaming path: the endpoint and its channels or patterns
/// (percent-decoded), or why the path is refused.
pub type ParsedStream = Result<(StreamKind, Vec<Vec<u8>>), BadStreamPath>;

/// Reads a streaming request's path: `None` when the path is not one of the
/// streaming endpoints (it is then an ordinary command in path form).
pub fn parse_stream_path(path: &str) -> Option<ParsedStream> {
    let trimmed = path.trim_start_matches('/');
    let (head, rest) = match trimmed.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (trimmed, None),
    };
    let kind = [
        StreamKind::Subscribe,
        StreamKind::PSubscribe,
        StreamKind::Monitor,
    ]
    .into_iter()
    .find(|k| head.eq_ignore_ascii_case(k.segment()))?;
    if kind == StreamKind::Monitor {
        return Some(match rest {
            None | Some("") => Ok((kind, Vec::new())),
            Some(_) => Err(BadStreamPath("/monitor takes no arguments")),
        });
    }
    let Some(rest) = rest else {
        return Some(Err(BadStreamPath(
            "at least one channel or pattern is needed",
        )));
    };
    let targets: Vec<Vec<u8>> = rest
        .split('/')
        .map(|seg| percent_decode_str(seg).collect())
        .collect();
    for t in &targets {
        if let Err(e) = check_target(t) {
            return Some(Err(e));
        }
    }
    Some(Ok((kind, targets)))
}

/// Why an event's data could not be read (never quotes the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedEvent(pub &'static str);

/// The SSE frame (`data: ...` lines and the blank line) of `event`.
pub fn encode(event: &PubSubEvent, base64: bool) -> Vec<u8> {
    let field = |bytes: &[u8]| -> Vec<u8> {
        if base64 {
            B64.encode(bytes).into_bytes()
        } else {
            bytes.to_vec()
        }
    };
    let mut data = Vec::new();
    let mut push = |part: &[u8]| {
        if !data.is_empty() {
            data.push(b',');
        }
        data.extend_from_slice(part);
    };
    match event {
        PubSubEvent::Subscribe { channel, count } => {
            push(b"subscribe");
            push(&field(channel));
            push(count.to_string().as_bytes());
        }
        PubSubEvent::PSubscribe { pattern, count } => {
            push(b"psubscribe");
            push(&field(pattern));
            push(count.to_string().as_bytes());
        }
        PubSubEvent::Message { channel, payload } => {
            push(b"message");
            push(&field(channel));
            push(&field(payload));
        }
        PubSubEvent::PMessage {
            pattern,
            channel,
            payload,
        } => {
            push(b"pmessage");
            push(&field(pattern));
            push(&field(channel));
            push(&field(payload));
        }
    }
    encode_event(&data)
}

/// Reads one event's data. `Ok(None)` for an event kind this version does
/// not know (skipped, so a newer server does not break an older client).
pub fn parse(data: &[u8], base64: bool) -> Result<Option<PubSubEvent>, MalformedEvent> {
    let Some(comma) = data.iter().position(|b| *b == b',') else {
        return Err(MalformedEvent("event without fields"));
    };
    let (kind, rest) = (&data[..comma], &data[comma + 1..]);
    let field = |bytes: &[u8]| -> Result<Vec<u8>, MalformedEvent> {
        if base64 {
            B64.decode(bytes)
                .map_err(|_| MalformedEvent("field is not valid base64"))
        } else {
            Ok(bytes.to_vec())
        }
    };
    // `n` leading fields, each up to the next comma, and the rest.
    let split = |n: usize| -> Result<(Vec<&[u8]>, &[u8]), MalformedEvent> {
        let mut fields = Vec::with_capacity(n);
        let mut tail = rest;
        for _ in 0..n {
            let Some(i) = tail.iter().position(|b| *b == b',') else {
                return Err(MalformedEvent("event has too few fields"));
            };
            fields.push(&tail[..i]);
            tail = &tail[i + 1..];
        }
        Ok((fields, tail))
    };
    // The count is after the last comma: a raw channel may hold commas.
    let counted = || -> Result<(Vec<u8>, i64), MalformedEvent> {
        let Some(i) = rest.iter().rposition(|b| *b == b',') else {
            return Err(MalformedEvent("event has too few fields"));
        };
        let count = std::str::from_utf8(&rest[i + 1..])
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .ok_or(MalformedEvent("subscription count is not a number"))?;
        Ok((field(&rest[..i])?, count))
    };
    Ok(Some(match kind {
        b"subscribe" => {
            let (channel, count) = counted()?;
            PubSubEvent::Subscribe { channel, count }
        }
        b"psubscribe" => {
            let (pattern, count) = counted()?;
            PubSubEvent::PSubscribe { pattern, count }
        }
        b"message" => {
            let (fields, payload) = split(1)?;
            PubSubEvent::Message {
                channel: field(fields[0])?,
                payload: field(payload)?,
            }
        }
        b"pmessage" => {
            let (fields, payload) = split(2)?;
            PubSubEvent::PMessage {
                pattern: field(fields[0])?,
                channel: field(fields[1])?,
                payload: field(payload)?,
            }
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::sse::SseDecoder;

    fn round_trip(event: &PubSubEvent, base64: bool) -> Option<PubSubEvent> {
        let mut d = SseDecoder::new(1 << 16);
        let mut out = Vec::new();
        d.feed(&encode(event, base64), &mut out).unwrap();
        assert_eq!(out.len(), 1);
        parse(&out[0], base64).unwrap()
    }

    #[test]
    fn reads_upstash_text_events() {
        assert_eq!(
            parse(b"subscribe,news,1", false),
            Ok(Some(PubSubEvent::Subscribe {
                channel: b"news".to_vec(),
                count: 1
            }))
        );
        assert_eq!(
            parse(b"message,news,hello, world,again", false),
            Ok(Some(PubSubEvent::Message {
                channel: b"news".to_vec(),
                payload: b"hello, world,again".to_vec()
            }))
        );
        assert_eq!(
            parse(b"pmessage,n*,news,a,b", false),
            Ok(Some(PubSubEvent::PMessage {
                pattern: b"n*".to_vec(),
                channel: b"news".to_vec(),
                payload: b"a,b".to_vec()
            }))
        );
        assert_eq!(
            parse(b"message,news,", false),
            Ok(Some(PubSubEvent::Message {
                channel: b"news".to_vec(),
                payload: Vec::new()
            }))
        );
        assert_eq!(parse(b"unsubscribe,news,0", false), Ok(None));
        assert!(parse(b"message", false).is_err());
        assert!(parse(b"message,news", false).is_err());
        assert!(parse(b"subscribe,news,x", false).is_err());
        assert!(parse(b"message,!!,aGk=", true).is_err());
    }

    #[test]
    fn base64_carries_any_bytes() {
        let nasty = b"a,b\r\nc\n\n\0\xff: x".to_vec();
        for event in [
            PubSubEvent::Subscribe {
                channel: b"c,h\n".to_vec(),
                count: 3,
            },
            PubSubEvent::PSubscribe {
                pattern: b"p*,".to_vec(),
                count: 1,
            },
            PubSubEvent::Message {
                channel: b"c,h".to_vec(),
                payload: nasty.clone(),
            },
            PubSubEvent::PMessage {
                pattern: b"c*".to_vec(),
                channel: b"c,h".to_vec(),
                payload: nasty.clone(),
            },
        ] {
            assert_eq!(round_trip(&event, true), Some(event));
        }
    }

    #[test]
    fn stream_paths_round_trip() {
        let targets = vec![b"a/b c".to_vec(), b"n*".to_vec(), vec![0xff, b'.']];
        let path = stream_path(StreamKind::PSubscribe, &targets).unwrap();
        assert_eq!(path, "/psubscribe/a%2Fb%20c/n%2A/%FF%2E");
        assert_eq!(
            parse_stream_path(&path),
            Some(Ok((StreamKind::PSubscribe, targets)))
        );
        assert_eq!(
            parse_stream_path("/monitor"),
            Some(Ok((StreamKind::Monitor, vec![])))
        );
        assert_eq!(parse_stream_path("/get/k"), None);
        assert_eq!(parse_stream_path("/subscriber/k"), None);
        assert!(matches!(parse_stream_path("/subscribe"), Some(Err(_))));
        assert!(matches!(parse_stream_path("/subscribe/a/"), Some(Err(_))));
        assert!(stream_path(StreamKind::Subscribe, &[]).is_err());
        assert!(stream_path(StreamKind::Subscribe, &[b"..".to_vec()]).is_err());
    }

    #[test]
    fn text_mode_keeps_commas_and_line_feeds_in_payloads() {
        let event = PubSubEvent::Message {
            channel: b"news".to_vec(),
            payload: b"a,b\nc,d".to_vec(),
        };
        assert_eq!(round_trip(&event, false), Some(event));
    }
}
