//! A server's approval rules.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::proposal::{Member, RoleId, Vote};

/// "At least `approvals` approvals from members holding `role`", e.g. 1 from @legal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    pub role: RoleId,
    pub approvals: u32,
}

/// One server's approval rules. Every field has a default, so a server that never configured
/// anything gets the safe behaviour: two approvals, seven days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Approvals needed on the current revision, whoever gives them (at least 1).
    pub required_approvals: u32,
    /// Roles allowed to review. Empty: any member who is not a contractor. Admins and members
    /// holding a quorum role may always review.
    pub reviewer_roles: Vec<RoleId>,
    /// Roles of outside contractors: they may propose, never review.
    pub contractor_roles: Vec<RoleId>,
    /// Per-role minimums, all of which must hold on top of `required_approvals`. A member with
    /// two quorum roles counts towards both.
    pub quorums: Vec<Quorum>,
    /// How long a revision waits for a decision before the proposal expires.
    pub expiry_hours: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            required_approvals: 2,
            reviewer_roles: Vec::new(),
            contractor_roles: Vec::new(),
            quorums: Vec::new(),
            expiry_hours: 7 * 24,
        }
    }
}

/// A policy that can't work, said so when an admin saves it rather than when a vote fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("at least one approval must be required")]
    NoApprovalRequired,
    #[error("the expiry must be at least one hour")]
    NoExpiry,
    #[error("a quorum role can't also be a contractor role: contractors never approve")]
    ContractorQuorum,
}

impl Policy {
    /// Checks the rules are satisfiable and keep a human in the loop.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.required_approvals == 0 {
            return Err(PolicyError::NoApprovalRequired);
        }
        if self.expiry_hours == 0 {
            return Err(PolicyError::NoExpiry);
        }
        if self
            .quorums
            .iter()
            .any(|q| self.contractor_roles.contains(&q.role))
        {
            return Err(PolicyError::ContractorQuorum);
        }
        Ok(())
    }

    pub fn is_contractor(&self, member: &Member) -> bool {
        member
            .roles
            .iter()
            .any(|r| self.contractor_roles.contains(r))
    }

    /// Whether this member may vote at all (contractors are refused separately, with their own
    /// message).
    pub fn may_review(&self, member: &Member) -> bool {
        member.is_admin
            || self.reviewer_roles.is_empty()
            || member.roles.iter().any(|r| {
                self.reviewer_roles.contains(r) || self.quorums.iter().any(|q| q.role == *r)
            })
    }

    /// When a revision created at `since` expires.
    pub fn expires_at(&self, since: DateTime<Utc>) -> DateTime<Utc> {
        since + TimeDelta::hours(i64::from(self.expiry_hours))
    }

    /// Whether these approvals (of one revision) are enough. Zero required is read as one:
    /// nothing is posted without a person saying yes, and a contractor's proposal always
    /// needs a non-contractor's approval.
    pub fn is_met<'a>(&self, approvals: impl Iterator<Item = &'a Vote> + Clone) -> bool {
        let count = |role: Option<RoleId>| {
            approvals
                .clone()
                .filter(|v| !v.roles.iter().any(|r| self.contractor_roles.contains(r)))
                .filter(|v| role.is_none_or(|role| v.roles.contains(&role)))
                .count()
        };
        count(None) >= self.required_approvals.max(1) as usize
            && self
                .quorums
                .iter()
                .all(|q| count(Some(q.role)) >= q.approvals as usize)
    }
}
