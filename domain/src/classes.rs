//! ABC and XYZ classes. ABC ranks variants by revenue over the last year (a whole year, so
//! a winter coat is not a C item every summer): the variants making the first 80 % of
//! revenue are A, the next 15 % B, the rest C. XYZ says how predictable a variant's demand
//! is, from the variability of its weekly sales in the weeks it was in stock: steady (X),
//! variable (Y) or erratic (Z). The class sets the service level the safety stock aims for.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Abc {
    A,
    B,
    C,
}

impl Abc {
    pub const ALL: [Self; 3] = [Self::A, Self::B, Self::C];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// How a variant's classes read in a table cell or a CSV: "A · X", "B" (too few weeks for
/// XYZ), or "" before the refit has classed it.
pub fn label(abc: Option<Abc>, xyz: Option<Xyz>) -> String {
    match (abc, xyz) {
        (Some(a), Some(x)) => format!("{} · {}", a.as_str(), x.as_str()),
        (Some(a), None) => a.as_str().to_string(),
        _ => String::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Xyz {
    X,
    Y,
    Z,
}

impl Xyz {
    pub const ALL: [Self; 3] = [Self::X, Self::Y, Self::Z];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::X => "X",
            Self::Y => "Y",
            Self::Z => "Z",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The class of a coefficient of variation of weekly demand: up to 0.5 steady, up to
    /// 1.0 variable, beyond erratic (the usual XYZ cut-offs).
    pub fn of_cv(cv: f64) -> Self {
        if cv <= 0.5 {
            Self::X
        } else if cv <= 1.0 {
            Self::Y
        } else {
            Self::Z
        }
    }
}

/// Revenue shares that bound A and B, in percent: A takes variants until `a_pct` of the
/// revenue is covered, B until `a_pct + b_pct`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AbcCuts {
    pub a_pct: f64,
    pub b_pct: f64,
}

impl Default for AbcCuts {
    fn default() -> Self {
        Self { a_pct: 80.0, b_pct: 15.0 }
    }
}

/// ABC classes of `revenues`, index for index. The variant whose revenue crosses a
/// boundary belongs to the class it completes; a variant without revenue is always C;
/// equal revenues keep their input order, so the result is deterministic.
pub fn abc(revenues: &[f64], cuts: AbcCuts) -> Vec<Abc> {
    let clean = |r: f64| if r.is_finite() && r > 0.0 { r } else { 0.0 };
    let total: f64 = revenues.iter().map(|&r| clean(r)).sum();
    let mut out = vec![Abc::C; revenues.len()];
    if total <= 0.0 {
        return out;
    }
    let mut order: Vec<usize> = (0..revenues.len()).filter(|&i| clean(revenues[i]) > 0.0).collect();
    order.sort_by(|&a, &b| clean(revenues[b]).total_cmp(&clean(revenues[a])).then(a.cmp(&b)));
    let (a_cut, b_cut) = (cuts.a_pct / 100.0, (cuts.a_pct + cuts.b_pct) / 100.0);
    let mut before = 0.0;
    for i in order {
        let share_before = before / total;
        out[i] = if share_before < a_cut {
            Abc::A
        } else if share_before < b_cut {
            Abc::B
        } else {
            Abc::C
        };
        before += clean(revenues[i]);
    }
    out
}

/// Days of the year the classes look back over, in whole weeks.
pub const YEAR_DAYS: usize = 364;
/// In-stock weeks needed before a variant's demand is called steady or erratic.
pub const MIN_WEEKS: usize = 8;

/// A variant's demand over the last year, from its daily history (oldest first, the last
/// day being yesterday) and the days it was out of stock everywhere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearDemand {
    /// Units sold over the last `YEAR_DAYS` days.
    pub units: u64,
    /// The coefficient of variation of weekly sales over the weeks fully in stock; `None`
    /// with fewer than `MIN_WEEKS` such weeks or no sales in them.
    pub weekly_cv: Option<f64>,
}

impl YearDemand {
    pub fn of(units: &[u16], stockout: &[bool]) -> Self {
        let n = units.len().min(stockout.len());
        let from = n.saturating_sub(YEAR_DAYS);
        let (units, stockout) = (&units[from..n], &stockout[from..n]);
        let total = units.iter().map(|&u| u64::from(u)).sum();
        // Whole weeks counted back from yesterday; a week with a stockout day hides demand.
        let weeks: Vec<f64> = units
            .rchunks_exact(7)
            .zip(stockout.rchunks_exact(7))
            .filter(|(_, out)| !out.iter().any(|&o| o))
            .map(|(u, _)| u.iter().map(|&x| f64::from(x)).sum())
            .collect();
        let weekly_cv = (weeks.len() >= MIN_WEEKS)
            .then(|| {
                let mean = weeks.iter().sum::<f64>() / weeks.len() as f64;
                let var = weeks.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (weeks.len() - 1) as f64;
                (mean > 0.0).then(|| var.sqrt() / mean)
            })
            .flatten();
        Self { units: total, weekly_cv }
    }

    pub fn xyz(&self) -> Option<Xyz> {
        self.weekly_cv.map(Xyz::of_cv)
    }
}

/// Service levels per class, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassLevels {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Default for ClassLevels {
    fn default() -> Self {
        Self { a: 98.0, b: 95.0, c: 90.0 }
    }
}

impl ClassLevels {
    /// The level for a class; a variant not yet classed (new since the last weekly
    /// classification) gets B's.
    pub fn of(&self, class: Option<Abc>) -> f64 {
        match class {
            Some(Abc::A) => self.a,
            Some(Abc::B) | None => self.b,
            Some(Abc::C) => self.c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Abc::*;

    #[test]
    fn a_label_names_both_classes_or_what_is_known() {
        assert_eq!(label(Some(A), Some(Xyz::Z)), "A · Z");
        assert_eq!(label(Some(C), None), "C");
        assert_eq!(label(None, Some(Xyz::X)), "");
    }

    #[test]
    fn pareto_cut_with_the_crossing_item_in_the_class_it_completes() {
        // Shares 50, 25, 10, 8, 5, 2 %.
        let r = [50.0, 25.0, 10.0, 8.0, 5.0, 2.0];
        // 10 % crosses 80 % (75 % before it): A. 5 % starts at 93 %: B.
        assert_eq!(abc(&r, AbcCuts::default()), vec![A, A, A, B, B, C]);
        // Input order does not matter.
        let shuffled = [5.0, 50.0, 2.0, 10.0, 25.0, 8.0];
        assert_eq!(abc(&shuffled, AbcCuts::default()), vec![B, A, C, A, A, B]);
    }

    #[test]
    fn no_revenue_is_c_and_bad_numbers_count_as_none() {
        assert_eq!(abc(&[0.0, 0.0], AbcCuts::default()), vec![C, C]);
        assert_eq!(abc(&[10.0, 0.0, f64::NAN, -3.0], AbcCuts::default()), vec![A, C, C, C]);
        assert!(abc(&[], AbcCuts::default()).is_empty());
    }

    #[test]
    fn equal_revenues_split_by_order_and_every_class_is_reached() {
        let r = vec![1.0; 100];
        let c = abc(&r, AbcCuts::default());
        assert_eq!(c.iter().filter(|&&x| x == A).count(), 80);
        assert_eq!(c.iter().filter(|&&x| x == B).count(), 15);
        assert_eq!(c.iter().filter(|&&x| x == C).count(), 5);
        assert_eq!(c[0], A);
        assert_eq!(c[99], C);
    }

    #[test]
    fn steady_variable_and_erratic_weekly_demand() {
        let days = YEAR_DAYS;
        let none = vec![false; days];
        let steady: Vec<u16> = (0..days).map(|d| if d % 7 == 0 { 4 } else { 3 }).collect();
        assert_eq!(YearDemand::of(&steady, &none).xyz(), Some(Xyz::X));
        // One large sale every fifth week.
        let lumpy: Vec<u16> = (0..days).map(|d| if d % 35 == 0 { 50 } else { 0 }).collect();
        assert_eq!(YearDemand::of(&lumpy, &none).xyz(), Some(Xyz::Z));
        // Alternating 10 and 2 a week: cv ≈ 0.67.
        let alt: Vec<u16> = (0..days)
            .map(|d| {
                if d % 7 == 0 {
                    if (d / 7) % 2 == 0 {
                        10
                    } else {
                        2
                    }
                } else {
                    0
                }
            })
            .collect();
        assert_eq!(YearDemand::of(&alt, &none).xyz(), Some(Xyz::Y));
        assert_eq!(YearDemand::of(&steady, &none).units, steady.iter().map(|&u| u64::from(u)).sum::<u64>());
    }

    #[test]
    fn stockout_weeks_are_left_out_and_short_histories_have_no_xyz() {
        let days = YEAR_DAYS;
        let units: Vec<u16> = (0..days).map(|d| if (d / 7) % 2 == 0 { 3 } else { 0 }).collect();
        // The empty weeks were stockouts: the rest is steady.
        let out: Vec<bool> = (0..days).map(|d| (d / 7) % 2 == 1).collect();
        assert_eq!(YearDemand::of(&units, &out).xyz(), Some(Xyz::X));
        // Seven in-stock weeks are not enough to say.
        assert_eq!(YearDemand::of(&[3; 49], &[false; 49]).xyz(), None);
        // Only the last year counts toward the units.
        let long = vec![1u16; days + 100];
        assert_eq!(YearDemand::of(&long, &vec![false; days + 100]).units, days as u64);
    }

    #[test]
    fn levels_by_class() {
        let l = ClassLevels::default();
        assert_eq!((l.of(Some(A)), l.of(Some(B)), l.of(Some(C)), l.of(None)), (98.0, 95.0, 90.0, 95.0));
        assert_eq!(Abc::parse(" b"), Some(B));
        assert_eq!(Xyz::parse("z"), Some(Xyz::Z));
        assert_eq!(Abc::parse("D"), None);
    }
}
