//! The per-series recursions of the forecast's hot path: seasonal exponential smoothing for
//! regular sellers and Croston/SBA for intermittent ones, each running its candidate
//! smoothing constants side by side in one pass. Their tuning constants live in the parent.

use super::{ALPHAS, CLIP_MAES, MAE_RATE, MIN_ERROR_SAMPLES, MIN_ERROR_SCALE, SBA_ALPHAS, WARMUP_DAYS};

// The loops below are written out by hand, without closures: the workspace's release
// profile optimises for size (opt-level "z", for the wasm builds), which does not inline
// closure calls, and a call per day costs more than the day's arithmetic.

/// Returns (level, SSE, error count, chosen α).
pub(super) fn seasonal_smoothing(
    units: &[u16],
    out: &[bool],
    start_wd: usize,
    idx: &[f64; 7],
    inv: &[f64; 7],
    init: f64,
) -> (f64, f64, u32, f64) {
    let mut level = [init; 4];
    let mut sse = [0.0f64; 4];
    let mut seen = 0u32;
    let mut n_err = 0u32;
    let mut wd = start_wd;
    // Robust scale of the one-step errors (a smoothed mean absolute error), so that one
    // wholesale order of 500 among days of 2 moves the level and σ by a clipped error,
    // not by 500 (Huber-style smoothing). Starts at the Poisson spread of the mean.
    // Observations are winsorised around a reference level, both refreshed once a week (on
    // Mondays), not daily: a daily refresh would chain every day's level to the previous
    // day's scale, and the loop would wait on it.
    // The scale is the week's mean absolute error, capped at the clip, smoothed weekly.
    let mut mae = 0.8 * init.max(0.0).sqrt();
    let mut lim = CLIP_MAES * mae.max(MIN_ERROR_SCALE);
    let (mut lo, mut hi) = (init - lim, init + lim);
    let (mut week_abs, mut week_n) = (0.0f64, 0.0f64);
    for (&y, &o) in units.iter().zip(out) {
        if wd == 0 {
            if week_n > 0.0 {
                let week = week_abs / week_n;
                mae += MAE_RATE * ((if week < lim { week } else { lim }) - mae);
            }
            (week_abs, week_n) = (0.0, 0.0);
            lim = CLIP_MAES * mae.max(MIN_ERROR_SCALE);
            (lo, hi) = (level[1] - lim, level[1] + lim);
        }
        // Stockout days are skipped; the branch is predictable (stockouts come in spells).
        if !o {
            let raw = f64::from(y) * inv[wd];
            let x = if raw > hi {
                hi
            } else if raw < lo {
                lo
            } else {
                raw
            };
            week_abs += (raw - level[1]).abs();
            week_n += 1.0;
            let s2 = idx[wd] * idx[wd];
            let scored = f64::from(u8::from(seen >= WARMUP_DAYS));
            for k in 0..4 {
                // y − level·s = s·(x − level): one difference serves the error and the update.
                let d = x - level[k];
                sse[k] += scored * s2 * d * d;
                level[k] += ALPHAS[k] * d;
            }
            n_err += u32::from(seen >= WARMUP_DAYS);
            seen += 1;
        }
        wd = if wd == 6 { 0 } else { wd + 1 };
    }
    // Without errors to compare, the middle α is the prior choice.
    let mut best = 1;
    if n_err > 0 {
        for k in 0..4 {
            if sse[k] < sse[best] {
                best = k;
            }
        }
    }
    (level[best], sse[best], n_err, ALPHAS[best])
}

/// Croston/SBA over in-stock days, sizes deseasonalised, with the smoothing constant chosen
/// per series from `SBA_ALPHAS` by the smallest one-step squared error (after the warm-up),
/// as the smoothing path chooses its α: a steady slow mover gets a long memory, whose rate
/// is far less noisy than α = 0.1's, and one whose rate moves a short one. Returns the
/// daily rate and the α chosen. Sizes, intervals and the four rates change only on a day
/// with demand, so a quiet day costs a few additions: the errors of the days since the
/// last demand are summed from Σs², Σys and Σy² when it comes (the rate was constant).
pub(super) fn sba(units: &[u16], out: &[bool], start_wd: usize, idx: &[f64; 7], inv: &[f64; 7], mean_size: f64, adi: f64) -> (f64, f64) {
    let mut z = [mean_size; 4];
    let mut p = [adi.max(1.0); 4];
    let mut rate = [0.0; 4];
    for k in 0..4 {
        rate[k] = (1.0 - SBA_ALPHAS[k] / 2.0) * z[k] / p[k];
    }
    let mut sse = [0.0f64; 4];
    let (mut ss, mut ys, mut yy, mut q) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut seen, mut scored_days) = (0u32, 0u32);
    let mut wd = start_wd;
    for (&y, &o) in units.iter().zip(out) {
        if !o {
            let scored = f64::from(u8::from(seen >= WARMUP_DAYS));
            let (yf, s) = (f64::from(y), idx[wd]);
            ss += scored * s * s;
            ys += scored * yf * s;
            yy += scored * yf * yf;
            scored_days += u32::from(seen >= WARMUP_DAYS);
            seen += 1;
            q += 1.0;
            if y > 0 {
                let x = yf * inv[wd];
                for k in 0..4 {
                    // Σ (y − r·s)² over the days since the last demand, this one included.
                    sse[k] += yy - 2.0 * rate[k] * ys + rate[k] * rate[k] * ss;
                    z[k] += SBA_ALPHAS[k] * (x - z[k]);
                    p[k] += SBA_ALPHAS[k] * (q - p[k]);
                    rate[k] = (1.0 - SBA_ALPHAS[k] / 2.0) * z[k] / p[k].max(1.0);
                }
                (ss, ys, yy, q) = (0.0, 0.0, 0.0, 0.0);
            }
        }
        wd = if wd == 6 { 0 } else { wd + 1 };
    }
    for k in 0..4 {
        sse[k] += yy - 2.0 * rate[k] * ys + rate[k] * rate[k] * ss;
    }
    // Without errors to compare, α = 0.1 (the literature's usual choice) is the prior.
    let mut best = 2;
    if scored_days >= MIN_ERROR_SAMPLES {
        for k in 0..4 {
            if sse[k] < sse[best] {
                best = k;
            }
        }
    }
    (rate[best], SBA_ALPHAS[best])
}
