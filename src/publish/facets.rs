//! Bluesky rich text: where the links, mentions and hashtags of a text are, as UTF-8 byte
//! ranges (what `app.bsky.richtext.facet` indexes by, whatever the text's script or emoji).
//!
//! Pure: finding a mention's DID is the publisher's job (a network call); a mention whose
//! handle does not resolve gets no facet and stays plain text.

use serde_json::{json, Value};

/// One piece of rich text found in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feature {
    Link(String),
    /// The handle, without `@`.
    Mention(String),
    /// The tag, without `#`.
    Tag(String),
}

/// A feature and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub feature: Feature,
}

const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', '"', '\'', '»', '…'];

fn boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(' || c == '"' || c == '«')
}

/// Everything that may become a facet, in text order.
pub fn detect(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = match rest.chars().next() {
            Some(c) => c,
            None => break,
        };
        if boundary_before(text, i) {
            if rest.starts_with("https://") || rest.starts_with("http://") {
                let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = rest[..word_end].trim_end_matches(TRAILING);
                if word.len() > "https://".len() {
                    out.push(Found {
                        start: i,
                        end: i + word.len(),
                        feature: Feature::Link(word.to_owned()),
                    });
                    i += word.len();
                    continue;
                }
            } else if c == '@' {
                let handle: String = rest[1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                    .collect();
                let handle = handle.trim_end_matches(['.', '-']);
                if handle.contains('.') && !handle.starts_with('.') {
                    out.push(Found {
                        start: i,
                        end: i + 1 + handle.len(),
                        feature: Feature::Mention(handle.to_ascii_lowercase()),
                    });
                    i += 1 + handle.len();
                    continue;
                }
            } else if c == '#' || c == '＃' {
                let tag: String = rest[c.len_utf8()..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, '#' | '＃'))
                    .collect();
                let tag = tag.trim_end_matches(TRAILING);
                if !tag.is_empty()
                    && !tag.chars().all(|c| c.is_ascii_digit())
                    && tag.chars().count() <= 64
                {
                    out.push(Found {
                        start: i,
                        end: i + c.len_utf8() + tag.len(),
                        feature: Feature::Tag(tag.to_owned()),
                    });
                    i += c.len_utf8() + tag.len();
                    continue;
                }
            }
        }
        i += c.len_utf8();
    }
    out
}

/// The `facets` array entry for a feature (`did` for a mention).
pub fn facet(found: &Found, did: Option<&str>) -> Option<Value> {
    let feature = match (&found.feature, did) {
        (Feature::Link(uri), _) => json!({"$type": "app.bsky.richtext.facet#link", "uri": uri}),
        (Feature::Mention(_), Some(did)) => {
            json!({"$type": "app.bsky.richtext.facet#mention", "did": did})
        }
        (Feature::Mention(_), None) => return None,
        (Feature::Tag(tag), _) => json!({"$type": "app.bsky.richtext.facet#tag", "tag": tag}),
    };
    Some(json!({
        "index": {"byteStart": found.start, "byteEnd": found.end},
        "features": [feature],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_utf8_bytes_even_after_accents_and_emoji() {
        let text = "Été 🌞 chez @alice.bsky.social : https://exemple.fr/a?b=1. #Rentrée2026 !";
        let found = detect(text);
        let slices: Vec<&str> = found.iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(
            slices,
            [
                "@alice.bsky.social",
                "https://exemple.fr/a?b=1",
                "#Rentrée2026"
            ]
        );
        assert_eq!(
            found[0].feature,
            Feature::Mention("alice.bsky.social".into())
        );
        assert_eq!(found[2].feature, Feature::Tag("Rentrée2026".into()));
        // "Été 🌞 chez " is 3 + 1 + 4 + 1 + 5 bytes... as Bluesky counts them.
        assert_eq!(found[0].start, "Été 🌞 chez ".len());
    }

    #[test]
    fn not_everything_with_a_sign_is_a_facet() {
        assert!(detect("mail me at bob@example.com, #1 fan, @nodot, price#tag").is_empty());
    }

    #[test]
    fn an_unresolved_mention_has_no_facet() {
        let f = &detect("hi @carol.example")[0];
        assert_eq!(facet(f, None), None);
        let v = facet(f, Some("did:plc:abc")).expect("facet");
        assert_eq!(v["index"]["byteStart"], 3);
        assert_eq!(v["index"]["byteEnd"], 17);
        assert_eq!(v["features"][0]["did"], "did:plc:abc");
    }
}
