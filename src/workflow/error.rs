//! Why an event was refused, in words the person who clicked can act on.

use chrono::{DateTime, Utc};

use super::proposal::{Action, Status};
use crate::review::Language;

/// A refused event. `Display` is the English sentence; [`WorkflowError::message`] renders it
/// in either language the bot speaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("there is no such proposal")]
    NoSuchProposal,
    #[error("this proposal was already submitted")]
    AlreadySubmitted,
    #[error("this proposal is {}: \"{}\" is not possible now", status.label(Language::En), action.label(Language::En))]
    NotNow { status: Status, action: Action },
    #[error("you wrote this proposal: someone else has to review it")]
    OwnProposal,
    #[error("contractors can't approve or review proposals: a staff reviewer has to")]
    ContractorCannotReview,
    #[error("you don't have a reviewer role on this server")]
    NotAReviewer,
    #[error("only the author of this proposal can do that")]
    NotAuthor,
    #[error("only a server admin can do that")]
    NotAdmin,
    #[error("this text changed since you looked: review revision {current}")]
    StaleRevision { seen: u32, current: u32 },
    #[error("you already approved this revision")]
    AlreadyApproved { revision: u32 },
    #[error("you already requested changes on this revision")]
    AlreadyRequestedChanges { revision: u32 },
    #[error("the review blocks revision {revision}: an admin has to override it, with a reason, before it can be approved")]
    BlockedNeedsOverride { revision: u32 },
    #[error("the review doesn't block this text: there is nothing to override")]
    NotBlocked,
    #[error("an admin already overrode the review of this revision")]
    AlreadyOverridden,
    #[error("give a reason: the author needs to know why")]
    ReasonRequired,
    #[error("the text is the same as revision {revision}: there is nothing new to review")]
    UnchangedText { revision: u32 },
    #[error("this proposal expired on {}: propose it again", fmt_time(*at))]
    Expired { at: DateTime<Utc> },
    #[error("this proposal doesn't expire before {}", fmt_time(*due))]
    NotYetDue { due: DateTime<Utc> },
    #[error("a post carries at most {max} images")]
    TooManyImages { max: usize },
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl WorkflowError {
    /// The refusal as the bot says it in `lang`.
    pub fn message(&self, lang: Language) -> String {
        if lang == Language::En {
            return self.to_string();
        }
        match self {
            WorkflowError::NoSuchProposal => "cette proposition n'existe pas".into(),
            WorkflowError::AlreadySubmitted => "cette proposition a déjà été soumise".into(),
            WorkflowError::NotNow { status, action } => format!(
                "cette proposition est {} : « {} » n'est pas possible maintenant",
                status.label(Language::Fr),
                action.label(Language::Fr)
            ),
            WorkflowError::OwnProposal => {
                "vous avez écrit cette proposition : quelqu'un d'autre doit la relire".into()
            }
            WorkflowError::ContractorCannotReview => "les contractuels ne peuvent pas approuver ni relire de propositions : un relecteur de l'équipe doit le faire".into(),
            WorkflowError::NotAReviewer => "vous n'avez pas de rôle de relecteur sur ce serveur".into(),
            WorkflowError::NotAuthor => "seul l'auteur de cette proposition peut faire cela".into(),
            WorkflowError::NotAdmin => "seul un admin du serveur peut faire cela".into(),
            WorkflowError::StaleRevision { current, .. } => format!(
                "ce texte a changé depuis que vous l'avez lu : relisez la révision {current}"
            ),
            WorkflowError::AlreadyApproved { .. } => "vous avez déjà approuvé cette révision".into(),
            WorkflowError::AlreadyRequestedChanges { .. } => {
                "vous avez déjà demandé des modifications sur cette révision".into()
            }
            WorkflowError::BlockedNeedsOverride { revision } => format!(
                "la revue bloque la révision {revision} : un admin doit passer outre, en donnant une raison, avant qu'elle puisse être approuvée"
            ),
            WorkflowError::NotBlocked => {
                "la revue ne bloque pas ce texte : il n'y a rien à outrepasser".into()
            }
            WorkflowError::AlreadyOverridden => {
                "un admin a déjà passé outre la revue de cette révision".into()
            }
            WorkflowError::ReasonRequired => {
                "donnez une raison : l'auteur doit savoir pourquoi".into()
            }
            WorkflowError::UnchangedText { revision } => format!(
                "le texte est identique à la révision {revision} : rien de nouveau à relire"
            ),
            WorkflowError::Expired { at } => format!(
                "cette proposition a expiré le {} : proposez-la de nouveau",
                fmt_time(*at)
            ),
            WorkflowError::NotYetDue { due } => {
                format!("cette proposition n'expire pas avant le {}", fmt_time(*due))
            }
            WorkflowError::TooManyImages { max } => {
                format!("une publication porte au plus {max} images")
            }
        }
    }
}
