//! Requests that get a Redis connection of their own, opened for them and
//! closed when they end: `/multi-exec` (so nothing lands between MULTI and
//! EXEC, and no pooled connection is ever left in MULTI state) and requests
//! with a blocking command (so the shared connection is never stalled; no
//! response timeout, the command's own timeout rules).
//!
//! Must not: retry (the commands may have run) or keep the connection.

use std::time::Duration;

use ::redis::{AsyncConnectionConfig, Client, Cmd, Pipeline, Value as RValue};

use super::connect::{CONNECT_TIMEOUT, RESPONSE_TIMEOUT};
use super::{build, expect_items, unavailable};
use crate::backend::Unavailable;

/// MULTI, `cmds`, EXEC on a fresh connection from `client`: the raw
/// replies, one per command sent.
pub(super) async fn dedicated_multi_exec(
    client: &Client,
    cmds: &[Vec<Vec<u8>>],
) -> Result<Vec<RValue>, Unavailable> {
    // MULTI, the commands and EXEC go out in one write and one round
    // trip; queue-time errors come back as values, and EXEC answers
    // EXECABORT when there was one.
    let mut pipe = Pipeline::new();
    pipe.add_command(Cmd::new().arg("MULTI").to_owned());
    for c in cmds {
        pipe.add_command(build(c));
    }
    pipe.add_command(Cmd::new().arg("EXEC").to_owned());
    dedicated(client, pipe, cmds.len() + 2, Some(RESPONSE_TIMEOUT)).await
}

/// `cmds`, some of which block, as one pipeline on a fresh connection from
/// `client` with no response timeout: each blocking command waits as long
/// as its own timeout says (0: until data arrives, or the request ends).
pub(super) async fn dedicated_pipeline(
    client: &Client,
    cmds: &[Vec<Vec<u8>>],
) -> Result<Vec<RValue>, Unavailable> {
    let mut pipe = Pipeline::new();
    for c in cmds {
        pipe.add_command(build(c));
    }
    dedicated(client, pipe, cmds.len(), None).await
}

/// Sends `pipe` (error replies kept in their slots) on a connection of its
/// own, closed when this returns or is dropped.
async fn dedicated(
    client: &Client,
    mut pipe: Pipeline,
    expected: usize,
    response_timeout: Option<Duration>,
) -> Result<Vec<RValue>, Unavailable> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(response_timeout);
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(unavailable)?;
    pipe.ignore_errors();
    let reply = pipe
        .query_async::<RValue>(&mut conn)
        .await
        .map_err(unavailable)?;
    expect_items(reply, expected)
}
