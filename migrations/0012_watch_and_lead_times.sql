-- What the merchant asks Stock Sentry to watch, and supplier lead times finer than the
-- shop default. A location the merchant stops watching keeps its data (watching it again
-- needs no re-import); its alerts resolve at the next recalculation.
ALTER TABLE locations ADD COLUMN watched INTEGER NOT NULL DEFAULT 1;

-- Alert kinds the merchant wants, comma-separated `RiskKind` names; a kind left out is
-- never opened and its live alerts resolve.
ALTER TABLE settings ADD COLUMN alert_kinds TEXT NOT NULL DEFAULT 'out_of_stock,reorder_now,low_stock,overstock,dead_stock';
-- The merchant's choice of time zone (minutes east of UTC) for quiet hours and the
-- digest's day; NULL follows the shop's own zone from Shopify.
ALTER TABLE settings ADD COLUMN utc_offset_minutes INTEGER;

-- Lead-time overrides: a variant's own beat its product's, which beat its vendor's, which
-- beat the shop default (`settings.lead_time_days`). `key` is the vendor name or the
-- product / variant id as text. NULL columns inherit from the next level.
CREATE TABLE lead_times (
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    scope             TEXT NOT NULL CHECK (scope IN ('vendor', 'product', 'variant')),
    key               TEXT NOT NULL,
    lead_time_days    INTEGER,
    lead_time_sd_days REAL,
    target_cover_days INTEGER,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, scope, key)
) WITHOUT ROWID;
