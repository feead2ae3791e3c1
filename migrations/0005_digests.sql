-- Digest emails: who gets them and when not, the shop's offset from UTC for "08:00" and
-- quiet hours, the urgency each alert had when last reported, and one row per window sent.

-- Addresses separated by ", " (validated by domain::digest::parse_recipients); '' = none.
ALTER TABLE settings ADD COLUMN digest_recipients TEXT NOT NULL DEFAULT '';
-- Shop-local hours, start inclusive, end exclusive (22 → 7 wraps); NULL = no quiet hours.
ALTER TABLE settings ADD COLUMN quiet_hours_start INTEGER CHECK (quiet_hours_start BETWEEN 0 AND 23);
ALTER TABLE settings ADD COLUMN quiet_hours_end INTEGER CHECK (quiet_hours_end BETWEEN 0 AND 23);

-- Shopify's shop.timezoneOffsetMinutes (the IANA zone is in shops.timezone, but the Worker
-- carries no time-zone database). 0 until the install/sync records it.
ALTER TABLE shops ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0;

-- The urgency a digest last reported for this alert: "worsened" is measured against it.
ALTER TABLE alerts ADD COLUMN reported_urgency REAL;

-- One row per digest window, claimed before sending: window_key (shop_id@start hour) is
-- unique, so a job run twice for the same window sends once.
CREATE TABLE digest_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id      INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    window_key   TEXT NOT NULL UNIQUE,
    window_start TEXT NOT NULL,
    window_end   TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    alerts       INTEGER NOT NULL,
    recipients   INTEGER NOT NULL
);
CREATE INDEX digest_log_latest ON digest_log (shop_id, window_end);
