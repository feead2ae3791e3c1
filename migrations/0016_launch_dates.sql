-- When products and variants were created in Shopify (`createdAt`; issue 17): a series'
-- history cannot begin before its variant existed, and a variant under two weeks old gets
-- a launch forecast. NULL until the next catalogue sync or product webhook brings it.
ALTER TABLE products ADD COLUMN created_at TEXT;
ALTER TABLE variants ADD COLUMN created_at TEXT;
