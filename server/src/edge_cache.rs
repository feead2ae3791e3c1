//! Edge caching of the public help center through the Workers Cache API.
//!
//! A help page is the same for every reader, so a rendered one is kept in the data centre's
//! cache (for as long as its `s-maxage` says) and later readers get it without running the
//! app. Each cache key carries the id of the deployed Worker version: a new deploy looks up
//! new keys, so readers never see an article from before the deploy ("purge on deploy"),
//! and the old entries simply age out. Any Cache API failure is a miss, never an error.

use app::server::log;
use axum::{
    body::Body,
    http::{HeaderValue, Response},
};
use worker::{Cache, WorkerVersionMetadata};

/// The binding `[version_metadata]` in wrangler.toml declares.
const VERSION_BINDING: &str = "CF_VERSION_METADATA";
/// Tells operators (and the tests) whether a page came from the edge cache.
pub const STATUS_HEADER: &str = "x-edge-cache";
/// Help pages are tens of kilobytes; this bound only guards memory.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The cache key for a public page: its full URL plus the deployed version.
pub fn key(req: &worker::HttpRequest, version: &str) -> String {
    let uri = req.uri();
    // The Cache API wants an absolute URL; the Workers runtime normally gives one.
    let url = match uri.host() {
        Some(_) => uri.to_string(),
        None => {
            let host = req.headers().get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("https://{host}{uri}")
        }
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}__deploy={}", urlencoding::encode(version))
}

/// The deployed version's id, or `None` where the binding is missing (then nothing is
/// cached: without it a deploy could not purge).
pub fn version(env: &worker::Env) -> Option<String> {
    let meta = env.get_binding::<WorkerVersionMetadata>(VERSION_BINDING).ok()?;
    let id = meta.id();
    (!id.is_empty()).then_some(id)
}

pub async fn lookup(key: &str) -> Option<Response<Body>> {
    let hit = Cache::default().get(key, false).await.ok()??;
    let mut res: Response<Body> = worker::HttpResponse::try_from(hit).ok()?.map(Body::new);
    res.headers_mut().insert(STATUS_HEADER, HeaderValue::from_static("hit"));
    Some(res)
}

/// Stores a successful page under `key` and returns it for this reader, marked as a miss.
pub async fn store(key: &str, res: Response<Body>) -> Response<Body> {
    let (mut parts, body) = res.into_parts();
    parts.headers.insert(STATUS_HEADER, HeaderValue::from_static("miss"));
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            log::warn("edge_cache_failed").field("stage", "read page body").field("error", e.to_string()).emit();
            return Response::from_parts(parts, Body::empty());
        }
    };
    let copy = Response::from_parts(parts.clone(), Body::from(bytes.clone()));
    match worker::Response::try_from(copy) {
        Ok(entry) => {
            if let Err(e) = Cache::default().put(key, entry).await {
                log::warn("edge_cache_failed").field("stage", "put").field("error", e.to_string()).emit();
            }
        }
        Err(e) => log::warn("edge_cache_failed").field("stage", "convert response").field("error", e.to_string()).emit(),
    }
    Response::from_parts(parts, Body::from(bytes))
}
