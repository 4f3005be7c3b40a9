//! Fuzzes the client-side reply decoder: any status and any body into
//! `decode_single`, `decode_pipeline` and `decode_multi_exec`, with any list
//! of command names. Property: no panic, and a decoded batch has exactly
//! one slot per command; a 401 is always an auth error.
//!
//! Input format (so seeds can be written by hand, see corpus/reply_decoder):
//! `<status> <NAME,NAME,...>\n<body>`. Inputs that do not fit still run,
//! with the status taken from the first two bytes and the rest as the body.
#![no_main]

use edgestash::protocol::{decode_multi_exec, decode_pipeline, decode_single};
use edgestash::Error;
use libfuzzer_sys::fuzz_target;

struct Input<'a> {
    status: u16,
    commands: Vec<String>,
    body: &'a [u8],
}

fn split(data: &[u8]) -> Input<'_> {
    if let Some(nl) = data.iter().position(|&b| b == b'\n') {
        let (head, body) = (&data[..nl], &data[nl + 1..]);
        if let Ok(head) = std::str::from_utf8(head) {
            let (status, names) = head.split_once(' ').unwrap_or((head, ""));
            if let Ok(status) = status.parse::<u16>() {
                let commands = names
                    .split(',')
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect();
                return Input {
                    status,
                    commands,
                    body,
                };
            }
        }
    }
    match data {
        [a, b, rest @ ..] => Input {
            status: u16::from_be_bytes([*a, *b]),
            commands: vec!["GET".to_owned()],
            body: rest,
        },
        _ => Input {
            status: 200,
            commands: Vec::new(),
            body: data,
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let input = split(data);
    let name = input.commands.first().map(String::as_str).unwrap_or("GET");

    let single = decode_single(input.status, input.body, name);
    if input.status == 401 {
        assert!(matches!(single, Err(Error::Auth { .. })));
    }
    // Error texts are built from the reply: formatting must not panic either.
    if let Err(e) = &single {
        let _ = e.to_string();
    }

    for decoded in [
        decode_pipeline(input.status, input.body, &input.commands),
        decode_multi_exec(input.status, input.body, &input.commands),
    ] {
        match decoded {
            Ok(slots) => {
                assert_eq!(slots.len(), input.commands.len());
                for slot in slots {
                    if let Err(e) = slot {
                        let _ = e.to_string();
                    }
                }
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
