//! Inventory levels per variant and location, newest state wins.

use crate::error::AppError;
use crate::server::d1::{int, prepare, text};
use worker::{D1Database, D1PreparedStatement};

/// Sets `available` for the variant holding `inventory_item_id` at `location_id`, unless a
/// newer level is already stored. Also records the day's closing stock (and a stockout)
/// in the sales history, so velocity knows the variant could not be bought.
pub fn set_level(
    db: &D1Database,
    shop_id: i64,
    inventory_item_id: i64,
    location_id: i64,
    available: i64,
    updated_at_utc: &str,
    local_day: &str,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let variant = "(SELECT id FROM variants WHERE shop_id = ?1 AND inventory_item_id = ?2)";
    Ok(vec![
        prepare(
            db,
            &format!(
                "INSERT INTO inventory_levels (shop_id, variant_id, location_id, available, updated_at)
                 SELECT ?1, {variant}, ?3, ?4, ?5 WHERE {variant} IS NOT NULL
                 ON CONFLICT(shop_id, variant_id, location_id) DO UPDATE SET
                   available = excluded.available, updated_at = excluded.updated_at
                 WHERE excluded.updated_at >= inventory_levels.updated_at"
            ),
            &[int(shop_id), int(inventory_item_id), int(location_id), int(available), text(updated_at_utc)],
        )?,
        prepare(
            db,
            &format!(
                "INSERT INTO daily_sales (shop_id, variant_id, location_id, day, stock_end, out_of_stock)
                 SELECT ?1, {variant}, ?3, ?4, l.available, l.available <= 0
                 FROM inventory_levels l
                 WHERE l.shop_id = ?1 AND l.variant_id = {variant} AND l.location_id = ?3
                 ON CONFLICT(shop_id, variant_id, location_id, day) DO UPDATE SET
                   stock_end = excluded.stock_end, out_of_stock = excluded.out_of_stock"
            ),
            &[int(shop_id), int(inventory_item_id), int(location_id), text(local_day)],
        )?,
    ])
}
