//! The REST framing of the engine: a parsed request in, an HTTP reply out.
//!
//! Shared by the mock transport (so `MOCK_REDIS=true` goes through the same
//! encode, parse, envelope and decode steps as HTTP) and by
//! `edgestash-server --memory`.

use super::Engine;
use crate::protocol::response::HttpReply;
use crate::protocol::ParsedRequest;

/// Runs a parsed REST request on the engine and frames the reply as Upstash does.
pub fn handle(engine: &Engine, request: &ParsedRequest, base64: bool) -> HttpReply {
    match request {
        ParsedRequest::Single(parts) => HttpReply::single(&engine.execute(parts), base64),
        ParsedRequest::Pipeline(cmds) => HttpReply::batch(&engine.execute_pipeline(cmds), base64),
        ParsedRequest::MultiExec(cmds) => match engine.execute_multi(cmds) {
            Ok(outcomes) => HttpReply::batch(&outcomes, base64),
            Err(text) => HttpReply::error(400, &text),
        },
    }
}
