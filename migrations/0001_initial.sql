-- Stock Sentry's first schema. Every table holding shop data carries shop_id and every
-- query filters on it. Shopify ids are the numeric tail of the GID.

CREATE TABLE shops (
    id            INTEGER PRIMARY KEY,
    domain        TEXT NOT NULL UNIQUE,          -- something.myshopify.com
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL DEFAULT 'USD',
    timezone      TEXT NOT NULL DEFAULT 'UTC',   -- IANA name; sales days are in this zone
    access_token  TEXT,                          -- offline token, encrypted at rest
    installed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    uninstalled_at TEXT
);

CREATE TABLE settings (
    shop_id           INTEGER PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    low_stock_days    INTEGER NOT NULL DEFAULT 14,
    overstock_days    INTEGER NOT NULL DEFAULT 180,
    dead_stock_days   INTEGER NOT NULL DEFAULT 90,
    lead_time_days    INTEGER NOT NULL DEFAULT 7,
    service_level_pct REAL    NOT NULL DEFAULT 95.0,
    digest_frequency  TEXT    NOT NULL DEFAULT 'daily' CHECK (digest_frequency IN ('hourly', 'daily', 'off')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE locations (
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    id      INTEGER NOT NULL,
    name    TEXT NOT NULL,
    active  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;

CREATE TABLE products (
    shop_id      INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    id           INTEGER NOT NULL,
    title        TEXT NOT NULL,
    vendor       TEXT NOT NULL DEFAULT '',
    product_type TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'active',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;

CREATE TABLE variants (
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    product_id        INTEGER NOT NULL,
    title             TEXT NOT NULL,
    sku               TEXT NOT NULL DEFAULT '',
    price_cents       INTEGER NOT NULL DEFAULT 0,
    cost_cents        INTEGER,
    inventory_item_id INTEGER,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;
CREATE INDEX variants_by_product ON variants (shop_id, product_id);

CREATE TABLE inventory_levels (
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    available   INTEGER NOT NULL,
    incoming    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (shop_id, variant_id, location_id)
) WITHOUT ROWID;

-- One row per variant x location x day with a sale, a return or a stockout; a missing
-- day means in stock with no sale, which keeps a year of a slow catalogue small.
CREATE TABLE daily_sales (
    shop_id        INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id     INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    day            TEXT NOT NULL,               -- YYYY-MM-DD in the shop's time zone
    units_sold     INTEGER NOT NULL DEFAULT 0,
    units_returned INTEGER NOT NULL DEFAULT 0,
    stock_end      INTEGER,
    out_of_stock   INTEGER NOT NULL DEFAULT 0,  -- 1: at zero stock that day (demand unseen)
    PRIMARY KEY (shop_id, variant_id, location_id, day)
) WITHOUT ROWID;
-- The dashboard aggregates a recent window for the whole shop.
CREATE INDEX daily_sales_by_day ON daily_sales (shop_id, day);

CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id      INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id   INTEGER NOT NULL,
    location_id  INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('out_of_stock', 'reorder_now', 'low_stock', 'overstock', 'dead_stock')),
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    urgency      REAL NOT NULL DEFAULT 0,      -- sort key: higher is more urgent
    explanation  TEXT NOT NULL DEFAULT '{}',   -- JSON: the numbers that triggered it
    snoozed_until TEXT,
    opened_at    TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    resolved_at  TEXT
);
-- One live alert per variant/location/kind.
CREATE UNIQUE INDEX alerts_one_live ON alerts (shop_id, variant_id, location_id, kind) WHERE state != 'resolved';
-- The dashboard's list: a shop's live alerts by urgency.
CREATE INDEX alerts_dashboard ON alerts (shop_id, state, urgency DESC);

CREATE TABLE seasonal_patterns (
    shop_id    INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id INTEGER NOT NULL,               -- 0: the shop-wide pattern
    period     TEXT NOT NULL CHECK (period IN ('day_of_week', 'week_of_year')),
    idx        INTEGER NOT NULL,
    factor     REAL NOT NULL,
    fitted_at  TEXT NOT NULL,
    PRIMARY KEY (shop_id, variant_id, period, idx)
) WITHOUT ROWID;

CREATE TABLE job_runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    job           TEXT NOT NULL,
    slot          TEXT NOT NULL UNIQUE,        -- job@scheduled minute: a second firing is a no-op
    cron          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    rows_touched  INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    scheduled_at  TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT
);
CREATE INDEX job_runs_recent ON job_runs (job, id DESC);

CREATE TABLE help_feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    article_slug TEXT NOT NULL,
    reader_key   TEXT NOT NULL,                -- hashed reader identity: one vote per reader
    helpful      INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (article_slug, reader_key)
);
