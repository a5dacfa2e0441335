//! Return on influence: what the account posted and what it earned, and how the approval flow
//! runs, over a period. The article asks teams to judge the account as a whole (not a news
//! wire, not always on sale: at most one post in five promotional) and to measure influence
//! rather than immediate sales; this is the measurement.
//!
//! Pure: the figures come from the stored timeline (posts, their class, their counts) and the
//! audit trail; [`chart`] draws them, [`render`] writes them as text, JSON or CSV.

pub mod chart;
pub mod render;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::store::{AuditRecord, StoredPost};
use crate::workflow::{Action, MemberId, ProposalId};

/// The article's line: more than one post in five promotional dilutes the brand.
pub const PROMO_LINE: f64 = 0.2;

/// What a post was, for the figures: one kind each (a reply that sells is a reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    Reply,
    Broadcast,
    Promotional,
    Relay,
}

impl PostKind {
    pub const ALL: [PostKind; 4] = [
        PostKind::Reply,
        PostKind::Broadcast,
        PostKind::Promotional,
        PostKind::Relay,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PostKind::Reply => "reply",
            PostKind::Broadcast => "broadcast",
            PostKind::Promotional => "promotional",
            PostKind::Relay => "relay",
        }
    }

    fn of(p: &StoredPost) -> PostKind {
        let c = p.post.class;
        if c.relay {
            PostKind::Relay
        } else if c.reply {
            PostKind::Reply
        } else if c.promotional {
            PostKind::Promotional
        } else {
            PostKind::Broadcast
        }
    }
}

/// One week (Monday to Sunday, UTC) of posts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    pub start: NaiveDate,
    pub replies: usize,
    pub broadcasts: usize,
    pub promotional: usize,
    pub relays: usize,
    /// Posts with a promotional signal (whatever their kind), over all posts.
    pub promo_share: f64,
}

impl Week {
    pub fn total(&self) -> usize {
        self.replies + self.broadcasts + self.promotional + self.relays
    }
}

/// Median interactions per post of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindEngagement {
    pub kind: PostKind,
    /// Posts of that kind with counts.
    pub posts: usize,
    pub median: f64,
}

/// Minutes from a proposal to its decision, and to its post.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Turnaround {
    pub decided: usize,
    pub decision_median_min: Option<f64>,
    pub decision_p90_min: Option<f64>,
    pub posted: usize,
    pub posted_median_min: Option<f64>,
    pub posted_p90_min: Option<f64>,
}

/// Everything `/stats` and `tweetguard stats` show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// The network the figures are limited to, if any.
    pub network: Option<String>,
    pub posts: usize,
    pub weeks: Vec<Week>,
    /// Over the period.
    pub promo_share: f64,
    pub engagement: Vec<KindEngagement>,
    /// Signed posts over all posts.
    pub signature_rate: f64,
    pub turnaround: Turnaround,
    /// Votes and decisions per reviewer, most first.
    pub reviews: Vec<(MemberId, usize)>,
    /// The most common reasons given for requested changes and rejections, most first.
    pub reasons: Vec<(String, usize)>,
}

/// The figures for posts and audit entries between `since` and `until`, on `network` only
/// when given. Posts outside the period are left out; a proposal's turnaround counts when it
/// was submitted in the period.
pub fn compute(
    posts: &[StoredPost],
    audit: &[AuditRecord],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    network: Option<&str>,
) -> Stats {
    let posts: Vec<&StoredPost> = posts
        .iter()
        .filter(|p| p.post.posted_at >= since && p.post.posted_at <= until)
        .filter(|p| network.is_none_or(|n| p.post.network == n))
        .collect();
    let mut weeks: BTreeMap<NaiveDate, Week> = BTreeMap::new();
    let mut promo = 0usize;
    let mut signed = 0usize;
    let mut by_kind: HashMap<PostKind, Vec<u64>> = HashMap::new();
    for p in &posts {
        let start = monday(p.post.posted_at.date_naive());
        let w = weeks.entry(start).or_insert_with(|| Week {
            start,
            replies: 0,
            broadcasts: 0,
            promotional: 0,
            relays: 0,
            promo_share: 0.0,
        });
        let kind = PostKind::of(p);
        match kind {
            PostKind::Reply => w.replies += 1,
            PostKind::Broadcast => w.broadcasts += 1,
            PostKind::Promotional => w.promotional += 1,
            PostKind::Relay => w.relays += 1,
        }
        if p.post.class.promotional {
            w.promo_share += 1.0;
            promo += 1;
        }
        signed += usize::from(p.post.class.signed);
        if let Some(c) = p.latest() {
            by_kind.entry(kind).or_default().push(c.engagement());
        }
    }
    for w in weeks.values_mut() {
        w.promo_share /= w.total().max(1) as f64;
    }
    let engagement = PostKind::ALL
        .iter()
        .map(|k| {
            let mut v: Vec<f64> = by_kind
                .get(k)
                .map(|v| v.iter().map(|n| *n as f64).collect())
                .unwrap_or_default();
            KindEngagement {
                kind: *k,
                posts: v.len(),
                median: quantile(&mut v, 0.5).unwrap_or(0.0),
            }
        })
        .collect();
    let total = posts.len();
    Stats {
        since,
        until,
        network: network.map(str::to_owned),
        posts: total,
        weeks: weeks.into_values().collect(),
        promo_share: ratio(promo, total),
        engagement,
        signature_rate: ratio(signed, total),
        turnaround: turnaround(audit, since, until),
        reviews: reviewers(audit, since, until),
        reasons: reasons(audit, since, until),
    }
}

fn ratio(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The `q` quantile (nearest rank) of `v`, sorted in place.
fn quantile(v: &mut [f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    if (q - 0.5).abs() < f64::EPSILON && v.len() % 2 == 0 {
        let mid = v.len() / 2;
        return Some((v[mid - 1] + v[mid]) / 2.0);
    }
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    Some(v[rank - 1])
}

fn turnaround(audit: &[AuditRecord], since: DateTime<Utc>, until: DateTime<Utc>) -> Turnaround {
    let mut submitted: HashMap<ProposalId, DateTime<Utc>> = HashMap::new();
    let mut decided: HashMap<ProposalId, DateTime<Utc>> = HashMap::new();
    let mut posted: HashMap<ProposalId, DateTime<Utc>> = HashMap::new();
    for r in audit {
        let at = r.entry.at;
        match r.entry.action {
            Action::Submit if at >= since && at <= until => {
                submitted.insert(r.proposal, at);
            }
            // The decision: the approval that approved it, or a rejection.
            Action::Approve | Action::Override
                if r.entry.to == crate::workflow::Status::Approved =>
            {
                decided.entry(r.proposal).or_insert(at);
            }
            Action::Reject => {
                decided.entry(r.proposal).or_insert(at);
            }
            Action::PublishPosted | Action::Reconcile
                if r.entry.to == crate::workflow::Status::Posted =>
            {
                posted.entry(r.proposal).or_insert(at);
            }
            _ => {}
        }
    }
    let minutes = |ends: &HashMap<ProposalId, DateTime<Utc>>| -> Vec<f64> {
        submitted
            .iter()
            .filter_map(|(id, start)| {
                ends.get(id)
                    .map(|end| (*end - *start).num_seconds() as f64 / 60.0)
            })
            .collect()
    };
    let mut d = minutes(&decided);
    let mut p = minutes(&posted);
    Turnaround {
        decided: d.len(),
        decision_median_min: quantile(&mut d, 0.5),
        decision_p90_min: quantile(&mut d, 0.9),
        posted: p.len(),
        posted_median_min: quantile(&mut p, 0.5),
        posted_p90_min: quantile(&mut p, 0.9),
    }
}

fn in_period(r: &AuditRecord, since: DateTime<Utc>, until: DateTime<Utc>) -> bool {
    r.entry.at >= since && r.entry.at <= until
}

fn reviewers(
    audit: &[AuditRecord],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<(MemberId, usize)> {
    let mut n: HashMap<MemberId, usize> = HashMap::new();
    for r in audit.iter().filter(|r| in_period(r, since, until)) {
        if matches!(
            r.entry.action,
            Action::Approve | Action::RequestChanges | Action::Reject | Action::Override
        ) {
            if let Some(who) = r.entry.actor {
                *n.entry(who).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(MemberId, usize)> = n.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The reasons reviewers gave, grouped case- and space-insensitively; the five most common.
fn reasons(
    audit: &[AuditRecord],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<(String, usize)> {
    let mut n: HashMap<String, (String, usize)> = HashMap::new();
    for r in audit.iter().filter(|r| in_period(r, since, until)) {
        if !matches!(r.entry.action, Action::RequestChanges | Action::Reject) {
            continue;
        }
        let Some(reason) = r
            .entry
            .detail
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let key = reason
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let e = n.entry(key).or_insert_with(|| (reason.to_owned(), 0));
        e.1 += 1;
    }
    let mut v: Vec<(String, usize)> = n.into_values().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(5);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::PostClass;
    use crate::store::{Counts, TimelinePost};
    use crate::workflow::{AuditEntry, GuildId, Status};

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, day, hour, 0, 0)
            .single()
            .expect("date")
    }

    fn post(day: u32, class: PostClass, likes: u64) -> StoredPost {
        StoredPost {
            post: TimelinePost {
                network: "mastodon".into(),
                post_id: format!("{day}-{likes}"),
                url: None,
                text: String::new(),
                posted_at: at(day, 10),
                class,
                proposal: None,
            },
            counts: vec![(
                "1d".into(),
                Counts {
                    likes,
                    ..Counts::default()
                },
            )],
        }
    }

    fn entry(
        id: i64,
        action: Action,
        to: Status,
        at: DateTime<Utc>,
        actor: u64,
        detail: Option<&str>,
    ) -> AuditRecord {
        AuditRecord {
            proposal: ProposalId(id),
            guild: GuildId(1),
            seq: 1,
            entry: AuditEntry {
                at,
                actor: Some(MemberId(actor)),
                action,
                revision: 1,
                from: None,
                to,
                detail: detail.map(str::to_owned),
            },
        }
    }

    #[test]
    fn weeks_count_posts_by_kind_and_dialogue_is_compared_with_broadcasts() {
        let reply = PostClass {
            reply: true,
            signed: true,
            ..PostClass::default()
        };
        let broadcast = PostClass {
            broadcast: true,
            ..PostClass::default()
        };
        let promo = PostClass {
            broadcast: true,
            promotional: true,
            ..PostClass::default()
        };
        // Monday 2 and Monday 9 November 2026: two weeks.
        let posts = [
            post(2, reply, 12),
            post(3, reply, 8),
            post(4, broadcast, 1),
            post(10, promo, 3),
            post(11, broadcast, 2),
        ];
        let s = compute(&posts, &[], at(1, 0), at(30, 0), None);
        assert_eq!(s.posts, 5);
        assert_eq!(s.weeks.len(), 2);
        assert_eq!((s.weeks[0].replies, s.weeks[0].broadcasts), (2, 1));
        assert_eq!((s.weeks[1].promotional, s.weeks[1].broadcasts), (1, 1));
        assert!((s.weeks[1].promo_share - 0.5).abs() < 1e-9);
        assert!((s.promo_share - 0.2).abs() < 1e-9);
        let median = |k| s.engagement.iter().find(|e| e.kind == k).map(|e| e.median);
        assert_eq!(
            median(PostKind::Reply),
            Some(10.0),
            "dialogue earns more here"
        );
        assert_eq!(median(PostKind::Broadcast), Some(1.5));
        assert!((s.signature_rate - 0.4).abs() < 1e-9);
        // Limited to a network that posted nothing: nothing.
        assert_eq!(
            compute(&posts, &[], at(1, 0), at(30, 0), Some("x")).posts,
            0
        );
    }

    #[test]
    fn turnaround_reviewers_and_reasons_come_from_the_audit_trail() {
        let audit = [
            entry(1, Action::Submit, Status::Pending, at(2, 9), 1, None),
            entry(
                1,
                Action::RequestChanges,
                Status::ChangesRequested,
                at(2, 10),
                5,
                Some("Trop  commercial"),
            ),
            entry(1, Action::Approve, Status::Approved, at(2, 11), 6, None),
            entry(1, Action::PublishPosted, Status::Posted, at(2, 12), 0, None),
            entry(2, Action::Submit, Status::Pending, at(3, 9), 1, None),
            entry(
                2,
                Action::Reject,
                Status::Rejected,
                at(3, 13),
                5,
                Some("trop commercial"),
            ),
        ];
        let s = compute(&[], &audit, at(1, 0), at(30, 0), None);
        assert_eq!(s.turnaround.decided, 2);
        assert_eq!(s.turnaround.decision_median_min, Some(180.0));
        assert_eq!(s.turnaround.decision_p90_min, Some(240.0));
        assert_eq!(s.turnaround.posted_median_min, Some(180.0));
        assert_eq!(s.reviews, [(MemberId(5), 2), (MemberId(6), 1)]);
        assert_eq!(s.reasons, [("Trop  commercial".to_string(), 2)]);
    }
}
