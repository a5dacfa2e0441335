//! The deliverer: POSTs stored events to the team's endpoint, signed, at least once.
//!
//! Any number of processes may run one on the same database: each event is claimed for a
//! lease before it is sent ([`SqlStore::claim_event`]), so two never send the same event at
//! the same time, and one that dies mid-send leaves a claim that runs out and is taken again.
//! A 2xx answer marks the event delivered; anything else (refused connection, timeout, a 500,
//! a redirect) puts it back with an exponential backoff and ends the round, since the
//! receiver is probably down: the next round tries the next due event. Nothing is dropped
//! while an endpoint is configured, so a receiver that comes back gets everything, in order
//! for each proposal, and recognises repeats by the event's `id`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::header::CONTENT_TYPE;
use tracing::{debug, info, warn};

use super::config::Endpoint;
use super::{
    backoff, signature, StoredEvent, EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use crate::publish::ConfigError;
use crate::store::{SqlStore, StoreError};

/// How the deliverer paces itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOptions {
    /// Time between two looks at the events table.
    pub poll: Duration,
    /// How long a claim lasts: longer than a request can take (`timeout`), so a live
    /// deliverer is never overtaken; after it, a dead one's event is sent again.
    pub lease: Duration,
    /// How long to wait for the receiver's answer.
    pub timeout: Duration,
    /// The first retry's delay, doubled on each further attempt up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Delivered events are kept this long (to look into), then pruned; so are undelivered
    /// ones when no endpoint is configured.
    pub keep: Duration,
    /// How often a deliverer prunes.
    pub prune_every: Duration,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            poll: Duration::from_secs(2),
            lease: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(3600),
            keep: Duration::from_secs(7 * 24 * 3600),
            prune_every: Duration::from_secs(3600),
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Nothing was due.
    Idle,
    /// The receiver took it (2xx).
    Delivered(String),
    /// It will be tried again.
    Failed { id: String, error: String },
}

/// Sends the events of one database to one endpoint.
pub struct Deliverer {
    store: Arc<SqlStore>,
    endpoint: Option<Endpoint>,
    client: reqwest::Client,
    id: String,
    options: DeliveryOptions,
}

impl std::fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliverer")
            .field("id", &self.id)
            .field("endpoint", &self.endpoint.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn client(timeout: Duration) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        // A redirected POST would become a GET elsewhere: a redirect is a failed attempt.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("tweetguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::Http(e.to_string()))
}

/// A request error for the logs and the table, without the URL (it may hold a token).
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "no answer in time"
    } else {
        "request failed"
    };
    let e = e.without_url();
    let mut out = kind.to_owned();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// Whether `shutdown` has completed, without waiting for it.
async fn stopped(shutdown: &mut std::pin::Pin<&mut impl Future<Output = ()>>) -> bool {
    tokio::select! {
        biased;
        _ = shutdown.as_mut() => true,
        _ = std::future::ready(()) => false,
    }
}

impl Deliverer {
    /// A deliverer named `id` (for the claims; `PUBLISH_WORKER_ID` in `serve`), sending to
    /// `endpoint` (`None`: it only prunes).
    pub fn new(
        store: Arc<SqlStore>,
        endpoint: Option<Endpoint>,
        id: impl Into<String>,
    ) -> Result<Deliverer, ConfigError> {
        let options = DeliveryOptions::default();
        Ok(Deliverer {
            store,
            endpoint,
            client: client(options.timeout)?,
            id: id.into(),
            options,
        })
    }

    pub fn with_options(mut self, options: DeliveryOptions) -> Result<Deliverer, ConfigError> {
        self.client = client(options.timeout)?;
        self.options = options;
        Ok(self)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs until `shutdown` completes: rounds of [`Deliverer::run_once`] every `poll`, and
    /// pruning every `prune_every`. An event in hand when shutdown comes is finished first
    /// (a request lasts at most `timeout`). Errors are logged and the loop goes on.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut pruned_at: Option<DateTime<Utc>> = None;
        loop {
            if self.endpoint.is_some() {
                loop {
                    if stopped(&mut shutdown).await {
                        return;
                    }
                    match self.deliver_next(Utc::now()).await {
                        Ok(Attempt::Delivered(_)) => continue,
                        Ok(Attempt::Idle | Attempt::Failed { .. }) => break,
                        Err(e) => {
                            warn!(error = %e, "delivering events failed");
                            break;
                        }
                    }
                }
            }
            let now = Utc::now();
            if pruned_at.is_none_or(|at| now - at >= delta(self.options.prune_every)) {
                pruned_at = Some(now);
                if let Err(e) = self.prune(now).await {
                    warn!(error = %e, "pruning old events failed");
                }
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(self.options.poll) => {}
            }
        }
    }

    /// One round: delivers due events until none is left or one fails. Returns how many were
    /// delivered.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut n = 0;
        while let Attempt::Delivered(_) = self.deliver_next(now).await? {
            n += 1;
        }
        Ok(n)
    }

    /// Claims the next due event and sends it once.
    pub async fn deliver_next(&self, now: DateTime<Utc>) -> Result<Attempt, StoreError> {
        let Some(endpoint) = &self.endpoint else {
            return Ok(Attempt::Idle);
        };
        let Some(event) = self
            .store
            .claim_event(&self.id, self.options.lease, now)
            .await?
        else {
            return Ok(Attempt::Idle);
        };
        match self.send(endpoint, &event).await {
            Ok(()) => {
                self.store.event_delivered(&event, Utc::now()).await?;
                debug!(event = %event.id, name = %event.name, attempts = event.attempts, "event delivered");
                Ok(Attempt::Delivered(event.id))
            }
            Err(error) => {
                let wait = backoff(
                    event.attempts,
                    self.options.backoff,
                    self.options.max_backoff,
                    rand::random::<f64>(),
                );
                let retry_at = now + delta(wait);
                warn!(
                    event = %event.id,
                    name = %event.name,
                    attempts = event.attempts,
                    retry_in = ?wait,
                    error = %error,
                    "event not delivered; will retry"
                );
                self.store.event_failed(&event, &error, retry_at).await?;
                Ok(Attempt::Failed {
                    id: event.id,
                    error,
                })
            }
        }
    }

    async fn send(&self, endpoint: &Endpoint, event: &StoredEvent) -> Result<(), String> {
        let body = event.body.as_bytes();
        let answer = self
            .client
            .post(endpoint.url.expose())
            .header(CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature(endpoint.secret.expose(), body))
            .header(TIMESTAMP_HEADER, Utc::now().timestamp().to_string())
            .header(EVENT_HEADER, event.name.as_str())
            .header(ID_HEADER, event.id.as_str())
            .body(event.body.clone())
            .send()
            .await
            .map_err(describe)?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered HTTP {}", status.as_u16()))
        }
    }

    /// Removes delivered events older than `keep`; undelivered ones too when no endpoint is
    /// configured (nobody would ever take them).
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let before = now - delta(self.options.keep);
        let undelivered = self.endpoint.is_none().then_some(before);
        let n = self.store.prune_events(before, undelivered).await?;
        if n > 0 {
            info!(removed = n, "old events pruned");
        }
        Ok(n)
    }
}
