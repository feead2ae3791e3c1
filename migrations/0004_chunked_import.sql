-- The orders import reads Shopify's export in byte ranges, one queue message per range,
-- so no invocation holds the whole file. Each range's totals are staged under (run, part)
-- — a retried range replaces its own rows — and merged into daily_sales at the end.
CREATE TABLE import_sales (
    run_id         INTEGER NOT NULL,
    part           INTEGER NOT NULL,
    variant_id     INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    day            TEXT NOT NULL,
    units_sold     INTEGER NOT NULL,
    units_returned INTEGER NOT NULL,
    PRIMARY KEY (run_id, part, variant_id, location_id, day)
) WITHOUT ROWID;

ALTER TABLE sync_runs ADD COLUMN result_url TEXT;
ALTER TABLE sync_runs ADD COLUMN bytes_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_runs ADD COLUMN bytes_total INTEGER;
