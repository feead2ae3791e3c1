//! Fault injection for the fault tests, active only where the `FAULT_INJECTION` var is
//! "true" (local development; never set in staging or production). A test marks a webhook
//! id in KV (`fault:<webhook id>`) and the queue consumer misbehaves on that message.

use super::bindings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Fail this message every time: a poison message, bound for the dead-letter queue.
    Fail,
    /// Fail it once, then apply normally.
    FailOnce,
    /// Apply it, then crash the whole batch before acknowledging it — the queue redelivers
    /// it, already applied; it must not be applied twice.
    CrashAfterApply,
}

pub async fn take(env: &worker::Env, webhook_id: &str) -> Option<Fault> {
    if env.var("FAULT_INJECTION").map(|v| v.to_string()).ok()? != "true" {
        return None;
    }
    let kv = env.kv(bindings::KV).ok()?;
    let key = format!("fault:{webhook_id}");
    let fault = match kv.get(&key).text().await.ok()??.as_str() {
        "fail" => Fault::Fail,
        "fail-once" => Fault::FailOnce,
        "crash-after-apply" => Fault::CrashAfterApply,
        _ => return None,
    };
    if fault != Fault::Fail {
        let _ = kv.delete(&key).await; // one-shot
    }
    Some(fault)
}

thread_local! {
    /// Shard index → (down, read at): the fault tests' switch, read from KV at most once a second.
    static SHARDS_DOWN: std::cell::RefCell<std::collections::HashMap<usize, (bool, f64)>> = Default::default();
}

/// Whether a test has marked shard `index` as failing (`fault:shard:<index>` = "down" in KV):
/// its shops then get what a failing database gives them, and other shards' shops nothing.
pub async fn shard_down(env: &worker::Env, index: usize) -> bool {
    if env.var("FAULT_INJECTION").map(|v| v.to_string()).ok().as_deref() != Some("true") {
        return false;
    }
    let now = worker::Date::now().as_millis() as f64;
    if let Some(down) = SHARDS_DOWN.with(|c| c.borrow().get(&index).filter(|(_, at)| now - at < 1000.0).map(|(d, _)| *d)) {
        return down;
    }
    let Ok(kv) = env.kv(bindings::KV) else { return false };
    let down = matches!(kv.get(&format!("fault:shard:{index}")).text().await, Ok(Some(v)) if v == "down");
    SHARDS_DOWN.with(|c| c.borrow_mut().insert(index, (down, now)));
    down
}
