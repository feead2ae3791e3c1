-- What can run out, and sales that left again (issue 16):
-- * `variants.tracked`: Shopify counts the item's stock (InventoryItem.tracked); untracked
--   items never raise alerts. `products.gift_card`: gift cards never do either.
--   (`products.status` exists since 0001: only active products alert.)
-- * Cancellations and refunds applied exactly once: `orders_seen` remembers the order's
--   shop-local day and location (where a refund is taken off) and whether its cancellation
--   was applied; `refunds_seen` holds every refund id applied.
ALTER TABLE variants ADD COLUMN tracked INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN gift_card INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders_seen ADD COLUMN day TEXT;
ALTER TABLE orders_seen ADD COLUMN location_id INTEGER;
ALTER TABLE orders_seen ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
CREATE TABLE refunds_seen (
    shop_id   INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    refund_id INTEGER NOT NULL,
    order_id  INTEGER NOT NULL,
    PRIMARY KEY (shop_id, refund_id)
) WITHOUT ROWID;
