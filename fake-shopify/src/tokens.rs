//! Offline access tokens as Shopify issues them in December 2026 (shopify.dev, "Offline
//! access tokens", "Token exchange", "Migrate to expiring offline access tokens", and the
//! changelogs of 2025-12-10, 2026-05-20 and 2026-08-28):
//! - `expiring=1` gives an access token (60 min) and a refresh token (90 days); without
//!   it, a non-expiring token — refused by the Admin API from the cut-off (2027-01-01).
//! - Only one refreshable expiring token per app and store: a new grant retires older
//!   refresh tokens at once; older access tokens live out their time.
//! - A refresh rotates the pair. The previous refresh token stays usable (answering with
//!   the same pair) until its replacement is first used, for at most 30 days.
//! - A refresh token that is unknown, expired, retired or revoked: 400 `invalid_grant`.
//! - Migration (a token exchange whose subject is a non-expiring offline token) revokes the
//!   old token; a retry within 7 days answers with the same pair.
//!
//! Lifetimes, the cut-off and the fake's token clock are settable at run time
//! (`POST /_fake/tokens`) so tests run in seconds.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

/// How tokens are issued and judged; one policy for every shop of the fake.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// From this instant the Admin API refuses non-expiring offline tokens.
    pub non_expiring_cutoff: DateTime<Utc>,
    /// Added to the wall clock when judging token lifetimes (a test moves time on).
    pub clock_offset_secs: i64,
    /// Answer every offline grant with a non-expiring token, as Shopify did for apps
    /// before expiring tokens (to stand up a shop installed by an older app version).
    pub ignore_expiring: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            access_ttl_secs: 3600,
            refresh_ttl_secs: 7_776_000,
            non_expiring_cutoff: DateTime::parse_from_rfc3339(domain::shopify::tokens::NON_EXPIRING_CUTOFF)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            clock_offset_secs: 0,
            ignore_expiring: false,
        }
    }
}

impl Policy {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.clock_offset_secs)
    }
}

/// A grant refused as Shopify refuses it: 400 with `{"error", "error_description"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub error: &'static str,
    pub description: String,
}

fn refused(error: &'static str, description: &str) -> Refused {
    Refused { error, description: description.to_string() }
}

#[derive(Debug, Clone)]
struct Access {
    /// `None`: non-expiring.
    expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Pair {
    access: String,
    refresh: String,
    scope: String,
}

#[derive(Debug, Clone)]
struct Refresh {
    expires_at: DateTime<Utc>,
    scope: String,
    first_used: Option<DateTime<Utc>>,
    /// The pair this token was exchanged for (answered again while in grace).
    successor: Option<Pair>,
    predecessor: Option<String>,
    retired: bool,
}

/// One shop's tokens.
#[derive(Debug, Default)]
pub struct TokenBook {
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// Migrated non-expiring token → (the pair it became, when).
    migrated: HashMap<String, (Pair, DateTime<Utc>)>,
    seq: u64,
    /// Counters for tests: refresh grants answered with a new pair, and with a repeat.
    pub refreshes: u32,
    pub repeated_refreshes: u32,
    pub migrations: u32,
}

#[derive(Debug, Serialize)]
pub struct Stats {
    pub live_access_tokens: usize,
    pub usable_refresh_tokens: usize,
    pub non_expiring_tokens: usize,
    pub refreshes: u32,
    pub repeated_refreshes: u32,
    pub migrations: u32,
}

impl TokenBook {
    fn mint(&mut self, prefix: &str, salt: &str) -> String {
        self.seq += 1;
        // Unique and unguessable enough for a local fake: a counter and a per-shop salt.
        format!("{prefix}_{salt}{:08x}", self.seq)
    }

    fn answer(&self, pair: &Pair, policy: &Policy, now: DateTime<Utc>) -> Value {
        let access_left = self.access.get(&pair.access).and_then(|a| a.expires_at).map_or(0, |e| (e - now).num_seconds().max(0));
        let refresh_left = self.refresh.get(&pair.refresh).map_or(policy.refresh_ttl_secs, |r| (r.expires_at - now).num_seconds().max(0));
        json!({ "access_token": pair.access, "scope": pair.scope, "expires_in": access_left,
                "refresh_token": pair.refresh, "refresh_token_expires_in": refresh_left })
    }

    /// A new expiring pair; every older refresh token (and any non-expiring token) retires.
    pub fn issue_expiring(&mut self, scope: &str, policy: &Policy, salt: &str) -> Value {
        let now = policy.now();
        for r in self.refresh.values_mut() {
            r.retired = true;
        }
        self.access.retain(|_, a| a.expires_at.is_some());
        let pair = self.new_pair(scope, None, policy, now, salt);
        self.answer(&pair, policy, now)
    }

    fn new_pair(&mut self, scope: &str, predecessor: Option<String>, policy: &Policy, now: DateTime<Utc>, salt: &str) -> Pair {
        let access = self.mint("shpat", salt);
        let refresh = self.mint("shprt", salt);
        self.access.insert(access.clone(), Access { expires_at: Some(now + Duration::seconds(policy.access_ttl_secs)) });
        self.refresh.insert(
            refresh.clone(),
            Refresh {
                expires_at: now + Duration::seconds(policy.refresh_ttl_secs),
                scope: scope.to_string(),
                first_used: None,
                successor: None,
                predecessor,
                retired: false,
            },
        );
        Pair { access, refresh, scope: scope.to_string() }
    }

    /// A non-expiring offline token: the same one again while it lives.
    pub fn issue_non_expiring(&mut self, scope: &str, salt: &str) -> Value {
        let existing = self.access.iter().find(|(_, a)| a.expires_at.is_none()).map(|(t, _)| t.clone());
        let token = existing.unwrap_or_else(|| {
            let t = self.mint("shpat", salt);
            self.access.insert(t.clone(), Access { expires_at: None });
            t
        });
        json!({ "access_token": token, "scope": scope })
    }

    /// An online (per-user) token: 24 h, no refresh.
    pub fn issue_online(&mut self, policy: &Policy, salt: &str) -> String {
        let t = self.mint("shpua", salt);
        self.access.insert(t.clone(), Access { expires_at: Some(policy.now() + Duration::seconds(86_399)) });
        t
    }

    pub fn refresh(&mut self, token: &str, policy: &Policy, salt: &str) -> Result<Value, Refused> {
        let now = policy.now();
        let invalid = || refused("invalid_grant", "The refresh token is invalid or expired");
        let r = self.refresh.get(token).ok_or_else(invalid)?.clone();
        if r.retired || r.expires_at <= now {
            return Err(invalid());
        }
        if let Some(pair) = &r.successor {
            // In grace: the replacement is unused (its first use would have retired this).
            if r.first_used.is_some_and(|f| now - f > Duration::days(30)) {
                return Err(invalid());
            }
            if let Some(a) = self.access.get_mut(&pair.access) {
                if a.expires_at.is_some_and(|e| e <= now) {
                    a.expires_at = Some(now + Duration::seconds(policy.access_ttl_secs));
                }
            }
            self.repeated_refreshes += 1;
            return Ok(self.answer(pair, policy, now));
        }
        // First use of this token retires the one it replaced.
        if let Some(p) = r.predecessor.as_ref().and_then(|p| self.refresh.get_mut(p)) {
            p.retired = true;
        }
        let pair = self.new_pair(&r.scope, Some(token.to_string()), policy, now, salt);
        if let Some(me) = self.refresh.get_mut(token) {
            me.first_used = Some(now);
            me.successor = Some(pair.clone());
        }
        self.refreshes += 1;
        Ok(self.answer(&pair, policy, now))
    }

    /// Token exchange with a non-expiring offline token as subject (`expiring=1`).
    pub fn migrate(&mut self, old: &str, scope: &str, policy: &Policy, salt: &str) -> Result<Value, Refused> {
        let now = policy.now();
        if let Some((pair, at)) = self.migrated.get(old).cloned() {
            let untouched = self.refresh.get(&pair.refresh).is_some_and(|r| r.first_used.is_none() && !r.retired);
            if now - at <= Duration::days(7) && untouched {
                if let Some(a) = self.access.get_mut(&pair.access) {
                    if a.expires_at.is_some_and(|e| e <= now) {
                        a.expires_at = Some(now + Duration::seconds(policy.access_ttl_secs));
                    }
                }
                return Ok(self.answer(&pair, policy, now));
            }
        }
        let valid = self.access.get(old).is_some_and(|a| a.expires_at.is_none()) && now < policy.non_expiring_cutoff;
        if !valid {
            return Err(refused("invalid_request", "Invalid subject token"));
        }
        self.access.remove(old);
        let answer = self.issue_expiring(scope, policy, salt);
        let pair = Pair {
            access: answer["access_token"].as_str().unwrap_or_default().to_string(),
            refresh: answer["refresh_token"].as_str().unwrap_or_default().to_string(),
            scope: scope.to_string(),
        };
        self.migrated.insert(old.to_string(), (pair, now));
        self.migrations += 1;
        Ok(answer)
    }

    /// Whether the Admin API accepts `token` now.
    pub fn valid(&self, token: &str, policy: &Policy) -> bool {
        let now = policy.now();
        self.access.get(token).is_some_and(|a| match a.expires_at {
            Some(e) => e > now,
            None => now < policy.non_expiring_cutoff,
        })
    }

    /// The merchant (or Shopify) revoked the app's refresh tokens.
    pub fn revoke_refresh(&mut self) -> usize {
        let n = self.refresh.values().filter(|r| !r.retired).count();
        for r in self.refresh.values_mut() {
            r.retired = true;
        }
        n
    }

    /// Uninstall: every token is gone.
    pub fn clear(&mut self) {
        self.access.clear();
        self.refresh.clear();
        self.migrated.clear();
    }

    pub fn stats(&self, policy: &Policy) -> Stats {
        let now = policy.now();
        Stats {
            live_access_tokens: self.access.keys().filter(|t| self.valid(t, policy)).count(),
            usable_refresh_tokens: self.refresh.values().filter(|r| !r.retired && r.expires_at > now).count(),
            non_expiring_tokens: self.access.values().filter(|a| a.expires_at.is_none()).count(),
            refreshes: self.refreshes,
            repeated_refreshes: self.repeated_refreshes,
            migrations: self.migrations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &Value, k: &str) -> String {
        v[k].as_str().unwrap().to_string()
    }

    #[test]
    fn refresh_rotates_and_keeps_the_previous_token_in_grace_until_the_new_one_is_used() {
        let p = Policy::default();
        let mut b = TokenBook::default();
        let first = b.issue_expiring("read_products", &p, "a");
        assert_eq!(first["expires_in"], 3600);
        let r1 = s(&first, "refresh_token");
        let second = b.refresh(&r1, &p, "a").unwrap();
        let r2 = s(&second, "refresh_token");
        assert_ne!(r1, r2);
        // The answer was lost: r1 again gives the same pair.
        let again = b.refresh(&r1, &p, "a").unwrap();
        assert_eq!(s(&again, "access_token"), s(&second, "access_token"));
        assert_eq!(b.repeated_refreshes, 1);
        // Using r2 retires r1.
        let third = b.refresh(&r2, &p, "a").unwrap();
        assert_eq!(b.refresh(&r1, &p, "a").unwrap_err().error, "invalid_grant");
        // The old access tokens live out their time; all three work now.
        for v in [&first, &second, &third] {
            assert!(b.valid(&s(v, "access_token"), &p));
        }
    }

    #[test]
    fn a_new_grant_retires_older_refresh_tokens_and_revoked_ones_are_invalid_grant() {
        let p = Policy::default();
        let mut b = TokenBook::default();
        let r1 = s(&b.issue_expiring("x", &p, "a"), "refresh_token");
        let r2 = s(&b.issue_expiring("x", &p, "a"), "refresh_token");
        assert!(b.refresh(&r1, &p, "a").is_err());
        assert_eq!(b.revoke_refresh(), 1);
        assert_eq!(b.refresh(&r2, &p, "a").unwrap_err().error, "invalid_grant");
        assert!(b.refresh("shprt_unknown", &p, "a").is_err());
    }

    #[test]
    fn tokens_expire_and_non_expiring_ones_stop_at_the_cutoff() {
        let mut p = Policy { access_ttl_secs: 2, ..Policy::default() };
        let mut b = TokenBook::default();
        let a = s(&b.issue_expiring("x", &p, "a"), "access_token");
        let legacy = s(&b.issue_non_expiring("x", "a"), "access_token");
        assert!(b.valid(&a, &p) && b.valid(&legacy, &p));
        p.clock_offset_secs = 3;
        assert!(!b.valid(&a, &p));
        p.non_expiring_cutoff = p.now() - Duration::seconds(1);
        assert!(!b.valid(&legacy, &p));
        // Past the cut-off a non-expiring token can no longer be migrated either.
        assert_eq!(b.migrate(&legacy, "x", &p, "a").unwrap_err().error, "invalid_request");
    }

    #[test]
    fn migration_revokes_the_old_token_and_a_retry_gets_the_same_pair() {
        let p = Policy::default();
        let mut b = TokenBook::default();
        let legacy = s(&b.issue_non_expiring("x", "a"), "access_token");
        let m = b.migrate(&legacy, "x", &p, "a").unwrap();
        assert!(!b.valid(&legacy, &p));
        let again = b.migrate(&legacy, "x", &p, "a").unwrap();
        assert_eq!(s(&again, "refresh_token"), s(&m, "refresh_token"));
        // Once the new pair is refreshed, the retry window ends.
        b.refresh(&s(&m, "refresh_token"), &p, "a").unwrap();
        assert!(b.migrate(&legacy, "x", &p, "a").is_err());
    }
}
