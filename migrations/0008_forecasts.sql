-- The engine's outputs kept between runs.
-- seasonal_patterns was never written before this migration: it is reshaped to one row per
-- variant (0: the whole shop) holding the arrays the Sunday refit produces, instead of one
-- row per factor — 10,000 rows a week for a 10,000-variant shop, not 600,000.
DROP TABLE seasonal_patterns;
CREATE TABLE seasonal_patterns (
    shop_id       INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id    INTEGER NOT NULL,             -- 0: the shop-wide pattern
    day_of_week   TEXT NOT NULL,                -- JSON [7], Monday first, mean 1
    week_of_year  TEXT,                         -- JSON [52], ISO week 1 first; NULL under a year
    yearly_factor REAL NOT NULL,                -- coming four weeks vs a year ago; 1 = no change
    history_days  INTEGER NOT NULL,
    fitted_at     TEXT NOT NULL,
    PRIMARY KEY (shop_id, variant_id)
) WITHOUT ROWID;

-- Velocity data: one row per variant x location x shop-local day the engine ran, with the
-- forecast it made and its backtest error (MASE over the last 28 days). The latest row is
-- what the variant page shows; the rows before it chart velocity over time. Kept 90 days.
CREATE TABLE forecasts (
    shop_id        INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id     INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    day            TEXT NOT NULL,
    velocity       REAL NOT NULL,               -- forecast units/day
    sigma_daily    REAL NOT NULL,
    on_hand        INTEGER NOT NULL,
    days_of_cover  REAL,                        -- NULL: not selling
    safety_stock   REAL NOT NULL,
    reorder_point  REAL NOT NULL,
    pattern        TEXT NOT NULL,
    method         TEXT NOT NULL,
    mase           REAL,                        -- NULL: too little history to score
    naive_mase     REAL,                        -- the 30-day average's MASE, for comparison
    scored_days    INTEGER NOT NULL DEFAULT 0,
    computed_at    TEXT NOT NULL,
    PRIMARY KEY (shop_id, variant_id, location_id, day)
) WITHOUT ROWID;
-- Retention deletes by day.
CREATE INDEX forecasts_by_day ON forecasts (shop_id, day);
