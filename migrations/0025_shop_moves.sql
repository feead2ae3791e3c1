-- Moving a shop between shards (issue 20, scripts/move-shop.sh): while `moving_to` names a
-- shard, the shop is read from its old shard, and what would write to it waits (webhooks
-- and jobs retry, server functions answer 503) until the copy is switched or abandoned.
ALTER TABLE shop_directory ADD COLUMN moving_to INTEGER CHECK (moving_to >= 0);
