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

#[cfg(target_family = "wasm")]
unsafe extern "C" {
    /// The static constructors wasm-ld collects (the `inventory` registrations of every
    /// server function among them).
    fn __wasm_call_ctors();
}

#[event(start)]
fn start() {
    // Run once, here, when the module is instantiated. Without a call of its own, wasm-ld
    // treats the module as a command and runs every constructor again at the start of
    // each exported function — each fetch, and each allocation or closure the JS glue
    // asks for (`*_command_export`): half a millisecond of a dashboard request, measured
    // with the Worker's CPU profile. `inventory` documents this remedy.
    #[cfg(target_family = "wasm")]
    // SAFETY: the linker's constructor list, run before any other code of the module, once.
    unsafe {
        __wasm_call_ctors();
    }
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
