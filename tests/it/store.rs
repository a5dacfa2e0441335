//! The store contract: every function here runs against SQLite and against PostgreSQL.

use tweetguard::review::Verdict;
use tweetguard::store::{
    AuditQuery, CardRef, GuildSettings, OutboxStatus, ProposalFilter, PublicationResult,
    PublicationStatus, PublishOutcome, Store, StoreError, INTERACTION_RETENTION,
};
use tweetguard::workflow::{
    Action, Event, GuildId, MemberId, Policy, Proposal, ProposalId, ReconcileOutcome, Status,
    VoteKind, WorkflowError,
};

use crate::common::{admin, at, member, review, TestDb};

const GUILD: GuildId = GuildId(1_100_000_000_000_000_001);
const AUTHOR: u64 = 1_200_000_000_000_000_001;

async fn submit(store: &dyn Store, verdict: Verdict) -> Proposal {
    store
        .submit(
            GUILD,
            &member(AUTHOR),
            "Hello, what do you think? ^SG",
            None,
            &review(verdict),
            at(0),
        )
        .await
        .expect("submit")
        .proposal
}

fn approve(id: u64, revision: u32) -> Event {
    Event::Approve {
        by: member(id),
        revision,
    }
}

async fn stored(store: &dyn Store, id: ProposalId) -> Proposal {
    store
        .proposal(id)
        .await
        .expect("read proposal")
        .expect("proposal exists")
}

fn refused(result: Result<impl std::fmt::Debug, StoreError>) -> WorkflowError {
    match result {
        Err(StoreError::Refused(e)) => e,
        other => panic!("expected a workflow refusal, got {other:?}"),
    }
}

async fn what_is_written_is_what_is_read(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    assert_eq!(stored(store, p.id).await, p);
    let t = store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    assert_eq!(stored(store, p.id).await, t.proposal);
    let second = submit(store, Verdict::Ready).await;
    assert_ne!(second.id, p.id, "ids are never reused");
    assert!(store
        .proposal(ProposalId(987_654))
        .await
        .expect("read")
        .is_none());
}

async fn two_approvals_approve_once_and_reserve_one_post(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    let t = store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("first");
    assert!(!t.enqueue_post);
    assert!(store.outbox(p.id).await.expect("outbox").is_none());
    let t = store
        .apply(GUILD, p.id, &approve(3, 1), at(2))
        .await
        .expect("second");
    assert_eq!(t.proposal.status, Status::Approved);
    assert!(t.enqueue_post);
    let entry = store.outbox(p.id).await.expect("outbox").expect("an entry");
    assert_eq!(entry.status, OutboxStatus::Pending);
    assert_eq!(entry.text, p.current().text);
    assert_eq!(entry.revision, 1);
    let err = refused(store.apply(GUILD, p.id, &approve(4, 1), at(3)).await);
    assert_eq!(
        err,
        WorkflowError::NotNow {
            status: Status::Approved,
            action: Action::Approve
        }
    );
    let stored = stored(store, p.id).await;
    assert_eq!(stored.approvals().count(), 2);
    assert_eq!(stored.audit.len(), 3);
}

async fn a_refusal_writes_nothing(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    let err = refused(store.apply(GUILD, p.id, &approve(AUTHOR, 1), at(1)).await);
    assert_eq!(err, WorkflowError::OwnProposal);
    assert_eq!(stored(store, p.id).await, p);
}

async fn a_double_click_counts_once(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("first click");
    let err = refused(store.apply(GUILD, p.id, &approve(2, 1), at(1)).await);
    assert_eq!(err, WorkflowError::AlreadyApproved { revision: 1 });
    let p = stored(store, p.id).await;
    assert_eq!(p.votes.len(), 1);
    assert_eq!(p.status, Status::Pending);
}

async fn a_changed_vote_replaces_the_standing_one(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    let change = Event::RequestChanges {
        by: member(2),
        revision: 1,
        reason: "sign it".into(),
    };
    let t = store
        .apply(GUILD, p.id, &change, at(2))
        .await
        .expect("change");
    assert_eq!(t.proposal.status, Status::ChangesRequested);
    let p = stored(store, p.id).await;
    assert_eq!(p.votes.len(), 1);
    assert_eq!(p.votes[0].kind, VoteKind::RequestChanges);
    assert_eq!(p.votes[0].reason.as_deref(), Some("sign it"));
    assert_eq!(p, t.proposal);
}

async fn an_edit_is_a_new_revision_and_old_clicks_are_stale(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    let edit = Event::Edit {
        by: member(AUTHOR),
        text: "Hello again, what do you think? ^SG".into(),
        review: review(Verdict::NeedsWork),
        conversation: None,
        images: Vec::new(),
    };
    let t = store.apply(GUILD, p.id, &edit, at(2)).await.expect("edit");
    assert_eq!(t.proposal.current().number, 2);
    let err = refused(store.apply(GUILD, p.id, &approve(3, 1), at(3)).await);
    assert_eq!(
        err.to_string(),
        "this text changed since you looked: review revision 2"
    );
    let p = stored(store, p.id).await;
    assert_eq!(p.revisions.len(), 2);
    assert_eq!(p.revisions[1].review.verdict, Verdict::NeedsWork);
    assert_eq!(p.approvals().count(), 0);
    assert_eq!(p, t.proposal);
}

async fn an_override_is_kept_with_its_reason(store: &dyn Store) {
    let p = submit(store, Verdict::Blocked).await;
    let err = refused(store.apply(GUILD, p.id, &approve(2, 1), at(1)).await);
    assert_eq!(err, WorkflowError::BlockedNeedsOverride { revision: 1 });
    let ov = Event::Override {
        by: admin(9),
        revision: 1,
        reason: "credited in the image".into(),
    };
    store
        .apply(GUILD, p.id, &ov, at(2))
        .await
        .expect("override");
    let t = store
        .apply(GUILD, p.id, &approve(2, 1), at(3))
        .await
        .expect("approve");
    assert_eq!(t.proposal.status, Status::Approved);
    let p = stored(store, p.id).await;
    let o = p.current().overridden.clone().expect("override stored");
    assert_eq!(
        (o.by, o.reason.as_str()),
        (MemberId(9), "credited in the image")
    );
    assert_eq!(p, t.proposal);
}

async fn a_proposal_of_another_server_is_not_found(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    let err = refused(store.apply(GuildId(5), p.id, &approve(2, 1), at(1)).await);
    assert_eq!(err, WorkflowError::NoSuchProposal);
    let err = refused(
        store
            .apply(GUILD, ProposalId(424_242), &approve(2, 1), at(1))
            .await,
    );
    assert_eq!(err, WorkflowError::NoSuchProposal);
}

async fn settings_are_kept_and_their_policy_applies(store: &dyn Store) {
    assert_eq!(
        store.settings(GUILD).await.expect("defaults"),
        GuildSettings::default()
    );
    let mut settings = GuildSettings {
        policy: Policy {
            required_approvals: 1,
            ..Policy::default()
        },
        ..GuildSettings::default()
    };
    settings
        .extra
        .insert("brand".into(), serde_json::json!("Acme"));
    store
        .put_settings(GUILD, &settings, at(0))
        .await
        .expect("save");
    assert_eq!(store.settings(GUILD).await.expect("read"), settings);
    let p = submit(store, Verdict::Ready).await;
    let t = store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    assert_eq!(
        t.proposal.status,
        Status::Approved,
        "one approval is enough here"
    );
    settings.policy.required_approvals = 0;
    assert!(matches!(
        store.put_settings(GUILD, &settings, at(2)).await,
        Err(StoreError::InvalidSettings(_))
    ));
}

async fn signatures_are_set_replaced_and_cleared(store: &dyn Store) {
    let m = MemberId(77);
    assert_eq!(store.signature(GUILD, m).await.expect("get"), None);
    store
        .set_signature(GUILD, m, Some("^SG"), at(0))
        .await
        .expect("set");
    store
        .set_signature(GUILD, m, Some("-Sylvain"), at(1))
        .await
        .expect("replace");
    assert_eq!(
        store.signature(GUILD, m).await.expect("get").as_deref(),
        Some("-Sylvain")
    );
    assert_eq!(
        store.signature(GuildId(2), m).await.expect("other guild"),
        None
    );
    store
        .set_signature(GUILD, m, None, at(2))
        .await
        .expect("clear");
    assert_eq!(store.signature(GUILD, m).await.expect("get"), None);
}

async fn proposals_are_listed_by_status_and_author(store: &dyn Store) {
    let a = submit(store, Verdict::Ready).await;
    let b = store
        .submit(
            GUILD,
            &member(8),
            "Another one ^AB",
            None,
            &review(Verdict::Ready),
            at(1),
        )
        .await
        .expect("submit")
        .proposal;
    store
        .apply(GUILD, a.id, &Event::Withdraw { by: member(AUTHOR) }, at(2))
        .await
        .expect("withdraw");
    let all = store
        .list(&ProposalFilter::guild(GUILD))
        .await
        .expect("list");
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [b.id, a.id]);
    let pending = store
        .list(&ProposalFilter {
            status: Some(Status::Pending),
            ..ProposalFilter::guild(GUILD)
        })
        .await
        .expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].text, "Another one ^AB");
    let mine = store
        .list(&ProposalFilter {
            author: Some(MemberId(AUTHOR)),
            ..ProposalFilter::guild(GUILD)
        })
        .await
        .expect("list");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, Status::Withdrawn);
    assert!(store
        .list(&ProposalFilter::guild(GuildId(3)))
        .await
        .expect("list")
        .is_empty());
}

async fn approved(store: &dyn Store) -> Proposal {
    let p = submit(store, Verdict::Ready).await;
    store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    store
        .apply(GUILD, p.id, &approve(3, 1), at(2))
        .await
        .expect("approve")
        .proposal
}

async fn a_post_is_claimed_once_then_recorded(store: &dyn Store) {
    let p = approved(store).await;
    let entry = store
        .claim_post("w1", at(3))
        .await
        .expect("claim")
        .expect("due");
    assert_eq!(entry.proposal, p.id);
    assert_eq!(entry.attempts, 1);
    assert_eq!(stored(store, p.id).await.status, Status::Publishing);
    assert_eq!(store.claim_post("w2", at(3)).await.expect("claim"), None);
    let t = store
        .record_post(
            p.id,
            &PublishOutcome::Posted {
                remote_id: "1789".into(),
            },
            at(4),
        )
        .await
        .expect("record");
    assert_eq!(t.proposal.status, Status::Posted);
    assert_eq!(t.proposal.remote_id.as_deref(), Some("1789"));
    let entry = store.outbox(p.id).await.expect("outbox").expect("entry");
    assert_eq!(entry.status, OutboxStatus::Done);
    assert_eq!(entry.claimed_by.as_deref(), Some("w1"));
}

async fn a_failed_post_is_retried_when_due_and_an_unknown_one_waits(store: &dyn Store) {
    let p = approved(store).await;
    store
        .claim_post("w1", at(3))
        .await
        .expect("claim")
        .expect("due");
    let fail = PublishOutcome::Failed {
        error: "HTTP 503".into(),
        retry_at: Some(at(10)),
    };
    let t = store.record_post(p.id, &fail, at(4)).await.expect("record");
    assert_eq!(t.proposal.status, Status::Failed);
    assert_eq!(
        store.claim_post("w1", at(5)).await.expect("claim"),
        None,
        "not due yet"
    );
    let entry = store
        .claim_post("w1", at(10))
        .await
        .expect("claim")
        .expect("due again");
    assert_eq!(entry.attempts, 2);
    assert_eq!(entry.last_error.as_deref(), Some("HTTP 503"));
    let unknown = PublishOutcome::Unknown {
        detail: "timeout".into(),
    };
    let t = store
        .record_post(p.id, &unknown, at(11))
        .await
        .expect("record");
    assert_eq!(t.proposal.status, Status::NeedsReconcile);
    assert_eq!(store.claim_post("w1", at(100)).await.expect("claim"), None);
    let entry = store.outbox(p.id).await.expect("outbox").expect("entry");
    assert_eq!(entry.status, OutboxStatus::Unknown);
    let found = Event::Reconciled {
        by: Some(admin(9)),
        outcome: ReconcileOutcome::Posted {
            remote_id: "1790".into(),
        },
    };
    store
        .apply(GUILD, p.id, &found, at(12))
        .await
        .expect("reconcile");
    let entry = store.outbox(p.id).await.expect("outbox").expect("entry");
    assert_eq!(entry.status, OutboxStatus::Done);
}

async fn a_withdrawn_approval_is_never_posted(store: &dyn Store) {
    let p = approved(store).await;
    store
        .apply(GUILD, p.id, &Event::Withdraw { by: member(AUTHOR) }, at(3))
        .await
        .expect("withdraw");
    assert_eq!(store.claim_post("w1", at(4)).await.expect("claim"), None);
    let entry = store.outbox(p.id).await.expect("outbox").expect("entry");
    assert_eq!(entry.status, OutboxStatus::Cancelled);
}

async fn the_audit_trail_is_exported_in_order_and_since_a_date(store: &dyn Store) {
    let p = approved(store).await;
    let all = store.audit(&AuditQuery::default()).await.expect("audit");
    let actions: Vec<Action> = all.iter().map(|r| r.entry.action).collect();
    assert_eq!(actions, [Action::Submit, Action::Approve, Action::Approve]);
    assert_eq!(all.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(all.iter().all(|r| r.proposal == p.id && r.guild == GUILD));
    assert_eq!(all[2].entry.to, Status::Approved);
    let recent = store
        .audit(&AuditQuery {
            since: Some(at(2)),
            guild: None,
        })
        .await
        .expect("audit");
    assert_eq!(recent.len(), 1);
    let other = store
        .audit(&AuditQuery {
            since: None,
            guild: Some(GuildId(3)),
        })
        .await
        .expect("audit");
    assert!(other.is_empty());
}

async fn an_expired_proposal_cannot_be_voted_on(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    let late = at(7 * 24 * 60);
    let err = refused(store.apply(GUILD, p.id, &approve(2, 1), late).await);
    assert!(matches!(err, WorkflowError::Expired { .. }));
    let t = store
        .apply(GUILD, p.id, &Event::Expire, late)
        .await
        .expect("expire");
    assert_eq!(t.proposal.status, Status::Expired);
    assert_eq!(t.entry.actor, None);
}

async fn a_card_is_remembered_and_a_repost_replaces_it(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    assert_eq!(store.card(p.id).await.expect("card"), None);
    let first = CardRef {
        channel_id: 10,
        message_id: u64::MAX - 1,
    };
    store.set_card(p.id, first, at(0)).await.expect("set");
    assert_eq!(store.card(p.id).await.expect("card"), Some(first));
    let moved = CardRef {
        channel_id: 11,
        message_id: 12,
    };
    store.set_card(p.id, moved, at(1)).await.expect("replace");
    assert_eq!(store.card(p.id).await.expect("card"), Some(moved));
    let other = submit(store, Verdict::Ready).await;
    let listed = store
        .list(&ProposalFilter::guild(GUILD))
        .await
        .expect("list");
    let cards: Vec<_> = listed.iter().map(|s| (s.id, s.card)).collect();
    assert_eq!(cards, vec![(other.id, None), (p.id, Some(moved))]);
}

async fn publications_are_prepared_once_and_fenced_by_the_claim(store: &dyn Store) {
    let p = approved(store).await;
    let claim = store
        .claim_post("w1", at(3))
        .await
        .expect("claim")
        .expect("due");
    let first = store
        .prepare_publication(&claim, "bluesky", 0, "3kaaaaaaaaa22", at(3))
        .await
        .expect("prepare");
    assert_eq!(first.status, PublicationStatus::Pending);
    let again = store
        .prepare_publication(&claim, "bluesky", 0, "3kbbbbbbbbb22", at(4))
        .await
        .expect("prepare again");
    assert_eq!(again.key, "3kaaaaaaaaa22", "the key chosen first is kept");
    let sending = store
        .start_publication(&claim, "bluesky", 0, at(4))
        .await
        .expect("start");
    assert_eq!(
        (sending.status, sending.attempts),
        (PublicationStatus::Sending, 1)
    );
    assert!(
        matches!(
            store.start_publication(&claim, "bluesky", 0, at(4)).await,
            Err(StoreError::LostClaim)
        ),
        "maybe sent: never sent again without a lookup"
    );
    // Another worker takes the stale claim over: the first one's writes are refused.
    assert!(
        store
            .resume_posts("w2", at(3), at(5))
            .await
            .expect("resume")
            .is_empty(),
        "not stale yet"
    );
    let taken = store
        .resume_posts("w2", at(4), at(20))
        .await
        .expect("resume");
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].claimed_by.as_deref(), Some("w2"));
    let posted = PublicationResult::Posted {
        cid: None,
        remote_id: "at://did/app.bsky.feed.post/3kaaaaaaaaa22".into(),
        url: Some("https://bsky.app/profile/me/post/3kaaaaaaaaa22".into()),
    };
    assert!(matches!(
        store
            .finish_publication(&claim, "bluesky", 0, &posted, at(21))
            .await,
        Err(StoreError::LostClaim)
    ));
    let done = store
        .finish_publication(&taken[0], "bluesky", 0, &posted, at(21))
        .await
        .expect("finish");
    assert_eq!(done.status, PublicationStatus::Posted);
    assert_eq!(store.publications(p.id).await.expect("list"), vec![done]);
}

async fn a_schedule_holds_the_post_and_a_missed_one_expires(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    store
        .set_schedule(GUILD, p.id, Some(at(60)), at(0))
        .await
        .expect("schedule");
    store
        .apply(GUILD, p.id, &approve(2, 1), at(1))
        .await
        .expect("approve");
    store
        .apply(GUILD, p.id, &approve(3, 1), at(2))
        .await
        .expect("approve");
    assert_eq!(
        store.claim_post("w1", at(59)).await.expect("claim"),
        None,
        "not before its time"
    );
    assert!(store
        .claim_post("w1", at(60))
        .await
        .expect("claim")
        .is_some());
    let refused = refused(store.set_schedule(GUILD, p.id, Some(at(90)), at(61)).await);
    assert!(matches!(refused, WorkflowError::NotNow { .. }));
    let q = submit(store, Verdict::Ready).await;
    store
        .set_schedule(GUILD, q.id, Some(at(30)), at(0))
        .await
        .expect("schedule");
    assert!(store.expire_missed(at(29)).await.expect("sweep").is_empty());
    let expired = store.expire_missed(at(30)).await.expect("sweep");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].proposal.status, Status::Expired);
    assert!(
        store.expire_missed(at(31)).await.expect("sweep").is_empty(),
        "once"
    );
    assert!(matches!(
        store.set_schedule(GuildId(3), q.id, None, at(31)).await,
        Err(StoreError::Refused(WorkflowError::NoSuchProposal))
    ));
}

async fn retry_and_reconcile_are_admin_decisions(store: &dyn Store) {
    let p = approved(store).await;
    let claim = store
        .claim_post("w1", at(3))
        .await
        .expect("claim")
        .expect("due");
    store
        .prepare_publication(&claim, "x", 0, "k", at(3))
        .await
        .expect("prepare");
    let fail = PublishOutcome::Failed {
        error: "HTTP 403".into(),
        retry_at: None,
    };
    store.record_post(p.id, &fail, at(4)).await.expect("record");
    assert_eq!(
        store.claim_post("w1", at(100)).await.expect("claim"),
        None,
        "no automatic retry"
    );
    let no = refused(store.retry_post(GUILD, p.id, &member(2), at(5)).await);
    assert_eq!(no, WorkflowError::NotAdmin);
    let entry = store
        .retry_post(GUILD, p.id, &admin(9), at(5))
        .await
        .expect("retry");
    assert_eq!((entry.status, entry.due_at), (OutboxStatus::Pending, at(5)));
    let claim = store
        .claim_post("w1", at(5))
        .await
        .expect("claim")
        .expect("due now");
    store
        .start_publication(&claim, "x", 0, at(5))
        .await
        .expect("start");
    let unknown = PublicationResult::Unknown {
        detail: "timeout".into(),
    };
    store
        .finish_publication(&claim, "x", 0, &unknown, at(6))
        .await
        .expect("finish");
    let outcome = PublishOutcome::Unknown {
        detail: "timeout".into(),
    };
    store
        .record_post(p.id, &outcome, at(6))
        .await
        .expect("record");
    let no = refused(
        store
            .reconcile_post(GUILD, p.id, &member(2), None, at(7))
            .await,
    );
    assert_eq!(no, WorkflowError::NotAdmin);
    let t = store
        .reconcile_post(GUILD, p.id, &admin(9), None, at(7))
        .await
        .expect("post again");
    assert_eq!(t.proposal.status, Status::Failed);
    let pubs = store.publications(p.id).await.expect("list");
    assert_eq!(
        pubs[0].status,
        PublicationStatus::Failed,
        "sent again, never looked up twice"
    );
    let entry = store.outbox(p.id).await.expect("outbox").expect("entry");
    assert_eq!((entry.status, entry.due_at), (OutboxStatus::Pending, at(7)));
}

async fn a_proposal_left_waiting_past_its_servers_expiry_expires_once(store: &dyn Store) {
    let p = submit(store, Verdict::Ready).await;
    let week = 7 * 24 * 60;
    assert!(store
        .expire_missed(at(week - 1))
        .await
        .expect("sweep")
        .is_empty());
    let done = store.expire_missed(at(week)).await.expect("sweep");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].proposal.id, p.id);
    assert_eq!(done[0].proposal.status, Status::Expired);
    assert!(store
        .expire_missed(at(week + 1))
        .await
        .expect("sweep")
        .is_empty());
    assert_eq!(stored(store, p.id).await.status, Status::Expired);
}

async fn an_interaction_id_is_taken_once_then_forgotten(store: &dyn Store) {
    // Beyond 2^63: the cast through a signed column must keep it apart from its neighbours.
    let id = u64::MAX - 5;
    assert!(store.claim_interaction(id, at(0)).await.expect("claim"));
    assert!(!store.claim_interaction(id, at(0)).await.expect("a repeat"));
    assert!(!store
        .claim_interaction(id, at(15))
        .await
        .expect("15 minutes on"));
    assert!(store
        .claim_interaction(id - 1, at(15))
        .await
        .expect("another id"));
    // Past the retention, pruned: the id is new again.
    let later = 2 + INTERACTION_RETENTION.as_secs() as i64 / 60;
    assert!(store
        .claim_interaction(id, at(later))
        .await
        .expect("forgotten"));
    assert!(!store
        .claim_interaction(id, at(later))
        .await
        .expect("remembered again"));
}

/// Two processes on one database, racing on the same interaction ids: each is taken once.
async fn interaction_ids_are_taken_once_across_handles(db: &TestDb) {
    let other = db.another_handle().await;
    let stores: [std::sync::Arc<dyn Store>; 2] = [db.store.clone(), other.clone()];
    for id in 1..=20u64 {
        let claims = (0..8).map(|i| {
            let store = stores[i % 2].clone();
            tokio::spawn(async move { store.claim_interaction(id, at(0)).await })
        });
        let mut taken = 0;
        for c in claims {
            if c.await.expect("the task").expect("claim") {
                taken += 1;
            }
        }
        assert_eq!(taken, 1, "interaction {id}");
    }
    other.close().await;
}

#[tokio::test]
async fn interaction_ids_are_taken_once_across_sqlite_handles() {
    let db = TestDb::sqlite().await;
    interaction_ids_are_taken_once_across_handles(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn interaction_ids_are_taken_once_across_postgres_handles() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    interaction_ids_are_taken_once_across_handles(&db).await;
    db.finish().await;
}

/// Runs each contract function against a fresh SQLite file and a fresh PostgreSQL database.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::sqlite().await;
                    super::$name(&*db.store).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::$name(&*db.store).await;
                    db.finish().await;
                }
            )*
        }
    };
}

contract!(
    what_is_written_is_what_is_read,
    two_approvals_approve_once_and_reserve_one_post,
    a_refusal_writes_nothing,
    a_double_click_counts_once,
    a_changed_vote_replaces_the_standing_one,
    an_edit_is_a_new_revision_and_old_clicks_are_stale,
    an_override_is_kept_with_its_reason,
    a_proposal_of_another_server_is_not_found,
    settings_are_kept_and_their_policy_applies,
    signatures_are_set_replaced_and_cleared,
    proposals_are_listed_by_status_and_author,
    a_post_is_claimed_once_then_recorded,
    a_failed_post_is_retried_when_due_and_an_unknown_one_waits,
    a_withdrawn_approval_is_never_posted,
    the_audit_trail_is_exported_in_order_and_since_a_date,
    an_expired_proposal_cannot_be_voted_on,
    a_card_is_remembered_and_a_repost_replaces_it,
    publications_are_prepared_once_and_fenced_by_the_claim,
    a_schedule_holds_the_post_and_a_missed_one_expires,
    retry_and_reconcile_are_admin_decisions,
    a_proposal_left_waiting_past_its_servers_expiry_expires_once,
    an_interaction_id_is_taken_once_then_forgotten,
);
