//! Writes a generated shop as SQL for `wrangler d1 execute --file`, replacing whatever the
//! database held for that shop (so seeding twice gives the same state).

use crate::catalog::Shop;
use std::fmt::Write;

/// Rows per INSERT: large enough to load fast, small enough for D1's statement limits.
const ROWS_PER_INSERT: usize = 400;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn inserts(out: &mut String, table: &str, columns: &str, rows: impl Iterator<Item = String>) {
    let rows: Vec<String> = rows.collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let _ = writeln!(out, "INSERT INTO {table} ({columns}) VALUES\n{};", chunk.join(",\n"));
    }
}

pub fn to_sql(shop: &Shop, updated_at: &str) -> String {
    let mut out = String::with_capacity(16 << 20);
    let id = shop.id;
    // Children first; settings are kept if the merchant already changed them.
    for table in ["daily_sales", "inventory_levels", "variants", "products", "locations", "alerts", "seasonal_patterns"] {
        let _ = writeln!(out, "DELETE FROM {table} WHERE shop_id = {id};");
    }
    let _ = writeln!(
        out,
        "INSERT INTO shops (id, domain, name, currency, timezone) VALUES ({id}, {}, {}, {}, {}) \
         ON CONFLICT(id) DO UPDATE SET domain = excluded.domain, name = excluded.name, uninstalled_at = NULL;",
        quote(&shop.domain),
        quote(&shop.name),
        quote(&shop.currency),
        quote(&shop.timezone)
    );
    let _ = writeln!(out, "INSERT INTO settings (shop_id) VALUES ({id}) ON CONFLICT(shop_id) DO NOTHING;");
    let ts = quote(updated_at);
    inserts(&mut out, "locations", "shop_id, id, name", shop.locations.iter().map(|l| format!("({id},{},{})", l.id, quote(&l.name))));
    inserts(
        &mut out,
        "products",
        "shop_id, id, title, vendor, product_type, created_at, updated_at",
        shop.products.iter().map(|p| {
            let created = quote(&p.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            format!("({id},{},{},{},{},{created},{ts})", p.id, quote(&p.title), quote(&p.vendor), quote(&p.product_type))
        }),
    );
    inserts(
        &mut out,
        "variants",
        "shop_id, id, product_id, title, sku, price_cents, cost_cents, inventory_item_id, created_at, updated_at",
        shop.variants.iter().map(|v| {
            format!(
                "({id},{},{},{},{},{},{},{},{},{ts})",
                v.id,
                v.product_id,
                quote(&v.title),
                quote(&v.sku),
                v.price_cents,
                v.cost_cents,
                v.inventory_item_id,
                quote(&v.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            )
        }),
    );
    inserts(
        &mut out,
        "inventory_levels",
        "shop_id, variant_id, location_id, available, incoming, updated_at",
        shop.levels.iter().map(|l| format!("({id},{},{},{},{},{ts})", l.variant_id, l.location_id, l.available, l.incoming)),
    );
    inserts(
        &mut out,
        "daily_sales",
        "shop_id, variant_id, location_id, day, units_sold, units_returned, stock_end, out_of_stock",
        shop.sales.iter().map(|s| {
            format!(
                "({id},{},{},'{}',{},{},{},{})",
                s.variant_id,
                s.location_id,
                s.day.format("%Y-%m-%d"),
                s.units_sold,
                s.units_returned,
                s.stock_end,
                u8::from(s.out_of_stock)
            )
        }),
    );
    out
}

/// The shop's row in the shard directory (migration 0024): seeded data sits on `shard`.
/// The directory lives in the first database (`DB`), so this line goes there.
pub fn directory_sql(shop: &Shop, shard: usize, placed_at: &str) -> String {
    format!(
        "INSERT INTO shop_directory (shop_id, domain, shard, variants, placed_at) VALUES ({}, {}, {shard}, {}, {}) \
         ON CONFLICT(shop_id) DO UPDATE SET domain = excluded.domain, shard = excluded.shard, variants = excluded.variants;\n",
        shop.id,
        quote(&shop.domain),
        shop.variants.len(),
        quote(placed_at)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::generate;
    use chrono::NaiveDate;

    #[test]
    fn sql_replaces_the_shop_and_quotes_names() {
        let shop = generate(7, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        let sql = to_sql(&shop, "2026-11-25T00:00:00Z");
        assert!(sql.starts_with(&format!("DELETE FROM daily_sales WHERE shop_id = {};", shop.id)));
        assert!(sql.contains("'Harbor & Pine'") || sql.contains("'Northwind Outfitters'"));
        let rows = sql.matches("),\n(").count() + sql.matches("INSERT INTO").count();
        assert!(rows > shop.sales.len(), "every row written");
        assert_eq!(quote("O'Neill"), "'O''Neill'");
    }
}
