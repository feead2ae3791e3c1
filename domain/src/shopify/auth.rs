//! Authenticating what claims to come from Shopify, given the app secret and the clock:
//! - webhooks: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(secret, raw body));
//! - OAuth redirects: `hmac` = hex(HMAC-SHA256(secret, the other query parameters sorted
//!   and joined as `k=v&…`));
//! - App Bridge session tokens: HS256 JWTs signed with the secret, checked for `exp`,
//!   `nbf` (with a little clock skew), `aud` = API key and `iss`/`dest` naming one shop.
//!
//! Every comparison of a MAC goes through `Mac::verify_slice`, which is constant-time.

use crate::shop::ShopDomain;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Seconds of clock difference tolerated between Shopify and us on `exp`/`nbf`.
pub const CLOCK_SKEW_SECS: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing signature")]
    MissingSignature,
    #[error("signature is not valid encoding")]
    BadEncoding,
    #[error("signature does not match")]
    BadSignature,
    #[error("malformed token")]
    MalformedToken,
    #[error("unsupported token algorithm")]
    UnsupportedAlgorithm,
    #[error("token expired")]
    Expired,
    #[error("token not valid yet")]
    NotYetValid,
    #[error("token issued for another app")]
    WrongAudience,
    #[error("token does not name a valid shop")]
    BadShop,
}

fn mac(secret: &[u8]) -> HmacSha256 {
    crate::crypto::hmac_sha256(secret)
}

/// Signs a webhook body the way Shopify does (used by tests and the fake Shopify).
pub fn sign_webhook(secret: &[u8], body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(body);
    STANDARD.encode(m.finalize().into_bytes())
}

/// Verifies `X-Shopify-Hmac-Sha256` over the raw body, before anything parses it.
pub fn verify_webhook(secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), AuthError> {
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or(AuthError::MissingSignature)?;
    let expected = STANDARD.decode(header).map_err(|_| AuthError::BadEncoding)?;
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(&expected).map_err(|_| AuthError::BadSignature)
}

/// The message Shopify signs in an OAuth redirect: every parameter but `hmac` (and the
/// legacy `signature`), sorted by key, as `key=value` joined with `&`. Values are the
/// decoded ones.
fn oauth_message(params: &[(String, String)]) -> String {
    let mut kept: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "hmac" && k != "signature").collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    kept.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

pub fn sign_oauth_query(secret: &[u8], params: &[(String, String)]) -> String {
    let mut m = mac(secret);
    m.update(oauth_message(params).as_bytes());
    hex(&m.finalize().into_bytes())
}

/// Verifies the `hmac` parameter of an OAuth (or app-URL) request from Shopify.
pub fn verify_oauth_query(secret: &[u8], params: &[(String, String)]) -> Result<(), AuthError> {
    let given = params.iter().find(|(k, _)| k == "hmac").map(|(_, v)| v.as_str()).ok_or(AuthError::MissingSignature)?;
    let given = unhex(given).ok_or(AuthError::BadEncoding)?;
    let mut m = mac(secret);
    m.update(oauth_message(params).as_bytes());
    m.verify_slice(&given).map_err(|_| AuthError::BadSignature)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The claims of an App Bridge session token, as Shopify documents them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    pub iss: String,
    pub dest: String,
    pub aud: String,
    #[serde(default)]
    pub sub: Option<String>,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    #[serde(default)]
    pub jti: Option<String>,
    #[serde(default)]
    pub sid: Option<String>,
}

/// A verified session token: the shop it proves, and its claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSession {
    pub shop: ShopDomain,
    pub claims: SessionClaims,
}

#[derive(Deserialize)]
struct JwtHeader {
    alg: String,
}

/// Signs claims as an HS256 JWT (for tests and the fake Shopify's admin).
pub fn sign_session_token(secret: &[u8], claims: &SessionClaims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let mut m = mac(secret);
    m.update(format!("{header}.{payload}").as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{header}.{payload}.{sig}")
}

fn shop_of(url: &str) -> Option<ShopDomain> {
    let host = url.strip_prefix("https://")?;
    let host = host.strip_suffix("/admin").unwrap_or(host);
    ShopDomain::parse(host).ok()
}

/// Verifies a session token (from `Authorization: Bearer …` or `id_token=`), at `now`
/// (Unix seconds), for the app whose API key is `api_key`.
pub fn verify_session_token(token: &str, secret: &[u8], api_key: &str, now: i64) -> Result<VerifiedSession, AuthError> {
    let mut parts = token.trim().split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(AuthError::MalformedToken);
    };
    let header: JwtHeader =
        URL_SAFE_NO_PAD.decode(h).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(AuthError::MalformedToken)?;
    // Only HS256: never let the token choose a weaker algorithm (or "none").
    if header.alg != "HS256" {
        return Err(AuthError::UnsupportedAlgorithm);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| AuthError::BadEncoding)?;
    let mut m = mac(secret);
    m.update(format!("{h}.{p}").as_bytes());
    m.verify_slice(&sig).map_err(|_| AuthError::BadSignature)?;
    let claims: SessionClaims =
        URL_SAFE_NO_PAD.decode(p).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(AuthError::MalformedToken)?;
    if now > claims.exp + CLOCK_SKEW_SECS {
        return Err(AuthError::Expired);
    }
    if now + CLOCK_SKEW_SECS < claims.nbf {
        return Err(AuthError::NotYetValid);
    }
    if claims.aud != api_key {
        return Err(AuthError::WrongAudience);
    }
    let shop = shop_of(&claims.dest).ok_or(AuthError::BadShop)?;
    if shop_of(&claims.iss).as_ref() != Some(&shop) {
        return Err(AuthError::BadShop);
    }
    Ok(VerifiedSession { shop, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    // The example from Shopify's OAuth documentation (secret "hush").
    const DOC_QUERY: &str = "code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173";

    #[test]
    fn oauth_hmac_matches_shopifys_documented_example() {
        let params = pairs(DOC_QUERY);
        assert_eq!(verify_oauth_query(b"hush", &params), Ok(()));
        assert_eq!(sign_oauth_query(b"hush", &params), "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf");
    }

    #[test]
    fn oauth_hmac_refuses_tampering_and_other_secrets() {
        let tampered = pairs(&DOC_QUERY.replace("some-shop", "other-shop"));
        assert_eq!(verify_oauth_query(b"hush", &tampered), Err(AuthError::BadSignature));
        assert_eq!(verify_oauth_query(b"other", &pairs(DOC_QUERY)), Err(AuthError::BadSignature));
        let unsigned = pairs("shop=some-shop.myshopify.com&timestamp=1");
        assert_eq!(verify_oauth_query(b"hush", &unsigned), Err(AuthError::MissingSignature));
        let garbage = pairs("hmac=zz&shop=a.myshopify.com");
        assert_eq!(verify_oauth_query(b"hush", &garbage), Err(AuthError::BadEncoding));
    }

    #[test]
    fn webhook_hmac_is_base64_of_the_raw_body() {
        // Computed independently: printf '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
        let body = br#"{"id":1}"#;
        let sig = sign_webhook(b"secret", body);
        assert_eq!(sig, "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=");
        assert_eq!(verify_webhook(b"secret", body, Some(&sig)), Ok(()));
        assert_eq!(verify_webhook(b"secret", br#"{"id":2}"#, Some(&sig)), Err(AuthError::BadSignature));
        assert_eq!(verify_webhook(b"secret", body, None), Err(AuthError::MissingSignature));
        assert_eq!(verify_webhook(b"secret", body, Some("not base64!")), Err(AuthError::BadEncoding));
    }

    fn claims(now: i64) -> SessionClaims {
        SessionClaims {
            iss: "https://demo.myshopify.com/admin".into(),
            dest: "https://demo.myshopify.com".into(),
            aud: "api-key".into(),
            sub: Some("42".into()),
            exp: now + 60,
            nbf: now,
            iat: now,
            jti: Some("00000000-0000-0000-0000-000000000001".into()),
            sid: Some("session".into()),
        }
    }

    #[test]
    fn a_valid_session_token_proves_its_shop() {
        let now = 1_700_000_000;
        let token = sign_session_token(b"secret", &claims(now));
        let v = verify_session_token(&token, b"secret", "api-key", now + 5).unwrap();
        assert_eq!(v.shop.as_str(), "demo.myshopify.com");
    }

    #[test]
    fn session_tokens_are_refused_when_expired_early_forged_or_foreign() {
        let now = 1_700_000_000;
        let token = sign_session_token(b"secret", &claims(now));
        assert_eq!(verify_session_token(&token, b"secret", "api-key", now + 60 + CLOCK_SKEW_SECS + 1), Err(AuthError::Expired));
        assert!(verify_session_token(&token, b"secret", "api-key", now + 60 + CLOCK_SKEW_SECS).is_ok());
        assert_eq!(verify_session_token(&token, b"secret", "api-key", now - CLOCK_SKEW_SECS - 1), Err(AuthError::NotYetValid));
        assert_eq!(verify_session_token(&token, b"other", "api-key", now), Err(AuthError::BadSignature));
        assert_eq!(verify_session_token(&token, b"secret", "another-app", now), Err(AuthError::WrongAudience));
        let mut mismatch = claims(now);
        mismatch.iss = "https://evil.myshopify.com/admin".into();
        let t = sign_session_token(b"secret", &mismatch);
        assert_eq!(verify_session_token(&t, b"secret", "api-key", now), Err(AuthError::BadShop));
        let mut not_shop = claims(now);
        not_shop.dest = "https://evil.example.com".into();
        not_shop.iss = "https://evil.example.com/admin".into();
        let t = sign_session_token(b"secret", &not_shop);
        assert_eq!(verify_session_token(&t, b"secret", "api-key", now), Err(AuthError::BadShop));
    }

    #[test]
    fn alg_none_and_garbage_are_refused() {
        let now = 1_700_000_000;
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(now)).unwrap());
        let none = format!("{}.{payload}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#));
        assert_eq!(verify_session_token(&none, b"secret", "api-key", now), Err(AuthError::UnsupportedAlgorithm));
        assert_eq!(verify_session_token("a.b", b"secret", "api-key", now), Err(AuthError::MalformedToken));
        assert_eq!(verify_session_token("", b"secret", "api-key", now), Err(AuthError::MalformedToken));
    }
}
