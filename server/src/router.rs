//! Requests: Leptos pages and server functions through one axum router, built once per
//! isolate. The Worker `Env` travels in each request's extensions, where server functions
//! find it (`app::server::context::worker_env`).

use app::{app::OUTPUT_NAME, server::features, shell, App};
use axum::{
    body::Body,
    http::Response,
    routing::{get, post},
    Router,
};
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, handle_server_fns, LeptosRoutes};
use std::{cell::OnceCell, sync::Arc};
use tower_service::Service;
use worker::HttpRequest;

thread_local! {
    // A Worker isolate runs one thread; the router is reused by every request it serves.
    static ROUTER: OnceCell<Router> = const { OnceCell::new() };
}

fn build() -> Router {
    app::api::register_all();
    let options = LeptosOptions::builder().output_name(OUTPUT_NAME).site_pkg_dir("pkg").build();
    let routes = generate_route_list(App);
    let not_found = {
        let options = options.clone();
        leptos_axum::render_app_async(move || shell(options.clone()))
    };
    Router::new()
        .route("/healthz", get(crate::health::health))
        .route("/auth", get(crate::oauth::begin))
        .route("/auth/callback", get(crate::oauth::callback))
        .route(domain::shopify::embedded::BOUNCE_PATH, get(crate::embedded::bounce_page))
        // Webhooks are read whole whatever their size (axum's default 2 MB limit answered 413
        // before the signature check and left the body unread, which cost the isolate): the
        // HMAC decides first, and a large body travels through KV (`webhooks::receive`).
        .route(
            "/webhooks/{*topic}",
            post(crate::webhooks::receive).layer(axum::extract::DefaultBodyLimit::max(crate::webhooks::MAX_BODY_BYTES)),
        )
        .route("/api/{*fn_name}", post(handle_server_fns).get(handle_server_fns))
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(not_found)
        .with_state(options)
}

pub async fn handle(mut req: HttpRequest, env: worker::Env) -> worker::Result<Response<Body>> {
    let frame_ancestors = crate::headers::frame_ancestors(&req, &env);
    let public_page = req.method() == axum::http::Method::GET && crate::headers::is_public_help(req.uri().path());
    // Public help pages go through the edge cache (keyed per deploy) where caching is on.
    let cache_key = public_page
        .then(|| features::enabled(&env, features::CACHE).then(|| crate::edge_cache::version(&env)).flatten())
        .flatten()
        .map(|version| crate::edge_cache::key(&req, &version));
    if let Some(key) = &cache_key {
        if let Some(hit) = crate::edge_cache::lookup(key).await {
            return Ok(hit);
        }
    }
    if let Some(mut to_bounce) = crate::embedded::bounce(&req, &env) {
        crate::headers::secure(&mut to_bounce, &frame_ancestors);
        crate::headers::caching(&mut to_bounce, false);
        return Ok(to_bounce);
    }
    if let Some(mut plans) = crate::billing::gate(&req, &env).await {
        crate::headers::secure(&mut plans, &frame_ancestors);
        crate::headers::caching(&mut plans, false);
        return Ok(plans);
    }
    req.extensions_mut().insert(Arc::new(env));
    let mut router = ROUTER.with(|r| r.get_or_init(build).clone());
    let mut res = router.call(req.map(Body::new)).await?;
    crate::headers::secure(&mut res, &frame_ancestors);
    crate::headers::caching(&mut res, public_page);
    match cache_key {
        Some(key) if res.status().is_success() => Ok(crate::edge_cache::store(&key, res).await),
        _ => Ok(res),
    }
}
