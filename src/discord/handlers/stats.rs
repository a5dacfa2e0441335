//! `/stats [period] [network]` (`/statistiques`): the account's return on influence, privately:
//! an embed with the figures and the PNG chart drawn in-process, attached.

use chrono::{TimeDelta, Utc};

use crate::discord::embeds::{escape_markdown, limits, truncate};
use crate::discord::messages::text;
use crate::discord::response::{Embed, EmbedField, EmbedImage, File, Message, Response};
use crate::discord::router::{Invocation, Router};
use crate::stats::{chart, compute, render};
use crate::store::AuditQuery;
use crate::workflow::GuildId;

/// The slash command's name (`commands/stats.json`).
pub const SLASH: &str = "stats";

/// The chart's file name, as the embed points at it.
const CHART: &str = "stats.png";

/// The days a `period` choice covers (`7d`, `30d`, `90d`, `365d`); 30 by default.
fn days(period: Option<&str>) -> i64 {
    period
        .and_then(|p| p.strip_suffix('d'))
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=366).contains(n))
        .unwrap_or(30)
}

pub async fn slash(router: &Router, inv: &Invocation) -> Response {
    let lang = inv.language();
    let (guild, store) = match router.workspace(inv) {
        Ok(w) => w,
        Err(refusal) => return *refusal,
    };
    let now = Utc::now();
    let since = now - TimeDelta::days(days(inv.string_option("period")));
    let network = inv
        .string_option("network")
        .filter(|n| ["x", "mastodon", "bluesky"].contains(n));
    let read = async {
        let posts = store.timeline(GuildId(guild), Some(since)).await?;
        let audit = store
            .audit(&AuditQuery {
                since: Some(since),
                guild: Some(GuildId(guild)),
            })
            .await?;
        Ok::<_, crate::store::StoreError>((posts, audit))
    };
    let (posts, audit) = match read.await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the statistics");
            return Response::private(e.message(lang));
        }
    };
    let stats = compute(&posts, &audit, since, now, network);
    let note = text("review.truncated", lang);
    // Reasons are reviewers' words: escaped, like every text the bot did not write.
    let fields = render::sections(&stats, lang, &|id| format!("<@{id}>"), &escape_markdown)
        .into_iter()
        .map(|(name, value)| EmbedField {
            name: truncate(&name, limits::FIELD_NAME, note),
            value: truncate(&value, limits::FIELD_VALUE, note),
            inline: false,
        })
        .collect();
    let embed = Embed {
        title: Some(truncate(&render::title(&stats, lang), limits::TITLE, note)),
        fields,
        image: Some(EmbedImage {
            url: format!("attachment://{CHART}"),
        }),
        ..Embed::default()
    };
    let mut msg = Message::embed(embed).ephemeral();
    match chart::png(&stats, lang) {
        Ok(png) => {
            msg = msg.with_file(File {
                name: CHART.into(),
                bytes: png,
                description: Some(truncate(
                    &render::fill("chart.weeks", lang, &[]),
                    1024,
                    note,
                )),
            });
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not draw the chart");
            if let Some(e) = msg.embeds.first_mut() {
                e.image = None;
            }
        }
    }
    Response::Message(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_number_of_days_thirty_by_default() {
        assert_eq!(days(Some("7d")), 7);
        assert_eq!(days(Some("365d")), 365);
        assert_eq!(days(None), 30);
        assert_eq!(days(Some("forever")), 30);
        assert_eq!(days(Some("0d")), 30);
    }
}
