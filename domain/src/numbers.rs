//! Numbers as the merchant reads them. Written out rather than through `format!("{v:.1}")`:
//! this runs in the browser too, and core's exact float formatter weighs several KB of the
//! wasm for what is a rounding and two integers.

/// `v` with `decimals` digits after the point (0 to 3), rounded half away from zero. A value
/// written as a half (5.85, stored as 5.8499…) rounds up, as a reader expects; core rounds
/// the stored binary value, down.
pub fn fixed(v: f64, decimals: u32) -> String {
    let decimals = decimals.min(3);
    let scale = 10_u64.pow(decimals);
    if !v.is_finite() {
        return "—".into();
    }
    let scaled = (v.abs() * scale as f64).round() as u64;
    let sign = if v < 0.0 && scaled > 0 { "-" } else { "" };
    match decimals {
        0 => format!("{sign}{scaled}"),
        d => format!("{sign}{}.{:0width$}", scaled / scale, scaled % scale, width = d as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn rounds_to_the_digits_asked_for() {
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(0.44, 1), "0.4");
        assert_eq!(fixed(0.46, 1), "0.5");
        assert_eq!(fixed(9.96, 1), "10.0");
        assert_eq!(fixed(12.4, 0), "12");
        assert_eq!(fixed(12.6, 0), "13");
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(1.05, 2), "1.05");
        assert_eq!(fixed(-3.2, 0), "-3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "—");
    }

    #[test]
    fn agrees_with_core_except_on_halves() {
        for i in 0..20_000 {
            let v = i as f64 * 0.0137 + 0.0001;
            let half = |scale: f64| ((v * scale).fract() - 0.5).abs() < 1e-6;
            if half(1.0) || half(10.0) {
                continue;
            }
            assert_eq!(fixed(v, 1), format!("{v:.1}"), "{v}");
            assert_eq!(fixed(v, 0), format!("{v:.0}"), "{v}");
        }
    }
}
