//! What the Discord side adds to a review: rendering the embed and the card, and a whole
//! `/review` through the router, without a store and with a SQLite store (which reads the
//! server's settings and the member's signature). The transport (serenity, HTTP) is measured
//! end to end by the ignored latency tests instead.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tweetguard::discord::cards::card;
use tweetguard::discord::embeds::review_embed;
use tweetguard::discord::ratelimit::RateLimit;
use tweetguard::discord::router::{
    Action, CommandOption, Invocation, OptionValue, Router, RouterConfig,
};
use tweetguard::review::{review, History, Language, Settings};
use tweetguard::workflow::{apply, Event, GuildId, Member, MemberId, Policy, ProposalId};

const CORPUS: &str = include_str!("corpus/tweets.txt");

fn slash_review(text: &str, guild: Option<u64>) -> Invocation {
    Invocation {
        id: 1,
        application_id: 1,
        token: "t".into(),
        action: Action::Slash {
            name: "review".into(),
            options: vec![CommandOption {
                name: "text".into(),
                value: OptionValue::String(text.into()),
            }],
        },
        user_id: 7,
        user_name: "Sylvain Grandmaison".into(),
        guild_id: guild,
        channel_id: 2,
        roles: vec![],
        locale: "fr".into(),
        guild_locale: Some("fr".into()),
        is_admin: false,
    }
}

fn bench(c: &mut Criterion) {
    let tweets: Vec<&str> = CORPUS.lines().filter(|l| !l.is_empty()).collect();
    let settings = Settings::default();
    let reviews: Vec<_> = tweets
        .iter()
        .map(|t| review(t, &settings, &History::default()))
        .collect();

    let mut g = c.benchmark_group("discord");
    g.throughput(Throughput::Elements(tweets.len() as u64));
    g.bench_function("review_embed", |b| {
        b.iter(|| {
            for (t, r) in tweets.iter().zip(&reviews) {
                black_box(review_embed(r, t, Language::Fr));
            }
        })
    });
    let proposals: Vec<_> = tweets
        .iter()
        .zip(&reviews)
        .filter_map(|(t, r)| {
            apply(
                None,
                &Event::Submit {
                    id: ProposalId(1),
                    guild: GuildId(1),
                    author: Member {
                        id: MemberId(1),
                        roles: vec![],
                        is_admin: false,
                    },
                    text: t.to_string(),
                    review: r.clone(),
                    conversation: None,
                    images: Vec::new(),
                },
                &Policy::default(),
                chrono::Utc::now(),
            )
            .ok()
        })
        .map(|t| t.proposal)
        .collect();
    g.bench_function("card", |b| {
        b.iter(|| {
            for p in &proposals {
                black_box(card(p, 2, Language::Fr));
            }
        })
    });

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let config = RouterConfig {
        review_rate: RateLimit {
            burst: 0,
            ..RateLimit::default()
        },
        ..RouterConfig::default()
    };
    let bare = Router::new(config.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = rt.block_on(tweetguard::store::open(&url)).expect("store");
    let stored = Router::with_store(config, Arc::clone(&store));
    let invs: Vec<Invocation> = tweets.iter().map(|t| slash_review(t, Some(1))).collect();
    g.bench_function("router_review_without_store", |b| {
        b.iter(|| {
            rt.block_on(async {
                for inv in &invs {
                    black_box(bare.handle(inv, None).await);
                }
            })
        })
    });
    g.bench_function("router_review_with_sqlite_settings", |b| {
        b.iter(|| {
            rt.block_on(async {
                for inv in &invs {
                    black_box(stored.handle(inv, None).await);
                }
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
