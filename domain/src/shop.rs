//! The shop's identity. Only a validated `*.myshopify.com` domain can exist as a value.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ShopDomain(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a shop domain of the form your-shop.myshopify.com")]
pub struct InvalidShopDomain(pub String);

impl ShopDomain {
    /// Accepts exactly what Shopify issues: a lowercase subdomain of myshopify.com made of
    /// letters, digits and hyphens (not starting with a hyphen). Anything else is refused
    /// rather than normalised, so a forged `shop` parameter cannot smuggle another host.
    pub fn parse(raw: &str) -> Result<Self, InvalidShopDomain> {
        let err = || InvalidShopDomain(raw.to_string());
        let sub = raw.strip_suffix(".myshopify.com").ok_or_else(err)?;
        let ok = !sub.is_empty()
            && sub.len() <= 60
            && !sub.starts_with('-')
            && sub.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ShopDomain {
    type Error = InvalidShopDomain;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ShopDomain> for String {
    fn from(s: ShopDomain) -> String {
        s.0
    }
}

impl fmt::Display for ShopDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_shopify_domains() {
        assert_eq!(ShopDomain::parse("demo-shop.myshopify.com").unwrap().as_str(), "demo-shop.myshopify.com");
    }

    #[test]
    fn refuses_lookalikes() {
        for bad in [
            "demo.myshopify.com.evil.com",
            "evil.com",
            ".myshopify.com",
            "-x.myshopify.com",
            "Demo.myshopify.com",
            "a/b.myshopify.com",
            "a.b.myshopify.com",
        ] {
            assert!(ShopDomain::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<ShopDomain>("\"x.example.com\"").is_err());
    }
}

/// Shopify's admin, the only page (with the shop's own domain) that may frame the app.
pub const SHOPIFY_ADMIN_ORIGIN: &str = "https://admin.shopify.com";

/// The `Content-Security-Policy` that lets the Shopify admin (and only it, with the shop's
/// own domain) frame the app. `admin_origin` is Shopify's admin in production and the
/// fake admin locally.
pub fn frame_ancestors(shop: Option<&ShopDomain>, admin_origin: &str) -> String {
    match shop {
        Some(s) => format!("frame-ancestors https://{s} {admin_origin};"),
        None => format!("frame-ancestors {admin_origin};"),
    }
}

#[cfg(test)]
mod csp_tests {
    use super::*;

    #[test]
    fn frames_only_for_the_shop_and_the_admin() {
        let shop = ShopDomain::parse("demo.myshopify.com").unwrap();
        assert_eq!(
            frame_ancestors(Some(&shop), SHOPIFY_ADMIN_ORIGIN),
            "frame-ancestors https://demo.myshopify.com https://admin.shopify.com;"
        );
        assert_eq!(frame_ancestors(None, SHOPIFY_ADMIN_ORIGIN), "frame-ancestors https://admin.shopify.com;");
    }
}
