//! Two workers (two processes' handles) on one database post each proposal exactly once.

use std::sync::Arc;

use tweetguard::store::Store;
use tweetguard::workflow::Status;

use super::fakes::Fail;
use super::{approved, status, worker, Net};
use crate::common::{at, TestDb};

async fn two_workers_post_each_proposal_once(db: TestDb) {
    let nets = Net::all().await;
    let publishers: Vec<_> = nets.iter().map(|n| n.publisher.clone()).collect();
    let (one, two): (Arc<dyn Store>, Arc<dyn Store>) =
        (db.store.clone(), db.another_handle().await);
    let mut ids = Vec::new();
    for i in 0..8 {
        let text = format!("Proposal {i}: what do you think? ^SG");
        ids.push((approved(&*one, &text).await, text));
    }
    // A failure or two in the mix, so some posts go round more than once.
    nets[1].fake.fail_next(&[Fail::After500]);
    nets[2].fake.fail_next(&[Fail::DropAfter]);
    let w1 = worker(one.clone(), publishers.clone(), Arc::default(), "w1");
    let w2 = worker(two.clone(), publishers.clone(), Arc::default(), "w2");
    for minute in [3, 4, 5, 10] {
        let (a, b) = tokio::join!(w1.run_once(at(minute)), w2.run_once(at(minute)));
        a.expect("worker 1");
        b.expect("worker 2");
    }
    for (id, text) in &ids {
        assert_eq!(status(&*one, *id).await, Status::Posted, "{text}");
        for n in &nets {
            assert_eq!(n.fake.count(text), 1, "{text} on {}", n.publisher.network());
        }
    }
    db.finish().await;
}

#[tokio::test]
async fn two_workers_on_one_postgres_database_post_each_proposal_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    two_workers_post_each_proposal_once(db).await;
}

#[tokio::test]
async fn two_workers_on_one_sqlite_file_post_each_proposal_once() {
    two_workers_post_each_proposal_once(TestDb::sqlite().await).await;
}

/// Throughput of two workers on one database against the fakes (all three networks), printed:
/// `TEST_DATABASE_URL=... cargo test --test it -- --ignored --nocapture publish_throughput`.
#[tokio::test]
#[ignore]
async fn publish_throughput() {
    for db in [Some(TestDb::sqlite().await), TestDb::postgres().await]
        .into_iter()
        .flatten()
    {
        let backend = if db.url.starts_with("sqlite") {
            "sqlite"
        } else {
            "postgres"
        };
        let nets = Net::all().await;
        let publishers: Vec<_> = nets.iter().map(|n| n.publisher.clone()).collect();
        let (one, two): (Arc<dyn Store>, Arc<dyn Store>) =
            (db.store.clone(), db.another_handle().await);
        let n = 100;
        for i in 0..n {
            approved(&*one, &format!("Throughput {i} ^SG")).await;
        }
        let w1 = worker(one.clone(), publishers.clone(), Arc::default(), "w1");
        let w2 = worker(two.clone(), publishers.clone(), Arc::default(), "w2");
        let start = std::time::Instant::now();
        let (a, b) = tokio::join!(w1.run_once(at(3)), w2.run_once(at(3)));
        let elapsed = start.elapsed();
        let (a, b) = (a.expect("worker 1"), b.expect("worker 2"));
        assert_eq!(a + b, n);
        for net in &nets {
            assert_eq!(net.fake.posts().len(), n);
        }
        println!(
            "{backend}: {n} proposals x 3 networks by two workers ({a}/{b}) in {elapsed:?}: {:.0} proposals/s",
            n as f64 / elapsed.as_secs_f64()
        );
        db.finish().await;
    }
}
