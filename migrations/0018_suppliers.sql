-- Suppliers (issue 19): who the shop buys from and on what terms. Each vendor gets a
-- supplier of its own name the first time the shop's suppliers are read (as Stocky grouped
-- vendors into suppliers); the merchant renames, merges by catalogue, and fills in details.
CREATE TABLE suppliers (
    id              INTEGER PRIMARY KEY,
    shop_id         INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    -- ISO 4217; NULL: the shop's currency.
    currency        TEXT,
    -- The smallest order the supplier takes, in hundredths of its currency (0: none).
    min_order_cents INTEGER NOT NULL DEFAULT 0 CHECK (min_order_cents >= 0),
    notes           TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX suppliers_by_name ON suppliers (shop_id, name COLLATE NOCASE);

-- The supplier a vendor's variants are ordered from unless the catalogue says otherwise.
CREATE TABLE supplier_vendors (
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    vendor      TEXT NOT NULL,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    PRIMARY KEY (shop_id, vendor)
) WITHOUT ROWID;

-- The supplier catalogue: per variant, the one supplier it is ordered from, under the
-- supplier's SKU, at its unit cost (hundredths of the supplier's currency; NULL: not
-- given), in its minimum order quantity and case pack (both at least 1).
CREATE TABLE supplier_items (
    shop_id         INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    variant_id      INTEGER NOT NULL,
    supplier_id     INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    supplier_sku    TEXT NOT NULL DEFAULT '',
    unit_cost_cents INTEGER CHECK (unit_cost_cents >= 0),
    moq             INTEGER NOT NULL DEFAULT 1 CHECK (moq >= 1),
    case_pack       INTEGER NOT NULL DEFAULT 1 CHECK (case_pack >= 1),
    PRIMARY KEY (shop_id, variant_id)
) WITHOUT ROWID;
CREATE INDEX supplier_items_by_supplier ON supplier_items (shop_id, supplier_id);
