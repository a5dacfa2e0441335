//! Interactions in flight, counted so that shutdown can stop taking work and then wait for the
//! ones already accepted (their answer, and a deferred answer's follow-up) to finish.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// A counter of interactions being handled; clones share it.
#[derive(Debug, Clone, Default)]
pub struct InFlight {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    count: AtomicUsize,
    idle: Notify,
}

/// Held while one interaction is handled; dropping it (even on a panic) ends it.
#[derive(Debug)]
pub struct InFlightGuard {
    inner: Arc<Inner>,
}

impl InFlight {
    pub fn new() -> InFlight {
        InFlight::default()
    }

    /// One more interaction in flight until the guard drops.
    pub fn enter(&self) -> InFlightGuard {
        self.inner.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard {
            inner: self.inner.clone(),
        }
    }

    /// How many are in flight now.
    pub fn count(&self) -> usize {
        self.inner.count.load(Ordering::SeqCst)
    }

    /// Wait until none is in flight, up to `timeout`; whether that happened.
    pub async fn wait_idle(&self, timeout: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.inner.idle.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if self.count() == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(timeout, wait).await.is_ok()
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if self.inner.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.inner.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_the_last_guard() {
        let f = InFlight::new();
        assert!(f.wait_idle(Duration::from_millis(1)).await);
        let a = f.enter();
        let b = f.enter();
        assert_eq!(f.count(), 2);
        assert!(!f.wait_idle(Duration::from_millis(10)).await);
        let waiter = tokio::spawn({
            let f = f.clone();
            async move { f.wait_idle(Duration::from_secs(10)).await }
        });
        drop(a);
        tokio::task::yield_now().await;
        drop(b);
        assert!(waiter.await.unwrap_or(false));
        assert_eq!(f.count(), 0);
    }
}
