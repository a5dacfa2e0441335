//! The HTTP server behind `HTTP_ADDR` (health, readiness, metrics, and `/interactions` with
//! the http transport), bounded so that no client can hold it: what `axum::serve` leaves open.
//!
//! - A request's headers must arrive within [`Limits::header_timeout`] of the connection
//!   opening or of the previous answer: a client that sends nothing, a byte a second, or stops
//!   mid-headers is closed, and so is an idle keep-alive connection.
//! - A request (its body read and its answer) takes at most [`Limits::request_timeout`]:
//!   past it, 408 and the connection closes.
//! - At most [`Limits::max_connections`] connections at once, fitted under the process's file
//!   limit. Past that, [`Limits::health_reserve`] more are taken for `/healthz`, `/readyz`
//!   and `/metrics` only (a shorter header timeout, no keep-alive; anything else gets 503), so
//!   an orchestrator's probes still answer while the rest are full; past the reserve, a 503 at
//!   once and the connection closes, rather than a client waiting in the backlog.
//! - Shutdown stops accepting, lets each connection finish its request, and drops whatever
//!   is left after [`Limits::shutdown_grace`]: a client holding a half-sent request can't keep
//!   the process alive.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::metrics::Metrics;

/// The paths the health reserve serves.
pub const HEALTH_PATHS: &[&str] = &["/healthz", "/readyz", "/metrics"];

/// File descriptors kept for everything but the HTTP server's connections: the database
/// pool (up to 10), REST and gateway connections to Discord, the publishers' connections,
/// standard streams, the listener, and connections being refused.
pub const FD_HEADROOM: usize = 48;

/// How the server bounds its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From a connection's opening (or its previous answer) to the end of a request's headers.
    pub header_timeout: Duration,
    /// A request's body and its answer.
    pub request_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections past `max_connections` taken for the health endpoints only.
    pub health_reserve: usize,
    /// The header timeout on a health-reserve connection.
    pub health_header_timeout: Duration,
    /// How long shutdown waits for connections to finish their request.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(5),
            // Discord waits 3 s for an interaction's answer; a slow one is deferred at 2 s.
            request_timeout: Duration::from_secs(10),
            max_connections: 256,
            health_reserve: 16,
            health_header_timeout: Duration::from_secs(2),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

impl Limits {
    /// `max_connections` lowered, when needed, so that the connections, the reserve and
    /// [`FD_HEADROOM`] fit under the process's open-file limit (`ulimit -n`): a server that
    /// runs out of descriptors can't accept even a health probe.
    pub fn fitted(mut self) -> Limits {
        if let Some(files) = open_file_limit() {
            let room = files.saturating_sub(FD_HEADROOM + self.health_reserve);
            if room < self.max_connections {
                tracing::info!(
                    files,
                    connections = room.max(1),
                    "HTTP connections limited to fit the open-file limit"
                );
                self.max_connections = room.max(1);
            }
        }
        self
    }
}

/// The soft limit on open files, when the system says.
fn open_file_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given, which lives on this stack.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
        if ok && limit.rlim_cur != libc::RLIM_INFINITY {
            return usize::try_from(limit.rlim_cur).ok();
        }
        None
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Which pool a connection's permit came from.
enum Slot {
    Normal(#[allow(dead_code)] OwnedSemaphorePermit),
    Health(#[allow(dead_code)] OwnedSemaphorePermit),
}

/// Serve `app` on `listener` within `limits` until `shutdown` completes; then stop accepting
/// and return once the connections are done, or after [`Limits::shutdown_grace`].
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send,
) {
    let normal = Arc::new(Semaphore::new(limits.max_connections));
    let reserve = Arc::new(Semaphore::new(limits.health_reserve));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors (or a connection reset before it was taken): wait a
                    // little for connections to close rather than spin.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let slot = if let Ok(p) = normal.clone().try_acquire_owned() {
            Slot::Normal(p)
        } else if let Ok(p) = reserve.clone().try_acquire_owned() {
            Slot::Health(p)
        } else {
            metrics.rejected("busy");
            conns.spawn(refuse(stream));
            continue;
        };
        conns.spawn(connection(
            stream,
            app.clone(),
            slot,
            limits,
            metrics.clone(),
            stop_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let finished = tokio::time::timeout(limits.shutdown_grace, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            left = conns.len(),
            "HTTP connections still open after {:?}; closing them",
            limits.shutdown_grace
        );
        conns.shutdown().await;
    }
}

/// Past every limit: a 503 at once, and close.
async fn refuse(mut stream: TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
content-length: 5\r\nretry-after: 1\r\nconnection: close\r\n\r\nbusy\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(BUSY).await;
        let _ = stream.shutdown().await;
        // Read what the client sent before closing: closing with unread data would reset the
        // connection, and the client could lose the 503.
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    })
    .await;
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    r.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    r
}

async fn connection(
    stream: TcpStream,
    app: axum::Router,
    slot: Slot,
    limits: Limits,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
) {
    let health_only = matches!(slot, Slot::Health(_));
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let (app, metrics) = (app.clone(), metrics.clone());
        async move {
            if health_only && !HEALTH_PATHS.contains(&req.uri().path()) {
                metrics.rejected("busy");
                return Ok::<_, Infallible>(plain(StatusCode::SERVICE_UNAVAILABLE, "busy\n"));
            }
            let answer = tokio::time::timeout(limits.request_timeout, app.oneshot(req)).await;
            Ok(match answer {
                Ok(Ok(r)) => r,
                Ok(Err(never)) => match never {},
                Err(_) => {
                    metrics.rejected("timeout");
                    tracing::info!("a request took too long (slow body?): closed");
                    plain(StatusCode::REQUEST_TIMEOUT, "request timeout\n")
                }
            })
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(if health_only {
            limits.health_header_timeout
        } else {
            limits.header_timeout
        })
        .keep_alive(!health_only);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(error = %e, "HTTP connection ended");
            }
        }
        () = async { let _ = stop.wait_for(|s| *s).await; } => {
            // Finish the request in hand (if any), then close; the server's grace bounds it.
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
    drop(slot);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_fits_under_the_open_file_limit() {
        let l = Limits::default().fitted();
        if let Some(files) = open_file_limit() {
            assert!(
                l.max_connections + l.health_reserve + FD_HEADROOM <= files.max(FD_HEADROOM + 17)
            );
        }
        assert!(l.max_connections >= 1);
    }
}
