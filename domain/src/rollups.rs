//! Roll-ups: the shop's stock, revenue and risks summed per vendor, supplier or product
//! type, so a merchant sees which lines carry the money (and the trouble) before reading
//! alerts one at a time.

use serde::{Deserialize, Serialize};

/// What the roll-up groups variants by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RollupBy {
    #[default]
    Vendor,
    /// The supplier a variant is ordered from: its catalogue's, else its vendor's.
    Supplier,
    ProductType,
}

impl RollupBy {
    pub const ALL: [Self; 3] = [Self::Vendor, Self::Supplier, Self::ProductType];

    /// The URL's and the CSV file name's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vendor => "vendor",
            Self::Supplier => "supplier",
            Self::ProductType => "product_type",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Vendor => "Vendor",
            Self::Supplier => "Supplier",
            Self::ProductType => "Product type",
        }
    }

    /// An unknown or missing word is the default (vendor): a roll-up link never fails.
    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|b| b.as_str() == s.trim()).unwrap_or_default()
    }
}

/// One group's sums. Money is in the shop's currency's hundredths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    /// The vendor, supplier or product type; `""`: variants without one.
    pub name: String,
    /// Tracked variants of active products.
    pub variants: i64,
    /// Of those, in class A (the refit's year of revenue).
    pub class_a: i64,
    /// Revenue over the last 364 days, as the refit classed it (0 before the first refit).
    pub revenue_cents: i64,
    /// Units on hand at active locations, and their value at cost.
    pub on_hand: i64,
    pub stock_value_cents: i64,
    /// Live alerts: out of stock; reorder now or low; overstock or dead stock.
    pub out_of_stock: i64,
    pub to_reorder: i64,
    pub excess: i64,
    /// Revenue lost per day while out of stock.
    pub lost_per_day_cents: i64,
    /// Stock value held in overstock and dead stock.
    pub excess_value_cents: i64,
}

impl Rollup {
    /// What the group shows as its name ("No vendor" for the empty one).
    pub fn display_name(&self, by: RollupBy) -> String {
        if self.name.is_empty() {
            format!("No {}", by.label().to_lowercase())
        } else {
            self.name.clone()
        }
    }

    /// Every group added up: the table's last row.
    pub fn total(groups: &[Rollup]) -> Rollup {
        groups.iter().fold(Rollup { name: "All".into(), ..Rollup::default() }, |t, g| Rollup {
            name: t.name,
            variants: t.variants.saturating_add(g.variants),
            class_a: t.class_a.saturating_add(g.class_a),
            revenue_cents: t.revenue_cents.saturating_add(g.revenue_cents),
            on_hand: t.on_hand.saturating_add(g.on_hand),
            stock_value_cents: t.stock_value_cents.saturating_add(g.stock_value_cents),
            out_of_stock: t.out_of_stock.saturating_add(g.out_of_stock),
            to_reorder: t.to_reorder.saturating_add(g.to_reorder),
            excess: t.excess.saturating_add(g.excess),
            lost_per_day_cents: t.lost_per_day_cents.saturating_add(g.lost_per_day_cents),
            excess_value_cents: t.excess_value_cents.saturating_add(g.excess_value_cents),
        })
    }

    /// This group's share of `total`'s revenue, 0..=1 (0 when the shop has none yet).
    pub fn revenue_share(&self, total: &Rollup) -> f64 {
        if total.revenue_cents > 0 {
            (self.revenue_cents.max(0) as f64 / total.revenue_cents as f64).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// Groups in the order the page lists them: most revenue first, then most money at stake
/// (lost per day, then excess value), then by name, so a shop without revenue yet still
/// sees its trouble first.
pub fn ranked(mut groups: Vec<Rollup>) -> Vec<Rollup> {
    groups.sort_by(|a, b| {
        b.revenue_cents
            .cmp(&a.revenue_cents)
            .then(b.lost_per_day_cents.cmp(&a.lost_per_day_cents))
            .then(b.excess_value_cents.cmp(&a.excess_value_cents))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, revenue: i64, lost: i64) -> Rollup {
        Rollup { name: name.into(), variants: 2, revenue_cents: revenue, lost_per_day_cents: lost, ..Rollup::default() }
    }

    #[test]
    fn parses_its_words_and_falls_back_to_vendor() {
        for by in RollupBy::ALL {
            assert_eq!(RollupBy::parse(by.as_str()), by);
        }
        assert_eq!(RollupBy::parse("colour"), RollupBy::Vendor);
        assert_eq!(RollupBy::parse(""), RollupBy::Vendor);
    }

    #[test]
    fn ranks_by_revenue_then_money_at_stake_then_name() {
        let ranked = ranked(vec![group("b", 0, 0), group("Zed", 500, 0), group("a", 0, 0), group("late", 0, 90), group("Top", 900, 0)]);
        let names: Vec<&str> = ranked.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Top", "Zed", "late", "a", "b"]);
    }

    #[test]
    fn the_total_adds_every_group_and_shares_are_of_it() {
        let groups = vec![group("a", 300, 5), group("b", 100, 7)];
        let total = Rollup::total(&groups);
        assert_eq!((total.name.as_str(), total.variants, total.revenue_cents, total.lost_per_day_cents), ("All", 4, 400, 12));
        assert!((groups[0].revenue_share(&total) - 0.75).abs() < 1e-12);
        assert_eq!(group("x", 5, 0).revenue_share(&Rollup::total(&[])), 0.0);
    }

    #[test]
    fn the_empty_group_says_what_it_lacks() {
        assert_eq!(group("", 0, 0).display_name(RollupBy::ProductType), "No product type");
        assert_eq!(group("Acme", 0, 0).display_name(RollupBy::Supplier), "Acme");
    }
}
