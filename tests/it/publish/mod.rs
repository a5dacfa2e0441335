//! Posting, end to end against fake networks on 127.0.0.1: exactly one post per approved
//! proposal whatever fails, or "needs reconcile" for a person; crashes resumed; two workers on
//! one database.

pub mod conversations;
pub mod fakes;
mod media;
mod pause;
mod scenarios;
mod threads;
mod workers;

use std::sync::{Arc, Mutex};

use tweetguard::publish::{Announcer, PublishArgs, Publisher, Secret, Worker, WorkerOptions};
use tweetguard::review::Verdict;
use tweetguard::store::{Publication, Store, StoreError};
use tweetguard::workflow::{Event, GuildId, ProposalId, Status, Transition};

use crate::common::{at, member, review};
use fakes::Fake;

pub const GUILD: GuildId = GuildId(1_300_000_000_000_000_001);
pub const AUTHOR: u64 = 1_200_000_000_000_000_001;

/// A fake network and the real publisher pointed at it (built from `PublishArgs`, as `serve`
/// builds them), with a three-second HTTP timeout (long enough for a loaded CI machine, short enough for the timeout scenarios).
pub struct Net {
    pub fake: Fake,
    pub publisher: Arc<dyn Publisher>,
}

fn args() -> PublishArgs {
    PublishArgs {
        x_api_url: "https://api.x.com".into(),
        bluesky_service: "https://bsky.social".into(),
        publish_timeout_secs: 3,
        ..PublishArgs::default()
    }
}

fn only(args: PublishArgs) -> Arc<dyn Publisher> {
    let mut p = args.publishers().expect("valid settings");
    assert_eq!(p.len(), 1);
    p.remove(0)
}

/// The X publisher for `fake`, signing with `consumer_secret`.
fn x_publisher(fake: &Fake, consumer_secret: &str) -> Arc<dyn Publisher> {
    only(PublishArgs {
        x_api_url: fake.url.clone(),
        x_consumer_key: Some(Secret::new(fakes::X_CONSUMER_KEY)),
        x_consumer_secret: Some(Secret::new(consumer_secret)),
        x_access_token: Some(Secret::new(fakes::X_ACCESS_TOKEN)),
        x_access_secret: Some(Secret::new(fakes::X_ACCESS_SECRET)),
        ..args()
    })
}

/// The Mastodon publisher for `fake`, with `token`.
fn mastodon_publisher(fake: &Fake, token: &str) -> Arc<dyn Publisher> {
    only(PublishArgs {
        mastodon_url: Some(fake.url.clone()),
        mastodon_token: Some(Secret::new(token)),
        ..args()
    })
}

/// The Bluesky publisher for `fake`, logging in with `password`.
pub fn bluesky_publisher(fake: &Fake, password: &str) -> Arc<dyn Publisher> {
    only(PublishArgs {
        bluesky_service: fake.url.clone(),
        bluesky_identifier: Some(fakes::BSKY_IDENTIFIER.into()),
        bluesky_app_password: Some(Secret::new(password)),
        ..args()
    })
}

impl Net {
    pub async fn x() -> Net {
        let fake = Fake::x().await;
        let publisher = x_publisher(&fake, fakes::X_CONSUMER_SECRET);
        Net { fake, publisher }
    }

    pub async fn mastodon() -> Net {
        let fake = Fake::mastodon().await;
        let publisher = mastodon_publisher(&fake, fakes::MASTODON_TOKEN);
        Net { fake, publisher }
    }

    pub async fn bluesky() -> Net {
        let fake = Fake::bluesky().await;
        let publisher = bluesky_publisher(&fake, fakes::BSKY_PASSWORD);
        Net { fake, publisher }
    }

    pub async fn webhook() -> Net {
        let fake = Fake::webhook().await;
        let publisher = only(PublishArgs {
            publish_webhook_url: Some(Secret::new(format!(
                "{}/api/webhooks/1/secret-token",
                fake.url
            ))),
            ..args()
        });
        Net { fake, publisher }
    }

    /// The three social networks' fakes with publishers holding a wrong secret each.
    pub async fn all_with_wrong_secrets() -> Vec<Net> {
        let (x, m, b) = (
            Fake::x().await,
            Fake::mastodon().await,
            Fake::bluesky().await,
        );
        vec![
            Net {
                publisher: x_publisher(&x, "not-the-secret"),
                fake: x,
            },
            Net {
                publisher: mastodon_publisher(&m, "not-the-token"),
                fake: m,
            },
            Net {
                publisher: bluesky_publisher(&b, "not-the-password"),
                fake: b,
            },
        ]
    }

    /// A worker named `id` posting to this network only.
    pub fn worker(&self, store: &Arc<dyn Store>, announcer: Arc<Recorder>, id: &str) -> Worker {
        worker(store.clone(), vec![self.publisher.clone()], announcer, id)
    }

    /// Each of the three social networks, for scenarios that hold for all.
    pub async fn all() -> Vec<Net> {
        vec![Net::x().await, Net::mastodon().await, Net::bluesky().await]
    }
}

/// Remembers every announcement, in order.
#[derive(Default)]
pub struct Recorder {
    pub seen: Mutex<Vec<(ProposalId, Status, Vec<Publication>)>>,
}

#[async_trait::async_trait]
impl Announcer for Recorder {
    async fn announce(&self, t: &Transition, publications: &[Publication]) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).push((
            t.proposal.id,
            t.proposal.status,
            publications.to_vec(),
        ));
    }
}

impl Recorder {
    pub fn statuses(&self, id: ProposalId) -> Vec<Status> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(p, _, _)| *p == id)
            .map(|(_, s, _)| *s)
            .collect()
    }
}

pub fn worker(
    store: Arc<dyn Store>,
    publishers: Vec<Arc<dyn Publisher>>,
    announcer: Arc<Recorder>,
    id: &str,
) -> Worker {
    Worker::new(store, publishers, announcer, id).with_options(WorkerOptions::default())
}

/// A proposal submitted at `at(0)`, ready for review.
pub async fn submitted(store: &dyn Store, text: &str) -> ProposalId {
    store
        .submit(
            GUILD,
            &member(AUTHOR),
            text,
            None,
            &review(Verdict::Ready),
            at(0),
        )
        .await
        .expect("submit")
        .proposal
        .id
}

/// `reviewer` approves the first revision at `at(minute)`.
pub async fn approve(
    store: &dyn Store,
    id: ProposalId,
    reviewer: u64,
    minute: i64,
) -> Result<Transition, StoreError> {
    let vote = Event::Approve {
        by: member(reviewer),
        revision: 1,
    };
    store.apply(GUILD, id, &vote, at(minute)).await
}

/// A proposal submitted at `at(0)` and approved by two reviewers at `at(1)` and `at(2)`.
pub async fn approved(store: &dyn Store, text: &str) -> ProposalId {
    let id = submitted(store, text).await;
    for (i, reviewer) in [2, 3].into_iter().enumerate() {
        approve(store, id, reviewer, 1 + i as i64)
            .await
            .expect("approve");
    }
    id
}

pub async fn status(store: &dyn Store, id: ProposalId) -> Status {
    store
        .proposal(id)
        .await
        .expect("read")
        .expect("exists")
        .status
}
