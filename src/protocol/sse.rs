//! Server-sent events framing (`text/event-stream`): bytes in, the `data`
//! of each complete event out.
//!
//! Owns: splitting a byte stream into lines wherever the chunks were cut
//! (LF, CRLF or a lone CR ends a line, a CRLF may be split across chunks),
//! skipping comments (`: keepalive`) and fields other than `data`, joining
//! the `data` lines of one event with LF as the SSE standard says, and
//! bounding memory: a line, or an event's data, longer than the configured
//! limit is a [`LineTooLong`] error instead of an ever-growing buffer.
//! Must not: interpret the data (that is [`super::pubsub`]) or do I/O.

/// The default bound on one line, and on one event's data: 1 MiB, room for
/// a 750 KB message after base64, while keeping one subscription's buffer
/// small.
pub const DEFAULT_MAX_LINE_LEN: usize = 1024 * 1024;

/// A line (or an event's data) passed the configured bound; the stream
/// cannot be resynchronised safely after this, so the decoder stays failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong {
    /// The bound that was passed, in bytes.
    pub max: usize,
}

/// An incremental SSE decoder.
#[derive(Debug, Clone)]
pub struct SseDecoder {
    max_line_len: usize,
    /// The current, incomplete line.
    line: Vec<u8>,
    /// The data lines of the current event, each followed by LF.
    data: Vec<u8>,
    /// True when a `data` field was seen in the current event.
    has_data: bool,
    /// The previous chunk ended with CR: a leading LF belongs to it.
    after_cr: bool,
    failed: bool,
}

impl SseDecoder {
    /// A decoder refusing lines and events longer than `max_line_len` bytes
    /// (at least 1).
    pub fn new(max_line_len: usize) -> Self {
        Self {
            max_line_len: max_line_len.max(1),
            line: Vec::new(),
            data: Vec::new(),
            has_data: false,
            after_cr: false,
            failed: false,
        }
    }

    /// Feeds one chunk; the data of every event it completes is pushed to
    /// `events`, in order. After an error every later call fails too.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<Vec<u8>>) -> Result<(), LineTooLong> {
        let too_long = LineTooLong {
            max: self.max_line_len,
        };
        if self.failed {
            return Err(too_long);
        }
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(tail) = rest.strip_prefix(b"\n") {
                rest = tail;
            }
        }
        while !rest.is_empty() {
            match rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
                None => {
                    self.line.extend_from_slice(rest);
                    rest = &[];
                }
                Some(end) => {
                    self.line.extend_from_slice(&rest[..end]);
                    let ended_by_cr = rest[end] == b'\r';
                    rest = &rest[end + 1..];
                    if ended_by_cr {
                        match rest.first() {
                            Some(b'\n') => rest = &rest[1..],
                            None => self.after_cr = true,
                            Some(_) => {}
                        }
                    }
                    if self.line.len() > self.max_line_len {
                        self.failed = true;
                        return Err(too_long);
                    }
                    let line = std::mem::take(&mut self.line);
                    self.take_line(&line, events);
                    if self.data.len() > self.max_line_len {
                        self.failed = true;
                        return Err(too_long);
                    }
                }
            }
            if self.line.len() > self.max_line_len {
                self.failed = true;
                return Err(too_long);
            }
        }
        Ok(())
    }

    fn take_line(&mut self, line: &[u8], events: &mut Vec<Vec<u8>>) {
        if line.is_empty() {
            if self.has_data {
                let mut data = std::mem::take(&mut self.data);
                data.pop(); // the LF after the last data line
                events.push(data);
            }
            self.has_data = false;
            self.data.clear();
            return;
        }
        if line[0] == b':' {
            return; // a comment: keepalives look like this
        }
        let (field, value) = match line.iter().position(|b| *b == b':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        if field == b"data" {
            self.data.extend_from_slice(value);
            self.data.push(b'\n');
            self.has_data = true;
        }
        // `event`, `id`, `retry` and unknown fields carry nothing edgestash uses.
    }
}

/// Frames `data` as one event: a `data:` line per LF-separated line, then
/// an empty line. A CR cannot travel inside SSE data, so each CR becomes
/// LF: callers that need exact bytes encode them first (base64).
pub fn encode_event(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    for line in data.split(|b| *b == b'\n' || *b == b'\r') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// A comment line: keeps idle connections (and proxies) alive and lets the
/// client tell a quiet channel from a dead connection.
pub const KEEPALIVE: &[u8] = b": keepalive\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_chunks(chunks: &[&[u8]], max: usize) -> Result<Vec<Vec<u8>>, LineTooLong> {
        let mut d = SseDecoder::new(max);
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out)?;
        }
        Ok(out)
    }

    fn texts(events: Vec<Vec<u8>>) -> Vec<String> {
        events
            .into_iter()
            .map(|e| String::from_utf8_lossy(&e).into_owned())
            .collect()
    }

    #[test]
    fn one_event_per_blank_line() {
        let out = decode_chunks(&[b"data: a,b\n\ndata: c\n\n"], 100).unwrap();
        assert_eq!(texts(out), ["a,b", "c"]);
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        let stream: &[u8] =
            b": hello\r\ndata: subscribe,ch,1\r\n\r\ndata:x\rdata: y\r\rdata: z\n\n: ka\n\n";
        let whole = texts(decode_chunks(&[stream], 100).unwrap());
        assert_eq!(whole, ["subscribe,ch,1", "x\ny", "z"]);
        for i in 0..=stream.len() {
            for j in i..=stream.len() {
                let parts = [&stream[..i], &stream[i..j], &stream[j..]];
                assert_eq!(
                    texts(decode_chunks(&parts, 100).unwrap()),
                    whole,
                    "split {i}/{j}"
                );
            }
        }
        // Byte by byte.
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(texts(decode_chunks(&bytes, 100).unwrap()), whole);
    }

    #[test]
    fn comments_and_other_fields_are_skipped() {
        let out = decode_chunks(
            &[b": keepalive\n\nevent: x\nid: 3\nretry: 10\n\nfoo\ndata\n\n"],
            100,
        )
        .unwrap();
        // `data` with no colon is a data field with an empty value.
        assert_eq!(texts(out), [""]);
    }

    #[test]
    fn an_incomplete_event_is_not_emitted() {
        assert!(decode_chunks(&[b"data: a\n"], 100).unwrap().is_empty());
        assert!(decode_chunks(&[b"data: a"], 100).unwrap().is_empty());
    }

    #[test]
    fn long_lines_fail_whatever_the_chunking() {
        let long = [b'x'; 20];
        assert_eq!(
            decode_chunks(&[b"data: ", &long, b"\n\n"], 10),
            Err(LineTooLong { max: 10 })
        );
        // Without a line end at all: the buffer must not grow past the bound.
        let mut d = SseDecoder::new(10);
        let mut out = Vec::new();
        assert!(d.feed(b"data: 12", &mut out).is_ok());
        assert_eq!(d.feed(b"345678", &mut out), Err(LineTooLong { max: 10 }));
        // Failed for good.
        assert!(d.feed(b"\n\n", &mut out).is_err());
        // Many short data lines in one event are bounded too.
        let many = b"data: 123\n".repeat(5);
        assert!(decode_chunks(&[&many], 10).is_err());
        // Events completed before the long line in the same chunk are kept.
        let mut d = SseDecoder::new(10);
        let mut out = Vec::new();
        assert!(d.feed(b"data: ok\n\ndata: 0123456789\n", &mut out).is_err());
        assert_eq!(texts(out), ["ok"]);
        // Exactly at the bound is fine.
        assert_eq!(
            texts(decode_chunks(&[b"data: 1234\n\n"], 10).unwrap()),
            ["1234"]
        );
    }

    #[test]
    fn encode_round_trips_lf_and_maps_cr() {
        let mut d = SseDecoder::new(100);
        let mut out = Vec::new();
        d.feed(&encode_event(b"a\nb,c"), &mut out).unwrap();
        d.feed(KEEPALIVE, &mut out).unwrap();
        d.feed(&encode_event(b""), &mut out).unwrap();
        d.feed(&encode_event(b"x\ry"), &mut out).unwrap();
        assert_eq!(texts(out), ["a\nb,c", "", "x\ny"]);
    }
}
