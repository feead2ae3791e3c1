//! Chart geometry for the variant page, computed here so the SVG the server renders (and
//! the browser shows before hydration) is plain numbers, and the numbers are tested.
//! Coordinates are SVG user units in a `WIDTH × HEIGHT` viewBox; y grows downwards.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 240.0;
/// Plot margins: room for the y-axis labels on the left and the dates below.
pub const LEFT: f64 = 44.0;
pub const RIGHT: f64 = 12.0;
pub const TOP: f64 = 12.0;
pub const BOTTOM: f64 = 28.0;

/// One past day of a position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PastDay {
    #[serde(deserialize_with = "crate::dates::ymd")]
    pub day: NaiveDate,
    pub sold: u32,
    /// Stock at the end of the day, when known.
    pub stock: Option<i64>,
    pub out_of_stock: bool,
}

/// One forecast day: expected units and the band around them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FutureDay {
    #[serde(deserialize_with = "crate::dates::ymd")]
    pub day: NaiveDate,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    /// Position along the axis (y for value ticks, x for date ticks).
    pub at: f64,
    pub label: String,
}

/// A horizontal reference line (reorder point, safety stock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub y: f64,
    pub label: String,
    pub value: f64,
}

/// Daily sales bars, stockout shading and the forecast with its band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandChart {
    pub bars: Vec<Rect>,
    pub stockouts: Vec<Rect>,
    pub forecast: String,
    pub band: String,
    /// x of the boundary between history and forecast.
    pub today_x: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
}

/// Stock on hand over the history, projected down by the forecast, with the reorder point
/// and safety stock as rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockChart {
    pub stock: String,
    pub projection: String,
    pub stockouts: Vec<Rect>,
    pub rules: Vec<Rule>,
    pub today_x: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `v` (at least 1): a round axis maximum.
pub fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 1.0 {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|&m| m >= v).unwrap_or(10.0 * mag)
}

/// An SVG path through `points`; a non-finite point ends one segment and the next finite
/// point starts another, so unknown days are gaps rather than zeros.
pub fn path(points: &[(f64, f64)]) -> String {
    let mut out = String::new();
    let mut pen_down = false;
    for &(x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            pen_down = false;
            continue;
        }
        out.push_str(if pen_down {
            " L"
        } else if out.is_empty() {
            "M"
        } else {
            " M"
        });
        out.push_str(&format!("{x:.1} {y:.1}"));
        pen_down = true;
    }
    out
}

/// Maps day `i` of `n` days (history then forecast) to the x of its slot's left edge.
struct Days {
    n: usize,
}

impl Days {
    fn slot(&self) -> f64 {
        (WIDTH - LEFT - RIGHT) / self.n.max(1) as f64
    }
    fn x(&self, i: usize) -> f64 {
        LEFT + i as f64 * self.slot()
    }
    fn mid(&self, i: usize) -> f64 {
        self.x(i) + self.slot() / 2.0
    }
    /// About five date labels, on the first of a stretch of equal length.
    fn ticks(&self, first: Option<NaiveDate>) -> Vec<Tick> {
        let Some(first) = first else { return Vec::new() };
        let step = (self.n / 5).max(1);
        (0..self.n)
            .step_by(step)
            .filter_map(|i| {
                let day = first.checked_add_days(chrono::Days::new(i as u64))?;
                Some(Tick { at: self.mid(i), label: crate::dates::short(day) })
            })
            .collect()
    }
}

fn y_of(v: f64, max: f64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    HEIGHT - BOTTOM - (v.clamp(0.0, max) / max) * plot
}

fn y_ticks(max: f64) -> Vec<Tick> {
    (0..=4)
        .map(|k| {
            let v = max * f64::from(k) / 4.0;
            let label =
                if max >= 8.0 || v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}").trim_end_matches('0').to_string() };
            Tick { at: y_of(v, max), label }
        })
        .collect()
}

fn stockout_rects(past: &[PastDay], days: &Days) -> Vec<Rect> {
    past.iter()
        .enumerate()
        .filter(|(_, d)| d.out_of_stock)
        .map(|(i, _)| Rect { x: days.x(i), y: TOP, w: days.slot(), h: HEIGHT - TOP - BOTTOM })
        .collect()
}

pub fn demand_chart(past: &[PastDay], future: &[FutureDay]) -> DemandChart {
    let days = Days { n: past.len() + future.len() };
    let max =
        nice_max(past.iter().map(|d| f64::from(d.sold)).chain(future.iter().map(|f| f.high)).filter(|v| v.is_finite()).fold(0.0, f64::max));
    let gap = days.slot() * 0.15;
    let bars = past
        .iter()
        .enumerate()
        .filter(|(_, d)| d.sold > 0)
        .map(|(i, d)| {
            let y = y_of(f64::from(d.sold), max);
            Rect { x: days.x(i) + gap, y, w: (days.slot() - 2.0 * gap).max(0.5), h: HEIGHT - BOTTOM - y }
        })
        .collect();
    let at = |i: usize, v: f64| (days.mid(past.len() + i), y_of(v, max));
    let forecast: Vec<(f64, f64)> = future.iter().enumerate().map(|(i, f)| at(i, f.expected)).collect();
    let upper: Vec<(f64, f64)> = future.iter().enumerate().map(|(i, f)| at(i, f.high)).collect();
    let lower: Vec<(f64, f64)> = future.iter().enumerate().rev().map(|(i, f)| at(i, f.low.max(0.0))).collect();
    let band = if upper.is_empty() { String::new() } else { format!("{} L{} Z", path(&upper), &path(&lower)[1..]) };
    DemandChart {
        bars,
        stockouts: stockout_rects(past, &days),
        forecast: path(&forecast),
        band,
        today_x: days.x(past.len()),
        y_ticks: y_ticks(max),
        x_ticks: days.ticks(past.first().map(|d| d.day).or(future.first().map(|f| f.day))),
    }
}

/// `on_hand` is today's stock, where the projection starts; `rules` are (label, units).
pub fn stock_chart(past: &[PastDay], future: &[FutureDay], on_hand: i64, rules: &[(&str, f64)]) -> StockChart {
    let days = Days { n: past.len() + future.len() };
    let mut projected = Vec::with_capacity(future.len() + 1);
    let mut left = on_hand.max(0) as f64;
    projected.push(left);
    for f in future {
        left = (left - f.expected.max(0.0)).max(0.0);
        projected.push(left);
    }
    let max = nice_max(
        past.iter()
            .filter_map(|d| d.stock.map(|s| s as f64))
            .chain(projected.iter().copied())
            .chain(rules.iter().map(|r| r.1))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let stock: Vec<(f64, f64)> =
        past.iter().enumerate().map(|(i, d)| (days.mid(i), d.stock.map_or(f64::NAN, |s| y_of(s as f64, max)))).collect();
    // The projection starts at today's boundary and steps day by day.
    let projection: Vec<(f64, f64)> = projected
        .iter()
        .enumerate()
        .map(|(i, &v)| (if i == 0 { days.x(past.len()) } else { days.mid(past.len() + i - 1) }, y_of(v, max)))
        .collect();
    StockChart {
        stock: path(&stock),
        projection: path(&projection),
        stockouts: stockout_rects(past, &days),
        rules: rules
            .iter()
            .filter(|r| r.1.is_finite() && r.1 > 0.0)
            .map(|&(label, value)| Rule { y: y_of(value, max), label: label.to_string(), value })
            .collect(),
        today_x: days.x(past.len()),
        y_ticks: y_ticks(max),
        x_ticks: days.ticks(past.first().map(|d| d.day).or(future.first().map(|f| f.day))),
    }
}

/// Weekday bars for indices that average 1 (Monday first): heights relative to the
/// largest, the 1.0 line as a rule.
pub fn weekday_bars(indices: &[f64; 7], width: f64, height: f64) -> (Vec<Rect>, f64) {
    let max = indices.iter().copied().filter(|v| v.is_finite()).fold(1.0, f64::max) * 1.1;
    let slot = width / 7.0;
    let bars = indices
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let h = if v.is_finite() { v.max(0.0) / max * height } else { 0.0 };
            Rect { x: i as f64 * slot + slot * 0.15, y: height - h, w: slot * 0.7, h }
        })
        .collect();
    (bars, height - height / max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(i: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(i)
    }

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
        assert_eq!(nice_max(3.2), 5.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(10.0), 10.0);
        assert_eq!(nice_max(101.0), 200.0);
    }

    #[test]
    fn unknown_points_are_gaps_not_zeros() {
        assert_eq!(path(&[(0.0, 1.0), (1.0, 2.0)]), "M0.0 1.0 L1.0 2.0");
        assert_eq!(path(&[(0.0, 1.0), (1.0, f64::NAN), (2.0, 3.0), (3.0, 4.0)]), "M0.0 1.0 M2.0 3.0 L3.0 4.0");
        assert_eq!(path(&[]), "");
    }

    #[test]
    fn demand_bars_scale_to_the_busiest_day_and_stockouts_are_shaded() {
        let past: Vec<PastDay> =
            (0..10).map(|i| PastDay { day: day(i), sold: if i == 3 { 10 } else { 5 }, stock: Some(20), out_of_stock: i == 7 }).collect();
        let future: Vec<FutureDay> = (10..20).map(|i| FutureDay { day: day(i), expected: 4.0, low: 1.0, high: 7.0 }).collect();
        let c = demand_chart(&past, &future);
        assert_eq!(c.bars.len(), 10);
        // The 10-unit day reaches the top of the plot (axis max 10); a 5-unit day half way.
        assert!((c.bars[3].y - TOP).abs() < 1e-9);
        assert!((c.bars[0].h - (HEIGHT - TOP - BOTTOM) / 2.0).abs() < 1e-9);
        assert_eq!(c.stockouts.len(), 1);
        assert!(c.stockouts[0].x > c.bars[6].x && c.stockouts[0].x < c.bars[8].x);
        assert!(c.forecast.starts_with('M') && c.band.ends_with('Z'));
        assert!((c.today_x - (LEFT + (WIDTH - LEFT - RIGHT) / 2.0)).abs() < 1e-9);
        assert_eq!(c.y_ticks.first().map(|t| t.label.as_str()), Some("0"));
        assert_eq!(c.y_ticks.last().map(|t| t.label.as_str()), Some("10"));
        let small = demand_chart(&past[..1], &[FutureDay { day: day(1), expected: 0.1, low: 0.0, high: 0.9 }]);
        let labels: Vec<&str> = small.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "1.25", "2.5", "3.75", "5"]);
        assert_eq!(c.x_ticks[0].label, "Sep 1");
    }

    #[test]
    fn stock_projection_runs_down_to_zero_and_rules_sit_at_their_values() {
        let past: Vec<PastDay> =
            (0..4).map(|i| PastDay { day: day(i), sold: 1, stock: if i == 1 { None } else { Some(8) }, out_of_stock: false }).collect();
        let future: Vec<FutureDay> = (4..10).map(|i| FutureDay { day: day(i), expected: 3.0, low: 0.0, high: 6.0 }).collect();
        let c = stock_chart(&past, &future, 8, &[("Reorder point", 5.0), ("Safety stock", 2.5), ("none", f64::NAN)]);
        assert_eq!(c.rules.len(), 2);
        // Axis max 10: 5 units is half way up the plot.
        assert!((c.rules[0].y - (HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) / 2.0)).abs() < 1e-9);
        assert!(c.stock.contains(" M"), "the unknown day is a gap: {}", c.stock);
        // 8 → 5 → 2 → 0 → 0 …: the path ends on the baseline.
        assert!(c.projection.ends_with(&format!("{:.1}", HEIGHT - BOTTOM)));
    }

    #[test]
    fn empty_and_non_finite_input_gives_empty_geometry_not_nan() {
        let c = demand_chart(&[], &[]);
        assert!(c.bars.is_empty() && c.forecast.is_empty() && c.band.is_empty() && c.x_ticks.is_empty());
        let f = [FutureDay { day: day(0), expected: f64::NAN, low: f64::NAN, high: f64::INFINITY }];
        let c = demand_chart(&[], &f);
        assert!(!c.forecast.contains("NaN") && !c.band.contains("NaN"));
        let (bars, one) = weekday_bars(&[1.0, 1.0, 1.0, 1.0, 1.2, 1.4, f64::NAN], 140.0, 60.0);
        assert_eq!(bars.len(), 7);
        assert!(bars.iter().all(|b| b.h.is_finite() && b.h >= 0.0) && one.is_finite());
    }
}
