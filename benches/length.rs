//! `review::length::weighted_length` on typical tweets: it must cost well under 1 µs, since a
//! whole review has a 5 µs budget.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tweetguard::review::length::{find_urls, weighted_length};

const FRENCH: &str = "Ce matin, nous avons présenté à l'équipe notre nouvelle façon de répondre \
aux questions : plus rapide, plus humaine, et toujours signée par quelqu'un. Qu'en pensez-vous ? \
Dites-le-nous en réponse !";

const ENGLISH_URL: &str = "We just shipped the new dashboard: faster search, saved filters and \
the dark mode you asked for. Read the release notes at https://example.com/blog/dashboard-2 and \
tell us what you think!";

const ENGLISH_BARE_URL: &str = "Our docs moved to docs.example.com this week. Old links still \
work, but please update your bookmarks. Questions? Ask @support, we answer every day from 9 to 6.";

const EMOJI: &str = "Merci à toutes et à tous 🙏🎉 ! 10 ans aujourd'hui 🥳🎂🇫🇷 — 👩‍💻👨‍💻 \
l'équipe au complet ❤️✨ #anniversaire 👍🏽👍🏽👍🏽";

fn bench(c: &mut Criterion) {
    // Build the lazy tables outside the measurements.
    let _ = weighted_length(EMOJI) + weighted_length(ENGLISH_URL);
    let mut group = c.benchmark_group("weighted_length");
    for (name, text) in [
        ("french_accents", FRENCH),
        ("english_url", ENGLISH_URL),
        ("english_bare_url", ENGLISH_BARE_URL),
        ("emoji_heavy", EMOJI),
    ] {
        group.bench_function(name, |b| b.iter(|| weighted_length(black_box(text))));
    }
    group.finish();
    c.bench_function("find_urls/english_url", |b| {
        b.iter(|| find_urls(black_box(ENGLISH_URL)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
