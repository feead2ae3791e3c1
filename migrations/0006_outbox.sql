-- Mail captured instead of sent (MAIL_TRANSPORT = "capture", the local default): what a
-- developer reads at /dev/outbox and what tests assert on.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id    INTEGER,
    tag        TEXT NOT NULL,                 -- e.g. "digest"
    idempotency_key TEXT,
    sender     TEXT NOT NULL,
    recipients TEXT NOT NULL,                 -- JSON array
    subject    TEXT NOT NULL,
    html       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_recent ON outbox (shop_id, id DESC);
