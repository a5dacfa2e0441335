//! Signing requests as Discord does for the HTTP interactions endpoint: Ed25519 over
//! `timestamp || body`, with a test keypair (a fixed seed: deterministic, offline).

use ed25519_dalek::{Signer, SigningKey};

/// The test application's key pair.
pub fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What `DISCORD_PUBLIC_KEY` is for [`key`].
pub fn public_key_hex() -> String {
    hex(&key().verifying_key().to_bytes())
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `(X-Signature-Ed25519, X-Signature-Timestamp)` for `body` at `timestamp`.
pub fn sign(body: &[u8], timestamp: i64) -> (String, String) {
    let ts = timestamp.to_string();
    let sig = key().sign(&[ts.as_bytes(), body].concat());
    (hex(&sig.to_bytes()), ts)
}
