-- The first sync of an install is claimed once: an embedded page's first load sends several
-- requests at once, each with a session token that triggers a token exchange, and each
-- exchange installs; only the one that claims the sync starts it (Shopify allows one bulk
-- export per shop at a time). A re-install after an uninstall clears the claim.
ALTER TABLE shops ADD COLUMN sync_claimed_at TEXT;
