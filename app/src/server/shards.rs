//! Which D1 database holds a shop (issue 20). Shop data is spread over shards: the D1
//! bindings named, in a fixed order, by the `SHARDS` variable (wrangler.toml; `DB` alone
//! when unset). The first, `DB`, also keeps the directory (`shop_directory`: shop → shard)
//! and the tables no shop owns. A shard's index is its place in that list, so the list only
//! ever grows at its end.
//!
//! Code that acts for a shop gets its database here, from the shop's id or domain, and
//! nowhere else: a query reaches the one shard that holds the shop.

use super::bindings;
use super::context::internal;
use super::repo::directory;
use crate::error::AppError;
use std::cell::RefCell;
use std::collections::HashMap;
use worker::D1Database;

/// A shard: its index in `SHARDS` and its database.
pub struct Shard {
    pub index: usize,
    pub db: D1Database,
}

/// A shop's place: its id and its shard.
pub struct Placement {
    pub shop_id: i64,
    pub shard: Shard,
}

/// The shop a request acts for (`session::current_shop`), with the database of its shard:
/// the only database the request's shop-scoped queries can reach. Reads as its `ShopRow`.
pub struct CurrentShop {
    pub row: super::repo::shops::ShopRow,
    pub db: D1Database,
}

impl std::ops::Deref for CurrentShop {
    type Target = super::repo::shops::ShopRow;
    fn deref(&self) -> &super::repo::shops::ShopRow {
        &self.row
    }
}

thread_local! {
    /// `SHARDS` as this isolate read it: its variables do not change while it lives, and
    /// reading one from the Worker's env costs a request more than the query it serves.
    static NAMES: std::cell::OnceCell<Vec<String>> = const { std::cell::OnceCell::new() };
}

/// The shard bindings, in order: `SHARDS` ("DB,SHARD_1,…"), or `DB` alone.
pub fn names(env: &worker::Env) -> Vec<String> {
    NAMES.with(|n| n.get_or_init(|| read_names(env)).clone())
}

fn read_names(env: &worker::Env) -> Vec<String> {
    let listed = env.var("SHARDS").map(|v| v.to_string()).unwrap_or_default();
    let names: Vec<String> = listed.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if names.is_empty() {
        vec![bindings::DB.to_string()]
    } else {
        names
    }
}

/// The database with the directory and the shop-less tables (shard 0).
pub fn directory_db(env: &worker::Env) -> Result<D1Database, AppError> {
    env.d1(bindings::DB).map_err(|e| internal("D1 binding DB", e))
}

/// Shard `index`, if `SHARDS` has it.
pub fn shard(env: &worker::Env, index: usize) -> Result<Shard, AppError> {
    let names = names(env);
    let name = names.get(index).ok_or_else(|| internal("shard", format!("no shard {index} among {} (SHARDS)", names.len())))?;
    let db = env.d1(name).map_err(|e| internal("D1 shard binding", format!("{name}: {e}")))?;
    Ok(Shard { index, db })
}

/// Every shard, for the work that visits every shop (crons, cleanup).
pub fn all(env: &worker::Env) -> Result<Vec<Shard>, AppError> {
    (0..names(env).len()).map(|i| shard(env, i)).collect()
}

/// How long this isolate trusts a directory answer. A shop changes shard only when an
/// operator moves it, and the move waits longer than this before it deletes the old copy.
const CACHE_MS: f64 = 30_000.0;

thread_local! {
    /// shop id → (shard, domain, read at); and domain → shop id. One Worker isolate serves
    /// one request at a time on one thread, so a thread-local is its whole memory.
    static BY_ID: RefCell<HashMap<i64, (usize, String, f64)>> = RefCell::new(HashMap::new());
}

fn now_ms() -> f64 {
    worker::Date::now().as_millis() as f64
}

fn cached(pred: impl Fn(i64, &str) -> bool) -> Option<(i64, usize)> {
    let now = now_ms();
    BY_ID.with(|c| c.borrow().iter().find(|(id, (_, d, at))| now - at < CACHE_MS && pred(**id, d)).map(|(id, (s, _, _))| (*id, *s)))
}

fn remember(shop_id: i64, shard: usize, domain: &str) {
    BY_ID.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 10_000 {
            c.clear();
        }
        c.insert(shop_id, (shard, domain.to_string(), now_ms()));
    });
}

/// Forgets a shop's place (it was erased, or moved).
pub fn forget(shop_id: i64) {
    BY_ID.with(|c| c.borrow_mut().remove(&shop_id));
}

fn placement(env: &worker::Env, e: directory::Entry) -> Result<Placement, AppError> {
    let index = usize::try_from(e.shard).map_err(|_| internal("shard directory", format!("shard {}", e.shard)))?;
    remember(e.shop_id, index, &e.domain);
    Ok(Placement { shop_id: e.shop_id, shard: shard(env, index)? })
}

/// What a shop on a failing shard gets: 503 (retry soon); shops elsewhere are not touched.
pub fn unavailable(index: usize) -> AppError {
    AppError::Busy(format!("This shop's data is unavailable for a moment (shard {index}). Please try again shortly."))
}

/// Shard `index` for a shop's work, unless the fault tests marked it failing.
async fn usable(env: &worker::Env, index: usize) -> Result<Shard, AppError> {
    if super::faults::shard_down(env, index).await {
        return Err(unavailable(index));
    }
    shard(env, index)
}

/// Where the shop with this domain lives; `None` if the directory does not know it (not
/// installed, or erased): the caller treats it as any unknown shop.
pub async fn of_domain(env: &worker::Env, domain: &str) -> Result<Option<Placement>, AppError> {
    let found = match cached(|_, d| d == domain) {
        Some(hit) => Some(hit),
        None => directory::by_domain(&directory_db(env)?, domain)
            .await?
            .map(|e| placement(env, e))
            .transpose()?
            .map(|p| (p.shop_id, p.shard.index)),
    };
    match found {
        Some((shop_id, index)) => Ok(Some(Placement { shop_id, shard: usable(env, index).await? })),
        None => Ok(None),
    }
}

/// The database of the shop with this id; `None` if the directory does not know it.
pub async fn of_shop(env: &worker::Env, shop_id: i64) -> Result<Option<D1Database>, AppError> {
    let index = match cached(|id, _| id == shop_id) {
        Some((_, index)) => Some(index),
        None => directory::by_id(&directory_db(env)?, shop_id).await?.map(|e| placement(env, e)).transpose()?.map(|p| p.shard.index),
    };
    match index {
        Some(index) => Ok(Some(usable(env, index).await?.db)),
        None => Ok(None),
    }
}

/// The shard of a shop being installed: where it already is, or, for a new shop, the shard
/// holding the fewest variants (a new shop is expected to grow like the others, so size,
/// not the number of shops, decides). The directory row is written before any shop data.
pub async fn place(env: &worker::Env, shop_id: i64, domain: &str, now: &str) -> Result<Shard, AppError> {
    if let Some(p) = of_domain(env, domain).await? {
        if p.shop_id == shop_id {
            return Ok(p.shard);
        }
    }
    let d = directory_db(env)?;
    let lightest = directory::lightest(&d, names(env).len()).await?;
    directory::place(&d, shop_id, domain, lightest, now).await?;
    // Read back: a concurrent install of the same shop may have placed it first.
    forget(shop_id);
    let entry = directory::by_id(&d, shop_id).await?.ok_or_else(|| internal("shard directory", "placement missing after insert"))?;
    Ok(placement(env, entry)?.shard)
}

/// Records a shop's size after a sync, which placement weighs.
pub async fn record_size(env: &worker::Env, shop_id: i64, variants: i64) -> Result<(), AppError> {
    directory::set_variants(&directory_db(env)?, shop_id, variants).await
}

/// Removes an erased shop from the directory: from now on it is unknown.
pub async fn remove(env: &worker::Env, shop_id: i64) -> Result<(), AppError> {
    forget(shop_id);
    directory::remove(&directory_db(env)?, shop_id).await
}

/// The database of the shop a job names; `NotFound` once the directory no longer knows it
/// (erased after the job was queued).
pub async fn shop_db(env: &worker::Env, shop_id: i64) -> Result<D1Database, AppError> {
    of_shop(env, shop_id).await?.ok_or_else(|| AppError::NotFound(format!("Shop {shop_id}")))
}
