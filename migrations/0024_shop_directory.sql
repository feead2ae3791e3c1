-- Shards (issue 20): shop data lives in one of several D1 databases, the bindings listed in
-- the SHARDS variable; the first (`DB`) also holds this directory of which shard has which
-- shop, and the tables no shop owns (job_runs, dead_letters, help_feedback,
-- support_requests). Every database gets every migration, so any shard can take any shop;
-- in a shard this table stays empty. Shops installed before sharding are on shard 0.
CREATE TABLE shop_directory (
    shop_id   INTEGER PRIMARY KEY,              -- Shopify's shop id, unique across shards
    domain    TEXT NOT NULL UNIQUE,
    shard     INTEGER NOT NULL CHECK (shard >= 0),
    variants  INTEGER NOT NULL DEFAULT 0,       -- the shop's size at its last sync: placement weighs it
    placed_at TEXT NOT NULL
);
CREATE INDEX shop_directory_shard ON shop_directory (shard);
INSERT INTO shop_directory (shop_id, domain, shard, variants, placed_at)
SELECT s.id, s.domain, 0, (SELECT COUNT(*) FROM variants v WHERE v.shop_id = s.id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM shops s;
