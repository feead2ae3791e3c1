//! The shard directory (migration 0024, in the first database): which shard holds which shop.

use crate::error::AppError;
use crate::server::d1::{batch, first, int, prepare, run, text};
use worker::D1Database;

#[derive(serde::Deserialize)]
pub struct Entry {
    pub shop_id: i64,
    pub domain: String,
    pub shard: i64,
    /// The shard the shop is being copied to (scripts/move-shop.sh); `None` when settled.
    pub moving_to: Option<i64>,
}

pub async fn by_domain(dir: &D1Database, domain: &str) -> Result<Option<Entry>, AppError> {
    first(dir, "SELECT shop_id, domain, shard, moving_to FROM shop_directory WHERE domain = ?1", &[text(domain)]).await
}

pub async fn by_id(dir: &D1Database, shop_id: i64) -> Result<Option<Entry>, AppError> {
    first(dir, "SELECT shop_id, domain, shard, moving_to FROM shop_directory WHERE shop_id = ?1", &[int(shop_id)]).await
}

/// Of shards 0..count, the one holding the fewest variants (then the fewest shops).
pub async fn lightest(dir: &D1Database, count: usize) -> Result<usize, AppError> {
    #[derive(serde::Deserialize)]
    struct Pick {
        shard: i64,
    }
    let pick: Option<Pick> = first(
        dir,
        "WITH RECURSIVE n(shard) AS (SELECT 0 UNION ALL SELECT shard + 1 FROM n WHERE shard + 1 < ?1)
         SELECT n.shard FROM n LEFT JOIN shop_directory d ON d.shard = n.shard
         GROUP BY n.shard ORDER BY COALESCE(SUM(d.variants), 0), COUNT(d.shop_id), n.shard LIMIT 1",
        &[int(count as i64)],
    )
    .await?;
    Ok(pick.and_then(|p| usize::try_from(p.shard).ok()).unwrap_or(0))
}

/// Places a shop on `shard` unless it already has a place. A domain that comes back under
/// a new shop id (a new store on an old domain) leaves its old entry.
pub async fn place(dir: &D1Database, shop_id: i64, domain: &str, shard: usize, now: &str) -> Result<(), AppError> {
    batch(
        dir,
        vec![
            prepare(dir, "DELETE FROM shop_directory WHERE domain = ?1 AND shop_id != ?2", &[text(domain), int(shop_id)])?,
            prepare(
                dir,
                "INSERT INTO shop_directory (shop_id, domain, shard, variants, placed_at) VALUES (?1, ?2, ?3, 0, ?4)
                 ON CONFLICT(shop_id) DO UPDATE SET domain = excluded.domain",
                &[int(shop_id), text(domain), int(shard as i64), text(now)],
            )?,
        ],
    )
    .await
}

pub async fn set_variants(dir: &D1Database, shop_id: i64, variants: i64) -> Result<(), AppError> {
    run(dir, "UPDATE shop_directory SET variants = ?2 WHERE shop_id = ?1", &[int(shop_id), int(variants)]).await
}

pub async fn remove(dir: &D1Database, shop_id: i64) -> Result<(), AppError> {
    run(dir, "DELETE FROM shop_directory WHERE shop_id = ?1", &[int(shop_id)]).await
}
