//! What operators and orchestrators ask a running bot, on `HTTP_ADDR` whichever transport
//! runs: `GET /healthz` (the process answers), `GET /readyz` (it can do its work: the database
//! answers, the gateway is connected when it is used, and it is not shutting down) and
//! `GET /metrics` (Prometheus text, see [`crate::metrics`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::discord::gateway::GatewayStatus;
use crate::metrics::Metrics;
use crate::store::Store;

/// How long `/readyz` waits for the database.
pub const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// What the health endpoints look at.
#[derive(Clone)]
pub struct Health {
    pub metrics: Arc<Metrics>,
    /// The store to ping; `None`: nothing to check.
    pub store: Option<Arc<dyn Store>>,
    /// The gateway's shards, when the gateway transport runs.
    pub gateway: Option<Arc<GatewayStatus>>,
    /// Set when shutdown began: not ready any more (a load balancer stops sending work).
    pub draining: Arc<AtomicBool>,
}

impl Health {
    pub fn new(metrics: Arc<Metrics>, store: Option<Arc<dyn Store>>) -> Health {
        Health {
            metrics,
            store,
            gateway: None,
            draining: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Why the bot is not ready, or `None` when it is.
    pub async fn not_ready(&self) -> Option<&'static str> {
        if self.draining.load(Ordering::SeqCst) {
            return Some("shutting down");
        }
        if let Some(g) = &self.gateway {
            if !g.connected() {
                return Some("gateway not connected");
            }
        }
        if let Some(store) = &self.store {
            match tokio::time::timeout(PING_TIMEOUT, store.ping()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "readiness: the database does not answer");
                    return Some("database unreachable");
                }
                Err(_) => return Some("database unreachable"),
            }
        }
        None
    }
}

/// `/healthz`, `/readyz` and `/metrics`.
pub fn routes(health: Health) -> axum::Router {
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(health)
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(h): State<Health>) -> Response {
    match h.not_ready().await {
        None => (StatusCode::OK, "ready\n").into_response(),
        Some(why) => (StatusCode::SERVICE_UNAVAILABLE, format!("{why}\n")).into_response(),
    }
}

async fn metrics(State(h): State<Health>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        h.metrics.render(),
    )
        .into_response()
}
