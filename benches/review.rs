//! How much a review costs. The target: a typical tweet in a few microseconds, a small
//! fraction of what the official JavaScript twitter-text takes just to count its length.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tweetguard::review::{length, review, History, Settings};

const CORPUS: &str = include_str!("corpus/tweets.txt");

fn bench(c: &mut Criterion) {
    let tweets: Vec<&str> = CORPUS.lines().filter(|l| !l.is_empty()).collect();
    let settings = Settings::default();
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
