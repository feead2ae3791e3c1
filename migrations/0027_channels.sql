-- Alert channels (issue 21, item 4): per shop a Slack incoming webhook, a signed webhook and
-- the Shopify Flow trigger, each with the alert kinds it sends and its quiet hours.
CREATE TABLE alert_channels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('slack', 'webhook', 'flow')),
    enabled     INTEGER NOT NULL DEFAULT 0,
    url         TEXT NOT NULL DEFAULT '',
    secret      TEXT NOT NULL DEFAULT '',      -- the webhook's signing secret, shown to the merchant
    alert_kinds TEXT NOT NULL DEFAULT 'out_of_stock,reorder_now',
    quiet_hours_start INTEGER,
    quiet_hours_end   INTEGER,
    failures    INTEGER NOT NULL DEFAULT 0,    -- failed attempts in a row
    paused_at   TEXT,                          -- set when it kept failing; cleared by Resume or a save
    paused_reason TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (shop_id, kind)
);

-- One row per alert a channel is to tell: written in the recalculation's own batch, so an
-- opened alert and its deliveries land together; sent by the `deliver` job.
CREATE TABLE channel_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
    alert_id    INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed', 'skipped')),  -- skipped: the alert closed first
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,                       -- the endpoint's HTTP status; NULL: no answer
    last_error  TEXT,
    due_at      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (channel_id, alert_id)
);
CREATE INDEX channel_deliveries_due ON channel_deliveries (shop_id, state, due_at);
CREATE INDEX channel_deliveries_recent ON channel_deliveries (shop_id, id DESC);
