-- Messages that exhausted their retries (the queues' dead-letter queues are consumed into
-- this table), for an operator to inspect (scripts/dead-letters.sh) and replay or drop.
CREATE TABLE dead_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    queue       TEXT NOT NULL,                 -- the dead-letter queue it came from
    message_id  TEXT NOT NULL UNIQUE,          -- a redelivered DLQ message is stored once
    body        TEXT NOT NULL,                 -- the original message, as JSON
    received_at TEXT NOT NULL
);
CREATE INDEX dead_letters_recent ON dead_letters (id DESC);
