//! Which workspace a gateway request belongs to, and its scoped client.
//!
//! The id comes from the `X-Workspace` header, else `DEFAULT_WORKSPACE`.
//! Every key the gateway writes (cache entries, rate-limit counters,
//! sessions) goes through [`Client::workspace`], so it lands under
//! `ws:<id>:` and one workspace never sees another's state.
//! Must not: echo the id back in an error (it is caller input).

use ::worker::{Request, Response, Result};

use super::reply;
use super::settings::Settings;
use crate::Client;

/// The request header naming the workspace.
pub(super) const HEADER: &str = "X-Workspace";

/// The workspace-scoped client for `req` and the workspace id, or the 400
/// to answer.
pub(super) fn scoped(
    req: &Request,
    client: &Client,
    settings: &Settings,
) -> Result<std::result::Result<(Client, String), Response>> {
    let given = req.headers().get(HEADER)?;
    let Some(id) = given.or_else(|| settings.default_workspace.clone()) else {
        return Ok(Err(reply::error(
            400,
            "missing workspace: send an X-Workspace header (or set DEFAULT_WORKSPACE)",
        )?));
    };
    match client.workspace(id.trim()) {
        Ok(scoped) => Ok(Ok((scoped, id.trim().to_owned()))),
        Err(_) => Ok(Err(reply::error(
            400,
            "invalid workspace id: expected 1 to 64 of A-Z a-z 0-9 _ -",
        )?)),
    }
}
