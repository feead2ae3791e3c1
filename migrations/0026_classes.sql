-- ABC and XYZ classes (issue 21), one row per variant, written by the weekly refit (and
-- after a full import): ABC from revenue over the last year at the variant's price, XYZ
-- from the variability of its weekly sales in the weeks it was in stock.
CREATE TABLE variant_classes (
    shop_id       INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id    INTEGER NOT NULL,
    abc           TEXT NOT NULL CHECK (abc IN ('A', 'B', 'C')),
    xyz           TEXT CHECK (xyz IN ('X', 'Y', 'Z')),   -- NULL: under 8 in-stock weeks or no sales
    units         INTEGER NOT NULL,                        -- sold over the last 364 days
    revenue_cents INTEGER NOT NULL,
    weekly_cv     REAL,
    classified_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, variant_id)
) WITHOUT ROWID;

-- The service level the safety stock aims for, per class: `service_level_pct` stays the
-- B level (and that of variants not classed yet), so a shop's saved level keeps its meaning.
ALTER TABLE settings ADD COLUMN service_level_a_pct REAL NOT NULL DEFAULT 98.0;
ALTER TABLE settings ADD COLUMN service_level_c_pct REAL NOT NULL DEFAULT 90.0;
