//! `tweetguard serve` with `--events-webhook-url` and `--events-webhook-secret`: a `/submit`
//! through the real serenity client reaches the team's receiver as a signed
//! `proposal.submitted`, delivered by the deliverer `serve` runs, which stops with it.

use std::time::Duration;

use super::e2e::Bot;
use super::fixtures::{self, Member};
use crate::events::{Receiver, SECRET};

#[tokio::test]
async fn serve_delivers_a_submission_to_the_events_webhook() {
    let receiver = Receiver::start().await;
    let url = receiver.url();
    let bot = Bot::start(&[
        "--events-webhook-url",
        &url,
        "--events-webhook-secret",
        SECRET,
    ])
    .await;
    let author = Member::new(1, "en-US");
    let text = "Our spring menu is out: which dish should we add next? ^AB";
    bot.ask(fixtures::submit(801, &author, text)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let got = loop {
        if let Some(r) = receiver
            .received()
            .into_iter()
            .find(|r| r.name == "proposal.submitted")
        {
            break r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no event within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The receiver only records requests whose signature it checked with the secret.
    assert!(got.id.starts_with("evt_"));
    assert_eq!(got.body["proposal"]["text"], text);
    assert_eq!(got.body["proposal"]["status"], "pending");
    assert_eq!(got.body["actor"], "1");
    assert_eq!(got.body["server"], fixtures::GUILD_ID.to_string());
    bot.stop().await;
}
