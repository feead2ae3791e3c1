//! Offline access tokens as Shopify issues them since 2025-12 and requires them from
//! 2027-01-01 for public apps: an access token that expires (60 min) with a refresh token
//! (90 days) that rotates on every refresh. Pure: the grant bodies the app posts to
//! `/admin/oauth/access_token`, the answer it reads back, and when to refresh.
//!
//! Followed: shopify.dev "Offline access tokens" (acquiring with `expiring=1`, refreshing,
//! the 2026-08-28 "more resilient refreshes" rule: the previous refresh token stays usable
//! until its replacement is first used), "Token exchange", "Migrate to expiring offline
//! access tokens", and Shopify/shopify-app-js (`lib/auth/oauth/refresh-token.ts`,
//! `migrate-to-expiring-token.ts`, `ensure-offline-token-is-not-expired.ts`: refresh when
//! five minutes or less remain). Bodies are JSON, as shopify-app-js sends them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
pub const OFFLINE_TOKEN_TYPE: &str = "urn:shopify:params:oauth:token-type:offline-access-token";
pub const ONLINE_TOKEN_TYPE: &str = "urn:shopify:params:oauth:token-type:online-access-token";
pub const REFRESH_GRANT: &str = "refresh_token";

/// Refresh when this little of the access token's life remains (shopify-app-js: 5 min).
pub const REFRESH_AHEAD_SECS: i64 = 300;
/// The day Shopify stops accepting non-expiring offline tokens from public apps.
pub const NON_EXPIRING_CUTOFF: &str = "2027-01-01T00:00:00Z";

/// The authorization-code grant, asking for an expiring offline token.
pub fn code_grant(client_id: &str, client_secret: &str, code: &str) -> Value {
    json!({"client_id": client_id, "client_secret": client_secret, "code": code, "expiring": "1"})
}

/// Token exchange: an App Bridge session token (ID token) for an expiring offline token.
pub fn id_token_grant(client_id: &str, client_secret: &str, session_token: &str) -> Value {
    json!({
        "client_id": client_id, "client_secret": client_secret, "grant_type": TOKEN_EXCHANGE,
        "subject_token": session_token, "subject_token_type": ID_TOKEN_TYPE,
        "requested_token_type": OFFLINE_TOKEN_TYPE, "expiring": "1",
    })
}

/// Migration: a stored non-expiring offline token for an expiring one, without the merchant.
/// Shopify revokes the old token on success and answers a retry within 7 days with the
/// same pair, so a lost answer is recovered by asking again.
pub fn migration_grant(client_id: &str, client_secret: &str, non_expiring_token: &str) -> Value {
    json!({
        "client_id": client_id, "client_secret": client_secret, "grant_type": TOKEN_EXCHANGE,
        "subject_token": non_expiring_token, "subject_token_type": OFFLINE_TOKEN_TYPE,
        "requested_token_type": OFFLINE_TOKEN_TYPE, "expiring": "1",
    })
}

pub fn refresh_grant(client_id: &str, client_secret: &str, refresh_token: &str) -> Value {
    json!({"client_id": client_id, "client_secret": client_secret, "grant_type": REFRESH_GRANT, "refresh_token": refresh_token})
}

/// What `/admin/oauth/access_token` answers. `expires_in`, `refresh_token` and
/// `refresh_token_expires_in` come only with an expiring token (seconds from now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGrant {
    pub access_token: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub refresh_token_expires_in: Option<i64>,
}

/// Shopify's error body for a refused grant (`invalid_grant`, `invalid_subject_token`, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GrantError {
    pub error: String,
    #[serde(default)]
    pub error_description: String,
}

impl GrantError {
    /// The refresh token (or the token being migrated) is expired, revoked or retired:
    /// only the merchant opening the app again can get a new one.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self.error.as_str(), "invalid_grant" | "invalid_subject_token" | "invalid_request")
    }
}

/// An offline token with its lifetimes as absolute times (Unix seconds), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineToken {
    pub access_token: String,
    pub scope: String,
    /// `None`: a non-expiring (legacy) token.
    pub expires_at: Option<i64>,
    pub refresh_token: Option<String>,
    pub refresh_expires_at: Option<i64>,
    /// When the grant was received; with `expires_at`, the token's lifetime.
    pub issued_at: Option<i64>,
}

impl OfflineToken {
    /// Fixes a grant's relative lifetimes at `now`. A refresh token without its lifetime
    /// is kept without one (shopify-app-js keeps neither; keeping it loses nothing).
    pub fn from_grant(g: TokenGrant, now: i64) -> Self {
        Self {
            access_token: g.access_token,
            scope: g.scope,
            // A grant with a refresh token is an expiring one, whatever `expires_in` says.
            expires_at: match (g.expires_in, &g.refresh_token) {
                (Some(s), _) if s > 0 => Some(now.saturating_add(s)),
                (_, Some(r)) if !r.is_empty() => Some(now),
                _ => None,
            },
            refresh_token: g.refresh_token.filter(|t| !t.is_empty()),
            refresh_expires_at: g.refresh_token_expires_in.filter(|s| *s > 0).map(|s| now.saturating_add(s)),
            issued_at: Some(now),
        }
    }

    /// How early to refresh: five minutes, or half the lifetime of a shorter-lived token
    /// (so a token that lives a minute is not refreshed at every call).
    pub fn refresh_ahead(&self) -> i64 {
        match (self.expires_at, self.issued_at) {
            (Some(e), Some(i)) if e > i => REFRESH_AHEAD_SECS.min((e - i) / 2),
            _ => REFRESH_AHEAD_SECS,
        }
    }

    /// What to do before the next Admin API call at `now`.
    pub fn state(&self, now: i64) -> TokenState {
        match (self.expires_at, &self.refresh_token) {
            (None, _) => TokenState::Legacy,
            (Some(exp), _) if exp - self.refresh_ahead() > now => TokenState::Fresh,
            (Some(_), Some(_)) if self.refresh_expires_at.is_none_or(|r| r > now) => TokenState::Refresh,
            (Some(_), _) => TokenState::SignInNeeded,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// Use it as it is.
    Fresh,
    /// Expired or about to: refresh first.
    Refresh,
    /// Non-expiring: migrate it to an expiring one (Shopify refuses it from 2027-01-01).
    Legacy,
    /// Expired with no usable refresh token: the merchant must open the app again.
    SignInNeeded,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(v: Value) -> TokenGrant {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn reads_an_expiring_grant_and_fixes_its_lifetimes() {
        let g = grant(json!({"access_token": "shpat_a", "expires_in": 3600, "refresh_token": "shprt_b",
                             "refresh_token_expires_in": 7_776_000, "scope": "read_products"}));
        let t = OfflineToken::from_grant(g, 1_000);
        assert_eq!(t.expires_at, Some(4_600));
        assert_eq!(t.refresh_expires_at, Some(7_777_000));
        assert_eq!(t.refresh_token.as_deref(), Some("shprt_b"));
        assert_eq!(t.state(1_000), TokenState::Fresh);
        // Five minutes before expiry it is time to refresh, and after expiry too.
        assert_eq!(t.state(4_600 - 300), TokenState::Refresh);
        assert_eq!(t.state(10_000), TokenState::Refresh);
        // Once the refresh token has expired as well, only a new sign-in helps.
        assert_eq!(t.state(7_777_000), TokenState::SignInNeeded);
        // A token that lives 10 s is refreshed in its last 5 s, not at once.
        let short = OfflineToken { expires_at: Some(110), issued_at: Some(100), ..t };
        assert_eq!((short.state(104), short.state(105)), (TokenState::Fresh, TokenState::Refresh));
    }

    #[test]
    fn a_non_expiring_grant_is_legacy() {
        let t = OfflineToken::from_grant(grant(json!({"access_token": "shpat_a", "scope": "x"})), 5);
        assert_eq!((t.expires_at, t.refresh_token.clone()), (None, None));
        assert_eq!(t.state(i64::MAX), TokenState::Legacy);
    }

    #[test]
    fn grants_ask_for_expiring_tokens() {
        assert_eq!(code_grant("k", "s", "c")["expiring"], "1");
        let ex = id_token_grant("k", "s", "jwt");
        assert_eq!((ex["expiring"].as_str(), ex["subject_token_type"].as_str()), (Some("1"), Some(ID_TOKEN_TYPE)));
        let m = migration_grant("k", "s", "shpat_old");
        assert_eq!(
            (m["subject_token_type"].as_str(), m["requested_token_type"].as_str()),
            (Some(OFFLINE_TOKEN_TYPE), Some(OFFLINE_TOKEN_TYPE))
        );
        let r = refresh_grant("k", "s", "shprt_x");
        assert_eq!((r["grant_type"].as_str(), r.get("expiring")), (Some("refresh_token"), None));
    }

    #[test]
    fn invalid_grant_means_sign_in() {
        let e: GrantError = serde_json::from_str(r#"{"error":"invalid_grant","error_description":"expired"}"#).unwrap();
        assert!(e.needs_sign_in());
        let e: GrantError = serde_json::from_str(r#"{"error":"invalid_client"}"#).unwrap();
        assert!(!e.needs_sign_in());
    }
}
