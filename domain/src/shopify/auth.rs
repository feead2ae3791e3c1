//! Authenticating what claims to come from Shopify: webhook HMAC, OAuth query HMAC, session tokens.
