use crate::error::AppError;
use crate::server::d1::{batch, first, int, opt_int, opt_text, prepare, text};
use domain::engine::ShopZone;
use domain::ShopDomain;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Deserialize)]
pub struct ShopRow {
    pub id: i64,
    pub domain: String,
    pub name: String,
    pub currency: String,
    /// 1 when an offline access token is stored and usable (the app can call Shopify for
    /// this shop): not waiting for the merchant to sign in again.
    pub has_token: i64,
    /// 1 when that token is an expiring one (0: none, a legacy non-expiring token, or one
    /// whose refresh was refused): an embedded visit then runs token exchange.
    #[serde(default)]
    pub token_current: i64,
    /// Minutes east of UTC (Shopify's `timezoneOffsetMinutes` at install): the fallback of
    /// `timezone`.
    #[serde(default)]
    pub utc_offset_minutes: i32,
    /// Shopify's `ianaTimezone`: sales days and "today" are the shop's own (`zone`).
    #[serde(default)]
    pub timezone: String,
}

impl ShopRow {
    /// The shop's calendar: its IANA zone with daylight saving, else its install-time offset.
    pub fn zone(&self) -> ShopZone {
        ShopZone::stored(&self.timezone, self.utc_offset_minutes)
    }
}

const BY_DOMAIN: &str = "SELECT id, domain, name, currency, (access_token IS NOT NULL AND needs_signin_at IS NULL) AS has_token,
        (access_token IS NOT NULL AND needs_signin_at IS NULL AND token_expires_at IS NOT NULL) AS token_current, utc_offset_minutes, timezone
 FROM shops WHERE domain = ?1 AND uninstalled_at IS NULL";

pub async fn by_domain(db: &D1Database, domain: &ShopDomain) -> Result<Option<ShopRow>, AppError> {
    first(db, BY_DOMAIN, &[text(domain.as_str())]).await
}

/// `by_domain` as a statement, for a caller that batches it with its own reads.
pub fn by_domain_statement(db: &D1Database, domain: &ShopDomain) -> Result<D1PreparedStatement, AppError> {
    prepare(db, BY_DOMAIN, &[text(domain.as_str())])
}

pub struct Installed<'a> {
    pub id: i64,
    pub domain: &'a str,
    pub name: &'a str,
    pub currency: &'a str,
    pub timezone: &'a str,
    /// Minutes east of UTC now (Shopify's `timezoneOffsetMinutes`).
    pub utc_offset_minutes: i32,
    /// The offline access token, sealed with `TOKEN_SEALING_KEY`, and its lifetimes.
    pub token: SealedToken,
    pub scopes: &'a str,
}

/// An offline token as stored: sealed secrets, Unix-second times.
#[derive(Debug, Clone, Deserialize)]
pub struct SealedToken {
    pub access_token: String,
    pub token_expires_at: Option<i64>,
    pub token_issued_at: Option<i64>,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<i64>,
}

/// Records an install (or a re-install after `app/uninstalled`), with default settings.
pub async fn upsert_installed(db: &D1Database, s: &Installed<'_>) -> Result<(), AppError> {
    let shop = prepare(
        db,
        "INSERT INTO shops (id, domain, name, currency, timezone, access_token, scopes, utc_offset_minutes,
                            token_expires_at, token_issued_at, refresh_token, refresh_expires_at, token_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)
         ON CONFLICT(id) DO UPDATE SET domain = excluded.domain, name = excluded.name,
           currency = excluded.currency, timezone = excluded.timezone, utc_offset_minutes = excluded.utc_offset_minutes,
           sync_claimed_at = CASE WHEN shops.uninstalled_at IS NULL THEN shops.sync_claimed_at END, uninstalled_at = NULL",
        &[
            int(s.id),
            text(s.domain),
            text(s.name),
            text(s.currency),
            text(s.timezone),
            text(&s.token.access_token),
            text(s.scopes),
            int(s.utc_offset_minutes.into()),
            opt_int(s.token.token_expires_at),
            opt_int(s.token.token_issued_at),
            opt_text(s.token.refresh_token.as_deref()),
            opt_int(s.token.refresh_expires_at),
        ],
    )?;
    // Concurrent grants (an embedded page's first requests each exchanging a session token):
    // Shopify retires the older refresh tokens at each grant, so the newest answer must win.
    // A new row already holds this token; an existing one takes it only if it is not older.
    let token = prepare(
        db,
        "UPDATE shops SET access_token = ?2, scopes = ?3, token_expires_at = ?4, token_issued_at = ?5, refresh_token = ?6,
                refresh_expires_at = ?7, token_version = token_version + 1, refresh_lease_until = NULL, needs_signin_at = NULL
         WHERE id = ?1 AND (access_token IS NOT ?2) AND (token_issued_at IS NULL OR ?5 IS NULL OR token_issued_at <= ?5 OR needs_signin_at IS NOT NULL OR token_expires_at IS NULL)",
        &[int(s.id), text(&s.token.access_token), text(s.scopes), opt_int(s.token.token_expires_at), opt_int(s.token.token_issued_at),
          opt_text(s.token.refresh_token.as_deref()), opt_int(s.token.refresh_expires_at)],
    )?;
    let settings = prepare(db, "INSERT INTO settings (shop_id) VALUES (?1) ON CONFLICT(shop_id) DO NOTHING", &[int(s.id)])?;
    batch(db, vec![shop, token, settings]).await
}

/// Claims the install's first sync: `true` for exactly one caller per install, however
/// many install at once (D1 applies writes one at a time).
pub async fn claim_first_sync(db: &D1Database, shop_id: i64, now: &str) -> Result<bool, AppError> {
    let result =
        prepare(db, "UPDATE shops SET sync_claimed_at = ?2 WHERE id = ?1 AND sync_claimed_at IS NULL", &[int(shop_id), text(now)])?
            .run()
            .await
            .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&result) == 1)
}

/// A shop's token row: what `server::tokens` decides from.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenRow {
    pub access_token: Option<String>,
    pub token_expires_at: Option<i64>,
    pub token_issued_at: Option<i64>,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<i64>,
    pub token_version: i64,
    pub refresh_lease_until: Option<i64>,
    pub needs_signin_at: Option<String>,
}

pub async fn token_row(db: &D1Database, shop_id: i64) -> Result<Option<TokenRow>, AppError> {
    first(
        db,
        "SELECT access_token, token_expires_at, token_issued_at, refresh_token, refresh_expires_at, token_version,
                refresh_lease_until, needs_signin_at
         FROM shops WHERE id = ?1 AND uninstalled_at IS NULL",
        &[int(shop_id)],
    )
    .await
}

/// Takes the right to refresh the token at `version` until `until` (Unix seconds): `true`
/// for one caller; the others wait for its result.
pub async fn take_refresh_lease(db: &D1Database, shop_id: i64, version: i64, now: i64, until: i64) -> Result<bool, AppError> {
    let r = prepare(
        db,
        "UPDATE shops SET refresh_lease_until = ?3 WHERE id = ?1 AND token_version = ?2 AND uninstalled_at IS NULL
           AND (refresh_lease_until IS NULL OR refresh_lease_until < ?4)",
        &[int(shop_id), int(version), int(until), int(now)],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

/// Stores a refreshed (or migrated) token if the row is still at `version`.
pub async fn store_refreshed(db: &D1Database, shop_id: i64, version: i64, t: &SealedToken) -> Result<bool, AppError> {
    let r = prepare(
        db,
        "UPDATE shops SET access_token = ?3, token_expires_at = ?4, token_issued_at = ?5, refresh_token = ?6, refresh_expires_at = ?7,
                token_version = token_version + 1, refresh_lease_until = NULL
         WHERE id = ?1 AND token_version = ?2 AND uninstalled_at IS NULL",
        &[
            int(shop_id),
            int(version),
            text(&t.access_token),
            opt_int(t.token_expires_at),
            opt_int(t.token_issued_at),
            opt_text(t.refresh_token.as_deref()),
            opt_int(t.refresh_expires_at),
        ],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

pub async fn release_refresh_lease(db: &D1Database, shop_id: i64, version: i64) -> Result<(), AppError> {
    crate::server::d1::run(
        db,
        "UPDATE shops SET refresh_lease_until = NULL WHERE id = ?1 AND token_version = ?2",
        &[int(shop_id), int(version)],
    )
    .await
}

/// The refresh token was refused: the shop waits for its merchant. `true` the first time.
pub async fn mark_needs_signin(db: &D1Database, shop_id: i64, version: i64, now: &str) -> Result<bool, AppError> {
    let r = prepare(
        db,
        "UPDATE shops SET needs_signin_at = ?3, refresh_lease_until = NULL
         WHERE id = ?1 AND token_version = ?2 AND needs_signin_at IS NULL",
        &[int(shop_id), int(version), text(now)],
    )?
    .run()
    .await
    .map_err(|e| crate::server::context::internal("D1 write", e))?;
    Ok(crate::server::d1::changes(&r) == 1)
}

/// A shop by domain even if uninstalled (compliance webhooks arrive after uninstall).
/// The shops of a batch of webhooks, installed or not (an uninstalled shop's data still
/// takes its webhooks until shop/redact): one query for the batch.
pub async fn by_domains_any(db: &D1Database, domains: &[&str]) -> Result<Vec<ShopRow>, AppError> {
    if domains.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(domains).map_err(|e| crate::server::context::internal("shop domains", e))?;
    crate::server::d1::all(
        db,
        "SELECT id, domain, name, currency, (access_token IS NOT NULL AND needs_signin_at IS NULL) AS has_token, utc_offset_minutes, timezone FROM shops
         WHERE domain IN (SELECT value FROM json_each(?1))",
        &[text(&list)],
    )
    .await
}

/// `app/uninstalled`: the token is revoked by Shopify, so drop it; data stays until
/// `shop/redact` (48 h later) asks for it to go.
pub fn mark_uninstalled(db: &D1Database, shop_id: i64, now: &str) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![
        // A running import stops: its next step finds the run ended, and its staged rows go.
        prepare(
            db,
            "UPDATE sync_runs SET status = 'failed', error = 'Stopped: the app was uninstalled.', finished_at = ?2
             WHERE shop_id = ?1 AND status IN ('queued', 'running')",
            &[int(shop_id), text(now)],
        )?,
        prepare(db, "DELETE FROM import_sales WHERE run_id IN (SELECT id FROM sync_runs WHERE shop_id = ?1)", &[int(shop_id)])?,
        prepare(
            db,
            "UPDATE shops SET uninstalled_at = ?2, access_token = NULL, token_expires_at = NULL, token_issued_at = NULL,
                refresh_token = NULL, refresh_expires_at = NULL, refresh_lease_until = NULL, needs_signin_at = NULL,
                token_version = token_version + 1
         WHERE id = ?1",
            &[int(shop_id), text(now)],
        )?,
    ])
}

/// Every table holding shop data, children first.
const SHOP_TABLES: [&str; 25] = [
    "channel_deliveries",
    "alert_channels",
    "digest_log",
    "shopify_incoming",
    "purchase_order_lines",
    "purchase_orders",
    "supplier_items",
    "supplier_vendors",
    "suppliers",
    "forecasts",
    "outbox",
    "daily_sales",
    "inventory_levels",
    "variants",
    "products",
    "locations",
    "alerts",
    "seasonal_patterns",
    "variant_classes",
    "orders_seen",
    "refunds_seen",
    "sync_runs",
    "webhook_events",
    "overrides",
    "settings",
];

/// `shop/redact`: delete every row of the shop, the shop itself last.
pub fn redact(db: &D1Database, shop_id: i64) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut out = Vec::with_capacity(SHOP_TABLES.len() + 2);
    // Staged rows of an import carry the run, not the shop: they go before the runs do.
    out.push(prepare(db, "DELETE FROM import_sales WHERE run_id IN (SELECT id FROM sync_runs WHERE shop_id = ?1)", &[int(shop_id)])?);
    for table in SHOP_TABLES {
        out.push(prepare(db, &format!("DELETE FROM {table} WHERE shop_id = ?1"), &[int(shop_id)])?);
    }
    out.push(prepare(db, "DELETE FROM shops WHERE id = ?1", &[int(shop_id)])?);
    Ok(out)
}

pub async fn set_primary_location(db: &D1Database, shop_id: i64, location_id: i64) -> Result<(), AppError> {
    crate::server::d1::run(db, "UPDATE shops SET primary_location_id = ?2 WHERE id = ?1", &[int(shop_id), int(location_id)]).await
}

#[derive(Deserialize)]
struct Domain {
    domain: String,
}

pub async fn domain_of(db: &D1Database, shop_id: i64) -> Result<Option<ShopDomain>, AppError> {
    let row: Option<Domain> = first(db, "SELECT domain FROM shops WHERE id = ?1", &[int(shop_id)]).await?;
    Ok(row.and_then(|r| ShopDomain::parse(&r.domain).ok()))
}

#[derive(Deserialize)]
pub struct SalesFrame {
    pub primary_location_id: Option<i64>,
    #[serde(default)]
    pub utc_offset_minutes: i32,
    #[serde(default)]
    pub timezone: String,
}

impl SalesFrame {
    /// The shop's calendar, as `ShopRow::zone`.
    pub fn zone(&self) -> ShopZone {
        ShopZone::stored(&self.timezone, self.utc_offset_minutes)
    }
}

/// Where orders without a location count (the primary location), and the shop's time zone.
pub async fn sales_frame(db: &D1Database, shop_id: i64) -> Result<SalesFrame, AppError> {
    let row: Option<SalesFrame> =
        first(db, "SELECT primary_location_id, utc_offset_minutes, timezone FROM shops WHERE id = ?1", &[int(shop_id)]).await?;
    Ok(row.unwrap_or(SalesFrame { primary_location_id: None, utc_offset_minutes: 0, timezone: String::new() }))
}

/// The shop's own day now: the day its sales are counted in.
pub async fn local_today(db: &D1Database, shop_id: i64) -> Result<chrono::NaiveDate, AppError> {
    Ok(crate::server::context::today_in(sales_frame(db, shop_id).await?.zone()))
}

#[derive(Deserialize)]
pub struct InstalledShop {
    pub id: i64,
    /// 1 when the app holds an access token and can sync the shop.
    pub has_token: i64,
}

/// Every installed shop: what the nightly jobs fan out over.
/// Every shop with data, installed or not (data stays until `shop/redact`): retention
/// applies to all of them.
pub async fn all_ids(db: &D1Database) -> Result<Vec<i64>, AppError> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let rows: Vec<Id> = crate::server::d1::all(db, "SELECT id FROM shops ORDER BY id", &[]).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub async fn installed(db: &D1Database) -> Result<Vec<InstalledShop>, AppError> {
    crate::server::d1::all(
        db,
        "SELECT id, (access_token IS NOT NULL AND needs_signin_at IS NULL) AS has_token FROM shops WHERE uninstalled_at IS NULL ORDER BY id",
        &[],
    )
    .await
}

/// Whole days since the shop installed the app, or since `since` (YYYY-MM-DD, when billing
/// began) if that is later: its trial runs from then.
pub async fn days_installed(db: &D1Database, shop_id: i64, since: &str) -> Result<i64, AppError> {
    #[derive(Deserialize)]
    struct Days {
        days: Option<f64>,
    }
    let row: Option<Days> = first(
        db,
        "SELECT julianday('now') - MAX(julianday(installed_at), COALESCE(julianday(NULLIF(?2, '')), 0)) AS days FROM shops WHERE id = ?1",
        &[int(shop_id), text(since)],
    )
    .await?;
    Ok(row.and_then(|r| r.days).map_or(0, |d| d.floor() as i64))
}

/// `app_subscriptions/update`: the plan as Shopify last reported it.
pub fn record_plan(db: &D1Database, shop_id: i64, name: &str, status: &str, now: &str) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![prepare(
        db,
        "UPDATE shops SET plan_name = ?2, plan_status = upper(?3), plan_updated_at = ?4 WHERE id = ?1",
        &[int(shop_id), text(name), text(status), text(now)],
    )?])
}

#[derive(Deserialize)]
struct LocationId {
    id: Option<i64>,
}

/// Where an order without a location of its own (an online order) is counted: the shop's
/// primary location, else its first.
pub async fn default_location(db: &D1Database, shop_id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<LocationId> = first(
        db,
        "SELECT COALESCE((SELECT primary_location_id FROM shops WHERE id = ?1),
                         (SELECT MIN(id) FROM locations WHERE shop_id = ?1)) AS id",
        &[int(shop_id)],
    )
    .await?;
    Ok(row.and_then(|r| r.id))
}

/// How many variants the shop has: its size, which shard placement weighs.
pub async fn variant_count(db: &D1Database, shop_id: i64) -> Result<i64, AppError> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    let row: Option<N> = first(db, "SELECT COUNT(*) AS n FROM variants WHERE shop_id = ?1", &[int(shop_id)]).await?;
    Ok(row.map_or(0, |r| r.n))
}
