-- Every watched variant x location with its stock and its recent sales, in one query.
-- ?1 shop, ?2 first day of the velocity window, ?3 first day of the dead-stock lookback.
SELECT il.variant_id, il.location_id,
       p.title AS product_title, v.title AS variant_title, v.sku, l.name AS location_name,
       v.price_cents, il.available AS on_hand, il.incoming,
       COALESCE(w.units_sold, 0) AS units_sold,
       COALESCE(w.stockout_days, 0) AS stockout_days,
       w.last_sale_day
FROM inventory_levels il
JOIN variants v ON v.shop_id = il.shop_id AND v.id = il.variant_id
JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1
LEFT JOIN (
    SELECT variant_id, location_id,
           SUM(CASE WHEN day >= ?2 THEN units_sold - units_returned ELSE 0 END) AS units_sold,
           SUM(CASE WHEN day >= ?2 AND out_of_stock = 1 THEN 1 ELSE 0 END) AS stockout_days,
           MAX(CASE WHEN units_sold > 0 THEN day END) AS last_sale_day
    FROM daily_sales
    WHERE shop_id = ?1 AND day >= ?3
    GROUP BY variant_id, location_id
) w ON w.variant_id = il.variant_id AND w.location_id = il.location_id
WHERE il.shop_id = ?1
