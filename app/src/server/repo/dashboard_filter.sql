-- The alerts the dashboard's filters select, for one shop. Shared by the count and the
-- page query. ?1 shop, ?2 JSON array of states, ?3 kind, ?4 location id, ?5 vendor,
-- ?6 product type, ?7 LIKE pattern for product title / variant title / SKU (escape \),
-- ?8 ABC class, ?9 XYZ class; a NULL parameter means no filter. `state != 'resolved'` lets SQLite use the partial
-- index alerts_live_by_urgency (migration 0009) to read a page in urgency order.
FROM alerts a
WHERE a.shop_id = ?1
  AND a.state != 'resolved'
  AND a.state IN (SELECT value FROM json_each(?2))
  AND (?3 IS NULL OR a.kind = ?3)
  AND (?4 IS NULL OR a.location_id = ?4)
  -- The product lookup runs only when a product filter is set.
  AND (?5 IS NULL AND ?6 IS NULL AND ?7 IS NULL OR EXISTS (
        SELECT 1 FROM variants v JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
        WHERE v.shop_id = a.shop_id AND v.id = a.variant_id
          AND (?5 IS NULL OR p.vendor = ?5)
          AND (?6 IS NULL OR p.product_type = ?6)
          AND (?7 IS NULL OR p.title LIKE ?7 ESCAPE '\' OR v.title LIKE ?7 ESCAPE '\' OR v.sku LIKE ?7 ESCAPE '\')))
  AND (?8 IS NULL AND ?9 IS NULL OR EXISTS (
        SELECT 1 FROM variant_classes c WHERE c.shop_id = a.shop_id AND c.variant_id = a.variant_id
          AND (?8 IS NULL OR c.abc = ?8) AND (?9 IS NULL OR c.xyz = ?9)))
