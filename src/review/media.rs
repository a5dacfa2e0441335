//! Images of a proposal: alt text (accessibility) and the networks' media limits.
//!
//! The review stays pure: it receives facts about the images ([`ImageFacts`], filled by the
//! adapter that decoded them), never bytes. A picture without alt text is invisible to people
//! who use screen readers, and a brand that posts it excludes them: by default that blocks
//! (`/settings alt-text required|recommended|off`). Findings are filed under the tone
//! guideline, like the other `network.*` limits: how the post reads, to everyone.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::networks::Network;
use super::{Context, Finding, Guideline, Severity};

/// How a server treats an image without alt text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AltText {
    /// An error: the proposal can't be approved without it (the default).
    #[default]
    Required,
    /// A warning.
    Recommended,
    /// Not checked.
    Off,
}

impl AltText {
    pub fn id(self) -> &'static str {
        match self {
            AltText::Required => "required",
            AltText::Recommended => "recommended",
            AltText::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<AltText> {
        [AltText::Required, AltText::Recommended, AltText::Off]
            .into_iter()
            .find(|a| a.id() == s)
    }
}

/// What the review knows about one image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    pub bytes_len: u64,
    pub alt: Option<String>,
    /// Whether re-encoding brings it under Bluesky's limit (only looked at when it is over).
    pub fits_bluesky: bool,
}

/// X: at most this many bytes per image.
pub const X_IMAGE_BYTES: u64 = 5 * 1024 * 1024;
/// X: alt text limit, in characters.
pub const X_ALT_CHARS: usize = 1000;
/// Bluesky: at most this many bytes per image blob.
pub const BLUESKY_IMAGE_BYTES: u64 = 1_000_000;
/// Bluesky: alt text limit, in characters (the app's).
pub const BLUESKY_ALT_CHARS: usize = 2000;
/// Images per post on X and Bluesky.
pub const MAX_IMAGES: usize = 4;

/// A Mastodon server's own media limits (`GET /api/v2/instance`); the defaults are Mastodon's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MastodonMedia {
    pub max_images: usize,
    pub image_bytes: u64,
    pub alt_chars: usize,
}

impl Default for MastodonMedia {
    fn default() -> Self {
        MastodonMedia {
            max_images: 4,
            image_bytes: 16 * 1024 * 1024,
            alt_chars: 1500,
        }
    }
}

#[derive(Deserialize)]
struct Words {
    generic: Vec<String>,
    prefixes: Vec<String>,
    extensions: Vec<String>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        toml::from_str(include_str!("alt_words.toml"))
            .unwrap_or_else(|e| panic!("built-in review/alt_words.toml is invalid: {e}"))
    })
}

/// Lower case, inner white space collapsed, outer punctuation trimmed.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '…')
        .replace('’', "'")
}

/// The words of a text, lower case, for comparing an alt text with the tweet.
fn word_list(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Why an alt text describes nothing, as a message key, if it does.
pub fn alt_problem(alt: &str, tweet: &str) -> Option<&'static str> {
    let folded = fold(alt);
    let w = words();
    let is_file_name = !folded.contains(' ')
        && folded
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && w.extensions.iter().any(|e| e == ext));
    let camera_name = {
        let upper = alt.trim().to_ascii_uppercase();
        [
            "IMG_",
            "IMG-",
            "DSC_",
            "DSC0",
            "DCIM",
            "PXL_",
            "SCREENSHOT_",
            "SCREENSHOT-",
        ]
        .iter()
        .any(|p| upper.starts_with(p))
            && !alt.trim().contains(' ')
    };
    if is_file_name || camera_name {
        return Some("media.alt-quality.file-name");
    }
    if w.generic.contains(&folded) {
        return Some("media.alt-quality.generic");
    }
    if w.prefixes.iter().any(|p| {
        folded.starts_with(&format!("{p} "))
            || (p.ends_with('\'') && folded.starts_with(p.as_str()))
    }) {
        return Some("media.alt-quality.prefix");
    }
    let (a, t) = (word_list(alt), word_list(tweet));
    // Repeating the tweet tells a screen reader user what they just heard, not what the
    // picture shows. Three words at least, so "Our team" inside a long tweet is not flagged.
    if a.len() >= 3 && t.windows(a.len()).any(|win| win == a.as_slice()) {
        return Some("media.alt-quality.repeats-text");
    }
    None
}

/// The findings about the images in `ctx.settings.images`.
pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let images = &ctx.settings.images;
    if images.is_empty() {
        return;
    }
    let total = images.len().to_string();
    for (i, image) in images.iter().enumerate() {
        let n = (i + 1).to_string();
        let alt = image
            .alt
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        match (alt, ctx.settings.alt_text) {
            (None, AltText::Off) => {}
            (None, policy) => {
                let severity = if policy == AltText::Required {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let mut f = ctx.finding(
                    Guideline::Tone,
                    "media.alt-text",
                    severity,
                    vec![],
                    &[("n", n.as_str()), ("total", total.as_str())],
                );
                f.fix = ctx.fix("media.alt-text.fix", &[]);
                out.push(f);
            }
            (Some(alt), _) => {
                if let Some(why) = alt_problem(alt, ctx.tweet.text) {
                    let why = ctx.fix(why, &[]).unwrap_or_default();
                    out.push(ctx.finding(
                        Guideline::Tone,
                        "media.alt-quality",
                        Severity::Suggestion,
                        vec![],
                        &[("n", n.as_str()), ("why", why.as_str())],
                    ));
                }
            }
        }
    }
    for network in &ctx.settings.networks {
        network_limits(ctx, *network, out);
    }
}

fn network_limits(ctx: &Context<'_>, network: Network, out: &mut Vec<Finding>) {
    let images = &ctx.settings.images;
    let (max_images, max_bytes, max_alt) = match network {
        Network::X => (MAX_IMAGES, X_IMAGE_BYTES, X_ALT_CHARS),
        Network::Bluesky => (MAX_IMAGES, u64::MAX, BLUESKY_ALT_CHARS),
        Network::Mastodon => {
            let m = ctx.settings.mastodon_media;
            (m.max_images, m.image_bytes, m.alt_chars)
        }
    };
    let name = match network {
        Network::X => "X",
        Network::Mastodon => "Mastodon",
        Network::Bluesky => "Bluesky",
    };
    if images.len() > max_images {
        let (count, max) = (images.len().to_string(), max_images.to_string());
        out.push(ctx.finding(
            Guideline::Tone,
            "network.too-many-images",
            Severity::Error,
            vec![],
            &[("network", name), ("count", &count), ("max", &max)],
        ));
    }
    for (i, image) in images.iter().enumerate() {
        let n = (i + 1).to_string();
        let size = megabytes(image.bytes_len);
        if image.bytes_len > max_bytes {
            let limit = megabytes(max_bytes);
            out.push(ctx.finding(
                Guideline::Tone,
                "network.image-size",
                Severity::Error,
                vec![],
                &[
                    ("network", name),
                    ("n", &n),
                    ("size", &size),
                    ("limit", &limit),
                ],
            ));
        }
        if network == Network::Bluesky && image.bytes_len > BLUESKY_IMAGE_BYTES {
            let (rule, severity) = if image.fits_bluesky {
                ("network.bluesky-reencoded", Severity::Suggestion)
            } else {
                ("network.bluesky-image-size", Severity::Error)
            };
            out.push(ctx.finding(
                Guideline::Tone,
                rule,
                severity,
                vec![],
                &[("n", &n), ("size", &size)],
            ));
        }
        let chars = image.alt.as_deref().map_or(0, |a| a.trim().chars().count());
        if chars > max_alt {
            let (count, limit) = (chars.to_string(), max_alt.to_string());
            out.push(ctx.finding(
                Guideline::Tone,
                "network.alt-length",
                Severity::Error,
                vec![],
                &[
                    ("network", name),
                    ("n", &n),
                    ("count", &count),
                    ("limit", &limit),
                ],
            ));
        }
    }
}

/// `3.2 MB`, one decimal.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::super::{review, History, Settings};
    use super::*;

    fn findings(text: &str, images: Vec<ImageFacts>, settings: Settings) -> Vec<Finding> {
        let settings = Settings { images, ..settings };
        review(text, &settings, &History::default())
            .findings
            .into_iter()
            .filter(|f| {
                f.rule.starts_with("media.")
                    || f.rule.contains("image")
                    || f.rule.contains("alt")
                    || f.rule.contains("reencoded")
            })
            .collect()
    }

    fn img(alt: Option<&str>) -> ImageFacts {
        ImageFacts {
            bytes_len: 200_000,
            alt: alt.map(str::to_owned),
            fits_bluesky: true,
        }
    }

    const TEXT: &str = "Our new workshop opens on Monday, come and see us! ^SG";

    #[test]
    fn an_image_without_alt_text_blocks_by_default_warns_when_recommended_and_passes_when_off() {
        let f = findings(
            TEXT,
            vec![img(Some("Two people painting a wall")), img(None)],
            Settings::default(),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].rule.as_str(), f[0].severity),
            ("media.alt-text", Severity::Error)
        );
        assert!(f[0].message.contains("2"), "{}", f[0].message);
        let recommended = Settings {
            alt_text: AltText::Recommended,
            ..Settings::default()
        };
        let f = findings(TEXT, vec![img(None)], recommended);
        assert_eq!(f[0].severity, Severity::Warning);
        let off = Settings {
            alt_text: AltText::Off,
            ..Settings::default()
        };
        assert!(findings(TEXT, vec![img(None)], off).is_empty());
        let fr = Settings {
            reply_language: Some(super::super::Language::Fr),
            ..Settings::default()
        };
        let f = findings(TEXT, vec![img(Some("  "))], fr);
        assert!(
            f[0].message.contains("texte alternatif"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn alt_texts_that_describe_nothing_get_a_suggestion_saying_why() {
        for (alt, why) in [
            ("IMG_2041.jpg", "media.alt-quality.file-name"),
            ("vacances-2024.PNG", "media.alt-quality.file-name"),
            ("PXL_20240101", "media.alt-quality.file-name"),
            ("image", "media.alt-quality.generic"),
            ("Photo.", "media.alt-quality.generic"),
            ("logo", "media.alt-quality.generic"),
            ("Image of a cat on a sofa", "media.alt-quality.prefix"),
            ("photo de l'équipe au salon", "media.alt-quality.prefix"),
            ("Photo d'une vitrine", "media.alt-quality.prefix"),
            (
                "new workshop opens on Monday",
                "media.alt-quality.repeats-text",
            ),
        ] {
            assert_eq!(alt_problem(alt, TEXT), Some(why), "{alt}");
        }
        for good in [
            "A red door with our logo painted on it",
            "Deux personnes peignent un mur en bleu",
            "Photographer at work in the studio",
            "Our workshop",
            "Imagery test: a chart of sales rising",
        ] {
            assert_eq!(alt_problem(good, TEXT), None, "{good}");
        }
        let f = findings(TEXT, vec![img(Some("IMG_2041.jpg"))], Settings::default());
        assert_eq!(
            (f[0].rule.as_str(), f[0].severity),
            ("media.alt-quality", Severity::Suggestion)
        );
        assert!(f[0].message.contains("file name"), "{}", f[0].message);
    }

    #[test]
    fn network_limits_on_count_size_and_alt_length() {
        let all = Settings {
            networks: vec![Network::X, Network::Mastodon, Network::Bluesky],
            ..Settings::default()
        };
        let five: Vec<ImageFacts> = (0..5).map(|_| img(Some("A red door"))).collect();
        let rules: Vec<String> = findings(TEXT, five, all.clone())
            .into_iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(
            rules
                .iter()
                .filter(|r| *r == "network.too-many-images")
                .count(),
            3
        );

        let big = ImageFacts {
            bytes_len: 6_000_000,
            alt: Some("A".repeat(1200)),
            fits_bluesky: true,
        };
        let f = findings(TEXT, vec![big.clone()], all.clone());
        let got: Vec<(&str, Severity)> = f.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
        assert!(
            got.contains(&("network.image-size", Severity::Error)),
            "{got:?}"
        );
        assert!(
            got.contains(&("network.bluesky-reencoded", Severity::Suggestion)),
            "{got:?}"
        );
        assert!(
            got.contains(&("network.alt-length", Severity::Error)),
            "{got:?}"
        );
        // X's 1,000 characters; Mastodon's 1,500 and Bluesky's 2,000 hold.
        assert_eq!(
            got.iter()
                .filter(|(r, _)| *r == "network.alt-length")
                .count(),
            1
        );
        let stuck = ImageFacts {
            fits_bluesky: false,
            ..big
        };
        let f = findings(
            TEXT,
            vec![stuck],
            Settings {
                networks: vec![Network::Bluesky],
                ..Settings::default()
            },
        );
        assert_eq!(
            f.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            ["network.bluesky-image-size"]
        );
    }
}
