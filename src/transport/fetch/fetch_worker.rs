//! The Workers backend of the fetch transport: `worker::Fetch` with a plain
//! `RequestInit` (method, headers, body; never cache, credentials or mode,
//! which workerd rejects or ignores).

use std::time::Duration;

use worker::{Fetch, Headers, Method, Request, RequestInit};

use super::timer::Watchdog;
use super::{Failure, Outgoing, SYNC_TOKEN};
use crate::transport::WireResponse;

/// Sends `outgoing` with `worker::Fetch`, aborted after `timeout`.
pub(super) async fn send(
    outgoing: &Outgoing<'_>,
    timeout: Duration,
) -> Result<WireResponse, Failure> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|_| Failure::Other);
    set("Authorization", outgoing.authorization)?;
    set("Content-Type", outgoing.content_type())?;
    set("Upstash-Encoding", "base64")?;
    if let Some(token) = outgoing.sync_token {
        set(SYNC_TOKEN, token)?;
    }
    let body = js_sys::Uint8Array::from(outgoing.body);
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    // An invalid URL or header fails here, before anything is sent.
    let request = Request::new_with_init(&outgoing.url, &init).map_err(|_| Failure::Refused)?;
    let controller = web_sys::AbortController::new().map_err(|_| Failure::Other)?;
    let watchdog = Watchdog::arm(&controller, timeout);
    let outcome = exchange(request, &controller.signal()).await;
    match outcome {
        Err(_) if watchdog.fired() => Err(Failure::Timeout),
        other => other,
    }
}

/// The request and its whole reply, aborted by `signal`.
async fn exchange(
    request: Request,
    signal: &web_sys::AbortSignal,
) -> Result<WireResponse, Failure> {
    let mut response = Fetch::Request(request)
        .send_with_signal(&signal.clone().into())
        .await
        .map_err(|_| Failure::Other)?;
    let status = response.status_code();
    let sync_token = response.headers().get(SYNC_TOKEN).ok().flatten();
    let body = response.bytes().await.map_err(|_| Failure::Other)?;
    Ok(WireResponse {
        status,
        body,
        sync_token,
    })
}
