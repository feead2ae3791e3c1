//! Webhook payloads: the topics the app subscribes to, parsed into typed values.
