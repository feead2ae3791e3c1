//! `GET /healthz`: proves each binding answers (D1 read, KV write and read back, queue
//! binding present). 200 when all do, 503 with the failing part named otherwise.

use app::server::bindings;
use axum::{
    extract::Extension,
    http::{header, StatusCode},
    response::IntoResponse,
};
use serde_json::json;
use std::sync::Arc;

pub async fn health(Extension(env): Extension<Arc<worker::Env>>) -> impl IntoResponse {
    worker::send::SendFuture::new(async move {
        let d1 = check_d1(&env).await;
        let kv = check_kv(&env).await;
        let queue = env.queue(bindings::JOBS_QUEUE).map(|_| ()).map_err(|e| e.to_string());
        let ok = d1.is_ok() && kv.is_ok() && queue.is_ok();
        let show = |r: &Result<(), String>| match r {
            Ok(()) => "ok".to_string(),
            Err(e) => e.clone(),
        };
        let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
        let body = json!({"ok": ok, "d1": show(&d1), "kv": show(&kv), "queue": show(&queue)}).to_string();
        (status, [(header::CONTENT_TYPE, "application/json")], body)
    })
    .await
}

/// Every shard answers (the first holds the directory too); the first that does not is named.
async fn check_d1(env: &worker::Env) -> Result<(), String> {
    for shard in app::server::shards::all(env).map_err(|e| e.to_string())? {
        shard.db.prepare("SELECT 1 AS one").first::<serde_json::Value>(None).await.map_err(|e| format!("shard {}: {e}", shard.index))?;
    }
    Ok(())
}

async fn check_kv(env: &worker::Env) -> Result<(), String> {
    let kv = env.kv(bindings::KV).map_err(|e| e.to_string())?;
    let stamp = worker::Date::now().as_millis().to_string();
    // KV's shortest TTL is 60 s: the probe key cleans itself up.
    kv.put("health:probe", &stamp).map_err(|e| e.to_string())?.expiration_ttl(60).execute().await.map_err(|e| e.to_string())?;
    match kv.get("health:probe").text().await.map_err(|e| e.to_string())? {
        Some(v) if v == stamp => Ok(()),
        other => Err(format!("KV read back {other:?}, wrote {stamp}")),
    }
}
