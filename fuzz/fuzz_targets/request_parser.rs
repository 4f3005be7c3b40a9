//! Fuzzes the server-side request parser and the encoder/parser round trip.
//!
//! 1. Any method, path, query and body into `parse_request`: no panic, and
//!    every refusal is a 400 or a 405.
//! 2. The same bytes read as a command (a non-empty name and up to 8
//!    arguments, each either any bytes or a word that means something to
//!    the encoder or the parser, see `WORDS`): `encode_single` then `parse_request` must give back
//!    exactly the command's parts, whichever form (JSON body, path, or
//!    value-in-body with options in the query) the encoder picked.
//!
//! Input format for part 1 (so seeds can be written by hand, see
//! corpus/request_parser): `<METHOD> <path>[?<query>]\n<body>`.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use edgestash::protocol::{encode_single, parse_request, Command, ParsedRequest};
use libfuzzer_sys::fuzz_target;

fn parse_any(data: &[u8]) {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(nl) => (&data[..nl], &data[nl + 1..]),
        None => (data, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let (method, target) = head.split_once(' ').unwrap_or(("POST", &head));
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    if let Err(e) = parse_request(method, path, query, body) {
        assert!(e.status == 400 || e.status == 405, "status {}", e.status);
    }
}

/// Words with a meaning to the encoder or the parser: fixed endpoints, the
/// authentication parameter, separators, dot segments, non-UTF-8 bytes.
/// Random bytes almost never spell them, so arguments are drawn from here
/// half of the time.
const WORDS: &[&[u8]] = &[
    b"pipeline",
    b"multi-exec",
    b"_token",
    b"",
    b"/",
    b"?",
    b"&",
    b"=",
    b"+",
    b"%",
    b"%2F",
    b".",
    b"..",
    b"SET",
    b"EX",
    b"\xff",
    b"\xfe\x00",
];

fn word_or_bytes(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    if bool::arbitrary(u)? {
        Ok(u.choose(WORDS)?.to_vec())
    } else {
        Vec::<u8>::arbitrary(u)
    }
}

fn command(u: &mut Unstructured<'_>) -> arbitrary::Result<(String, Vec<Vec<u8>>)> {
    let name = String::from_utf8(word_or_bytes(u)?).or_else(|_| String::arbitrary(u))?;
    let n = u.int_in_range(0..=8)?;
    let args = (0..n)
        .map(|_| word_or_bytes(u))
        .collect::<arbitrary::Result<_>>()?;
    Ok((name, args))
}

/// The first generator: a name and arguments as plain arbitrary values
/// (kept so fuzz/regressions/request_parser inputs replay as found).
fn plain_command(u: &mut Unstructured<'_>) -> arbitrary::Result<(String, Vec<Vec<u8>>)> {
    Ok((String::arbitrary(u)?, Vec::<Vec<u8>>::arbitrary(u)?))
}

fn round_trip(generated: arbitrary::Result<(String, Vec<Vec<u8>>)>) {
    let Ok((name, args)) = generated else {
        return;
    };
    // A command always has a name; the server refuses an empty one.
    if name.is_empty() {
        return;
    }
    let cmd = Command::from_parts(name, args);
    let Ok(req) = encode_single(&cmd) else {
        // The one refusal: a `.`/`..` argument that would have to travel as a
        // URL path segment (HTTP clients rewrite those).
        let dot = cmd.to_parts().iter().any(|p| *p == b"." || *p == b"..");
        assert!(dot, "encode_single refused a command without a dot argument");
        return;
    };
    let (path, query) = match req.path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (req.path.as_str(), None),
    };
    let parsed = parse_request("POST", path, query, &req.body);
    let expected: Vec<Vec<u8>> = cmd.to_parts().into_iter().map(<[u8]>::to_vec).collect();
    assert_eq!(
        parsed,
        Ok(ParsedRequest::Single(expected)),
        "path {:?}, body {:?}",
        req.path,
        req.body
    );
}

fuzz_target!(|data: &[u8]| {
    parse_any(data);
    round_trip(plain_command(&mut Unstructured::new(data)));
    round_trip(command(&mut Unstructured::new(data)));
});
