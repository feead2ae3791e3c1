//! Webhook ingest, in one home: the receiver's envelope check (`validate`, before a
//! webhook is queued) and the consumer's work on a batch of queued webhooks (`Batch`:
//! the ledger and shops read once, each webhook applied once and completely, the touched
//! variants recalculated once per shop). The Worker keeps decoding queue messages,
//! dispatching them here and acknowledging or retrying them.

mod apply;

use super::log;
use super::repo::catalog;
use crate::error::AppError;
use apply::BatchView;
use domain::jobs::WebhookMessage;
use std::collections::{BTreeMap, BTreeSet};
use worker::D1Database;

/// Envelope check before queueing: a topic we subscribe to and a body of its shape.
pub fn validate(topic: &str, body: &[u8]) -> Result<(), String> {
    let topic = domain::shopify::webhooks::Topic::parse(topic).map_err(|e| e.to_string())?;
    domain::shopify::webhooks::parse(topic, body).map(|_| ()).map_err(|e| e.to_string())
}

/// One queue batch of webhooks being applied.
pub struct Batch {
    view: BatchView,
    /// Per shop: the variants and inventory items the batch changed.
    touched: BTreeMap<i64, (BTreeSet<i64>, BTreeSet<i64>)>,
}

impl Batch {
    /// Reads what the batch's webhooks share (their ledger rows, their shops) in one go.
    pub async fn load(db: &D1Database, messages: &[&WebhookMessage]) -> Result<Self, AppError> {
        Ok(Self { view: BatchView::load(db, messages).await?, touched: BTreeMap::new() })
    }

    /// Applies one webhook, at most once whatever the redeliveries, and notes what it changed.
    pub async fn apply(&mut self, db: &D1Database, env: &worker::Env, w: &WebhookMessage) -> Result<(), AppError> {
        if let Some(t) = apply::apply(db, env, w, &mut self.view).await? {
            let entry = self.touched.entry(t.shop_id).or_default();
            entry.0.extend(t.variants);
            entry.1.extend(t.inventory_items);
        }
        Ok(())
    }

    /// Queues one recalculation per shop of the variants the batch changed (not one per
    /// webhook: a burst would queue thousands of small recalculations). `false` when one
    /// could not be queued: the caller redelivers the batch's applied webhooks, and a
    /// redelivered webhook that was already applied queues its variants again.
    pub async fn recalculate_touched(self, db: &D1Database, env: &worker::Env) -> bool {
        let mut queued = true;
        for (shop_id, (mut variants, items)) in self.touched {
            let items: Vec<i64> = items.into_iter().collect();
            let enqueued = match catalog::variants_for_items(db, shop_id, &items).await {
                Ok(of_items) => {
                    variants.extend(of_items);
                    if variants.is_empty() {
                        continue;
                    }
                    super::queue::recalculate(env, shop_id, Some(variants.into_iter().collect())).await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = enqueued {
                log::error("recalculate_enqueue_failed").field("shop_id", shop_id).field("error", e.to_string()).emit();
                queued = false;
            }
        }
        queued
    }
}
