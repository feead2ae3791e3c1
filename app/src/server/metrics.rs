//! Operational counters in Workers Analytics Engine (binding `ANALYTICS`, where the
//! environment enables it): one data point per event, indexed by shop, with the event
//! name as the first blob and a count and a duration as doubles. Never fails the caller:
//! analytics are not worth losing a webhook over.

use super::features;
use super::log;

pub const BINDING: &str = "ANALYTICS";

/// Records `event` (e.g. "webhook_applied") for `shop` with a duration in ms (0 if none)
/// and a detail (a topic, a reason, a job name).
pub fn record(env: &worker::Env, event: &str, shop: &str, detail: &str, ms: f64) {
    if !features::enabled(env, features::ANALYTICS) {
        return;
    }
    let Ok(dataset) = env.analytics_engine(BINDING) else { return };
    let point = worker::AnalyticsEngineDataPointBuilder::new()
        .indexes([shop])
        .add_blob(event)
        .add_blob(detail)
        .add_double(1.0)
        .add_double(ms)
        .build();
    if let Err(e) = dataset.write_data_point(&point) {
        log::warn("analytics_write_failed").field("error", e.to_string()).emit();
    }
}
