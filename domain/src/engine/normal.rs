//! The inverse of the standard normal CDF, for turning a service level into a z-score.
//! Acklam's rational approximation (relative error < 1.2e-9) needs no special functions,
//! so it behaves the same natively and in wasm.

const A: [f64; 6] = [
    -3.969_683_028_665_376e1,
    2.209_460_984_245_205e2,
    -2.759_285_104_469_687e2,
    1.383_577_518_672_69e2,
    -3.066_479_806_614_716e1,
    2.506_628_277_459_239,
];
const B: [f64; 5] =
    [-5.447_609_879_822_406e1, 1.615_858_368_580_409e2, -1.556_989_798_598_866e2, 6.680_131_188_771_972e1, -1.328_068_155_288_572e1];
const C: [f64; 6] = [
    -7.784_894_002_430_293e-3,
    -3.223_964_580_411_365e-1,
    -2.400_758_277_161_838,
    -2.549_732_539_343_734,
    4.374_664_141_464_968,
    2.938_163_982_698_783,
];
const D: [f64; 4] = [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
const P_LOW: f64 = 0.024_25;
/// Probabilities are kept this far from 0 and 1 so the result is always finite (|z| < 7.1).
const P_EDGE: f64 = 1e-12;

fn tail(p: f64) -> f64 {
    let q = (-2.0 * p.ln()).sqrt();
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
}

/// z such that P(Z ≤ z) = p. Defined for every input: p is clamped into (0, 1) and NaN
/// is read as 0.5, so callers never see an infinity or a NaN.
pub fn inverse_cdf(p: f64) -> f64 {
    let p = if p.is_nan() { 0.5 } else { p.clamp(P_EDGE, 1.0 - P_EDGE) };
    if p < P_LOW {
        tail(p)
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::inverse_cdf;

    #[test]
    fn known_quantiles() {
        // Reference values from standard normal tables.
        for (p, z) in [
            (0.5, 0.0),
            (0.8413447460685429, 1.0),
            (0.95, 1.6448536269514722),
            (0.975, 1.959963984540054),
            (0.99, 2.3263478740408408),
            (0.9999, 3.719016485455709),
            (0.01, -2.3263478740408408),
            (0.001, -3.090232306167813),
        ] {
            assert!((inverse_cdf(p) - z).abs() < 1e-8, "p={p}: {} vs {z}", inverse_cdf(p));
        }
    }

    #[test]
    fn edges_are_finite() {
        for p in [0.0, 1.0, -3.0, 7.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(inverse_cdf(p).is_finite(), "p={p}");
        }
        assert!(inverse_cdf(1.0) > 7.0 && inverse_cdf(1.0) < 7.1);
        assert_eq!(inverse_cdf(f64::NAN), 0.0);
    }

    #[test]
    fn monotone_and_symmetric() {
        let mut prev = f64::NEG_INFINITY;
        for i in 1..1000 {
            let p = f64::from(i) / 1000.0;
            let z = inverse_cdf(p);
            assert!(z > prev);
            assert!((z + inverse_cdf(1.0 - p)).abs() < 1e-9);
            prev = z;
        }
    }
}
