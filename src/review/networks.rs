//! The posting networks' own limits, as findings: a text X, Mastodon or Bluesky would refuse
//! is better caught at review than at posting time. Active only for the networks
//! [`Settings::networks`](super::Settings::networks) lists (a server's publish targets), so a
//! team that posts nowhere sees no difference.
//!
//! X's weighted 280 is the review's own length check (`tone.length`); X also allows at most
//! one cashtag per post. Mastodon counts characters, each link as 23, up to 500. Bluesky
//! counts graphemes (what a reader sees as one character), up to 300.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::{Context, Finding, Guideline, Severity, Span};

/// A network whose limits the review checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    X,
    Mastodon,
    Bluesky,
}

impl Network {
    /// The id used in settings (`publish_targets`): `x`, `mastodon`, `bluesky`.
    pub fn id(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
        }
    }

    /// Parses [`Network::id`]; other targets (a webhook) have no limits of their own.
    pub fn parse(s: &str) -> Option<Network> {
        [Network::X, Network::Mastodon, Network::Bluesky]
            .into_iter()
            .find(|n| n.id() == s)
    }
}

/// Mastodon's default limit, in characters.
pub const MASTODON_LIMIT: usize = 500;
/// What Mastodon counts for a link, whatever its length.
pub const MASTODON_URL_WEIGHT: usize = 23;
/// Bluesky's limit, in graphemes.
pub const BLUESKY_LIMIT: usize = 300;

/// The byte spans of `$CASHTAG`s (1 to 6 letters, optionally `.X`/`_XX`), as X counts them.
pub fn cashtags(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('$') {
        let before_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '$' && c != '_');
        if !before_ok {
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && bytes[j].is_ascii_alphabetic() && j - i <= 6 {
            j += 1;
        }
        let letters = j - i - 1;
        if !(1..=6).contains(&letters) {
            continue;
        }
        if j + 1 < bytes.len()
            && (bytes[j] == b'.' || bytes[j] == b'_')
            && bytes[j + 1].is_ascii_alphabetic()
        {
            let mut k = j + 1;
            while k < bytes.len() && bytes[k].is_ascii_alphabetic() && k - j <= 2 {
                k += 1;
            }
            if k - j - 1 <= 2 {
                j = k;
            }
        }
        let after = text[j..].chars().next();
        if after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        out.push(Span { start: i, end: j });
    }
    out
}

/// Mastodon's count: characters, each link counting 23.
pub fn mastodon_length(text: &str, urls: &[std::ops::Range<usize>]) -> usize {
    let mut n = text.chars().count();
    for u in urls {
        let chars = text.get(u.clone()).map_or(0, |s| s.chars().count());
        n = n.saturating_sub(chars) + MASTODON_URL_WEIGHT;
    }
    n
}

fn too_long(
    ctx: &Context<'_>,
    part: Span,
    rule: &str,
    count: usize,
    limit: usize,
    out: &mut Vec<Finding>,
) {
    if count <= limit {
        return;
    }
    let (count, limit, over) = (
        count.to_string(),
        limit.to_string(),
        (count - limit).to_string(),
    );
    let args = [
        ("count", count.as_str()),
        ("limit", limit.as_str()),
        ("over", over.as_str()),
    ];
    out.push(ctx.finding(Guideline::Tone, rule, Severity::Error, vec![part], &args));
}

/// The findings for the networks the settings list.
pub(crate) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let whole = Span {
        start: 0,
        end: ctx.tweet.text.len(),
    };
    check_part(ctx, whole, out);
}

/// [`check`] for one post of a thread (`part`, a span of the text).
pub(crate) fn check_part(ctx: &Context<'_>, part: Span, out: &mut Vec<Finding>) {
    let text = &ctx.tweet.text[part.start..part.end];
    let urls: Vec<std::ops::Range<usize>> = ctx
        .tweet
        .urls
        .iter()
        .filter(|u| u.start >= part.start && u.end <= part.end)
        .map(|u| u.start - part.start..u.end - part.start)
        .collect();
    let shift = |s: Span| Span {
        start: s.start + part.start,
        end: s.end + part.start,
    };
    for network in &ctx.settings.networks {
        match network {
            Network::X => {
                let tags: Vec<Span> = cashtags(text).into_iter().map(shift).collect();
                if tags.len() > 1 {
                    let n = tags.len().to_string();
                    let terms = ctx.quote(&tags);
                    out.push(ctx.finding(
                        Guideline::Tone,
                        "network.x-cashtags",
                        Severity::Error,
                        tags,
                        &[("n", n.as_str()), ("terms", terms.as_str())],
                    ));
                }
            }
            Network::Mastodon => too_long(
                ctx,
                part,
                "network.mastodon-length",
                mastodon_length(text, &urls),
                MASTODON_LIMIT,
                out,
            ),
            Network::Bluesky => too_long(
                ctx,
                part,
                "network.bluesky-length",
                text.graphemes(true).count(),
                BLUESKY_LIMIT,
                out,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{review, History, Settings};
    use super::*;

    fn rules(text: &str, networks: &[Network]) -> Vec<String> {
        let settings = Settings {
            networks: networks.to_vec(),
            ..Settings::default()
        };
        review(text, &settings, &History::default())
            .findings
            .into_iter()
            .map(|f| f.rule)
            .filter(|r| r.starts_with("network."))
            .collect()
    }

    #[test]
    fn cashtags_are_found_as_x_counts_them() {
        let text = "$AAPL et $goog.b montent, pas US$5 ni $123 ni $TOOLONGX ^SG";
        let spans: Vec<&str> = cashtags(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(spans, ["$AAPL", "$goog.b"]);
    }

    #[test]
    fn x_allows_one_cashtag() {
        assert!(rules("We like $AAPL. Thoughts? ^SG", &[Network::X]).is_empty());
        assert_eq!(
            rules("$AAPL or $MSFT? ^SG", &[Network::X]),
            ["network.x-cashtags"]
        );
        assert!(
            rules("$AAPL or $MSFT? ^SG", &[]).is_empty(),
            "off unless listed"
        );
    }

    #[test]
    fn mastodon_counts_characters_and_links_as_23() {
        let long_link = format!("https://example.com/{}", "a".repeat(200));
        let text = format!("{} {long_link}", "é".repeat(476));
        assert_eq!(
            mastodon_length(
                &text,
                std::slice::from_ref(&(text.len() - long_link.len()..text.len()))
            ),
            500
        );
        assert!(rules(&text, &[Network::Mastodon]).is_empty());
        let text = "é".repeat(501);
        assert_eq!(
            rules(&text, &[Network::Mastodon]),
            ["network.mastodon-length"]
        );
    }

    #[test]
    fn bluesky_counts_graphemes() {
        let family = "👨‍👩‍👧‍👦".repeat(300);
        assert!(rules(&family, &[Network::Bluesky]).is_empty());
        let text = "é".repeat(301);
        assert_eq!(
            rules(&text, &[Network::Bluesky]),
            ["network.bluesky-length"]
        );
        let finding = review(
            &text,
            &Settings {
                networks: vec![Network::Bluesky],
                reply_language: Some(super::super::Language::Fr),
                ..Settings::default()
            },
            &History::default(),
        )
        .findings
        .into_iter()
        .find(|f| f.rule == "network.bluesky-length")
        .map(|f| f.message);
        assert_eq!(
            finding.as_deref(),
            Some("Trop long pour Bluesky : 301/300 caractères. Coupez-en 1.")
        );
    }

    #[test]
    fn networks_parse_from_their_ids() {
        assert_eq!(Network::parse("bluesky"), Some(Network::Bluesky));
        assert_eq!(Network::parse("webhook"), None);
    }
}
