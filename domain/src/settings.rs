//! The merchant's thresholds. `SettingsInput` is what a form sends (text, possibly wrong);
//! `Settings` is what the engine may use (always in range). Parse, don't validate.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestFrequency {
    Hourly,
    Daily,
    Off,
}

impl DigestFrequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hourly => "hourly",
            Self::Daily => "daily",
            Self::Off => "off",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "hourly" => Some(Self::Hourly),
            "daily" => Some(Self::Daily),
            "off" => Some(Self::Off),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Days of cover under which a variant is "low stock".
    pub low_stock_days: u32,
    /// Days of cover above which a variant is "overstock".
    pub overstock_days: u32,
    /// Days without a sale (with stock on hand) that make a variant dead stock.
    pub dead_stock_days: u32,
    /// Default supplier lead time; cover below it means "reorder now".
    pub lead_time_days: u32,
    /// Target probability of not running out during the lead time, in percent: class B's
    /// (and that of variants not classed yet).
    pub service_level_pct: f64,
    /// The same for class A (the top 80 % of revenue) and class C (the last 5 %).
    #[serde(default = "default_a")]
    pub service_level_a_pct: f64,
    #[serde(default = "default_c")]
    pub service_level_c_pct: f64,
    pub digest_frequency: DigestFrequency,
}

fn default_a() -> f64 {
    crate::classes::ClassLevels::default().a
}

fn default_c() -> f64 {
    crate::classes::ClassLevels::default().c
}

impl Settings {
    /// The service level of each ABC class.
    pub fn class_levels(&self) -> crate::classes::ClassLevels {
        crate::classes::ClassLevels { a: self.service_level_a_pct, b: self.service_level_pct, c: self.service_level_c_pct }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            low_stock_days: 14,
            overstock_days: 180,
            dead_stock_days: 90,
            lead_time_days: 7,
            service_level_pct: 95.0,
            service_level_a_pct: default_a(),
            service_level_c_pct: default_c(),
            digest_frequency: DigestFrequency::Daily,
        }
    }
}

/// The form as typed by the merchant: every field is text until parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsInput {
    pub low_stock_days: String,
    pub overstock_days: String,
    pub dead_stock_days: String,
    pub lead_time_days: String,
    pub service_level_pct: String,
    #[serde(default)]
    pub service_level_a_pct: String,
    #[serde(default)]
    pub service_level_c_pct: String,
    pub digest_frequency: String,
}

/// A message for one form field, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_string(), message: message.into() }
    }
}

/// Inclusive bounds per field, shared by the parser and the form's `min`/`max` attributes.
pub mod bounds {
    pub const LOW_STOCK_DAYS: (u32, u32) = (1, 365);
    pub const OVERSTOCK_DAYS: (u32, u32) = (7, 730);
    pub const DEAD_STOCK_DAYS: (u32, u32) = (7, 365);
    pub const LEAD_TIME_DAYS: (u32, u32) = (0, 180);
    pub const SERVICE_LEVEL_PCT: (f64, f64) = (50.0, 99.9);
}

fn whole_days(field: &str, raw: &str, (lo, hi): (u32, u32), errs: &mut Vec<FieldError>) -> u32 {
    match raw.trim().parse::<u32>() {
        Ok(v) if (lo..=hi).contains(&v) => v,
        Ok(_) => {
            errs.push(FieldError::new(field, format!("Enter a number of days from {lo} to {hi}.")));
            0
        }
        Err(_) => {
            errs.push(FieldError::new(field, "Enter a whole number of days, like 14."));
            0
        }
    }
}

/// A service level in percent, within `bounds::SERVICE_LEVEL_PCT`.
fn percent(field: &str, raw: &str, example: &str, errs: &mut Vec<FieldError>) -> f64 {
    let (lo, hi) = bounds::SERVICE_LEVEL_PCT;
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => v,
        Ok(_) => {
            errs.push(FieldError::new(field, format!("Enter a percentage from {lo} to {hi}.")));
            0.0
        }
        Err(_) => {
            errs.push(FieldError::new(field, format!("Enter a percentage, like {example}.")));
            0.0
        }
    }
}

impl SettingsInput {
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            low_stock_days: s.low_stock_days.to_string(),
            overstock_days: s.overstock_days.to_string(),
            dead_stock_days: s.dead_stock_days.to_string(),
            lead_time_days: s.lead_time_days.to_string(),
            service_level_pct: format!("{}", s.service_level_pct),
            service_level_a_pct: format!("{}", s.service_level_a_pct),
            service_level_c_pct: format!("{}", s.service_level_c_pct),
            digest_frequency: s.digest_frequency.as_str().to_string(),
        }
    }

    /// Sets one field by its form name; `false` for a name the form does not have.
    pub fn set(&mut self, field: &str, value: String) -> bool {
        let slot = match field {
            "low_stock_days" => &mut self.low_stock_days,
            "overstock_days" => &mut self.overstock_days,
            "dead_stock_days" => &mut self.dead_stock_days,
            "lead_time_days" => &mut self.lead_time_days,
            "service_level_pct" => &mut self.service_level_pct,
            "service_level_a_pct" => &mut self.service_level_a_pct,
            "service_level_c_pct" => &mut self.service_level_c_pct,
            "digest_frequency" => &mut self.digest_frequency,
            _ => return false,
        };
        *slot = value;
        true
    }

    /// All field errors at once, so the merchant fixes the form in one pass.
    pub fn parse(&self) -> Result<Settings, Vec<FieldError>> {
        use bounds::*;
        let mut errs = Vec::new();
        let low = whole_days("low_stock_days", &self.low_stock_days, LOW_STOCK_DAYS, &mut errs);
        let over = whole_days("overstock_days", &self.overstock_days, OVERSTOCK_DAYS, &mut errs);
        let dead = whole_days("dead_stock_days", &self.dead_stock_days, DEAD_STOCK_DAYS, &mut errs);
        let lead = whole_days("lead_time_days", &self.lead_time_days, LEAD_TIME_DAYS, &mut errs);
        let service = percent("service_level_pct", &self.service_level_pct, "95", &mut errs);
        let service_a = percent("service_level_a_pct", &self.service_level_a_pct, "98", &mut errs);
        let service_c = percent("service_level_c_pct", &self.service_level_c_pct, "90", &mut errs);
        let digest = DigestFrequency::parse(self.digest_frequency.trim()).unwrap_or_else(|| {
            errs.push(FieldError::new("digest_frequency", "Choose hourly, daily or off."));
            DigestFrequency::Off
        });
        // Cross-field rule, only once both values are individually valid.
        let field_ok = |f: &str| !errs.iter().any(|e| e.field == f);
        if field_ok("low_stock_days") && field_ok("overstock_days") && over <= low {
            errs.push(FieldError::new("overstock_days", format!("Must be more than the low-stock threshold ({low} days).")));
        }
        if errs.is_empty() {
            Ok(Settings {
                low_stock_days: low,
                overstock_days: over,
                dead_stock_days: dead,
                lead_time_days: lead,
                service_level_pct: service,
                service_level_a_pct: service_a,
                service_level_c_pct: service_c,
                digest_frequency: digest,
            })
        } else {
            Err(errs)
        }
    }
}

/// The message for `field`, if any — what the form shows next to that input.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SettingsInput {
        SettingsInput::from_settings(&Settings::default())
    }

    #[test]
    fn set_by_form_name() {
        let mut input = valid();
        assert!(input.set("lead_time_days", "30".into()));
        assert_eq!(input.parse().unwrap().lead_time_days, 30);
        assert!(!input.set("shop_id", "1".into()));
    }

    #[test]
    fn defaults_round_trip() {
        assert_eq!(valid().parse().unwrap(), Settings::default());
    }

    #[test]
    fn non_numeric_gets_a_message_at_the_field() {
        let input = SettingsInput { low_stock_days: "ten".into(), ..valid() };
        let errs = input.parse().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "low_stock_days");
        assert!(errs[0].message.contains("whole number"));
    }

    #[test]
    fn out_of_range_values_are_refused_each_with_its_message() {
        let input = SettingsInput {
            low_stock_days: "0".into(),
            lead_time_days: "500".into(),
            service_level_pct: "100".into(),
            digest_frequency: "weekly".into(),
            ..valid()
        };
        let errs = input.parse().unwrap_err();
        for f in ["low_stock_days", "lead_time_days", "service_level_pct", "digest_frequency"] {
            assert!(error_for(&errs, f).is_some(), "no error for {f}: {errs:?}");
        }
        assert!(error_for(&errs, "overstock_days").is_none());
    }

    #[test]
    fn overstock_must_exceed_low_stock() {
        let input = SettingsInput { low_stock_days: "60".into(), overstock_days: "30".into(), ..valid() };
        let errs = input.parse().unwrap_err();
        assert_eq!(error_for(&errs, "overstock_days"), Some("Must be more than the low-stock threshold (60 days)."));
    }

    #[test]
    fn whitespace_is_tolerated_and_fractions_refused() {
        let ok = SettingsInput { low_stock_days: " 21 ".into(), ..valid() }.parse().unwrap();
        assert_eq!(ok.low_stock_days, 21);
        assert!(SettingsInput { lead_time_days: "2.5".into(), ..valid() }.parse().is_err());
        assert!(SettingsInput { service_level_pct: "NaN".into(), ..valid() }.parse().is_err());
    }
}
