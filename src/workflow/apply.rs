//! The transition function: one event, one proposal, one policy, one instant in; a new state or
//! a reason out.

use chrono::{DateTime, Utc};

use super::conversation::Conversation;
use super::error::WorkflowError;
use super::event::{Event, Notice, ReconcileOutcome, Transition};
use super::media::{Image, MAX_IMAGES};
use super::policy::Policy;
use super::proposal::{
    payload_hash, Action, AuditEntry, Member, Override, Proposal, Revision, Status, Vote, VoteKind,
};
use crate::review::{Review, Verdict};

/// Applies `event` to `state` (`None` before the proposal exists: only `Submit` is accepted).
///
/// Checks come in the order a person expects to hear them: the proposal's status first ("it's
/// already posted"), then who is acting ("you wrote this"), then what they saw ("this text
/// changed").
pub fn apply(
    state: Option<&Proposal>,
    event: &Event,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Transition, WorkflowError> {
    let Some(current) = state else {
        return match event {
            Event::Submit { images, .. } if images.len() > MAX_IMAGES => {
                Err(WorkflowError::TooManyImages { max: MAX_IMAGES })
            }
            Event::Submit {
                id,
                guild,
                author,
                text,
                review,
                conversation,
                images,
            } => Ok(submit(
                *id,
                *guild,
                author,
                revision(1, text, conversation.as_ref(), images, review, now),
                now,
            )),
            _ => Err(WorkflowError::NoSuchProposal),
        };
    };
    let action = event.action();
    if action == Action::Submit {
        return Err(WorkflowError::AlreadySubmitted);
    }
    if !action.allowed_from(current.status) {
        return Err(WorkflowError::NotNow {
            status: current.status,
            action,
        });
    }
    let rev = current.current();
    let expires = policy.expires_at(rev.created_at);
    if current.status.is_open()
        && now >= expires
        && !matches!(
            event,
            Event::Expire
                | Event::MissedSchedule { .. }
                | Event::Withdraw { .. }
                | Event::Reject { .. }
        )
    {
        return Err(WorkflowError::Expired { at: expires });
    }

    let mut next = current.clone();
    let mut detail = None;
    let mut notices = Vec::new();
    match event {
        Event::Submit { .. } => return Err(WorkflowError::AlreadySubmitted),
        Event::Edit {
            by,
            text,
            review,
            conversation,
            images,
        } => {
            author_only(current, by)?;
            if images.len() > MAX_IMAGES {
                return Err(WorkflowError::TooManyImages { max: MAX_IMAGES });
            }
            let new = revision(
                rev.number + 1,
                text,
                conversation.as_ref(),
                images,
                review,
                now,
            );
            if new.hash == rev.hash {
                return Err(WorkflowError::UnchangedText {
                    revision: rev.number,
                });
            }
            next.revisions.push(new);
            next.status = decide(&next, policy);
        }
        Event::Approve { by, revision } => {
            reviewer(current, by, policy)?;
            fresh(current, *revision)?;
            if rev.review.verdict == Verdict::Blocked && rev.overridden.is_none() {
                return Err(WorkflowError::BlockedNeedsOverride {
                    revision: rev.number,
                });
            }
            detail = vote(&mut next, by, VoteKind::Approve, None, now)?;
            next.status = decide(&next, policy);
        }
        Event::RequestChanges {
            by,
            revision,
            reason,
        } => {
            reviewer(current, by, policy)?;
            fresh(current, *revision)?;
            let reason = reason_of(reason)?;
            vote(
                &mut next,
                by,
                VoteKind::RequestChanges,
                Some(reason.clone()),
                now,
            )?;
            next.status = decide(&next, policy);
            detail = Some(reason.clone());
            notices.push(Notice::ChangesRequested { by: by.id, reason });
        }
        Event::Reject { by, reason } => {
            reviewer(current, by, policy)?;
            let reason = reason_of(reason)?;
            next.status = Status::Rejected;
            detail = Some(reason.clone());
            notices.push(Notice::Rejected { by: by.id, reason });
        }
        Event::Withdraw { by } => {
            author_only(current, by)?;
            next.status = Status::Withdrawn;
        }
        Event::Override {
            by,
            revision,
            reason,
        } => {
            if !by.is_admin {
                return Err(WorkflowError::NotAdmin);
            }
            reviewer(current, by, policy)?;
            fresh(current, *revision)?;
            if rev.review.verdict != Verdict::Blocked {
                return Err(WorkflowError::NotBlocked);
            }
            if rev.overridden.is_some() {
                return Err(WorkflowError::AlreadyOverridden);
            }
            let reason = reason_of(reason)?;
            // An override is the admin's approval of this exact text, with the block lifted
            // for the other reviewers too.
            if let Some(last) = next.revisions.last_mut() {
                last.overridden = Some(Override {
                    by: by.id,
                    reason: reason.clone(),
                    at: now,
                });
            }
            vote(&mut next, by, VoteKind::Approve, None, now)?;
            next.status = decide(&next, policy);
            detail = Some(reason);
        }
        Event::Expire => {
            if now < expires {
                return Err(WorkflowError::NotYetDue { due: expires });
            }
            next.status = Status::Expired;
            notices.push(Notice::Expired);
        }
        Event::MissedSchedule { at } => {
            if now < *at {
                return Err(WorkflowError::NotYetDue { due: *at });
            }
            next.status = Status::Expired;
            detail = Some(format!(
                "not approved by its scheduled time {}",
                at.to_rfc3339()
            ));
            notices.push(Notice::Expired);
        }
        Event::PublishStarted => next.status = Status::Publishing,
        Event::PublishPosted { remote_id } => {
            next.status = Status::Posted;
            next.remote_id = Some(remote_id.clone());
            detail = Some(remote_id.clone());
            notices.push(Notice::Posted {
                remote_id: remote_id.clone(),
            });
        }
        Event::PublishFailed { error } => {
            next.status = Status::Failed;
            detail = Some(error.clone());
            notices.push(Notice::PublishFailed {
                error: error.clone(),
            });
        }
        Event::PublishUnknown { detail: why } => {
            next.status = Status::NeedsReconcile;
            detail = Some(why.clone());
            notices.push(Notice::NeedsReconcile);
        }
        Event::Reconciled { by, outcome } => {
            if by.as_ref().is_some_and(|m| !m.is_admin) {
                return Err(WorkflowError::NotAdmin);
            }
            match outcome {
                ReconcileOutcome::Posted { remote_id } => {
                    next.status = Status::Posted;
                    next.remote_id = Some(remote_id.clone());
                    detail = Some(remote_id.clone());
                    notices.push(Notice::Posted {
                        remote_id: remote_id.clone(),
                    });
                }
                ReconcileOutcome::NotPosted => {
                    next.status = Status::Failed;
                    detail = Some("not posted".into());
                }
                ReconcileOutcome::PartPosted { remote_id } => {
                    next.status = Status::Failed;
                    detail = Some(format!("{remote_id}; the rest of the thread follows"));
                }
            }
        }
    }

    let enqueue_post = next.status == Status::Approved && current.status != Status::Approved;
    if enqueue_post {
        notices.push(Notice::Approved);
    }
    let entry = AuditEntry {
        at: now,
        actor: event.actor().map(|m| m.id),
        action,
        revision: next.current().number,
        from: Some(current.status),
        to: next.status,
        detail,
    };
    next.version += 1;
    next.updated_at = now;
    next.audit.push(entry.clone());
    Ok(Transition {
        proposal: next,
        entry,
        enqueue_post,
        notices,
    })
}

fn submit(
    id: super::proposal::ProposalId,
    guild: super::proposal::GuildId,
    author: &Member,
    first: Revision,
    now: DateTime<Utc>,
) -> Transition {
    let entry = AuditEntry {
        at: now,
        actor: Some(author.id),
        action: Action::Submit,
        revision: 1,
        from: None,
        to: Status::Pending,
        detail: None,
    };
    let proposal = Proposal {
        id,
        guild,
        author: author.id,
        status: Status::Pending,
        version: 1,
        revisions: vec![first],
        votes: Vec::new(),
        audit: vec![entry.clone()],
        created_at: now,
        updated_at: now,
        remote_id: None,
    };
    Transition {
        proposal,
        entry,
        enqueue_post: false,
        notices: Vec::new(),
    }
}

fn revision(
    number: u32,
    text: &str,
    conversation: Option<&Conversation>,
    images: &[Image],
    review: &Review,
    now: DateTime<Utc>,
) -> Revision {
    Revision {
        number,
        text: text.to_owned(),
        hash: payload_hash(text, conversation, images),
        review: review.clone(),
        created_at: now,
        overridden: None,
        conversation: conversation.cloned(),
        images: images.to_vec(),
    }
}

fn author_only(p: &Proposal, by: &Member) -> Result<(), WorkflowError> {
    if by.id == p.author {
        Ok(())
    } else {
        Err(WorkflowError::NotAuthor)
    }
}

/// Who may vote, reject or override: not the author, never a contractor, only reviewers.
fn reviewer(p: &Proposal, by: &Member, policy: &Policy) -> Result<(), WorkflowError> {
    if by.id == p.author {
        Err(WorkflowError::OwnProposal)
    } else if policy.is_contractor(by) {
        Err(WorkflowError::ContractorCannotReview)
    } else if !policy.may_review(by) {
        Err(WorkflowError::NotAReviewer)
    } else {
        Ok(())
    }
}

/// The voter must have seen the current text.
fn fresh(p: &Proposal, seen: u32) -> Result<(), WorkflowError> {
    let current = p.current().number;
    if seen == current {
        Ok(())
    } else {
        Err(WorkflowError::StaleRevision { seen, current })
    }
}

fn reason_of(reason: &str) -> Result<String, WorkflowError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(WorkflowError::ReasonRequired)
    } else {
        Ok(reason.to_owned())
    }
}

/// Records `by`'s vote on the current revision, replacing their earlier one. The same vote
/// twice is refused, never counted twice. Returns the audit detail ("changed vote").
fn vote(
    p: &mut Proposal,
    by: &Member,
    kind: VoteKind,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<String>, WorkflowError> {
    let revision = p.current().number;
    let new = Vote {
        member: by.id,
        revision,
        kind,
        reason,
        roles: by.roles.clone(),
        at: now,
    };
    match p
        .votes
        .iter_mut()
        .find(|v| v.revision == revision && v.member == by.id)
    {
        Some(old) if old.kind == kind => Err(match kind {
            VoteKind::Approve => WorkflowError::AlreadyApproved { revision },
            VoteKind::RequestChanges => WorkflowError::AlreadyRequestedChanges { revision },
        }),
        Some(old) => {
            *old = new;
            Ok(Some("changed vote".into()))
        }
        None => {
            p.votes.push(new);
            // One canonical order, so a proposal read back from a store equals the one built here.
            p.votes.sort_by_key(|v| (v.revision, v.member));
            Ok(None)
        }
    }
}

/// The status an open proposal is in, given its current revision's votes: an outstanding
/// request for changes holds it back even when enough approvals are in (a reviewer who asked
/// for changes has to be answered, by an edit or by changing their vote).
fn decide(p: &Proposal, policy: &Policy) -> Status {
    if p.current_votes()
        .any(|v| v.kind == VoteKind::RequestChanges)
    {
        Status::ChangesRequested
    } else if policy.is_met(p.approvals()) {
        Status::Approved
    } else {
        Status::Pending
    }
}
