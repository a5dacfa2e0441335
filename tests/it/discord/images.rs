//! Images from Discord, through the real serenity client and the strict fake Discord: the
//! attachments are downloaded, a form asks for the missing alt texts (prefilled with those
//! given), the card shows and uploads the images with their alt texts (escaped) in the
//! server's language, a file that is no image is refused with nothing stored, and once
//! approved the images go out once with their alt texts.

use std::time::Duration;

use image::ImageFormat;
use serde_json::{json, Value};
use tweetguard::media::samples;
use tweetguard::workflow::Status;

use super::e2e::Bot;
use super::fake::Request;
use super::fixtures::{self, Member, APP_ID};
use crate::publish::fakes::Fake;

const REVIEW_CHANNEL: u64 = 930_000_000_000_000_041;
const REVIEWER: u64 = 41;
const WAIT: Duration = Duration::from_secs(15);

async fn start(bluesky: &Fake) -> Bot {
    Bot::posting_to_bluesky(bluesky, REVIEW_CHANNEL, REVIEWER).await
}

/// An attachment as Discord resolves it, its bytes hosted on the fake CDN.
fn attachment(bot: &Bot, id: u64, name: &str, bytes: Vec<u8>, content_type: &str) -> Value {
    let size = bytes.len();
    let url = bot.fake.host(name, bytes);
    json!({"id": id.to_string(), "filename": name, "size": size, "url": url,
           "proxy_url": url, "content_type": content_type})
}

/// `/submit` with `options`, and its resolved attachments.
fn submit_with(id: u64, who: &Member, options: Value, attachments: &[Value]) -> Value {
    let mut v = fixtures::slash(id, who, "submit", options);
    let resolved: serde_json::Map<String, Value> = attachments
        .iter()
        .map(|a| (a["id"].as_str().unwrap_or("0").to_owned(), a.clone()))
        .collect();
    v["data"]["resolved"] = json!({ "attachments": resolved });
    v
}

async fn posted_card(bot: &Bot) -> Request {
    bot.fake
        .next_request(
            |r| {
                r.method == "POST"
                    && r.path == format!("/api/v10/channels/{REVIEW_CHANNEL}/messages")
            },
            WAIT,
        )
        .await
        .expect("the card is posted")
}

/// The inputs of a modal answer: (custom_id, value or "").
fn inputs(r: &Request) -> Vec<(String, String)> {
    r.body["data"]["components"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let i = &row["components"][0];
            (
                i["custom_id"].as_str().unwrap_or("").to_owned(),
                i["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn images_from_submit_get_their_alt_texts_from_a_form_show_on_the_card_and_post_once() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    let author = Member::new(1, "fr");
    let png = samples::encoded(ImageFormat::Png, 60, 40, 1);
    let jpeg = samples::encoded(ImageFormat::Jpeg, 30, 50, 2);
    let a1 = attachment(&bot, 5101, "porte.png", png.clone(), "image/png");
    let a2 = attachment(&bot, 5102, "benevoles.jpg", jpeg.clone(), "image/jpeg");
    let text = "Journée peinture samedi : qui vient avec nous ? ^AB";
    let r = bot
        .ask(submit_with(
            4101,
            &author,
            json!([{"name": "text", "type": 3, "value": text},
                   {"name": "image1", "type": 11, "value": "5101"},
                   {"name": "alt1", "type": 3, "value": "Une porte *rouge* à moitié peinte"},
                   {"name": "image2", "type": 11, "value": "5102"}]),
            &[a1, a2],
        ))
        .await;
    assert_eq!(
        r.body["type"], 9,
        "a form asks for the alt text: {:#}",
        r.body
    );
    let custom_id = r.body["data"]["custom_id"]
        .as_str()
        .expect("custom id")
        .to_owned();
    assert_eq!(
        inputs(&r),
        [
            (
                "alt1".to_owned(),
                "Une porte *rouge* à moitié peinte".to_owned()
            ),
            ("alt2".to_owned(), String::new())
        ]
    );
    assert!(
        r.body.to_string().contains("Texte alternatif, image 2"),
        "{:#}",
        r.body
    );

    let done = bot
        .ask(fixtures::modal(
            4102,
            &author,
            &custom_id,
            &[
                ("alt1", "Une porte *rouge* à moitié peinte"),
                ("alt2", "Deux bénévoles tiennent des rouleaux"),
            ],
        ))
        .await;
    assert!(done.content().contains("n°1"), "{:#}", done.body);

    let card = posted_card(&bot).await;
    assert_eq!(card.files.len(), 2, "the images are uploaded with the card");
    assert_eq!(card.files[0].filename, "image1.png");
    assert_eq!(card.files[0].bytes, png);
    assert_eq!(card.files[1].content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        card.body["attachments"][1]["description"],
        "Deux bénévoles tiennent des rouleaux"
    );
    let fields = card.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains("Images"), "{fields}");
    assert!(fields.contains("60×40"), "{fields}");
    assert!(
        fields.contains(r"Une porte \\*rouge\\* à moitié peinte"),
        "the alt text is escaped: {fields}"
    );

    let p = bot.proposal(1).await;
    assert_eq!(p.current().images.len(), 2);
    assert!(!p
        .current()
        .review
        .findings
        .iter()
        .any(|f| f.rule == "media.alt-text"));

    bot.approve_twice(1, REVIEWER, 4103).await;
    bot.wait_posted().await;
    assert_eq!(bot.proposal(1).await.status, Status::Posted);
    let sent: Vec<_> = bluesky
        .posts()
        .into_iter()
        .filter(|p| p.text == text)
        .collect();
    assert_eq!(sent.len(), 1, "exactly once");
    let alts: Vec<&str> = sent[0].body["embed"]["images"]
        .as_array()
        .expect("images")
        .iter()
        .filter_map(|i| i["alt"].as_str())
        .collect();
    assert_eq!(
        alts,
        [
            "Une porte *rouge* à moitié peinte",
            "Deux bénévoles tiennent des rouleaux"
        ]
    );
}

#[tokio::test]
async fn a_message_becomes_a_proposal_with_its_images_and_an_english_card_says_what_is_missing() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    let author = Member::new(2, "en-US");
    let png = samples::encoded(ImageFormat::Png, 20, 20, 3);
    let url = bot.fake.host("IMG_2041.png", png.clone());
    let mut message = fixtures::message(8101, 2, "Our stand is ready for the fair! Come by? ^AB");
    message["attachments"] = json!([{"id": "5201", "filename": "IMG_2041.png",
        "size": png.len(), "url": url, "proxy_url": url, "content_type": "image/png"}]);
    let mut ask = fixtures::message_menu(4201, &author, "Propose as tweet", message);
    ask["guild_locale"] = json!("en-US");
    let r = bot.ask(ask).await;
    assert_eq!(r.body["type"], 9, "{:#}", r.body);
    let custom_id = r.body["data"]["custom_id"]
        .as_str()
        .expect("custom id")
        .to_owned();
    assert!(
        r.body.to_string().contains("Alt text, image 1"),
        "{:#}",
        r.body
    );
    // The member leaves it empty: the card says so, and the review blocks.
    let mut sent = fixtures::modal(4202, &author, &custom_id, &[("alt1", "")]);
    sent["guild_locale"] = json!("en-US");
    let done = bot.ask(sent).await;
    assert!(done.content().contains("#1"), "{:#}", done.body);
    let card = posted_card(&bot).await;
    assert_eq!(card.files.len(), 1);
    let fields = card.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains("no alt text"), "{fields}");
    assert!(
        fields.contains("has no alt text"),
        "the review says it: {fields}"
    );
    let p = bot.proposal(1).await;
    assert_eq!(
        p.current().text,
        "Our stand is ready for the fair! Come by? ^AB"
    );
    assert_eq!(
        p.current().images[0].sha256,
        tweetguard::workflow::media::sha256_hex(&png)
    );

    // The author's Edit form carries the alt text too: given now, it is a new revision
    // reviewers approve again, and the review no longer blocks.
    let edit = bot
        .ask(fixtures::button(
            4204,
            &author,
            "tg:edit:1:1",
            fixtures::message(7002, APP_ID, ""),
        ))
        .await;
    assert_eq!(edit.body["type"], 9, "{:#}", edit.body);
    assert!(
        inputs(&edit).iter().any(|(id, _)| id == "alt1"),
        "{:#}",
        edit.body
    );
    bot.ask(fixtures::modal(
        4205,
        &author,
        "tg:text:1:1",
        &[
            ("text", "Our stand is ready for the fair! Come by? ^AB"),
            ("alt1", "Our stand: a blue counter with free paint samples"),
        ],
    ))
    .await;
    let p = bot.proposal(1).await;
    assert_eq!(p.current().number, 2);
    assert_eq!(
        p.current().images[0].alt.as_deref(),
        Some("Our stand: a blue counter with free paint samples")
    );
    assert!(!p
        .current()
        .review
        .findings
        .iter()
        .any(|f| f.rule == "media.alt-text"));

    // A form sent twice (or after a restart) is refused plainly.
    let again = bot
        .ask(fixtures::modal(
            4203,
            &author,
            &custom_id,
            &[("alt1", "A stand")],
        ))
        .await;
    assert!(
        again.content().contains("no longer valid"),
        "{:#}",
        again.body
    );
}

#[tokio::test]
async fn a_file_that_is_no_image_is_refused_privately_and_nothing_is_stored() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    let author = Member::new(3, "en-US");
    let a = attachment(
        &bot,
        5301,
        "photo.png",
        b"%PDF-1.7 a document".to_vec(),
        "image/png",
    );
    let r = bot
        .ask(submit_with(
            4301,
            &author,
            json!([{"name": "text", "type": 3, "value": "Look at this ^AB"},
                   {"name": "image1", "type": 11, "value": "5301"},
                   {"name": "alt1", "type": 3, "value": "A chart of our sales"}]),
            &[a],
        ))
        .await;
    bot.refused_privately(
        &r,
        &[
            "photo.png",
            "not a PNG, JPEG, GIF or WebP",
            "Nothing was stored",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_attachment_at_an_address_that_is_not_discords_is_never_fetched() {
    let bluesky = Fake::bluesky().await;
    let bot = start(&bluesky).await;
    // A server that would answer: the bot must not even ask it.
    let elsewhere = Fake::webhook().await;
    let png = samples::encoded(ImageFormat::Png, 20, 20, 3);
    let mut a = attachment(&bot, 5401, "chart.png", png, "image/png");
    a["url"] = json!(format!("{}/internal/admin.png", elsewhere.url));
    let r = bot
        .ask(submit_with(
            4401,
            &Member::new(3, "fr"),
            json!([{"name": "text", "type": 3, "value": "Regardez ^AB"},
                   {"name": "image1", "type": 11, "value": "5401"},
                   {"name": "alt1", "type": 3, "value": "Un graphique des ventes"}]),
            &[a],
        ))
        .await;
    bot.refused_privately(
        &r,
        &[
            "chart.png",
            "adresses de Discord",
            "Rien n'a été enregistré",
        ],
    )
    .await;
}
