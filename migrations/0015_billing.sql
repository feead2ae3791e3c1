-- Managed Pricing: the plan Shopify last reported for the shop (app_subscriptions/update),
-- for operators and support; the billing gate itself asks Shopify (cached in KV 5 min).
ALTER TABLE shops ADD COLUMN plan_name TEXT;
ALTER TABLE shops ADD COLUMN plan_status TEXT;
ALTER TABLE shops ADD COLUMN plan_updated_at TEXT;
