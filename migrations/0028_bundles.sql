-- Bundles and kits (issue 21, item 2): which variants a bundle is made of, and how many of
-- each. `shopify`: read from productVariantComponents (Shopify splits a sold bundle into its
-- components, so their sales hold its demand); `manual`: the merchant's list for other bundle
-- apps, whose bundle sales are added to its components' demand. A bundle raises no alerts.
CREATE TABLE bundle_components (
    shop_id              INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    bundle_variant_id    INTEGER NOT NULL,
    component_variant_id INTEGER NOT NULL CHECK (component_variant_id != bundle_variant_id),
    quantity             INTEGER NOT NULL CHECK (quantity > 0),
    source               TEXT NOT NULL CHECK (source IN ('shopify', 'manual')),
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (shop_id, bundle_variant_id, component_variant_id)
) WITHOUT ROWID;
-- Which bundles drive a component (its alerts name them; its history adds their sales).
CREATE INDEX bundle_components_by_component ON bundle_components (shop_id, component_variant_id);
