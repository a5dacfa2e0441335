//! How much a review costs. The target: a typical tweet in a few microseconds, a small
//! fraction of what the official JavaScript twitter-text takes just to count its length.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tweetguard::review::{length, review, History, Settings};

const CORPUS: &str = include_str!("corpus/tweets.txt");

fn bench(c: &mut Criterion) {
    let tweets: Vec<&str> = CORPUS.lines().filter(|l| !l.is_empty()).collect();
    // Spelling is on by default: the main cases include it; `*_no_spelling` shows its cost.
    let settings = Settings::default();
    let mut no_spelling = Settings::default();
    no_spelling.spelling = false;
    let history = History::default();
    let past: Vec<&str> = tweets.iter().copied().cycle().take(10).collect();
    let with_history = History::from_tweets(&past, &settings);

    let mut g = c.benchmark_group("review");
    g.throughput(Throughput::Elements(tweets.len() as u64));
    g.bench_function("mixed_fr_en_corpus", |b| {
        b.iter(|| {
            for t in &tweets {
                black_box(review(black_box(t), &settings, &history));
            }
        })
    });
    g.bench_function("mixed_fr_en_corpus_no_spelling", |b| {
        b.iter(|| {
            for t in &tweets {
                black_box(review(black_box(t), &no_spelling, &history));
            }
        })
    });
    g.bench_function("mixed_fr_en_corpus_with_history", |b| {
        b.iter(|| {
            for t in &tweets {
                black_box(review(black_box(t), &settings, &with_history));
            }
        })
    });
    g.bench_function("length_only", |b| {
        b.iter(|| {
            for t in &tweets {
                black_box(length::weighted_length(black_box(t)));
            }
        })
    });
    g.finish();

    // One typical tweet of each language, spelling on and off: the ≤ 5 µs target.
    let mut g = c.benchmark_group("review_typical");
    let fr = "@client Merci de nous l'avoir signalé ! Vous pouvez nous donner le numéro de commande ? ^SG";
    let en = "@jane Thanks for letting us know! Could you DM us your order number so we can look into it? ^SG";
    for (name, text) in [("fr", fr), ("en", en)] {
        g.bench_function(format!("{name}_spelling"), |b| {
            b.iter(|| black_box(review(black_box(text), &settings, &history)))
        });
        g.bench_function(format!("{name}_no_spelling"), |b| {
            b.iter(|| black_box(review(black_box(text), &no_spelling, &history)))
        });
    }
    g.finish();

    let huge = "Grosse promo sur nos vélos, via @marie ! ".repeat(2_500);
    let mut g = c.benchmark_group("review_huge");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(huge.len() as u64));
    g.bench_function("100KB", |b| {
        b.iter(|| black_box(review(black_box(&huge), &settings, &history)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
