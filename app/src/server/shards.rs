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

/// A shop's place: its id, its shard, and whether it is being moved to another shard
/// (`scripts/move-shop.sh`): then it is still read here, and what writes to it waits.
pub struct Placement {
    pub shop_id: i64,
    pub shard: Shard,
    pub moving: bool,
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

/// How long an isolate trusts a directory answer (`DIRECTORY_CACHE_SECS`, 30 unless set).
/// A shop changes shard only when an operator moves it, and the move waits longer than
/// this after marking the shop as moving (before copying) and after switching it (before
/// deleting the old copy), so no isolate writes to a copy that is no longer the shop's.
/// Read once per isolate, like `SHARDS`: every directory lookup asks for it.
fn cache_ms(env: &worker::Env) -> f64 {
    thread_local! {
        static MS: std::cell::OnceCell<f64> = const { std::cell::OnceCell::new() };
    }
    MS.with(|m| {
        *m.get_or_init(|| {
            let secs = env.var("DIRECTORY_CACHE_SECS").ok().and_then(|v| v.to_string().parse::<f64>().ok()).unwrap_or(30.0);
            secs * 1000.0
        })
    })
}

/// A cached directory answer.
#[derive(Clone)]
struct Known {
    shard: usize,
    domain: String,
    moving: bool,
    at: f64,
}

thread_local! {
    /// shop id → its directory entry as last read. One Worker isolate serves one request
    /// at a time on one thread, so a thread-local is its whole memory.
    static BY_ID: RefCell<HashMap<i64, Known>> = RefCell::new(HashMap::new());
}

fn now_ms() -> f64 {
    worker::Date::now().as_millis() as f64
}

fn cached(env: &worker::Env, pred: impl Fn(i64, &str) -> bool) -> Option<(i64, Known)> {
    let (now, ttl) = (now_ms(), cache_ms(env));
    BY_ID.with(|c| c.borrow().iter().find(|(id, k)| now - k.at < ttl && pred(**id, &k.domain)).map(|(id, k)| (*id, k.clone())))
}

fn remember(shop_id: i64, known: Known) {
    BY_ID.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 10_000 {
            c.clear();
        }
        c.insert(shop_id, known);
    });
}

/// Forgets a shop's place (it was erased, or moved).
pub fn forget(shop_id: i64) {
    BY_ID.with(|c| c.borrow_mut().remove(&shop_id));
}

fn known(e: directory::Entry) -> Result<(i64, Known), AppError> {
    let shard = usize::try_from(e.shard).map_err(|_| internal("shard directory", format!("shard {}", e.shard)))?;
    let known = Known { shard, domain: e.domain, moving: e.moving_to.is_some(), at: now_ms() };
    remember(e.shop_id, known.clone());
    Ok((e.shop_id, known))
}

async fn placed(env: &worker::Env, found: Option<(i64, Known)>) -> Result<Option<Placement>, AppError> {
    match found {
        Some((shop_id, k)) => Ok(Some(Placement { shop_id, shard: usable(env, k.shard).await?, moving: k.moving })),
        None => Ok(None),
    }
}

/// What a write for a shop being moved gets: 503, to retry once the move is done.
pub fn moving() -> AppError {
    AppError::Busy("This shop's data is being moved to another database. Please try again in a minute.".into())
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
    let found = match cached(env, |_, d| d == domain) {
        Some(hit) => Some(hit),
        None => directory::by_domain(&directory_db(env)?, domain).await?.map(known).transpose()?,
    };
    placed(env, found).await
}

/// Where the shop with this id lives; `None` if the directory does not know it.
pub async fn of_shop(env: &worker::Env, shop_id: i64) -> Result<Option<Placement>, AppError> {
    let found = match cached(env, |id, _| id == shop_id) {
        Some(hit) => Some(hit),
        None => directory::by_id(&directory_db(env)?, shop_id).await?.map(known).transpose()?,
    };
    placed(env, found).await
}

/// The shard of a shop being installed: where it already is, or, for a new shop, the shard
/// holding the fewest variants (a new shop is expected to grow like the others, so size,
/// not the number of shops, decides). The directory row is written before any shop data.
pub async fn place(env: &worker::Env, shop_id: i64, domain: &str, now: &str) -> Result<Shard, AppError> {
    if let Some(p) = of_domain(env, domain).await? {
        if p.shop_id == shop_id {
            return if p.moving { Err(moving()) } else { Ok(p.shard) };
        }
    }
    let d = directory_db(env)?;
    let lightest = directory::lightest(&d, names(env).len()).await?;
    directory::place(&d, shop_id, domain, lightest, now).await?;
    // Read back: a concurrent install of the same shop may have placed it first.
    forget(shop_id);
    let entry = directory::by_id(&d, shop_id).await?.ok_or_else(|| internal("shard directory", "placement missing after insert"))?;
    shard(env, known(entry)?.1.shard)
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
/// (erased after the job was queued); `Busy` while the shop is being moved (the job waits).
pub async fn shop_db(env: &worker::Env, shop_id: i64) -> Result<D1Database, AppError> {
    match of_shop(env, shop_id).await? {
        Some(p) if p.moving => Err(moving()),
        Some(p) => Ok(p.shard.db),
        None => Err(AppError::NotFound(format!("Shop {shop_id}"))),
    }
}
