//! The Worker's three entry points, each delegating to its module.

mod billing;
mod cron;
mod dead_letters;
mod edge_cache;
mod embedded;
mod events;
mod headers;
mod health;
mod jobs;
mod oauth;
mod router;
mod webhooks;

use worker::{event, Context, HttpRequest, MessageBatch, ScheduleContext, ScheduledEvent};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: HttpRequest, env: worker::Env, _ctx: Context) -> worker::Result<axum::http::Response<axum::body::Body>> {
    router::handle(req, env).await
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: worker::Env, _ctx: ScheduleContext) {
    cron::on_schedule(&event.cron(), event.schedule() as u64, &env).await;
}

/// Both queues and their dead-letter queues are consumed here; each message is decoded by
/// its queue's module, so a malformed one is retried into that queue's dead-letter queue
/// (and from there into D1 for an operator) rather than lost.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: worker::Env, _ctx: Context) -> worker::Result<()> {
    if app::server::bindings::is_dead_letter_queue(&batch.queue()) {
        dead_letters::consume(batch, &env).await
    } else if app::server::bindings::is_events_queue(&batch.queue()) {
        events::consume(batch, &env).await
    } else {
        jobs::consume(batch, &env).await
    }
}
