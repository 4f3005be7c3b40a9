//! The REST framing of the engine: a parsed request in, an HTTP reply out.
//!
//! Shared by the mock transport (so `MOCK_REDIS=true` goes through the same
//! encode, parse, envelope and decode steps as HTTP) and by
//! `edgestash-server --memory`. Commands the REST protocol refuses
//! ([`crate::protocol::rest_policy`]) are refused here as the server refuses
//! them: a single command with a 400, a pipeline slot in its slot, a
//! transaction as a whole. Blocking commands outside a transaction are
//! refused too, with their own text: the in-process engine answers
//! synchronously and cannot hold a request until data arrives, and an
//! immediate "timed out" would silently change what the caller asked for.
//! (edgestash-server's `--memory` backend does wait.) Inside a transaction
//! they never block, in Redis as here.

use super::Engine;
use crate::protocol::blocking::blocks;
use crate::protocol::response::HttpReply;
use crate::protocol::rest_policy::refusal_of;
use crate::protocol::ParsedRequest;

/// The REST refusal, or for a blocking command the in-process engine's.
fn refusal_in_process(parts: &[Vec<u8>]) -> Option<String> {
    refusal_of(parts).or_else(|| {
        let name = String::from_utf8_lossy(parts.first()?).to_ascii_lowercase();
        blocks(parts).then(|| {
            format!("ERR '{name}' blocks, and the in-process engine (MOCK_REDIS) cannot hold a request: run it against edgestash-server --memory")
        })
    })
}

/// Runs a parsed REST request on the engine and frames the reply as Upstash does.
pub fn handle(engine: &Engine, request: &ParsedRequest, base64: bool) -> HttpReply {
    match request {
        ParsedRequest::Single(parts) => match refusal_in_process(parts) {
            Some(text) => HttpReply::error(400, &text),
            None => HttpReply::single(&engine.execute(parts), base64),
        },
        ParsedRequest::Pipeline(cmds) => {
            let outcomes: Vec<_> = cmds
                .iter()
                .map(|c| match refusal_in_process(c) {
                    Some(text) => Err(text),
                    None => engine.execute(c),
                })
                .collect();
            HttpReply::batch(&outcomes, base64)
        }
        ParsedRequest::MultiExec(cmds) => {
            if let Some(text) = cmds.iter().find_map(|c| refusal_of(c)) {
                return HttpReply::error(400, &text);
            }
            match engine.execute_multi(cmds) {
                Ok(outcomes) => HttpReply::batch(&outcomes, base64),
                Err(text) => HttpReply::error(400, &text),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use std::sync::Arc;

    fn engine() -> Engine {
        Engine::new(Arc::new(ManualClock::new(1_000)))
    }

    fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    const REFUSED: &str = r#"{"error":"ERR Command is not allowed over REST: 'watch'"}"#;

    #[crate::unit_test]
    fn refused_single_is_a_400() {
        let reply = handle(
            &engine(),
            &ParsedRequest::Single(cmd(&["WATCH", "k"])),
            true,
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body, REFUSED.as_bytes());
    }

    #[crate::unit_test]
    fn a_blocking_command_says_the_engine_cannot_wait() {
        for parts in [
            cmd(&["BLPOP", "k", "0"]),
            cmd(&["XREAD", "BLOCK", "5", "STREAMS", "s", "$"]),
        ] {
            let reply = handle(&engine(), &ParsedRequest::Single(parts), false);
            assert_eq!(reply.status, 400);
            let body = String::from_utf8_lossy(&reply.body);
            assert!(body.contains("cannot hold a request"), "{body}");
        }
        let reply = handle(
            &engine(),
            &ParsedRequest::Single(cmd(&["XREAD", "STREAMS", "s", "0"])),
            false,
        );
        assert_eq!(reply.status, 200);
    }

    #[crate::unit_test]
    fn refused_pipeline_slot_keeps_the_others() {
        let reply = handle(
            &engine(),
            &ParsedRequest::Pipeline(vec![cmd(&["SET", "a", "1"]), cmd(&["WATCH", "k"])]),
            false,
        );
        assert_eq!(reply.status, 200);
        assert_eq!(
            String::from_utf8_lossy(&reply.body),
            format!(r#"[{{"result":"OK"}},{REFUSED}]"#)
        );
    }

    #[crate::unit_test]
    fn refused_transaction_runs_nothing() {
        let e = engine();
        let reply = handle(
            &e,
            &ParsedRequest::MultiExec(vec![cmd(&["SET", "a", "1"]), cmd(&["WATCH", "k"])]),
            false,
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body, REFUSED.as_bytes());
        assert_eq!(e.execute(&cmd(&["GET", "a"])), Ok(crate::Value::Nil));
    }
}
