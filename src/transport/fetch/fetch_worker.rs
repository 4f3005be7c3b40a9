//! The Workers backend of the fetch transport: `worker::Fetch` with a plain
//! `RequestInit` (method, headers, body; never cache, credentials or mode,
//! which workerd rejects or ignores).

use worker::{Fetch, Headers, Method, Request, RequestInit};

use super::{Failure, Outgoing, SYNC_TOKEN};
use crate::transport::WireResponse;

/// Sends `outgoing` with `worker::Fetch`, aborted by `signal`.
pub(super) async fn send(
    outgoing: &Outgoing<'_>,
    signal: web_sys::AbortSignal,
) -> Result<WireResponse, Failure> {
    let headers = Headers::new();
    for (name, value) in &outgoing.headers {
        headers.set(name, value).map_err(|_| Failure::Other)?;
    }
    let body = js_sys::Uint8Array::from(outgoing.body);
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    // An invalid URL or header fails here, before anything is sent.
    let request = Request::new_with_init(&outgoing.url, &init).map_err(|_| Failure::Refused)?;
    let mut response = Fetch::Request(request)
        .send_with_signal(&signal.into())
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
