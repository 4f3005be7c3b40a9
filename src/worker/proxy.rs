//! Forwarding a request to `ORIGIN_URL` and copying responses so headers
//! can be added (a fetched response's headers are immutable in workerd).
//!
//! Owns: which request headers travel to the origin (all but `Host`,
//! `Content-Length`, `X-Workspace` and Cloudflare's `CF-*`), redirects
//! passed back rather than followed, and the 502 when the origin cannot be
//! reached. Must not: touch Redis (the cache module decides what is stored).

use ::worker::{Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response, Result};

use super::reply;
use super::workspace;

/// Sends `req` to `origin` + its path and query; the origin's response
/// (streamed, headers copied), or a 502 when the fetch itself failed.
pub(super) async fn forward(req: &mut Request, origin: &str) -> Result<Response> {
    let url = req.url()?;
    let mut target = format!("{origin}{}", url.path());
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let method = req.method();
    let body = match method {
        Method::Get | Method::Head => None,
        _ => Some(js_sys::Uint8Array::from(req.bytes().await?.as_slice()).into()),
    };
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        let skip = matches!(name.as_str(), "host" | "content-length")
            || name.eq_ignore_ascii_case(workspace::HEADER)
            || name.starts_with("cf-");
        if !skip {
            headers.append(&name, &value)?;
        }
    }
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual)
        .with_body(body);
    let outbound = Request::new_with_init(&target, &init)?;
    match Fetch::Request(outbound).send().await {
        Ok(response) => Ok(with_copied_headers(response)),
        Err(_) => reply::error(502, "origin unreachable"),
    }
}

/// The same response with a mutable copy of its headers.
pub(super) fn with_copied_headers(response: Response) -> Response {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        let _ = headers.append(&name, &value);
    }
    response.with_headers(headers)
}
