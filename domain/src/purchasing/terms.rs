//! Quantities a supplier accepts. The engine suggests what the shop needs; a supplier sells
//! in cases and above a minimum, so the order line is the suggestion rounded up to what can
//! be bought, and the merchant sees why ("suggested 7 → 12, case of 12").

use serde::{Deserialize, Serialize};

/// A supplier's terms for one variant. Both are at least 1 (`new` refuses 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplyTerms {
    /// Minimum order quantity: fewer units are not sold.
    pub moq: u32,
    /// Case pack / order multiple: units come in multiples of this.
    pub case_pack: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    #[error("The minimum order quantity must be at least 1.")]
    ZeroMoq,
    #[error("The case pack must be at least 1.")]
    ZeroCasePack,
}

impl SupplyTerms {
    /// Anything goes: one unit at a time.
    pub const NONE: Self = Self { moq: 1, case_pack: 1 };

    pub fn new(moq: u32, case_pack: u32) -> Result<Self, TermsError> {
        match (moq, case_pack) {
            (0, _) => Err(TermsError::ZeroMoq),
            (_, 0) => Err(TermsError::ZeroCasePack),
            _ => Ok(Self { moq, case_pack }),
        }
    }
}

/// Why an order line differs from the suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Raised to the minimum order quantity (already a whole number of cases).
    Moq,
    /// Rounded up to a whole number of cases.
    CasePack,
    /// Raised to the minimum, then rounded up to whole cases.
    MoqAndCasePack,
}

/// An order line's quantity as the supplier accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    pub suggested: u32,
    pub quantity: u32,
    /// `None` when the suggestion stands as it is.
    pub rounding: Option<Rounding>,
    pub terms: SupplyTerms,
}

/// The smallest quantity at or above `suggested` that the supplier accepts: at least the
/// minimum, a whole number of cases. Nothing needed (0) stays 0 — the minimum is a
/// condition of buying, not a reason to buy. Saturates at `u32::MAX` rounded down to cases.
pub fn accept(suggested: u32, terms: SupplyTerms) -> Accepted {
    let case = terms.case_pack.max(1);
    if suggested == 0 {
        return Accepted { suggested, quantity: 0, rounding: None, terms };
    }
    let raised = suggested.max(terms.moq);
    let cases = raised.div_ceil(case);
    let quantity = cases.checked_mul(case).unwrap_or(u32::MAX - u32::MAX % case);
    let rounding = match (raised > suggested, quantity > raised) {
        (false, false) => None,
        (true, false) => Some(Rounding::Moq),
        (false, true) => Some(Rounding::CasePack),
        (true, true) => Some(Rounding::MoqAndCasePack),
    };
    Accepted { suggested, quantity, rounding, terms }
}

impl Accepted {
    /// What the reorder view shows beside a rounded line: "suggested 7 → 12, case of 12";
    /// `None` when nothing was rounded.
    pub fn in_words(&self) -> Option<String> {
        let why = match self.rounding? {
            Rounding::Moq => format!("minimum order {}", self.terms.moq),
            Rounding::CasePack => format!("case of {}", self.terms.case_pack),
            Rounding::MoqAndCasePack => format!("minimum order {}, case of {}", self.terms.moq, self.terms.case_pack),
        };
        Some(format!("suggested {} → {}, {why}", self.suggested, self.quantity))
    }
}

/// One line of an order being topped up to a supplier's minimum order value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopUpLine {
    pub quantity: u32,
    pub case_pack: u32,
    pub unit_cost_cents: i64,
    /// What the line's stock position would be after the order, and the forecast demand
    /// per day: the line with the fewest days of cover gets the next case.
    pub position_after: f64,
    pub daily: f64,
}

/// Raises an order below the supplier's minimum order value (`min_order_cents`) one case at
/// a time, always on the line that would otherwise run out first (fewest days of cover
/// after the order), until the total reaches the minimum. Lines that cost nothing or do not
/// sell never get cases (they cannot close the gap usefully); returns how many cases were
/// added in all. An order already at the minimum, or without a line that could help, is
/// left as it is.
pub fn top_up_to_minimum(lines: &mut [TopUpLine], min_order_cents: i64) -> u32 {
    let total = |ls: &[TopUpLine]| ls.iter().map(|l| i64::from(l.quantity).saturating_mul(l.unit_cost_cents)).sum::<i64>();
    let mut added = 0u32;
    // Bounded: each round adds at least one cent; a pathological minimum stops at 10,000 cases.
    while total(lines) < min_order_cents && added < 10_000 {
        let next = lines
            .iter_mut()
            .filter(|l| l.unit_cost_cents > 0 && l.daily > 0.0 && l.daily.is_finite() && l.case_pack > 0)
            .min_by(|a, b| (a.position_after / a.daily).total_cmp(&(b.position_after / b.daily)));
        let Some(line) = next else { break };
        line.quantity = line.quantity.saturating_add(line.case_pack);
        line.position_after += f64::from(line.case_pack);
        added += 1;
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(moq: u32, case: u32) -> SupplyTerms {
        SupplyTerms::new(moq, case).unwrap()
    }

    #[test]
    fn suggestions_round_up_to_what_the_supplier_sells() {
        let a = accept(7, terms(1, 12));
        assert_eq!((a.quantity, a.rounding), (12, Some(Rounding::CasePack)));
        assert_eq!(a.in_words().as_deref(), Some("suggested 7 → 12, case of 12"));
        let b = accept(3, terms(10, 5));
        assert_eq!((b.quantity, b.rounding), (10, Some(Rounding::Moq)));
        assert_eq!(b.in_words().as_deref(), Some("suggested 3 → 10, minimum order 10"));
        let c = accept(3, terms(10, 4));
        assert_eq!((c.quantity, c.rounding), (12, Some(Rounding::MoqAndCasePack)));
        assert_eq!(c.in_words().as_deref(), Some("suggested 3 → 12, minimum order 10, case of 4"));
        let d = accept(24, terms(10, 12));
        assert_eq!((d.quantity, d.rounding, d.in_words()), (24, None, None));
        // Nothing needed: nothing ordered, whatever the minimum.
        assert_eq!(accept(0, terms(50, 6)).quantity, 0);
        // No overflow at the top.
        assert_eq!(accept(u32::MAX, terms(1, 7)).quantity % 7, 0);
        assert_eq!(accept(5, SupplyTerms::NONE).quantity, 5);
    }

    #[test]
    fn zero_minimum_or_case_pack_is_refused() {
        assert_eq!(SupplyTerms::new(0, 6), Err(TermsError::ZeroMoq));
        assert_eq!(SupplyTerms::new(1, 0), Err(TermsError::ZeroCasePack));
    }

    #[test]
    fn an_order_below_the_minimum_value_gets_cases_where_stock_runs_out_first() {
        let line = |quantity, case_pack, cost, position_after, daily| TopUpLine {
            quantity,
            case_pack,
            unit_cost_cents: cost,
            position_after,
            daily,
        };
        // 12 × $5 + 6 × $10 = $120 against a $200 minimum. A runs out after 20 days, B after 5:
        // B gets the first case (+$60 → $180, B now 11 days), then B again (11 < 20) → $240.
        let mut lines = [line(12, 12, 500, 40.0, 2.0), line(6, 6, 1000, 5.0, 1.0)];
        assert_eq!(top_up_to_minimum(&mut lines, 20_000), 2);
        assert_eq!((lines[0].quantity, lines[1].quantity), (12, 18));
        // Already at the minimum: unchanged. Nothing that sells: nothing added, no loop.
        assert_eq!(top_up_to_minimum(&mut lines, 20_000), 0);
        let mut idle = [line(1, 1, 100, 10.0, 0.0)];
        assert_eq!(top_up_to_minimum(&mut idle, 1_000_000), 0);
        assert_eq!(idle[0].quantity, 1);
    }
}
