//! The workflow's rules, one test per rule, plus the table of every (status, event) pair.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::*;
use crate::review::{Language, LengthReport, Review, Verdict};

const AUTHOR: u64 = 1;
const ADMIN: u64 = 5;
const SOCIAL: RoleId = RoleId(700);
const LEGAL: RoleId = RoleId(800);
const CONTRACTOR: RoleId = RoleId(900);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .expect("valid date")
}

fn later(hours: i64) -> DateTime<Utc> {
    t0() + TimeDelta::hours(hours)
}

fn review(verdict: Verdict) -> Review {
    Review {
        verdict,
        score: 80,
        language: Language::En,
        length: LengthReport {
            weighted: 10,
            limit: 280,
            valid: true,
        },
        findings: Vec::new(),
    }
}

fn member(id: u64) -> Member {
    Member {
        id: MemberId(id),
        roles: Vec::new(),
        is_admin: false,
    }
}

fn with_roles(id: u64, roles: &[RoleId]) -> Member {
    Member {
        roles: roles.to_vec(),
        ..member(id)
    }
}

fn admin(id: u64) -> Member {
    Member {
        is_admin: true,
        ..member(id)
    }
}

fn policy() -> Policy {
    Policy {
        contractor_roles: vec![CONTRACTOR],
        ..Policy::default()
    }
}

fn submitted_by(author: &Member, verdict: Verdict) -> Proposal {
    let event = Event::Submit {
        id: ProposalId(42),
        guild: GuildId(7),
        author: author.clone(),
        text: "Hello from the team! What do you think? ^SG".into(),
        review: review(verdict),
        conversation: None,
        images: Vec::new(),
    };
    apply(None, &event, &policy(), t0())
        .expect("a submission is always accepted")
        .proposal
}

fn submitted(verdict: Verdict) -> Proposal {
    submitted_by(&member(AUTHOR), verdict)
}

/// Applies events in order, panicking on a refusal: the setup of a test.
fn after(mut p: Proposal, events: &[Event]) -> Proposal {
    for (i, e) in events.iter().enumerate() {
        p = apply(Some(&p), e, &policy(), later(1))
            .unwrap_or_else(|err| panic!("setup event {i} refused: {err}"))
            .proposal;
    }
    p
}

fn approve(id: u64) -> Event {
    Event::Approve {
        by: member(id),
        revision: 1,
    }
}

fn request_changes(id: u64) -> Event {
    Event::RequestChanges {
        by: member(id),
        revision: 1,
        reason: "sign it".into(),
    }
}

fn edit(text: &str) -> Event {
    Event::Edit {
        by: member(AUTHOR),
        text: text.into(),
        review: review(Verdict::Ready),
        conversation: None,
        images: Vec::new(),
    }
}

fn refusal(p: &Proposal, e: &Event) -> WorkflowError {
    refusal_with(p, e, &policy())
}

fn refusal_with(p: &Proposal, e: &Event, policy: &Policy) -> WorkflowError {
    match apply(Some(p), e, policy, later(1)) {
        Ok(t) => panic!("expected a refusal, got {:?}", t.proposal.status),
        Err(err) => err,
    }
}

/// A proposal in `status`, built directly: Pending has one approval (from member 2),
/// ChangesRequested one request (from member 3) on top; a blocked one has no approvals.
fn fixture(status: Status, blocked: bool) -> Proposal {
    let mut p = submitted(if blocked {
        Verdict::Blocked
    } else {
        Verdict::Ready
    });
    let vote = |id: u64, kind: VoteKind| Vote {
        member: MemberId(id),
        revision: 1,
        kind,
        reason: None,
        roles: Vec::new(),
        at: t0(),
    };
    if !blocked {
        p.votes.push(vote(2, VoteKind::Approve));
    }
    if status == Status::ChangesRequested {
        p.votes.push(vote(3, VoteKind::RequestChanges));
    }
    p.status = status;
    p
}

#[test]
fn every_status_and_event_pair_is_allowed_or_refused_as_the_table_says() {
    use Status::*;
    const PE: Option<Status> = Some(Pending);
    const CR: Option<Status> = Some(ChangesRequested);
    const AP: Option<Status> = Some(Approved);
    const PU: Option<Status> = Some(Publishing);
    const PO: Option<Status> = Some(Posted);
    const FA: Option<Status> = Some(Failed);
    const NR: Option<Status> = Some(NeedsReconcile);
    const RE: Option<Status> = Some(Rejected);
    const WI: Option<Status> = Some(Withdrawn);
    const EX: Option<Status> = Some(Expired);
    const NO: Option<Status> = None;
    #[rustfmt::skip]
    let table: [(Status, [Option<Status>; 12]); 10] = [
        //                  edit approve request reject withdraw override expire started posted failed unknown reconcile
        (Pending,          [PE,  AP,     CR,     RE,    WI,      PE,      EX,    NO,     NO,    NO,    NO,     NO]),
        (ChangesRequested, [PE,  AP,     CR,     RE,    WI,      CR,      EX,    NO,     NO,    NO,    NO,     NO]),
        (Approved,         [NO,  NO,     NO,     NO,    WI,      NO,      NO,    PU,     NO,    NO,    NO,     NO]),
        (Publishing,       [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     PO,    FA,    NR,     NO]),
        (Posted,           [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     NO,    NO,    NO,     NO]),
        (Failed,           [NO,  NO,     NO,     NO,    WI,      NO,      NO,    PU,     NO,    NO,    NO,     NO]),
        (NeedsReconcile,   [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     NO,    NO,    NO,     FA]),
        (Rejected,         [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     NO,    NO,    NO,     NO]),
        (Withdrawn,        [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     NO,    NO,    NO,     NO]),
        (Expired,          [NO,  NO,     NO,     NO,    NO,      NO,      NO,    NO,     NO,    NO,    NO,     NO]),
    ];
    let events: [(Event, bool, DateTime<Utc>); 12] = [
        (edit("A new text ^SG"), false, later(1)),
        (
            Event::Approve {
                by: member(3),
                revision: 1,
            },
            false,
            later(1),
        ),
        (request_changes(4), false, later(1)),
        (
            Event::Reject {
                by: member(4),
                reason: "off brand".into(),
            },
            false,
            later(1),
        ),
        (Event::Withdraw { by: member(AUTHOR) }, false, later(1)),
        (
            Event::Override {
                by: admin(ADMIN),
                revision: 1,
                reason: "the quote is credited in the image".into(),
            },
            true,
            later(1),
        ),
        (Event::Expire, false, later(24 * 8)),
        (Event::PublishStarted, false, later(1)),
        (
            Event::PublishPosted {
                remote_id: "x:1".into(),
            },
            false,
            later(1),
        ),
        (
            Event::PublishFailed {
                error: "HTTP 503".into(),
            },
            false,
            later(1),
        ),
        (
            Event::PublishUnknown {
                detail: "timeout".into(),
            },
            false,
            later(1),
        ),
        (
            Event::Reconciled {
                by: None,
                outcome: ReconcileOutcome::NotPosted,
            },
            false,
            later(1),
        ),
    ];
    for (status, row) in table {
        for ((event, blocked, now), expected) in events.iter().zip(row) {
            let p = fixture(status, *blocked);
            let got = apply(Some(&p), event, &policy(), *now);
            match (expected, got) {
                (Some(to), Ok(t)) => {
                    assert_eq!(t.proposal.status, to, "{status:?} + {:?}", event.action());
                    assert_eq!(t.entry.from, Some(status));
                    assert_eq!(t.entry.to, to);
                    assert_eq!(t.proposal.version, p.version + 1);
                    assert_eq!(t.proposal.audit.last(), Some(&t.entry));
                    assert_eq!(t.enqueue_post, to == Approved);
                }
                (None, Err(err)) => assert_eq!(
                    err,
                    WorkflowError::NotNow {
                        status,
                        action: event.action()
                    }
                ),
                (expected, got) => panic!(
                    "{status:?} + {:?}: expected {expected:?}, got {:?}",
                    event.action(),
                    got.map(|t| t.proposal.status)
                ),
            }
        }
    }
}

#[test]
fn a_proposal_starts_pending_with_its_first_revision_and_audit_entry() {
    let p = submitted(Verdict::Ready);
    assert_eq!(p.status, Status::Pending);
    assert_eq!(p.current().number, 1);
    assert_eq!(p.version, 1);
    assert_eq!(p.audit.len(), 1);
    assert_eq!(p.audit[0].action, Action::Submit);
    assert_eq!(p.audit[0].actor, Some(MemberId(AUTHOR)));
}

#[test]
fn an_event_for_a_missing_proposal_or_a_second_submission_is_refused() {
    assert_eq!(
        apply(None, &approve(2), &policy(), t0()).err(),
        Some(WorkflowError::NoSuchProposal)
    );
    let p = submitted(Verdict::Ready);
    let again = Event::Submit {
        id: p.id,
        guild: p.guild,
        author: member(AUTHOR),
        text: "x".into(),
        review: review(Verdict::Ready),
        conversation: None,
        images: Vec::new(),
    };
    assert_eq!(refusal(&p, &again), WorkflowError::AlreadySubmitted);
}

#[test]
fn two_approvals_approve_by_default_and_enqueue_one_post() {
    let p = after(submitted(Verdict::Ready), &[approve(2)]);
    assert_eq!(p.status, Status::Pending);
    let t = apply(Some(&p), &approve(3), &policy(), later(2)).expect("second approval");
    assert_eq!(t.proposal.status, Status::Approved);
    assert!(t.enqueue_post);
    assert_eq!(t.notices, vec![Notice::Approved]);
    // Once decided, further votes are refused: they can't enqueue a second post.
    assert_eq!(
        refusal(&t.proposal, &approve(4)),
        WorkflowError::NotNow {
            status: Status::Approved,
            action: Action::Approve
        }
    );
}

#[test]
fn the_author_never_approves_their_own_proposal() {
    let p = submitted(Verdict::Ready);
    let err = refusal(&p, &approve(AUTHOR));
    assert_eq!(err, WorkflowError::OwnProposal);
    assert!(err.to_string().starts_with("you wrote this proposal"));
    assert_eq!(
        refusal(
            &p,
            &Event::Reject {
                by: member(AUTHOR),
                reason: "nope".into()
            }
        ),
        WorkflowError::OwnProposal
    );
}

#[test]
fn a_contractor_never_approves_requests_changes_or_rejects() {
    let p = submitted(Verdict::Ready);
    let contractor = with_roles(2, &[CONTRACTOR]);
    for e in [
        Event::Approve {
            by: contractor.clone(),
            revision: 1,
        },
        Event::RequestChanges {
            by: contractor.clone(),
            revision: 1,
            reason: "x".into(),
        },
        Event::Reject {
            by: contractor.clone(),
            reason: "x".into(),
        },
    ] {
        let err = refusal(&p, &e);
        assert_eq!(err, WorkflowError::ContractorCannotReview);
        assert!(err.to_string().starts_with("contractors can't approve"));
    }
}

#[test]
fn a_contractor_may_propose_and_staff_approve_it() {
    let p = submitted_by(&with_roles(AUTHOR, &[CONTRACTOR]), Verdict::Ready);
    let p = after(p, &[approve(2), approve(3)]);
    assert_eq!(p.status, Status::Approved);
}

#[test]
fn a_contractor_admin_still_cannot_approve() {
    let p = submitted(Verdict::Ready);
    let mut boss = with_roles(2, &[CONTRACTOR]);
    boss.is_admin = true;
    assert_eq!(
        refusal(
            &p,
            &Event::Approve {
                by: boss,
                revision: 1
            }
        ),
        WorkflowError::ContractorCannotReview
    );
}

#[test]
fn approvals_by_members_who_later_count_as_contractors_do_not_count() {
    // The policy named a contractor role after the vote: that vote no longer counts.
    let p = after(
        submitted(Verdict::Ready),
        &[Event::Approve {
            by: with_roles(2, &[SOCIAL]),
            revision: 1,
        }],
    );
    let stricter = Policy {
        contractor_roles: vec![CONTRACTOR, SOCIAL],
        ..policy()
    };
    let t = apply(Some(&p), &approve(3), &stricter, later(2)).expect("vote");
    assert_eq!(t.proposal.status, Status::Pending);
}

#[test]
fn only_members_with_a_reviewer_role_review_when_roles_are_set() {
    let policy = Policy {
        reviewer_roles: vec![SOCIAL],
        quorums: vec![Quorum {
            role: LEGAL,
            approvals: 1,
        }],
        ..policy()
    };
    let p = submitted(Verdict::Ready);
    assert_eq!(
        refusal_with(&p, &approve(2), &policy),
        WorkflowError::NotAReviewer
    );
    for ok in [with_roles(2, &[SOCIAL]), with_roles(3, &[LEGAL]), admin(4)] {
        let e = Event::Approve {
            by: ok,
            revision: 1,
        };
        assert!(apply(Some(&p), &e, &policy, later(1)).is_ok());
    }
}

#[test]
fn role_quorums_must_all_be_met() {
    // Two from @social and one from @legal.
    let policy = Policy {
        required_approvals: 3,
        reviewer_roles: vec![SOCIAL],
        quorums: vec![
            Quorum {
                role: SOCIAL,
                approvals: 2,
            },
            Quorum {
                role: LEGAL,
                approvals: 1,
            },
        ],
        ..policy()
    };
    let vote = |id, role| Event::Approve {
        by: with_roles(id, &[role]),
        revision: 1,
    };
    let mut p = submitted(Verdict::Ready);
    for (e, expect) in [
        (vote(2, SOCIAL), Status::Pending),
        (vote(3, SOCIAL), Status::Pending),
        (vote(4, SOCIAL), Status::Pending), // three approvals, but no one from legal
        (vote(5, LEGAL), Status::Approved),
    ] {
        p = apply(Some(&p), &e, &policy, later(1))
            .expect("vote")
            .proposal;
        assert_eq!(p.status, expect);
    }
}

#[test]
fn a_stale_click_is_refused_with_the_revision_to_review() {
    let p = after(submitted(Verdict::Ready), &[edit("v2 ^SG"), edit("v3 ^SG")]);
    let err = refusal(&p, &approve(2));
    assert_eq!(
        err,
        WorkflowError::StaleRevision {
            seen: 1,
            current: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "this text changed since you looked: review revision 3"
    );
    assert_eq!(
        refusal(&p, &request_changes(2)),
        WorkflowError::StaleRevision {
            seen: 1,
            current: 3
        }
    );
}

#[test]
fn approving_twice_is_refused_and_counts_once() {
    let p = after(submitted(Verdict::Ready), &[approve(2)]);
    let err = refusal(&p, &approve(2));
    assert_eq!(err, WorkflowError::AlreadyApproved { revision: 1 });
    assert_eq!(err.to_string(), "you already approved this revision");
    assert_eq!(p.approvals().count(), 1);
    let p = after(p, &[request_changes(3)]);
    assert_eq!(
        refusal(&p, &request_changes(3)),
        WorkflowError::AlreadyRequestedChanges { revision: 1 }
    );
}

#[test]
fn a_vote_can_change_until_the_decision() {
    let p = after(submitted(Verdict::Ready), &[approve(2), request_changes(2)]);
    assert_eq!(p.status, Status::ChangesRequested);
    assert_eq!(
        p.current_votes().count(),
        1,
        "a changed vote replaces, never adds"
    );
    let p = after(p, &[approve(3)]);
    assert_eq!(
        p.status,
        Status::ChangesRequested,
        "an open request for changes holds the approval back"
    );
    let t = apply(Some(&p), &approve(2), &policy(), later(2)).expect("change back");
    assert_eq!(t.proposal.status, Status::Approved);
    assert_eq!(t.entry.detail.as_deref(), Some("changed vote"));
}

#[test]
fn an_edit_voids_earlier_approvals() {
    let p = after(submitted(Verdict::Ready), &[approve(2), request_changes(3)]);
    let p = after(p, &[edit("Better, signed ^SG")]);
    assert_eq!(p.status, Status::Pending);
    assert_eq!(p.current().number, 2);
    assert_eq!(p.approvals().count(), 0);
    let p = after(
        p,
        &[Event::Approve {
            by: member(2),
            revision: 2,
        }],
    );
    assert_eq!(
        p.status,
        Status::Pending,
        "one approval of the new text is not two"
    );
}

#[test]
fn only_the_author_edits_or_withdraws_and_the_text_must_change() {
    let p = submitted(Verdict::Ready);
    let by_other = Event::Edit {
        by: member(2),
        text: "mine now".into(),
        review: review(Verdict::Ready),
        conversation: None,
        images: Vec::new(),
    };
    assert_eq!(refusal(&p, &by_other), WorkflowError::NotAuthor);
    assert_eq!(
        refusal(&p, &Event::Withdraw { by: member(2) }),
        WorkflowError::NotAuthor
    );
    // The same words, typed with a combining accent: the same text.
    let p = after(p, &[edit("Café ^SG")]);
    assert_eq!(
        refusal(&p, &edit("Cafe\u{301} ^SG")),
        WorkflowError::UnchangedText { revision: 2 }
    );
}

#[test]
fn a_blocked_review_cannot_be_approved_without_an_override() {
    let p = submitted(Verdict::Blocked);
    assert_eq!(
        refusal(&p, &approve(2)),
        WorkflowError::BlockedNeedsOverride { revision: 1 }
    );
    // Asking for changes on a blocked text is fine.
    assert!(apply(Some(&p), &request_changes(2), &policy(), later(1)).is_ok());
}

#[test]
fn an_admin_override_needs_a_reason_counts_as_approval_and_unblocks_others() {
    let p = submitted(Verdict::Blocked);
    let ov = |by: Member, reason: &str| Event::Override {
        by,
        revision: 1,
        reason: reason.into(),
    };
    assert_eq!(refusal(&p, &ov(member(2), "ok")), WorkflowError::NotAdmin);
    assert_eq!(
        refusal(&p, &ov(admin(ADMIN), "  ")),
        WorkflowError::ReasonRequired
    );
    let p = after(p, &[ov(admin(ADMIN), "the credit is in the image")]);
    assert_eq!(p.status, Status::Pending);
    assert_eq!(
        p.current().overridden.as_ref().map(|o| o.by),
        Some(MemberId(ADMIN))
    );
    assert_eq!(
        refusal(&p, &ov(admin(6), "again")),
        WorkflowError::AlreadyOverridden
    );
    let p = after(p, &[approve(2)]);
    assert_eq!(p.status, Status::Approved);
}

#[test]
fn an_override_is_for_blocked_reviews_and_not_for_ones_own_proposal() {
    let ready = submitted(Verdict::Ready);
    let ov = Event::Override {
        by: admin(ADMIN),
        revision: 1,
        reason: "why not".into(),
    };
    assert_eq!(refusal(&ready, &ov), WorkflowError::NotBlocked);
    let own = submitted_by(&admin(ADMIN), Verdict::Blocked);
    assert_eq!(refusal(&own, &ov), WorkflowError::OwnProposal);
}

#[test]
fn request_changes_and_reject_need_a_reason_and_tell_the_author() {
    let p = submitted(Verdict::Ready);
    let blank = Event::RequestChanges {
        by: member(2),
        revision: 1,
        reason: " ".into(),
    };
    assert_eq!(refusal(&p, &blank), WorkflowError::ReasonRequired);
    let t = apply(
        Some(&p),
        &Event::Reject {
            by: member(2),
            reason: "off brand".into(),
        },
        &policy(),
        later(1),
    )
    .expect("reject");
    assert_eq!(
        t.notices,
        vec![Notice::Rejected {
            by: MemberId(2),
            reason: "off brand".into()
        }]
    );
    assert_eq!(t.entry.detail.as_deref(), Some("off brand"));
}

#[test]
fn a_proposal_expires_after_the_policy_delay_counted_from_its_latest_revision() {
    let p = submitted(Verdict::Ready);
    let due = t0() + TimeDelta::days(7);
    assert_eq!(
        apply(
            Some(&p),
            &Event::Expire,
            &policy(),
            due - TimeDelta::seconds(1)
        )
        .err(),
        Some(WorkflowError::NotYetDue { due })
    );
    assert_eq!(
        apply(Some(&p), &approve(2), &policy(), due).err(),
        Some(WorkflowError::Expired { at: due })
    );
    let t = apply(Some(&p), &Event::Expire, &policy(), due).expect("expire");
    assert_eq!(t.proposal.status, Status::Expired);
    assert_eq!(t.notices, vec![Notice::Expired]);
    // An edit restarts the clock.
    let edited = after(p, &[edit("v2 ^SG")]);
    assert!(apply(Some(&edited), &Event::Expire, &policy(), due).is_err());
}

#[test]
fn publishing_runs_started_then_posted_failed_or_unknown_then_reconciled() {
    let approved = after(submitted(Verdict::Ready), &[approve(2), approve(3)]);
    let publishing = after(approved, &[Event::PublishStarted]);
    let posted = after(
        publishing.clone(),
        &[Event::PublishPosted {
            remote_id: "1234".into(),
        }],
    );
    assert_eq!(posted.remote_id.as_deref(), Some("1234"));
    let failed = after(
        publishing.clone(),
        &[Event::PublishFailed {
            error: "503".into(),
        }],
    );
    let retried = after(failed, &[Event::PublishStarted]);
    assert_eq!(retried.status, Status::Publishing);
    let unknown = after(
        publishing,
        &[Event::PublishUnknown {
            detail: "timeout".into(),
        }],
    );
    assert_eq!(unknown.status, Status::NeedsReconcile);
    let by_member = Event::Reconciled {
        by: Some(member(2)),
        outcome: ReconcileOutcome::NotPosted,
    };
    assert_eq!(refusal(&unknown, &by_member), WorkflowError::NotAdmin);
    let found = after(
        unknown,
        &[Event::Reconciled {
            by: Some(admin(ADMIN)),
            outcome: ReconcileOutcome::Posted {
                remote_id: "99".into(),
            },
        }],
    );
    assert_eq!(found.status, Status::Posted);
    assert_eq!(found.remote_id.as_deref(), Some("99"));
}

#[test]
fn the_audit_trail_records_every_accepted_event_in_order() {
    let p = after(
        submitted(Verdict::Ready),
        &[approve(2), request_changes(3), edit("v2 ^SG")],
    );
    let actions: Vec<Action> = p.audit.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            Action::Submit,
            Action::Approve,
            Action::RequestChanges,
            Action::Edit
        ]
    );
    assert_eq!(p.version, 4);
    assert_eq!(p.audit[3].revision, 2);
}

#[test]
fn every_refusal_reads_in_english_and_in_french() {
    let errors = [
        WorkflowError::NoSuchProposal,
        WorkflowError::AlreadySubmitted,
        WorkflowError::NotNow {
            status: Status::Posted,
            action: Action::Approve,
        },
        WorkflowError::OwnProposal,
        WorkflowError::ContractorCannotReview,
        WorkflowError::NotAReviewer,
        WorkflowError::NotAuthor,
        WorkflowError::NotAdmin,
        WorkflowError::StaleRevision {
            seen: 1,
            current: 3,
        },
        WorkflowError::AlreadyApproved { revision: 1 },
        WorkflowError::AlreadyRequestedChanges { revision: 1 },
        WorkflowError::BlockedNeedsOverride { revision: 1 },
        WorkflowError::NotBlocked,
        WorkflowError::AlreadyOverridden,
        WorkflowError::ReasonRequired,
        WorkflowError::UnchangedText { revision: 2 },
        WorkflowError::Expired { at: t0() },
        WorkflowError::NotYetDue { due: t0() },
    ];
    for e in errors {
        let (en, fr) = (e.message(Language::En), e.message(Language::Fr));
        assert_eq!(en, e.to_string());
        assert!(!fr.is_empty() && fr != en, "{e:?} has no French rendering");
    }
    assert_eq!(
        WorkflowError::StaleRevision {
            seen: 1,
            current: 3
        }
        .message(Language::Fr),
        "ce texte a changé depuis que vous l'avez lu : relisez la révision 3"
    );
}

#[test]
fn a_policy_that_needs_no_approval_is_invalid() {
    assert_eq!(Policy::default().validate(), Ok(()));
    let none = Policy {
        required_approvals: 0,
        ..Policy::default()
    };
    assert_eq!(none.validate(), Err(PolicyError::NoApprovalRequired));
    let odd = Policy {
        contractor_roles: vec![LEGAL],
        quorums: vec![Quorum {
            role: LEGAL,
            approvals: 1,
        }],
        ..Policy::default()
    };
    assert_eq!(odd.validate(), Err(PolicyError::ContractorQuorum));
}

#[test]
fn a_policy_reads_with_defaults_for_missing_fields() {
    let p: Policy = serde_json::from_str(r#"{"quorums":[{"role":800,"approvals":1}]}"#)
        .expect("valid policy json");
    assert_eq!(p.required_approvals, 2);
    assert_eq!(p.expiry_hours, 168);
}

#[test]
fn a_proposal_that_missed_its_schedule_expires_but_not_before_and_not_once_approved() {
    let p = submitted(Verdict::Ready);
    let at = later(2);
    let missed = Event::MissedSchedule { at };
    assert_eq!(
        apply(Some(&p), &missed, &policy(), at - TimeDelta::seconds(1)).err(),
        Some(WorkflowError::NotYetDue { due: at })
    );
    let t = apply(Some(&p), &missed, &policy(), at).expect("expire");
    assert_eq!(t.proposal.status, Status::Expired);
    assert_eq!(t.entry.action, Action::Expire);
    assert_eq!(t.notices, vec![Notice::Expired]);
    let approved = after(p, &[approve(2), approve(3)]);
    assert!(matches!(
        apply(Some(&approved), &missed, &policy(), later(3)),
        Err(WorkflowError::NotNow { .. })
    ));
}
