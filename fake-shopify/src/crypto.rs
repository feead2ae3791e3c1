//! The signatures Shopify makes: the OAuth redirect's hex HMAC over the sorted query, the
//! webhook's base64 HMAC over the raw body, and HS256 session tokens (JWT) keyed with the
//! app's secret.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mut m) => {
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The OAuth query HMAC: every parameter except `hmac`, sorted by key, `key=value` joined by
/// `&` (decoded values), HMAC-SHA256 with the app secret, lowercase hex.
pub fn oauth_query_hmac(secret: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "hmac").collect();
    pairs.sort();
    let message = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    hex(&mac(secret, message.as_bytes()))
}

/// The webhook HMAC: base64 of HMAC-SHA256 of the raw body.
pub fn webhook_hmac(secret: &str, body: &[u8]) -> String {
    STANDARD.encode(mac(secret, body))
}

/// Constant-time comparison of two byte strings.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a percent-encoded query component (`+` as space); `None` if malformed.
pub fn url_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `host` as Shopify passes it to embedded apps: base64 of `admin.shopify.com/store/<name>`.
pub fn host_param(shop_domain: &str) -> String {
    let name = shop_domain.strip_suffix(".myshopify.com").unwrap_or(shop_domain);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("admin.shopify.com/store/{name}"))
}

/// The claims of an App Bridge session token, as Shopify documents them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// `https://{shop}/admin`
    pub iss: String,
    /// `https://{shop}`
    pub dest: String,
    /// The app's API key (client id).
    pub aud: String,
    /// The staff user id.
    pub sub: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    pub jti: String,
    pub sid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("not a JWT (three base64url parts)")]
    Format,
    #[error("unsupported header (HS256 only)")]
    Header,
    #[error("bad signature")]
    Signature,
    #[error("claims are not a session token: {0}")]
    Claims(String),
    #[error("expired or not yet valid")]
    Time,
    #[error("audience is not this app")]
    Audience,
    #[error("issuer and destination do not name this shop")]
    Shop,
}

/// Signs `claims` as an HS256 JWT.
pub fn sign_jwt(secret: &str, claims: &SessionClaims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = URL_SAFE_NO_PAD.encode(mac(secret, signing_input.as_bytes()));
    format!("{signing_input}.{sig}")
}

/// Verifies a session token the way Shopify's libraries do: HS256 with the app secret, the
/// audience is the API key, `exp`/`nbf` with 10 s of clock leeway, and `iss`/`dest` name `shop`.
pub fn verify_session_token(secret: &str, api_key: &str, shop: &str, token: &str, now: i64) -> Result<SessionClaims, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Format);
    };
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).map_err(|_| JwtError::Format)?).map_err(|_| JwtError::Format)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::Header);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Format)?;
    if !same(&sig, &mac(secret, format!("{h}.{p}").as_bytes())) {
        return Err(JwtError::Signature);
    }
    let claims: SessionClaims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Format)?).map_err(|e| JwtError::Claims(e.to_string()))?;
    const LEEWAY: i64 = 10;
    if now > claims.exp + LEEWAY || now + LEEWAY < claims.nbf {
        return Err(JwtError::Time);
    }
    if claims.aud != api_key {
        return Err(JwtError::Audience);
    }
    if claims.dest != format!("https://{shop}") || claims.iss != format!("https://{shop}/admin") {
        return Err(JwtError::Shop);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(now: i64) -> SessionClaims {
        SessionClaims {
            iss: "https://a.myshopify.com/admin".into(),
            dest: "https://a.myshopify.com".into(),
            aud: "key".into(),
            sub: "42".into(),
            exp: now + 60,
            nbf: now,
            iat: now,
            jti: "j".into(),
            sid: "s".into(),
        }
    }

    #[test]
    fn jwt_round_trip_and_rejections() {
        let now = 1_764_000_000;
        let t = sign_jwt("secret", &claims(now));
        assert_eq!(verify_session_token("secret", "key", "a.myshopify.com", &t, now + 5), Ok(claims(now)));
        assert_eq!(verify_session_token("other", "key", "a.myshopify.com", &t, now), Err(JwtError::Signature));
        assert_eq!(verify_session_token("secret", "nope", "a.myshopify.com", &t, now), Err(JwtError::Audience));
        assert_eq!(verify_session_token("secret", "key", "b.myshopify.com", &t, now), Err(JwtError::Shop));
        assert_eq!(verify_session_token("secret", "key", "a.myshopify.com", &t, now + 71), Err(JwtError::Time));
        assert_eq!(verify_session_token("secret", "key", "a.myshopify.com", "x.y", now), Err(JwtError::Format));
    }

    #[test]
    fn oauth_hmac_ignores_hmac_and_order() {
        let a = vec![("shop".to_string(), "a.myshopify.com".to_string()), ("code".into(), "c".into()), ("hmac".into(), "zzz".into())];
        let b = vec![("code".to_string(), "c".to_string()), ("shop".into(), "a.myshopify.com".into())];
        assert_eq!(oauth_query_hmac("s", &a), oauth_query_hmac("s", &b));
        assert_ne!(oauth_query_hmac("s", &a), oauth_query_hmac("t", &a));
        assert_eq!(oauth_query_hmac("s", &a).len(), 64);
    }

    #[test]
    fn url_encoding_round_trips() {
        for s in ["a b+c/d=e&f", "héllo", "plain-_.~"] {
            assert_eq!(url_decode(&url_encode(s)).as_deref(), Some(s));
        }
        assert_eq!(url_decode("%zz"), None);
    }

    #[test]
    fn host_is_base64_of_admin_store_path() {
        let h = host_param("demo-outfitters.myshopify.com");
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD.decode(h).unwrap();
        assert_eq!(decoded, b"admin.shopify.com/store/demo-outfitters");
    }
}
