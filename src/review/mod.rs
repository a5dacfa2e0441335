//! The review engine: what a seasoned community manager would say about a proposed tweet,
//! checked against the eight guidelines of `GUIDELINES.md`.
//!
//! Pure by design: no I/O, no async, no clock. The same text, settings and history always give
//! the same [`Review`], so the Discord card, the terminal report and the stored revision agree.

pub mod length;

use serde::{Deserialize, Serialize};

/// One of the guidelines of the article the product comes from. The ids are stable: they are
/// in JSON output, in `/guidelines`, and in users' scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Guideline {
    Identity,
    Dialogue,
    Promotion,
    Relay,
    Reach,
    Generosity,
    Tone,
    Outsourcing,
}

impl Guideline {
    /// Every guideline, in the article's order.
    pub const ALL: [Guideline; 8] = [
        Guideline::Identity,
        Guideline::Dialogue,
        Guideline::Promotion,
        Guideline::Relay,
        Guideline::Reach,
        Guideline::Generosity,
        Guideline::Tone,
        Guideline::Outsourcing,
    ];

    /// The stable id (`promotion`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Guideline::Identity => "identity",
            Guideline::Dialogue => "dialogue",
            Guideline::Promotion => "promotion",
            Guideline::Relay => "relay",
            Guideline::Reach => "reach",
            Guideline::Generosity => "generosity",
            Guideline::Tone => "tone",
            Guideline::Outsourcing => "outsourcing",
        }
    }
}

/// How much a finding weighs. `Error` blocks approval; `Praise` is for what is done well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Suggestion,
    Praise,
}

/// The review's conclusion: `blocked` when an error stands, `needs_work` when a warning does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    NeedsWork,
    Blocked,
}

/// The language a review speaks: the tweet's own (detected), or the one forced by `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
}

/// A byte range into the original text, always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One thing the review has to say about the tweet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub guideline: Guideline,
    /// `guideline.rule`, e.g. `promotion.sales-words`: stable, for scripts and team settings.
    pub rule: String,
    pub severity: Severity,
    /// In the review's language.
    pub message: String,
    pub spans: Vec<Span>,
    /// A concrete change that would answer the finding, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The tweet's weighted length against the limit in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LengthReport {
    pub weighted: usize,
    pub limit: usize,
    pub valid: bool,
}

/// A whole review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: Verdict,
    /// 0-100, readable at a glance: 100 is a tweet nothing could improve.
    pub score: u8,
    pub language: Language,
    pub length: LengthReport,
    pub findings: Vec<Finding>,
}
