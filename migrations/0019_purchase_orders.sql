-- Purchase orders (issue 19): created from the reorder list, one per supplier and
-- destination location, numbered per shop (PO-0001, …). Lines keep what was ordered as it
-- was ordered (titles, SKUs, costs), so a later catalogue change does not rewrite an order
-- the supplier already has. Status: draft → sent → partially_received → received, or
-- cancelled (`domain::purchasing::Status`).
CREATE TABLE purchase_orders (
    id           INTEGER PRIMARY KEY,
    shop_id      INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    -- NULL: a vendor without a supplier record (named in supplier_name).
    supplier_id  INTEGER REFERENCES suppliers(id) ON DELETE SET NULL,
    supplier_name TEXT NOT NULL,
    location_id  INTEGER NOT NULL,
    location_name TEXT NOT NULL,
    -- ISO 4217 of the amounts.
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'sent', 'partially_received', 'received', 'cancelled')),
    -- The day the supplier's delivery is expected (YYYY-MM-DD); NULL: not known yet.
    expected_on  TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    closed_at    TEXT,
    UNIQUE (shop_id, number)
);
CREATE INDEX purchase_orders_open ON purchase_orders (shop_id, status);

CREATE TABLE purchase_order_lines (
    shop_id         INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    order_id        INTEGER NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    variant_id      INTEGER NOT NULL,
    sku             TEXT NOT NULL DEFAULT '',
    supplier_sku    TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity >= 0),
    received        INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
    unit_cost_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, variant_id)
) WITHOUT ROWID;
CREATE INDEX purchase_order_lines_by_variant ON purchase_order_lines (shop_id, variant_id);

-- Mail attachments (a purchase order's PDF and CSV): JSON [{filename, content_type,
-- base64}], NULL for none.
ALTER TABLE outbox ADD COLUMN attachments TEXT;
