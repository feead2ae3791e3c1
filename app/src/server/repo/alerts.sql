-- The engine's inputs for one shop (optionally only some variants): every watched stock
-- level (at a watched location) with its variant's price and cost, the names a purchase order needs, and the
-- variant's stored yearly factor, weekday indices and long-run demand here. ?1 shop, ?2 JSON array of variant ids or NULL.
-- Incoming is Shopify's (its purchase orders and transfers) plus what the shop's sent
-- purchase orders here still await, so the reorder list never suggests it again.
SELECT il.variant_id, v.product_id, il.location_id, il.available AS on_hand, il.incoming + COALESCE(po.units, 0) AS incoming,
       v.price_cents, COALESCE(v.cost_cents, 0) AS cost_cents,
       p.vendor, v.sku, p.title AS product_title, v.title AS variant_title, l.name AS location_name,
       sp.yearly_factor, sp.day_of_week, json_extract(sp.long_run, '$."' || il.location_id || '"') AS long_run, p.product_type,
       /* first_day */ AS first_day, /* created_at */ AS created_at,
       -- What can run out: tracked stock of an active (or unlisted: sold by direct link)
       -- product that is not a gift card.
       -- A bundle's stock is its components' (Shopify derives it): it never alerts itself.
       (v.tracked = 1 AND p.status IN ('active', 'unlisted') AND p.gift_card = 0
        AND NOT EXISTS (SELECT 1 FROM bundle_components bc WHERE bc.shop_id = il.shop_id AND bc.bundle_variant_id = il.variant_id)) AS alertable,
       arr.expected_on AS arrival_on, arr.units AS arrival_units,
       -- Its supplier, for the merchant's supplier-level overrides: the catalogue's, else
       -- its vendor's.
       COALESCE(si.supplier_id, sv.supplier_id) AS supplier_id,
       -- Its ABC class from the weekly refit, which sets its service level, and its XYZ.
       vc.abc, vc.xyz
FROM inventory_levels il
JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1 AND l.watched = 1
LEFT JOIN supplier_items si ON si.shop_id = il.shop_id AND si.variant_id = il.variant_id
LEFT JOIN supplier_vendors sv ON sv.shop_id = p.shop_id AND sv.vendor = p.vendor
-- The Sunday refit's yearly factor, weekday indices and this location's long-run slow-mover
-- demand: the nightly window is too short to measure the first and sees fewer weeks and
-- sales for the others.
LEFT JOIN seasonal_patterns sp ON sp.shop_id = il.shop_id AND sp.variant_id = il.variant_id
LEFT JOIN variant_classes vc ON vc.shop_id = il.shop_id AND vc.variant_id = il.variant_id
LEFT JOIN (SELECT pl.variant_id, o.location_id, SUM(MAX(pl.quantity - pl.received, 0)) AS units
           FROM purchase_orders o JOIN purchase_order_lines pl ON pl.order_id = o.id
           WHERE o.shop_id = ?1 AND o.status IN ('sent', 'partially_received')
           GROUP BY pl.variant_id, o.location_id) po ON po.variant_id = il.variant_id AND po.location_id = il.location_id
-- The earliest dated delivery still awaited here, for the stock-gap check: the shop's sent
-- purchase orders with an expected day, and Shopify's shipments with an arrival day.
LEFT JOIN (SELECT variant_id, location_id, expected_on, units FROM (
             SELECT variant_id, location_id, expected_on, SUM(units) AS units,
                    ROW_NUMBER() OVER (PARTITION BY variant_id, location_id ORDER BY expected_on) AS nth
             FROM (SELECT pl.variant_id, o.location_id, o.expected_on, MAX(pl.quantity - pl.received, 0) AS units
                   FROM purchase_orders o JOIN purchase_order_lines pl ON pl.order_id = o.id
                   WHERE o.shop_id = ?1 AND o.status IN ('sent', 'partially_received') AND o.expected_on IS NOT NULL
                   UNION ALL
                   SELECT variant_id, location_id, arrives_on, units FROM shopify_incoming WHERE shop_id = ?1)
             GROUP BY variant_id, location_id, expected_on HAVING units > 0)
           WHERE nth = 1) arr ON arr.variant_id = il.variant_id AND arr.location_id = il.location_id
WHERE il.shop_id = ?1
  AND (?2 IS NULL OR il.variant_id IN (SELECT value FROM json_each(?2)))
ORDER BY il.variant_id, il.location_id
