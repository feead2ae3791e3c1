//! Dead letters: messages a queue gave up on, kept for an operator.

use crate::error::AppError;
use crate::server::d1::{prepare, text};
use worker::{D1Database, D1PreparedStatement};

pub fn store(db: &D1Database, queue: &str, message_id: &str, body: &str, now: &str) -> Result<D1PreparedStatement, AppError> {
    prepare(
        db,
        "INSERT INTO dead_letters (queue, message_id, body, received_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(message_id) DO NOTHING",
        &[text(queue), text(message_id), text(body), text(now)],
    )
}
