//! The variant page's data: the engine run for this one variant (three small reads), its
//! stock and sales days, its stored forecast error and seasonal pattern, its live alerts.
//! A fixed number of queries whatever the variant's history: no query per day or location.

use super::recalc::assess_shop;
use super::repo::{alerts, forecasts, sales, shops::ShopRow};
use crate::components::format::money;
use crate::error::AppError;
use crate::wire::suppliers::VariantSupply;
use crate::wire::variant::{ForecastError, LiveAlert, LocationStock, VariantPage, FUTURE_DAYS, PAST_DAYS};
use chrono::{Days, NaiveDate};
use domain::chart::{FutureDay, PastDay};
use domain::engine::explain::{in_words, launch_in_words, yearly_in_words};
use domain::purchasing::ItemInput;
use domain::RiskKind;
use worker::D1Database;

pub async fn load(
    db: &D1Database,
    shop: &ShopRow,
    variant_id: i64,
    location_id: Option<i64>,
    today: NaiveDate,
    returned: Option<(String, String)>,
) -> Result<VariantPage, AppError> {
    let super::recalc::ShopAssessment { rows, assessments, settings, .. } = assess_shop(db, shop.id, Some(&[variant_id]), today).await?;
    let not_found =
        || AppError::NotFound("This variant is not in your shop, or it is not stocked at any location Stock Sentry watches.".into());
    let first = rows.first().ok_or_else(not_found)?;
    let chosen = match location_id {
        Some(l) => rows.iter().position(|r| r.location_id == l).ok_or_else(not_found)?,
        None => 0,
    };
    let (row, a) = (&rows[chosen], &assessments[chosen]);

    let from = today.checked_sub_days(Days::new(PAST_DAYS)).unwrap_or(today);
    let days = sales::position_days(db, shop.id, variant_id, row.location_id, &from.to_string()).await?;
    let live = alerts::live(db, shop.id, Some(&[variant_id])).await?;
    let latest = forecasts::latest(db, shop.id, variant_id).await?;
    let pattern = forecasts::pattern(db, shop.id, variant_id).await?;
    let shop_pattern = forecasts::pattern(db, shop.id, 0).await?;
    let supply = supply_of(db, shop.id, variant_id).await?;
    let (sold_in, made_of) = super::repo::bundles::of_variant(db, shop.id, variant_id).await?;
    let (bundle_note, bundle_words) = bundle_words(&sold_in, &made_of);
    let owner = domain::overrides::Owner {
        variant_id,
        product_id: first.product_id,
        // The positions read already resolved it: the catalogue's supplier, else the vendor's.
        supplier_id: first.supplier_id,
        vendor: &first.vendor,
    };
    let reaching = super::repo::overrides::reaching(db, shop.id, &owner).await?;
    let levels_html = super::override_form::html(&owner, &first.product_title, reaching, &settings, returned.clone());
    let supply_html = super::supply_form::html(supply, variant_id, returned);

    let past = past_days(from, today, &days);
    let z = a.explanation.z;
    let sigma = a.forecast.sigma_daily;
    let future = (0..FUTURE_DAYS)
        .filter_map(|i| today.checked_add_days(Days::new(i)))
        .map(|day| {
            let expected = a.forecast.on(day);
            FutureDay { day, expected, low: (expected - z * sigma).max(0.0), high: expected + z * sigma }
        })
        .collect();
    let error = latest
        .iter()
        .find(|f| f.location_id == row.location_id)
        .and_then(|f| Some(ForecastError { mase: f.mase?, naive_mase: f.naive_mase, scored_days: f.scored_days }));
    let alerts = live
        .into_iter()
        .filter(|l| l.location_id == row.location_id)
        .filter_map(|l| {
            let kind = RiskKind::parse(&l.kind)?;
            Some(LiveAlert {
                id: l.id,
                kind,
                state: l.state,
                snoozed_until: l.snoozed_until,
                words: in_words(kind, &a.explanation, &|c| money(c, &shop.currency)) + &bundle_words,
            })
        })
        .collect();
    let parse7 = |s: &str| serde_json::from_str::<[f64; 7]>(s).ok();

    Ok(VariantPage {
        variant_id,
        product_title: first.product_title.clone(),
        variant_title: first.variant_title.clone(),
        sku: first.sku.clone(),
        vendor: first.vendor.clone(),
        currency: shop.currency.clone(),
        price_cents: first.price_cents,
        cost_cents: first.cost_cents,
        today,
        locations: rows
            .iter()
            .zip(&assessments)
            .map(|(r, a)| LocationStock {
                location_id: r.location_id,
                name: r.location_name.clone(),
                on_hand: r.on_hand,
                incoming: r.incoming,
                days_of_cover: a.explanation.days_of_cover,
            })
            .collect(),
        location_id: row.location_id,
        explanation: a.explanation,
        pattern: a.forecast.pattern,
        method: a.forecast.method,
        alerts,
        past,
        future,
        error,
        day_of_week: pattern.as_ref().and_then(|p| parse7(&p.day_of_week)).unwrap_or(a.forecast.day_of_week),
        shop_day_of_week: shop_pattern.as_ref().and_then(|p| parse7(&p.day_of_week)),
        week_of_year: pattern.as_ref().and_then(|p| serde_json::from_str(p.week_of_year.as_deref()?).ok()),
        yearly_words: yearly_in_words(a.explanation.yearly_factor, pattern.as_ref().map(|p| p.history_days)),
        launch_words: a.explanation.launch.as_ref().map(launch_in_words),
        pattern_fitted_at: pattern.map(|p| p.fitted_at),
        product_id: first.product_id,
        levels_html,
        supply_html,
        bundle_note,
    })
}

/// The page's bundle note, and what a component's alerts add: the bundles that drive it.
fn bundle_words(sold_in: &[super::repo::bundles::BundleRow], made_of: &[super::repo::bundles::BundleRow]) -> (String, String) {
    let list = |names: Vec<String>| names.join(", ");
    if !made_of.is_empty() {
        let parts = list(made_of.iter().map(|r| format!("{} ({}) ×{}", r.component_title, r.component_sku, r.quantity)).collect());
        return (
            format!(
                "A bundle of {parts}. Its stock is its components', so it raises no alerts of its own; its sales count as their demand."
            ),
            String::new(),
        );
    }
    if sold_in.is_empty() {
        return (String::new(), String::new());
    }
    let bundles = list(sold_in.iter().map(|r| format!("{} ×{}", r.bundle_title, r.quantity)).collect());
    (format!("Sold in bundles too: {bundles}. Their sales count as its demand."), format!(" Driven by the bundles {bundles}."))
}

/// The variant's supplier and terms for its form: its own catalogue entry, else its
/// vendor's supplier with single units; `NotFound` for a variant that is not the shop's.
pub async fn supply_of(db: &D1Database, shop_id: i64, variant_id: i64) -> Result<VariantSupply, AppError> {
    use super::repo::suppliers;
    let vendor = suppliers::vendor_of(db, shop_id, variant_id).await?.ok_or_else(|| AppError::NotFound("That variant".into()))?;
    let vendor = vendor.as_str();
    suppliers::ensure_vendor_suppliers(db, shop_id, &super::context::now_rfc3339()).await?;
    let item = suppliers::item_of(db, shop_id, variant_id).await?;
    let input = match &item {
        Some(i) => ItemInput {
            supplier_id: i.supplier_id.to_string(),
            supplier_sku: i.supplier_sku.clone(),
            // Two decimals read back the same in any currency (`money::parse_cents`).
            unit_cost: i.unit_cost_cents.map(|c| domain::money::plain(c, "USD")).unwrap_or_default(),
            moq: i.moq.to_string(),
            case_pack: i.case_pack.to_string(),
            whole_product: String::new(),
        },
        None => ItemInput::default(),
    };
    Ok(VariantSupply {
        suppliers: suppliers::names(db, shop_id).await?,
        own_supplier: item.map(|i| i.supplier_id),
        vendor_supplier: suppliers::vendor_supplier(db, shop_id, vendor).await?,
        input,
    })
}

/// Every day from `from` to yesterday: a day without a row sold nothing and was in stock.
/// Stock is known on days with a row; between rows it is carried forward (no sale, so no
/// change except deliveries, which the chart cannot know). Today's level starts the projection.
fn past_days(from: NaiveDate, today: NaiveDate, rows: &[sales::SalesDay]) -> Vec<PastDay> {
    let mut out = Vec::with_capacity(PAST_DAYS as usize);
    let mut rows = rows.iter().peekable();
    let mut stock = None;
    let mut day = from;
    while day < today {
        let key = day.to_string();
        while rows.peek().is_some_and(|r| r.day < key) {
            rows.next();
        }
        let row = rows.peek().filter(|r| r.day == key);
        match row {
            Some(r) => stock = r.stock_end.or(stock),
            // A day without a row was in stock: after a stockout, a delivery came that the
            // data does not size, so the level is unknown until the next row.
            None if stock.is_some_and(|s| s <= 0) => stock = None,
            None => {}
        }
        out.push(PastDay {
            day,
            sold: row.map_or(0, |r| u32::try_from((r.units_sold - r.units_returned).max(0)).unwrap_or(u32::MAX)),
            stock,
            out_of_stock: row.is_some_and(|r| r.out_of_stock != 0),
        });
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    out
}
