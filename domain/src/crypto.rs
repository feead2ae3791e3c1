//! Sealing secrets at rest (shops' offline access tokens): AES-256-GCM with a key from a
//! Worker secret. The caller supplies the nonce (from the platform's CSPRNG), which keeps
//! this module pure and its output testable.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const PREFIX: &str = "v1:";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("sealed value is malformed")]
    Malformed,
    #[error("sealed value does not open with this key")]
    WrongKeyOrTampered,
}

#[derive(Clone)]
pub struct SealingKey(Aes256Gcm);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

impl SealingKey {
    pub fn from_base64(s: &str) -> Result<Self, CryptoError> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        if bytes.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        Ok(Self(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes))))
    }

    /// `v1:` + base64(nonce ‖ ciphertext ‖ tag).
    pub fn seal(&self, nonce: [u8; 12], plaintext: &str) -> String {
        // Encryption with a valid key cannot fail for inputs under 64 GiB.
        let ct = self.0.encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, CryptoError> {
        let raw = sealed.strip_prefix(PREFIX).ok_or(CryptoError::Malformed)?;
        let bytes = STANDARD.decode(raw).map_err(|_| CryptoError::Malformed)?;
        if bytes.len() < 12 + 16 {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ct) = bytes.split_at(12);
        let pt = self.0.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| CryptoError::WrongKeyOrTampered)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Malformed)
    }
}

/// An HMAC-SHA256 keyed with `secret` (Shopify's webhook and session-token signatures, and
/// the signed alert webhook).
pub fn hmac_sha256(secret: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    // HMAC accepts keys of any length; this cannot fail.
    <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 0..32

    #[test]
    fn round_trip_and_no_plaintext_at_rest() {
        let key = SealingKey::from_base64(KEY).unwrap();
        let sealed = key.seal([7; 12], "shpat_secret_token");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("shpat"));
        assert_eq!(key.open(&sealed).unwrap(), "shpat_secret_token");
    }

    #[test]
    fn tampering_or_another_key_is_detected() {
        let key = SealingKey::from_base64(KEY).unwrap();
        let sealed = key.seal([1; 12], "token");
        let other = SealingKey::from_base64(&STANDARD.encode([9u8; 32])).unwrap();
        assert_eq!(other.open(&sealed), Err(CryptoError::WrongKeyOrTampered));
        let mut bytes = STANDARD.decode(&sealed[3..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(key.open(&format!("v1:{}", STANDARD.encode(bytes))), Err(CryptoError::WrongKeyOrTampered));
        assert_eq!(key.open("plain"), Err(CryptoError::Malformed));
        assert_eq!(SealingKey::from_base64("c2hvcnQ=").err(), Some(CryptoError::BadKey));
    }
}
