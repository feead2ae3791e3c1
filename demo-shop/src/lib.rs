//! A demo shop: products, variants and locations, and a year of daily sales simulated
//! against a replenishment policy, so the history has what real shops have — weekly and
//! yearly seasonality, trends, slow movers, stockouts, overstock and dead stock.
//! Everything follows from `(seed, end day)`: the same inputs give the same shop.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Poisson, StandardNormal};

/// As much history as the app imports at install (`domain::jobs::full_history_days`).
pub const HISTORY_DAYS: u32 = 420;

#[derive(Debug, Clone, PartialEq)]
pub struct Shop {
    pub id: i64,
    pub domain: String,
    pub name: String,
    pub currency: String,
    pub timezone: String,
    pub locations: Vec<Location>,
    pub products: Vec<Product>,
    pub variants: Vec<Variant>,
    pub levels: Vec<InventoryLevel>,
    pub sales: Vec<DailySales>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub id: i64,
    pub name: String,
    /// Share of the warehouse's demand this location sees.
    pub demand_share: f64,
    /// Share of the catalogue it stocks.
    pub assortment: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: i64,
    pub title: String,
    pub vendor: String,
    pub product_type: String,
    /// `Product.createdAt`.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub id: i64,
    pub product_id: i64,
    pub inventory_item_id: i64,
    pub title: String,
    pub sku: String,
    pub price_cents: i64,
    pub cost_cents: i64,
    /// `ProductVariant.createdAt` (with its product, in the demo).
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InventoryLevel {
    pub variant_id: i64,
    pub location_id: i64,
    pub available: i64,
    pub incoming: i64,
}

/// A day with a sale, a return or a stockout (quiet in-stock days are not stored).
#[derive(Debug, Clone, PartialEq)]
pub struct DailySales {
    pub variant_id: i64,
    pub location_id: i64,
    pub day: NaiveDate,
    pub units_sold: i64,
    pub units_returned: i64,
    pub stock_end: i64,
    pub out_of_stock: bool,
}

const VENDORS: [&str; 5] = ["Northwind Outfitters", "Alpine Thread Co.", "Coastline Goods", "Harbor & Pine", "Summit Supply"];
const COLOURS: [&str; 8] = ["Black", "Navy", "Forest", "Sand", "Rust", "Slate", "Cream", "Olive"];
const SIZES: [&str; 5] = ["S", "M", "L", "XL", "XXL"];

struct ProductType {
    name: &'static str,
    price_cents: (i64, i64),
    sized: bool,
    /// Monday..Sunday demand multipliers.
    weekly: [f64; 7],
}

const TYPES: [ProductType; 8] = [
    ProductType { name: "T-Shirt", price_cents: (1800, 3200), sized: true, weekly: [0.85, 0.85, 0.9, 0.95, 1.1, 1.3, 1.05] },
    ProductType { name: "Hoodie", price_cents: (4500, 7900), sized: true, weekly: [0.8, 0.85, 0.9, 0.95, 1.1, 1.35, 1.05] },
    ProductType { name: "Beanie", price_cents: (1500, 2800), sized: false, weekly: [0.9, 0.9, 0.95, 1.0, 1.05, 1.15, 1.05] },
    ProductType { name: "Socks", price_cents: (900, 1600), sized: true, weekly: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0] },
    ProductType { name: "Water Bottle", price_cents: (2200, 3900), sized: false, weekly: [1.1, 1.05, 1.0, 1.0, 0.95, 0.95, 0.95] },
    ProductType { name: "Backpack", price_cents: (6900, 14900), sized: false, weekly: [1.15, 1.1, 1.0, 1.0, 0.95, 0.9, 0.9] },
    ProductType { name: "Cap", price_cents: (1900, 3400), sized: false, weekly: [0.85, 0.9, 0.9, 1.0, 1.1, 1.25, 1.0] },
    ProductType { name: "Rain Jacket", price_cents: (8900, 17900), sized: true, weekly: [0.9, 0.9, 0.95, 1.0, 1.05, 1.2, 1.0] },
];
const NOUNS: [&str; 12] = ["Trail", "Harbor", "Ridge", "Cove", "Summit", "Drift", "Pine", "Canyon", "Meadow", "Tide", "Basin", "Fjord"];

/// How a variant is managed at a location — the source of the alerts a merchant will see.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Policy {
    /// Reorders on time.
    Careful,
    /// Often late to reorder: recurring stockouts.
    Careless,
    /// Bought far too much once and never again.
    Overbought,
    /// Demand died months ago; stock remains.
    Discontinued,
}

/// The demo shop's size: 140 products (528 variants) over three locations.
pub const DEMO_PRODUCTS: usize = 140;

/// Generates the demo shop with history ending on `end` (inclusive).
pub fn generate(seed: u64, end: NaiveDate) -> Shop {
    generate_sized(seed, end, DEMO_PRODUCTS, HISTORY_DAYS)
}

/// A shop of `products` products (≈3.8 variants each) with `history_days` of sales — the
/// demo's generator at another size, for benchmarks.
pub fn generate_sized(seed: u64, end: NaiveDate, product_count: usize, history_days: u32) -> Shop {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shop_id = 60_000_000_000 + (seed % 1_000) as i64;
    let locations = vec![
        Location { id: 70_000_000_001, name: "Main Warehouse".into(), demand_share: 1.0, assortment: 1.0 },
        Location { id: 70_000_000_002, name: "Downtown Store".into(), demand_share: 0.45, assortment: 0.7 },
        Location { id: 70_000_000_003, name: "Airport Kiosk".into(), demand_share: 0.2, assortment: 0.35 },
    ];

    let start = end.checked_sub_days(Days::new(u64::from(history_days.max(1)) - 1)).unwrap_or(end);
    let mut products = Vec::new();
    let mut variants = Vec::new();
    let mut next_variant = 45_000_000_000_000_i64;
    for n in 0..product_count {
        let ty = &TYPES[n % TYPES.len()];
        let product_id = 8_000_000_000_000 + n as i64;
        let title = format!("{} {} {}", NOUNS[(n / TYPES.len()) % NOUNS.len()], COLOURS[n % COLOURS.len()], ty.name);
        let vendor = VENDORS[rng.random_range(0..VENDORS.len())].to_string();
        // Every demo product was created before its history starts (up to four months).
        let created = start.checked_sub_days(Days::new((n as u64 * 37) % 120 + 1)).unwrap_or(start);
        let created_at = created.and_hms_opt(9, 30, 0).unwrap_or_default().and_utc();
        products.push(Product { id: product_id, title, vendor, product_type: ty.name.into(), created_at });
        let price = rng.random_range(ty.price_cents.0..=ty.price_cents.1) / 100 * 100 - 1;
        let options: Vec<String> = if ty.sized {
            SIZES.iter().map(|s| s.to_string()).collect()
        } else {
            let k = rng.random_range(2..=3);
            (0..k).map(|i| COLOURS[(n + i * 3) % COLOURS.len()].to_string()).collect()
        };
        for opt in options {
            next_variant += 1;
            variants.push(Variant {
                id: next_variant,
                product_id,
                inventory_item_id: next_variant + 1_000_000_000_000,
                sku: format!("{}-{:03}-{}", &ty.name[..3].to_uppercase(), n, opt.to_uppercase()),
                title: opt,
                price_cents: price,
                cost_cents: price * rng.random_range(35..=55) / 100,
                created_at,
            });
        }
    }

    let mut levels = Vec::new();
    let mut sales = Vec::new();
    for v in &variants {
        // Every variant was made for a product of a known type, above.
        let Some(product) = products.iter().find(|p| p.id == v.product_id) else { continue };
        let Some(ty) = TYPES.iter().find(|t| t.name == product.product_type) else { continue };
        // Popularity ~ log-normal(-0.6, 1): a few best sellers, a long tail.
        let z: f64 = rng.sample(StandardNormal);
        let base: f64 = f64::min((-0.6 + z).exp(), 25.0);
        let trend: f64 = rng.random_range(-0.6..0.9);
        for loc in &locations {
            if loc.assortment < 1.0 && !rng.random_bool(loc.assortment) {
                continue;
            }
            let policy = match rng.random_range(0..100) {
                0..=11 => Policy::Careless,
                12..=16 => Policy::Overbought,
                17..=19 => Policy::Discontinued,
                _ => Policy::Careful,
            };
            let lead_time: u64 = rng.random_range(3..=21);
            let sim = Simulation { base: base * loc.demand_share, trend, weekly: ty.weekly, policy, lead_time };
            let (level, days) = sim.run(&mut rng, v.id, loc.id, start, end);
            levels.push(level);
            sales.extend(days);
        }
    }

    Shop {
        id: shop_id,
        domain: "demo-outfitters.myshopify.com".into(),
        name: "Demo Outfitters".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        locations,
        products,
        variants,
        levels,
        sales,
    }
}

struct Simulation {
    base: f64,
    trend: f64,
    weekly: [f64; 7],
    policy: Policy,
    lead_time: u64,
}

impl Simulation {
    /// Expected demand on day `t` (0 = first day of history).
    fn rate(&self, t: u32, day: NaiveDate) -> f64 {
        let progress = f64::from(t) / f64::from(HISTORY_DAYS);
        let trend = (1.0 + self.trend * (progress - 0.5)).max(0.05);
        // Yearly peak in mid-December, trough in June.
        let doy = f64::from(day.ordinal());
        let yearly = 1.0 + 0.35 * (2.0 * std::f64::consts::PI * (doy - 350.0) / 365.0).cos();
        let weekly = self.weekly[day.weekday().num_days_from_monday() as usize];
        let alive = match self.policy {
            Policy::Discontinued if t > HISTORY_DAYS - 150 => 0.0,
            _ => 1.0,
        };
        self.base * trend * yearly * weekly * alive
    }

    fn run(
        &self,
        rng: &mut ChaCha8Rng,
        variant_id: i64,
        location_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> (InventoryLevel, Vec<DailySales>) {
        let cover_days = rng.random_range(25.0..60.0);
        let reorder_at = self.base * (self.lead_time as f64 + 7.0) * rng.random_range(0.8..1.4);
        let order_qty = (self.base * rng.random_range(30.0..70.0)).ceil().max(4.0) as i64;
        let mut stock = match self.policy {
            Policy::Overbought => (self.base * rng.random_range(500.0..900.0)).ceil() as i64 + 40,
            Policy::Discontinued => (self.base * 200.0).ceil() as i64 + 25,
            _ => (self.base * cover_days).ceil() as i64 + 3,
        };
        let mut pending: Option<(NaiveDate, i64)> = None;
        let mut days = Vec::new();
        let mut day = start;
        let mut t = 0;
        while day <= end {
            if let Some((arrives, qty)) = pending {
                if arrives == day {
                    stock += qty;
                    pending = None;
                }
            }
            let rate = self.rate(t, day);
            let demand = if rate > 0.0 { Poisson::new(rate).map(|p| p.sample(rng) as i64).unwrap_or(0) } else { 0 };
            let sold = demand.min(stock);
            stock -= sold;
            let returned = if sold > 0 { Binomial::new(sold as u64, 0.03).map(|b| b.sample(rng) as i64).unwrap_or(0) } else { 0 };
            stock += returned;
            if sold > 0 || returned > 0 || stock == 0 {
                days.push(DailySales {
                    variant_id,
                    location_id,
                    day,
                    units_sold: sold,
                    units_returned: returned,
                    stock_end: stock,
                    out_of_stock: stock == 0,
                });
            }
            let reorders = match self.policy {
                Policy::Careful => true,
                Policy::Careless => rng.random_bool(0.08),
                Policy::Overbought | Policy::Discontinued => false,
            };
            if reorders && pending.is_none() && (stock as f64) <= reorder_at {
                let arrives = day.checked_add_days(Days::new(self.lead_time)).unwrap_or(day);
                pending = Some((arrives, order_qty));
            }
            t += 1;
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        let incoming = pending.map_or(0, |(_, q)| q);
        (InventoryLevel { variant_id, location_id, available: stock, incoming }, days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn same_seed_same_shop() {
        assert_eq!(generate(42, end()), generate(42, end()));
        assert_ne!(generate(42, end()).sales, generate(43, end()).sales);
    }

    #[test]
    fn shop_is_big_enough_to_be_realistic() {
        let shop = generate(42, end());
        assert!(shop.variants.len() >= 500, "{} variants", shop.variants.len());
        assert!(shop.locations.len() >= 3);
        let first = shop.sales.iter().map(|s| s.day).min().unwrap();
        let last = shop.sales.iter().map(|s| s.day).max().unwrap();
        assert_eq!((last - first).num_days() + 1, i64::from(HISTORY_DAYS));
        assert_eq!(last, end());
        // Every stocked variant/location has exactly one inventory level.
        let mut keys: Vec<_> = shop.levels.iter().map(|l| (l.variant_id, l.location_id)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), shop.levels.len());
    }

    #[test]
    fn saturdays_outsell_mondays() {
        let shop = generate(42, end());
        let units = |wd: chrono::Weekday| -> i64 { shop.sales.iter().filter(|s| s.day.weekday() == wd).map(|s| s.units_sold).sum() };
        let (sat, mon) = (units(chrono::Weekday::Sat), units(chrono::Weekday::Mon));
        assert!(sat as f64 > mon as f64 * 1.1, "saturday {sat} vs monday {mon}");
    }

    #[test]
    fn history_has_stockouts_and_returns() {
        let shop = generate(42, end());
        assert!(shop.sales.iter().filter(|s| s.out_of_stock).count() > 1_000);
        assert!(shop.sales.iter().any(|s| s.units_returned > 0));
        let stock_no_sale = shop.levels.iter().filter(|l| l.available > 0).count();
        assert!(stock_no_sale > 0);
    }
}
