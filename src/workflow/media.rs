//! Images attached to a proposal: what a revision approves about them.
//!
//! Only facts travel with a revision (hash, type, size, dimensions, alt text); the bytes are kept
//! by the store, so a proposal stays small enough to load, compare and log. The SHA-256 of the
//! bytes and the alt text are part of the approval hash: a swapped picture or a changed alt
//! text is a new revision, and approvals given to the old one no longer count.

use serde::{Deserialize, Serialize};

/// At most this many images per post: X, Bluesky and Mastodon's default all stop at four.
pub const MAX_IMAGES: usize = 4;

/// One image of a revision, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// SHA-256 (hex) of the bytes as proposed.
    pub sha256: String,
    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`, as the decoder found it (never
    /// from the file name).
    pub mime: String,
    pub bytes_len: u64,
    pub width: u32,
    pub height: u32,
    /// The description read aloud by screen readers; `None` when the author gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

impl Image {
    /// The alt text, trimmed; `None` when missing or blank.
    pub fn alt_text(&self) -> Option<&str> {
        self.alt.as_deref().map(str::trim).filter(|a| !a.is_empty())
    }

    /// What the approval hash covers: the bytes (by their hash) and the alt text.
    pub fn fingerprint(&self) -> String {
        format!("{}:{}", self.sha256, self.alt.as_deref().unwrap_or(""))
    }
}

/// The images' part of the approval hash, in order (the order is what the post shows).
pub fn fingerprint(images: &[Image]) -> String {
    images
        .iter()
        .map(Image::fingerprint)
        .collect::<Vec<_>>()
        .join("\u{1}")
}

/// SHA-256 (hex) of raw bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An image with its bytes: what the store keeps and the publishers send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFile {
    pub image: Image,
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::payload_hash;

    fn image(sha: &str, alt: Option<&str>) -> Image {
        Image {
            sha256: sha.into(),
            mime: "image/png".into(),
            bytes_len: 10,
            width: 2,
            height: 2,
            alt: alt.map(str::to_owned),
        }
    }

    #[test]
    fn the_hash_covers_the_images_and_their_alt_texts_and_a_text_alone_keeps_its_hash() {
        let text = "Our new shop opens Monday";
        assert_eq!(
            payload_hash(text, None, &[]),
            crate::workflow::content_hash(text)
        );
        let a = payload_hash(text, None, &[image("aa", Some("A red door"))]);
        assert_ne!(a, payload_hash(text, None, &[]));
        assert_ne!(
            a,
            payload_hash(text, None, &[image("aa", Some("A blue door"))])
        );
        assert_ne!(
            a,
            payload_hash(text, None, &[image("bb", Some("A red door"))])
        );
        assert_ne!(a, payload_hash(text, None, &[image("aa", None)]));
        let two = [image("aa", None), image("bb", None)];
        let swapped = [image("bb", None), image("aa", None)];
        assert_ne!(
            payload_hash(text, None, &two),
            payload_hash(text, None, &swapped)
        );
    }
}
