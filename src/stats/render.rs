//! [`Stats`] as text (a person reads it), JSON (a script reads it) or CSV (a spreadsheet
//! reads it), in French or English.

use std::sync::OnceLock;

use super::{PostKind, Stats, PROMO_LINE};
use crate::i18n::Catalog;
use crate::review::Language;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::from_toml(include_str!("messages.toml"))
            .unwrap_or_else(|e| panic!("built-in stats/messages.toml is invalid: {e}"))
    })
}

/// The message `key` in `lang`, `{name}`s filled.
pub fn fill(key: &str, lang: Language, args: &[(&str, &str)]) -> String {
    catalog().fill(key, lang, args)
}

/// How a kind is named.
pub fn kind_name(kind: PostKind, lang: Language) -> String {
    fill(&format!("kind.{}", kind.id()), lang, &[])
}

/// A share as a percentage (`20 %` in French, `20%` in English).
pub fn percent(share: f64, lang: Language) -> String {
    let n = (share * 100.0).round();
    match lang {
        Language::Fr => format!("{n:.0} %"),
        Language::En => format!("{n:.0}%"),
    }
}

/// A number of minutes as a person says it: `45 min`, `3 h 20`, `2 d 4 h` (`j` in French).
pub fn duration(minutes: Option<f64>, lang: Language) -> String {
    let Some(m) = minutes else {
        return fill("none", lang, &[]);
    };
    let m = m.round() as i64;
    let day = match lang {
        Language::Fr => "j",
        Language::En => "d",
    };
    match m {
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => format!("{} h {:02}", m / 60, m % 60),
        m => format!("{} {day} {} h", m / (24 * 60), (m % (24 * 60)) / 60),
    }
}

/// The title line.
pub fn title(s: &Stats, lang: Language) -> String {
    let (since, until) = (
        s.since.format("%Y-%m-%d").to_string(),
        s.until.format("%Y-%m-%d").to_string(),
    );
    match &s.network {
        Some(n) => fill(
            "title.network",
            lang,
            &[("network", n), ("since", &since), ("until", &until)],
        ),
        None => fill("title", lang, &[("since", &since), ("until", &until)]),
    }
}

/// The figures as lines of text, in sections: what `/stats` puts in its embed and the CLI
/// prints. `names` names reviewers (a Discord mention, an id); `words` shows what reviewers
/// wrote (Discord escapes their Markdown).
pub fn sections(
    s: &Stats,
    lang: Language,
    names: &dyn Fn(u64) -> String,
    words: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let kinds: Vec<String> = PostKind::ALL
        .iter()
        .map(|k| {
            let n = s
                .weeks
                .iter()
                .map(|w| match k {
                    PostKind::Reply => w.replies,
                    PostKind::Broadcast => w.broadcasts,
                    PostKind::Promotional => w.promotional,
                    PostKind::Relay => w.relays,
                })
                .sum::<usize>();
            format!("{}: {n}", kind_name(*k, lang))
        })
        .collect();
    let mut posts = vec![kinds.join(" · ")];
    posts.push(fill(
        "promo-share",
        lang,
        &[("share", &percent(s.promo_share, lang))],
    ));
    if s.promo_share > PROMO_LINE {
        posts.push(fill("promo-over", lang, &[]));
    }
    posts.push(fill(
        "signature-rate",
        lang,
        &[("rate", &percent(s.signature_rate, lang))],
    ));
    out.push((
        fill("posts", lang, &[("n", &s.posts.to_string())]),
        posts.join("\n"),
    ));
    let mut engagement: Vec<String> = s
        .engagement
        .iter()
        .map(|e| {
            fill(
                "engagement.line",
                lang,
                &[
                    ("kind", &kind_name(e.kind, lang)),
                    ("median", &format!("{:.1}", e.median)),
                    ("n", &e.posts.to_string()),
                ],
            )
        })
        .collect();
    let median = |k: PostKind| s.engagement.iter().find(|e| e.kind == k);
    if let (Some(r), Some(b)) = (median(PostKind::Reply), median(PostKind::Broadcast)) {
        if r.posts > 0 && b.posts > 0 {
            let key = if r.median > b.median {
                "dialogue-wins"
            } else {
                "dialogue-loses"
            };
            engagement.push(fill(key, lang, &[]));
        }
    }
    out.push((fill("engagement", lang, &[]), engagement.join("\n")));
    let t = &s.turnaround;
    out.push((
        fill("turnaround", lang, &[]),
        [
            fill(
                "turnaround.decision",
                lang,
                &[
                    ("median", &duration(t.decision_median_min, lang)),
                    ("p90", &duration(t.decision_p90_min, lang)),
                    ("n", &t.decided.to_string()),
                ],
            ),
            fill(
                "turnaround.posted",
                lang,
                &[
                    ("median", &duration(t.posted_median_min, lang)),
                    ("p90", &duration(t.posted_p90_min, lang)),
                    ("n", &t.posted.to_string()),
                ],
            ),
        ]
        .join("\n"),
    ));
    let none = fill("none", lang, &[]);
    let reviews: Vec<String> = s
        .reviews
        .iter()
        .map(|(who, n)| format!("{}: {n}", names(who.0)))
        .collect();
    out.push((
        fill("reviews", lang, &[]),
        if reviews.is_empty() {
            none.clone()
        } else {
            reviews.join("\n")
        },
    ));
    let reasons: Vec<String> = s
        .reasons
        .iter()
        .map(|(r, n)| format!("{n} × {}", words(r)))
        .collect();
    out.push((
        fill("reasons", lang, &[]),
        if reasons.is_empty() {
            none
        } else {
            reasons.join("\n")
        },
    ));
    out
}

/// The whole report as plain text.
pub fn text(s: &Stats, lang: Language) -> String {
    let mut out = title(s, lang);
    out.push('\n');
    for (head, body) in sections(s, lang, &|id| id.to_string(), &|w| w.to_owned()) {
        out.push_str(&format!("\n{head}\n{body}\n"));
    }
    out
}

/// The figures as JSON (field names are stable: scripts read them).
pub fn json(s: &Stats) -> String {
    serde_json::to_string_pretty(s).unwrap_or_else(|_| "{}".into())
}

/// One CSV row per week: `week,replies,broadcasts,promotional,relays,promo_share`.
pub fn csv(s: &Stats) -> String {
    let mut out = String::from("week,replies,broadcasts,promotional,relays,promo_share\n");
    for w in &s.weeks {
        out.push_str(&format!(
            "{},{},{},{},{},{:.3}\n",
            w.start, w.replies, w.broadcasts, w.promotional, w.relays, w.promo_share
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        assert_eq!(catalog().problems(), Vec::<String>::new());
    }

    #[test]
    fn durations_and_shares_read_naturally_in_both_languages() {
        assert_eq!(duration(Some(45.0), Language::En), "45 min");
        assert_eq!(duration(Some(200.0), Language::Fr), "3 h 20");
        assert_eq!(duration(Some(3000.0), Language::Fr), "2 j 2 h");
        assert_eq!(duration(None, Language::En), "none");
        assert_eq!(percent(0.2, Language::Fr), "20 %");
        assert_eq!(percent(0.25, Language::En), "25%");
    }
}
