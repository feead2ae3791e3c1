-- Shopify integration: webhook idempotency, sync progress, order de-duplication.

-- Every webhook applied, by Shopify's X-Shopify-Webhook-Id: the final word on "applied
-- once" (KV only screens duplicates early). Inserted in the same batch as its changes.
CREATE TABLE webhook_events (
    webhook_id  TEXT PRIMARY KEY,
    shop_id     INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    received_at TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);
CREATE INDEX webhook_events_by_shop ON webhook_events (shop_id, applied_at);

-- Orders already counted into daily_sales, so the historical import and the
-- orders/create webhook never count one order twice.
CREATE TABLE orders_seen (
    shop_id  INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id INTEGER NOT NULL,
    PRIMARY KEY (shop_id, order_id)
) WITHOUT ROWID;

-- One row per sync (catalogue, orders import); what the progress bar reads.
CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id         INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('catalog', 'orders')),
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    bulk_operation  TEXT,                      -- Shopify's BulkOperation GID while running
    objects_total   INTEGER,                   -- known once Shopify reports objectCount
    objects_done    INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    started_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX sync_runs_latest ON sync_runs (shop_id, kind, id DESC);

-- Variants are found from inventory webhooks by their inventory item.
CREATE INDEX variants_by_inventory_item ON variants (shop_id, inventory_item_id);

ALTER TABLE shops ADD COLUMN scopes TEXT;
ALTER TABLE shops ADD COLUMN primary_location_id INTEGER;
