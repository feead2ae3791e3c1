-- Expiring offline access tokens (required by Shopify for public apps from 2027-01-01):
-- the access token's expiry, the refresh token (sealed like the access token) and its
-- expiry, all as Unix seconds. `token_version` is the compare-and-set guard every token
-- write checks, and `refresh_lease_until` lets one caller refresh while the others wait
-- for its result. `needs_signin_at`: the refresh token was refused; background work for
-- the shop pauses until the merchant opens the app (token exchange) again.
ALTER TABLE shops ADD COLUMN token_expires_at INTEGER;
ALTER TABLE shops ADD COLUMN refresh_token TEXT;
ALTER TABLE shops ADD COLUMN refresh_expires_at INTEGER;
ALTER TABLE shops ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN refresh_lease_until INTEGER;
ALTER TABLE shops ADD COLUMN needs_signin_at TEXT;
ALTER TABLE shops ADD COLUMN token_issued_at INTEGER;
