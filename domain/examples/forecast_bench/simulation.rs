//! The replenishment simulation: the engine ordering stock night after night against a
//! series' latent demand, scored by cycle service level, lead-time service level and fill rate.

use crate::generator::{Rng, Series};
use crate::production::{last_refit, nightly_assess, refit, DayRowT, Rows, Stock, Stored};
use crate::{SEED, SIM_DAYS, SIM_LEADS};
use chrono::{Days, NaiveDate};
use domain::engine::{EngineConfig, SupplyOverrides};

/// What one series' replenishment simulation counted.
#[derive(Default, Clone, Copy)]
pub(super) struct SimResult {
    /// Orders placed whose lead time ended inside the simulation, and how many of those
    /// lead times saw demand go unmet (with long lead times several orders are open at
    /// once, and one stockout fails all of them).
    pub(super) orders: u32,
    pub(super) short_orders: u32,
    /// Replenishment cycles (from one delivery to the next) and those with unmet demand:
    /// the textbook cycle service level.
    pub(super) cycles: u32,
    pub(super) short_cycles: u32,
    pub(super) demand: u64,
    pub(super) sold: u64,
}

impl std::ops::AddAssign for SimResult {
    fn add_assign(&mut self, o: Self) {
        self.orders += o.orders;
        self.short_orders += o.short_orders;
        self.cycles += o.cycles;
        self.short_cycles += o.short_cycles;
        self.demand += o.demand;
        self.sold += o.sold;
    }
}

/// The engine running a shop's replenishment against the series' latent demand for
/// `SIM_DAYS`: every night the production path (the last Sunday refit and the nightly
/// assessment, on the history so far, the simulated days' sales and stockouts included);
/// when it raises "reorder now", the suggested quantity is ordered and arrives after the
/// lead time, drawn around its mean with its standard deviation (both in the engine's
/// supply settings). Demand beyond the stock on hand is lost. Starts at the order-up-to
/// level. Counts the replenishment cycles (delivery to delivery) with unmet demand (cycle
/// service level), each order's lead time with unmet demand, and the share of demand
/// served (fill rate).
pub(super) fn simulate(s: &Series, index: usize, cfg: &EngineConfig) -> Result<SimResult, String> {
    let lead = SIM_LEADS[index % SIM_LEADS.len()];
    let lead_sd = 0.25 * f64::from(lead);
    let supply =
        SupplyOverrides { lead_time_days: Some(lead), lead_time_sd_days: Some(lead_sd), review_period_days: None, target_cover_days: None };
    let mut rng = Rng(SEED ^ 0xC0FF_EE00 ^ index as u64);
    let mut rows: Vec<DayRowT> =
        s.row_days().map(|t| (s.start + Days::new(t as u64), u16::try_from(s.sales[t]).unwrap_or(u16::MAX), s.out[t])).collect();
    let mut on_hand: i64 = 0;
    // Open orders: (arrival day, quantity, day placed, demand went unmet meanwhile).
    let mut open: Vec<(usize, i64, usize, bool)> = Vec::new();
    let mut result = SimResult::default();
    let mut refit_cache: Option<(NaiveDate, Stored)> = None;
    // A cycle runs from one delivery to the next (the first starts at the first delivery).
    let (mut delivered, mut short_cycle) = (false, false);
    for h in 0..SIM_DAYS {
        let today = s.today + Days::new(h as u64);
        for o in open.iter().filter(|o| o.0 == h) {
            on_hand += o.1;
        }
        for o in open.iter().filter(|o| o.0 == h) {
            result.orders += 1;
            result.short_orders += u32::from(o.3);
        }
        if open.iter().any(|o| o.0 == h) {
            if delivered {
                result.cycles += 1;
                result.short_cycles += u32::from(short_cycle);
            }
            (delivered, short_cycle) = (true, false);
        }
        open.retain(|o| o.0 > h);
        let first_day = rows.first().map(|r| r.0.max(s.import_first));
        let history = Rows { rows: &rows, first_day };
        let refit_day = last_refit(today);
        if refit_cache.as_ref().is_none_or(|(d, _)| *d != refit_day) {
            let pattern = refit(refit_day, std::slice::from_ref(&history))?;
            refit_cache = Some((refit_day, pattern));
        }
        let stored = refit_cache.as_ref().map_or((None, None), |(_, p)| p.at(0));
        let incoming: i64 = open.iter().map(|o| o.1).sum();
        let stock = Stock { on_hand, incoming, supply };
        let a = nightly_assess(today, &history, stored, cfg, &stock)?;
        if h == 0 {
            on_hand = a.plan.order_up_to.ceil() as i64;
        } else if a.conditions.get(domain::RiskKind::ReorderNow).opens && a.plan.suggested_qty > 0 {
            let days = (f64::from(lead) + lead_sd * rng.normal()).round().max(1.0) as usize;
            open.push((h + days, i64::from(a.plan.suggested_qty), h, false));
        }
        let demand = i64::from(s.demand[s.days() + h]);
        let sold = demand.min(on_hand.max(0));
        on_hand -= sold;
        if sold < demand {
            for o in &mut open {
                o.3 = true;
            }
            short_cycle = true;
        }
        result.demand += demand as u64;
        result.sold += sold as u64;
        let out = on_hand <= 0;
        if sold > 0 || out {
            rows.push((today, u16::try_from(sold).unwrap_or(u16::MAX), out));
        }
    }
    Ok(result)
}
