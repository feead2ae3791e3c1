-- Stock on its way in Shopify with a date (issue 19): units of open inventory transfers
-- (which Shopify's own purchase orders receive through) shipped and expected on a day,
-- per variant and location, replaced whole by each sync. Undated units are already in
-- `inventory_levels.incoming`; these rows only say when the dated ones land.
CREATE TABLE shopify_incoming (
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    -- YYYY-MM-DD in the shop's time zone (the shipment's `tracking.arrivesAt`).
    arrives_on  TEXT NOT NULL,
    units       INTEGER NOT NULL CHECK (units > 0),
    PRIMARY KEY (shop_id, variant_id, location_id, arrives_on)
) WITHOUT ROWID;
