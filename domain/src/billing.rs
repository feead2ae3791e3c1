//! Billing with Shopify's Managed Pricing (now "Shopify App Pricing"): the plans, their
//! prices and trials live in the Partner Dashboard, Shopify runs the plan selection page
//! and the charges; the app only reads the installation's active subscriptions and sends a
//! shop without one to that page. Followed: shopify.dev "Managed pricing" and "Redirect to
//! the plan selection page" (`https://admin.shopify.com/store/{store}/charges/{app}/pricing_plans`,
//! `currentAppInstallation { activeSubscriptions }` empty means no plan).
//!
//! Stock Sentry's own rule on top: a shop can use the app for `trial_days` after it
//! installed before it must choose a plan, and development stores get the whole app free.

use serde::{Deserialize, Serialize};

/// Reads the installation's subscriptions and whether the shop is a development store.
pub const BILLING_QUERY: &str = "query StockSentryBilling { currentAppInstallation { activeSubscriptions { id name status test trialDays createdAt currentPeriodEnd } } shop { plan { partnerDevelopment } } }";

/// How long a billing answer is reused (KV), so a visit does not cost a Shopify call.
pub const BILLING_CACHE_SECS: u64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    pub name: String,
    /// ACTIVE, CANCELLED, DECLINED, EXPIRED, FROZEN, PENDING (compared without case).
    pub status: String,
    #[serde(default)]
    pub test: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingData {
    pub current_app_installation: Installation,
    pub shop: BillingShop,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installation {
    #[serde(default)]
    pub active_subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingShop {
    pub plan: ShopPlan,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShopPlan {
    #[serde(default)]
    pub partner_development: bool,
}

/// What a shop may do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "access", rename_all = "snake_case")]
pub enum Access {
    /// A development store: free.
    Development,
    /// An active plan (a test charge counts: development and staff stores only make those).
    Subscribed { plan: String },
    /// Still inside the app's trial.
    Trial { days_left: i64 },
    /// Past the trial without an active plan: to the plan selection page.
    NeedsPlan,
}

impl Access {
    pub fn allowed(&self) -> bool {
        !matches!(self, Access::NeedsPlan)
    }
}

/// Decides access from Shopify's answer, the days since install and the trial length.
pub fn decide(data: &BillingData, days_installed: i64, trial_days: i64) -> Access {
    if data.shop.plan.partner_development {
        return Access::Development;
    }
    if let Some(s) = data.current_app_installation.active_subscriptions.iter().find(|s| s.status.eq_ignore_ascii_case("ACTIVE")) {
        return Access::Subscribed { plan: s.name.clone() };
    }
    let left = trial_days - days_installed.max(0);
    if left > 0 {
        Access::Trial { days_left: left }
    } else {
        Access::NeedsPlan
    }
}

/// Shopify's plan selection page for the shop (`admin_origin` is `https://admin.shopify.com`,
/// or the local fake's); the store handle is the shop's myshopify subdomain.
pub fn plan_selection_url(admin_origin: &str, shop_domain: &str, app_handle: &str) -> String {
    let store = shop_domain.strip_suffix(".myshopify.com").unwrap_or(shop_domain);
    format!("{}/store/{store}/charges/{app_handle}/pricing_plans", admin_origin.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(dev: bool, subs: &[(&str, &str)]) -> BillingData {
        serde_json::from_value(serde_json::json!({
            "currentAppInstallation": { "activeSubscriptions": subs.iter().map(|(n, s)| serde_json::json!({
                "id": "gid://shopify/AppSubscription/1", "name": n, "status": s, "test": false, "trialDays": 0 })).collect::<Vec<_>>() },
            "shop": { "plan": { "partnerDevelopment": dev } }
        }))
        .unwrap()
    }

    #[test]
    fn development_stores_are_free_and_an_active_plan_opens_the_app() {
        assert_eq!(decide(&data(true, &[]), 400, 14), Access::Development);
        assert_eq!(decide(&data(false, &[("Growth", "ACTIVE")]), 400, 14), Access::Subscribed { plan: "Growth".into() });
        assert_eq!(decide(&data(false, &[("Growth", "active")]), 400, 14), Access::Subscribed { plan: "Growth".into() });
    }

    #[test]
    fn the_trial_runs_from_install_then_a_plan_is_needed() {
        assert_eq!(decide(&data(false, &[]), 3, 14), Access::Trial { days_left: 11 });
        assert_eq!(decide(&data(false, &[]), 14, 14), Access::NeedsPlan);
        assert_eq!(decide(&data(false, &[("Growth", "CANCELLED"), ("Growth", "FROZEN")]), 30, 14), Access::NeedsPlan);
        assert!(!Access::NeedsPlan.allowed() && Access::Trial { days_left: 1 }.allowed());
    }

    #[test]
    fn plan_page_is_under_the_store_handle() {
        assert_eq!(
            plan_selection_url("https://admin.shopify.com/", "alpine-threads.myshopify.com", "stock-sentry"),
            "https://admin.shopify.com/store/alpine-threads/charges/stock-sentry/pricing_plans"
        );
    }
}
