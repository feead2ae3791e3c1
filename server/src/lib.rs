//! The Worker's three entry points, each delegating to its module.

mod cron;
mod headers;
mod health;
mod jobs;
mod router;

use domain::jobs::JobMessage;
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

#[event(queue)]
async fn queue(batch: MessageBatch<JobMessage>, env: worker::Env, _ctx: Context) -> worker::Result<()> {
    jobs::consume(batch, &env).await
}
