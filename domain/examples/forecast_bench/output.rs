//! The CSV files `scripts/forecast-bench.py` reads: the days (training sales, holdout latent
//! demand, the engine's forecasts and bands) and one line of metadata per series.

use std::io::Write as _;

pub(super) const Z80: f64 = 1.281_551_565_544_600_5;
pub(super) const Z95: f64 = 1.959_963_984_540_054;

pub(super) fn header_days() -> String {
    "series,split,date,sales,out,latent_mean,latent_demand,engine,engine_full,engine_lo80,engine_hi80,engine_lo95,engine_hi95\n".into()
}

pub(super) fn header_series() -> String {
    "series,pattern,bucket,history_days,observed_days,today,first_day,refit_yearly,engine_yearly,engine_method,engine_pattern,engine_sigma,engine_micros\n".into()
}

pub(super) fn label(v: serde_json::Result<serde_json::Value>) -> String {
    v.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub(super) fn write(dir: &std::path::Path, days_csv: &str, meta_csv: &str) -> Result<(), String> {
    for (name, body) in [("days.csv", days_csv), ("series.csv", meta_csv)] {
        let mut file = std::fs::File::create(dir.join(name)).map_err(|e| e.to_string())?;
        file.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(())
}
