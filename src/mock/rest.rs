//! The REST framing of the engine: a parsed request in, an HTTP reply out.
//!
//! Shared by the mock transport (so `MOCK_REDIS=true` goes through the same
//! encode, parse, envelope and decode steps as HTTP) and by
//! `edgestash-server --memory`. Commands the REST protocol refuses
//! ([`crate::protocol::rest_policy`]) are refused here as the server refuses
//! them: a single command with a 400, a pipeline slot in its slot, a
//! transaction as a whole.

use super::Engine;
use crate::protocol::response::HttpReply;
use crate::protocol::rest_policy::refusal_of;
use crate::protocol::ParsedRequest;

/// Runs a parsed REST request on the engine and frames the reply as Upstash does.
pub fn handle(engine: &Engine, request: &ParsedRequest, base64: bool) -> HttpReply {
    match request {
        ParsedRequest::Single(parts) => match refusal_of(parts) {
            Some(text) => HttpReply::error(400, &text),
            None => HttpReply::single(&engine.execute(parts), base64),
        },
        ParsedRequest::Pipeline(cmds) => {
            let outcomes: Vec<_> = cmds
                .iter()
                .map(|c| match refusal_of(c) {
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

    const REFUSED: &str = r#"{"error":"ERR Command is not allowed over REST: 'blpop'"}"#;

    #[crate::unit_test]
    fn refused_single_is_a_400() {
        let reply = handle(
            &engine(),
            &ParsedRequest::Single(cmd(&["BLPOP", "k", "0"])),
            true,
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body, REFUSED.as_bytes());
    }

    #[crate::unit_test]
    fn refused_pipeline_slot_keeps_the_others() {
        let reply = handle(
            &engine(),
            &ParsedRequest::Pipeline(vec![cmd(&["SET", "a", "1"]), cmd(&["BLPOP", "k", "0"])]),
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
            &ParsedRequest::MultiExec(vec![cmd(&["SET", "a", "1"]), cmd(&["BLPOP", "k", "0"])]),
            false,
        );
        assert_eq!(reply.status, 400);
        assert_eq!(reply.body, REFUSED.as_bytes());
        assert_eq!(e.execute(&cmd(&["GET", "a"])), Ok(crate::Value::Nil));
    }
}
