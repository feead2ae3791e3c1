-- A sixth alert kind (issue 19): stock gap — the variant runs out before stock on order
-- lands. SQLite cannot change a CHECK or a column default in place, so `alerts` and
-- `settings` are rebuilt with 'stock_gap' allowed and on by default; every row is kept
-- (ids included), and shops that chose their kinds before get the new one switched on,
-- as they never had the choice.
PRAGMA defer_foreign_keys = on;

CREATE TABLE alerts_next (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id      INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id   INTEGER NOT NULL,
    location_id  INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('out_of_stock', 'reorder_now', 'low_stock', 'overstock', 'dead_stock', 'stock_gap')),
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'snoozed', 'resolved')),
    urgency      REAL NOT NULL DEFAULT 0,      -- sort key: higher is more urgent
    explanation  TEXT NOT NULL DEFAULT '{}',   -- JSON: the numbers that triggered it
    snoozed_until TEXT,
    opened_at    TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    resolved_at  TEXT,
    reported_urgency REAL
);
INSERT INTO alerts_next (id, shop_id, variant_id, location_id, kind, state, urgency, explanation, snoozed_until, opened_at, updated_at, resolved_at, reported_urgency)
  SELECT id, shop_id, variant_id, location_id, kind, state, urgency, explanation, snoozed_until, opened_at, updated_at, resolved_at, reported_urgency FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_next RENAME TO alerts;
CREATE UNIQUE INDEX alerts_one_live ON alerts (shop_id, variant_id, location_id, kind) WHERE state != 'resolved';
CREATE INDEX alerts_dashboard ON alerts (shop_id, state, urgency DESC);
CREATE INDEX alerts_live_by_urgency ON alerts (shop_id, urgency DESC, id) WHERE state != 'resolved';

CREATE TABLE settings_next (
    shop_id           INTEGER PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    low_stock_days    INTEGER NOT NULL DEFAULT 14,
    overstock_days    INTEGER NOT NULL DEFAULT 180,
    dead_stock_days   INTEGER NOT NULL DEFAULT 90,
    lead_time_days    INTEGER NOT NULL DEFAULT 7,
    service_level_pct REAL    NOT NULL DEFAULT 95.0,
    digest_frequency  TEXT    NOT NULL DEFAULT 'daily' CHECK (digest_frequency IN ('hourly', 'daily', 'off')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    digest_recipients TEXT NOT NULL DEFAULT '',
    quiet_hours_start INTEGER CHECK (quiet_hours_start BETWEEN 0 AND 23),
    quiet_hours_end   INTEGER CHECK (quiet_hours_end BETWEEN 0 AND 23),
    -- `RiskKind` names the shop wants alerts for.
    alert_kinds       TEXT NOT NULL DEFAULT 'out_of_stock,reorder_now,low_stock,overstock,dead_stock,stock_gap',
    utc_offset_minutes INTEGER
);
INSERT INTO settings_next (shop_id, low_stock_days, overstock_days, dead_stock_days, lead_time_days, service_level_pct, digest_frequency,
                           updated_at, digest_recipients, quiet_hours_start, quiet_hours_end, alert_kinds, utc_offset_minutes)
  SELECT shop_id, low_stock_days, overstock_days, dead_stock_days, lead_time_days, service_level_pct, digest_frequency,
         updated_at, digest_recipients, quiet_hours_start, quiet_hours_end,
         CASE WHEN alert_kinds = '' THEN 'stock_gap' ELSE alert_kinds || ',stock_gap' END, utc_offset_minutes
  FROM settings;
DROP TABLE settings;
ALTER TABLE settings_next RENAME TO settings;
