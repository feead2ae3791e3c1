-- Overrides (issue 19): the lead-time overrides grow the merchant's stock levels — minimum
-- stock and the low, overstock and dead-stock thresholds — and a supplier level between
-- the vendor and the product. A variant's own value beats its product's, which beats its
-- supplier's, which beats its vendor's, which beats the shop's (`settings`), field by
-- field. `key`: the vendor's name, or the supplier's, product's or variant's id as text.
-- NULL columns inherit from the next level. The table is rebuilt because SQLite cannot
-- widen a CHECK; the rows keep their values.
CREATE TABLE overrides (
    shop_id           INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    scope             TEXT NOT NULL CHECK (scope IN ('vendor', 'supplier', 'product', 'variant')),
    key               TEXT NOT NULL,
    lead_time_days    INTEGER,
    lead_time_sd_days REAL,
    target_cover_days INTEGER,
    min_stock         INTEGER CHECK (min_stock >= 0),
    low_stock_days    INTEGER,
    overstock_days    INTEGER,
    dead_stock_days   INTEGER,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, scope, key)
) WITHOUT ROWID;

INSERT INTO overrides (shop_id, scope, key, lead_time_days, lead_time_sd_days, target_cover_days, updated_at)
SELECT shop_id, scope, key, lead_time_days, lead_time_sd_days, target_cover_days, updated_at FROM lead_times;

DROP TABLE lead_times;
