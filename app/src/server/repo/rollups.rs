//! Roll-ups (`domain::rollups`): variants, classes, stock and live alerts summed per vendor,
//! supplier or product type, in one read.

use crate::error::AppError;
use crate::server::d1::{all, int, text};
use domain::rollups::{Rollup, RollupBy};
use worker::D1Database;

/// ?1 shop, ?2 what to group by ("vendor", "supplier", "product_type"). The variants are
/// those that can run out (tracked, of an active or unlisted product, not a gift card);
/// stock counts watched, active locations only, as the alerts do; a variant's supplier is
/// its catalogue's, else its vendor's. Stock, classes and alerts are each summed per variant
/// first, so the join never multiplies them.
const ROLLUPS_SQL: &str = "
WITH inv AS (
  SELECT il.variant_id, SUM(MAX(il.available, 0)) AS units
  FROM inventory_levels il
  JOIN locations l ON l.shop_id = il.shop_id AND l.id = il.location_id AND l.active = 1 AND l.watched = 1
  WHERE il.shop_id = ?1 GROUP BY il.variant_id
), al AS (
  SELECT variant_id,
         SUM(kind = 'out_of_stock') AS out_of_stock,
         SUM(kind IN ('reorder_now', 'low_stock')) AS to_reorder,
         SUM(kind IN ('overstock', 'dead_stock')) AS excess,
         SUM(CASE WHEN kind = 'out_of_stock' THEN COALESCE(json_extract(explanation, '$.lost_revenue_per_day_cents'), 0) ELSE 0 END) AS lost,
         SUM(CASE WHEN kind IN ('overstock', 'dead_stock') THEN COALESCE(json_extract(explanation, '$.stock_value_cents'), 0) ELSE 0 END) AS excess_value
  FROM alerts WHERE shop_id = ?1 AND state IN ('open', 'acknowledged') AND json_valid(explanation)
  GROUP BY variant_id
)
SELECT CASE ?2 WHEN 'vendor' THEN p.vendor WHEN 'product_type' THEN p.product_type ELSE COALESCE(s.name, p.vendor) END AS name,
       COUNT(*) AS variants,
       SUM(COALESCE(vc.abc = 'A', 0)) AS class_a,
       CAST(SUM(COALESCE(vc.revenue_cents, 0)) AS INTEGER) AS revenue_cents,
       SUM(COALESCE(inv.units, 0)) AS on_hand,
       CAST(SUM(COALESCE(inv.units, 0) * COALESCE(v.cost_cents, 0)) AS INTEGER) AS stock_value_cents,
       SUM(COALESCE(al.out_of_stock, 0)) AS out_of_stock,
       SUM(COALESCE(al.to_reorder, 0)) AS to_reorder,
       SUM(COALESCE(al.excess, 0)) AS excess,
       CAST(ROUND(SUM(COALESCE(al.lost, 0))) AS INTEGER) AS lost_per_day_cents,
       CAST(ROUND(SUM(COALESCE(al.excess_value, 0))) AS INTEGER) AS excess_value_cents
FROM variants v
JOIN products p ON p.shop_id = v.shop_id AND p.id = v.product_id
LEFT JOIN supplier_items si ON si.shop_id = v.shop_id AND si.variant_id = v.id
LEFT JOIN supplier_vendors sv ON sv.shop_id = p.shop_id AND sv.vendor = p.vendor
LEFT JOIN suppliers s ON s.shop_id = v.shop_id AND s.id = COALESCE(si.supplier_id, sv.supplier_id)
LEFT JOIN variant_classes vc ON vc.shop_id = v.shop_id AND vc.variant_id = v.id
LEFT JOIN inv ON inv.variant_id = v.id
LEFT JOIN al ON al.variant_id = v.id
WHERE v.shop_id = ?1 AND v.tracked = 1 AND p.status IN ('active', 'unlisted') AND p.gift_card = 0
GROUP BY 1";

/// The shop's groups, unranked (`domain::rollups::ranked` orders them).
pub async fn list(db: &D1Database, shop_id: i64, by: RollupBy) -> Result<Vec<Rollup>, AppError> {
    all(db, ROLLUPS_SQL, &[int(shop_id), text(by.as_str())]).await
}
