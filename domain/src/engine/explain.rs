//! An alert's explanation in words, from the same numbers the charts show.

use super::assess::Explanation;
use super::forecast::{DemandPattern, ForecastMethod};
use crate::risk::RiskKind;

fn units(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v.abs() >= 10.0 || v.fract().abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn pattern_label(p: DemandPattern) -> &'static str {
    match p {
        DemandPattern::Smooth => "Smooth: sells most days in steady amounts",
        DemandPattern::Erratic => "Erratic: sells most days in varying amounts",
        DemandPattern::Intermittent => "Intermittent: sells on few days, steady amounts",
        DemandPattern::Lumpy => "Lumpy: sells on few days, varying amounts",
        DemandPattern::NoDemand => "No demand: in stock but not selling",
        DemandPattern::NoHistory => "No history: never in stock in the window",
    }
}

pub fn method_label(m: ForecastMethod) -> &'static str {
    match m {
        ForecastMethod::SeasonalSmoothing => "Exponential smoothing with weekday pattern",
        ForecastMethod::Sba => "Croston–SBA for slow movers",
        ForecastMethod::Launch => "Launch forecast: under two weeks of sales, pace borrowed from similar variants",
        ForecastMethod::None => "None (nothing to forecast)",
    }
}

/// Where the yearly factor in use came from, or why there is none (the variant page's
/// "Yearly factor"): `applied` is the factor in the forecast, `refit_days` the observed
/// days the last Sunday refit read (`None` before the first refit).
pub fn yearly_in_words(applied: f64, refit_days: Option<u32>) -> String {
    let min = super::forecast::YEARLY_MIN_HISTORY_DAYS;
    match refit_days {
        None => "None yet: the Sunday refit measures it once a year and four weeks of sales are in.".into(),
        Some(days) if (days as usize) < min => format!(
            "None: less than 13 months of history ({days} days since the first sale or the start of the import; it needs {min})."
        ),
        Some(_) if !applied.is_finite() || (applied - 1.0).abs() < 0.005 => {
            "×1.00 from 4 weeks a year ago: no clear difference between the 4 weeks after this date last year and the 4 before, or too few sales to tell.".into()
        }
        Some(_) => {
            let pct = ((applied - 1.0) * 100.0).round().abs();
            let way = if applied > 1.0 { "more" } else { "less" };
            format!(
                "×{applied:.2} from 4 weeks a year ago: the 4 weeks after this date last year sold {pct:.0}% {way} than the 4 before them (tempered by how noisy those weeks were)."
            )
        }
    }
}

/// Where a launch forecast's pace came from (the variant page and the alert's words).
pub fn launch_in_words(b: &super::launch_basis::LaunchBasis) -> String {
    let plural = |n: u32, one: &str, many: &str| if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    let peers = match b.source {
        super::launch_basis::LaunchSource::Product => plural(b.peers, "other variant of this product", "other variants of this product"),
        super::launch_basis::LaunchSource::ProductType => {
            format!("the median of {} of this product type", plural(b.peers, "variant", "variants"))
        }
    };
    format!(
        "It is new: {} of its own sales ({} sold); the rest of its first two weeks is counted at the pace of {peers} at this location ({} a day).",
        plural(b.own_days, "day", "days"),
        b.own_units,
        units(b.peer_daily)
    )
}

/// Why `kind` holds, in one or two sentences a merchant can check against the numbers;
/// `money` formats cents in the shop's currency.
pub fn in_words(kind: RiskKind, e: &Explanation, money: &dyn Fn(i64) -> String) -> String {
    let mut pace = format!(
        "It sells about {} a day (seasonal factor ×{:.2} over the next {} days).",
        units(e.velocity),
        e.seasonal_factor,
        e.lead_time_days
    );
    if let Some(b) = &e.launch {
        pace.push(' ');
        pace.push_str(&launch_in_words(b));
    }
    let cover = e.days_of_cover.map_or("no forecast sales".to_string(), |d| format!("{} days of cover", units(d.min(9_999.0))));
    let position = e.on_hand + e.incoming;
    match kind {
        RiskKind::OutOfStock => format!(
            "Out of stock with {} on order. {pace} Each day out costs about {} in lost sales.",
            e.incoming,
            money(e.lost_revenue_per_day_cents)
        ),
        RiskKind::ReorderNow => format!(
            "{position} units on hand and on order is at or below the reorder point of {} ({} expected over the {}-day lead time and the day to the next check + {} safety stock at a {:.0}% service level{}). {pace} Order {} now.",
            units(e.reorder_point),
            units(e.lead_time_demand),
            e.lead_time_days,
            units(e.safety_stock),
            e.service_level_pct,
            if e.thresholds.min_stock > 0 { format!(", at least your minimum stock of {}", e.thresholds.min_stock) } else { String::new() },
            e.suggested_qty
        ),
        RiskKind::LowStock => format!(
            "{position} units on hand and on order is {cover}, under your {}-day low-stock threshold. {pace}",
            units(e.thresholds.low_stock_days)
        ),
        RiskKind::Overstock => format!(
            "{position} units is {cover}, over your {}-day overstock threshold; {} is tied up at cost. {pace}",
            units(e.thresholds.overstock_days),
            money(e.stock_value_cents)
        ),
        RiskKind::DeadStock => format!(
            "{} units on hand and no sale for {} days (threshold {} days); {} is tied up at cost.",
            e.on_hand,
            e.days_since_last_sale.map_or_else(|| format!("{}+", e.history_days), |d| d.to_string()),
            e.thresholds.dead_stock_days,
            money(e.stock_value_cents)
        ),
        RiskKind::StockGap => match (e.stock_gap, e.arrival) {
            (Some(g), Some(a)) => format!(
                "{} units on hand run out around {}, {} day{} before the {} units on order land ({}): about {} units and {} of sales lost in between. {pace} Ask the supplier to deliver sooner, or order a top-up that arrives first.",
                e.on_hand,
                g.from,
                g.until.signed_duration_since(g.from).num_days(),
                if g.until.signed_duration_since(g.from).num_days() == 1 { "" } else { "s" },
                a.units,
                g.until,
                units(g.units_short),
                money(g.lost_revenue_cents)
            ),
            _ => format!("Stock runs out before the stock on order lands. {pace}"),
        },
    }
}

/// Cents as a plain amount with two decimals, for callers without a currency format.
pub fn cents(c: i64) -> String {
    format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.unsigned_abs() / 100, c.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{assess, EngineConfig, History, Position, SupplyOverrides};
    use crate::settings::Settings;
    use chrono::{Days, NaiveDate};

    #[test]
    fn reorder_sentence_quotes_the_plan() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let units = vec![2u16; 120];
        let out = vec![false; 120];
        let h = History::new(today - Days::new(120), &units, &out).unwrap();
        let p = Position {
            variant_id: 1,
            location_id: 1,
            on_hand: 10,
            incoming: 0,
            price_cents: 1000,
            cost_cents: 400,
            tracked: true,
            supply: SupplyOverrides::default(),
            limits: Default::default(),
            yearly_factor: None,
            day_of_week: None,
            long_run: None,
            arrival: None,
        };
        let a = assess(&p, h, &EngineConfig::from(&Settings::default()), today);
        let s = in_words(RiskKind::ReorderNow, &a.explanation, &cents);
        assert!(s.starts_with("10 units on hand and on order is at or below the reorder point of"), "{s}");
        assert!(s.contains("7-day lead time") && s.contains("95% service level"), "{s}");
        assert!(s.contains(&format!("Order {} now.", a.plan.suggested_qty)), "{s}");
        let dead = in_words(RiskKind::DeadStock, &a.explanation, &|c| format!("${}", cents(c)));
        assert!(dead.contains("$40.00 is tied up"), "{dead}");
    }

    #[test]
    fn the_yearly_factor_says_where_it_came_from() {
        assert!(yearly_in_words(1.0, None).starts_with("None yet"));
        let short = yearly_in_words(1.0, Some(300));
        assert!(short.contains("less than 13 months") && short.contains("300 days"), "{short}");
        assert!(yearly_in_words(1.0, Some(420)).starts_with("×1.00 from 4 weeks a year ago"));
        let up = yearly_in_words(1.12, Some(420));
        assert!(up.starts_with("×1.12 from 4 weeks a year ago") && up.contains("12% more"), "{up}");
        assert!(yearly_in_words(0.8, Some(420)).contains("20% less"));
    }

    #[test]
    fn amounts_and_units_read_naturally() {
        assert_eq!(cents(123_456), "1234.56");
        assert_eq!(cents(-5), "-0.05");
        assert_eq!(units(2.0), "2");
        assert_eq!(units(2.34), "2.3");
        assert_eq!(units(f64::NAN), "—");
    }
}
