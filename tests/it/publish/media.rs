//! Images with alt text, from the store to each network: uploaded as the real APIs want them
//! (the fakes parse the multipart bodies and decode the images), named in the post, posted
//! once, and never posted twice after a crash or an unknown outcome (an upload may repeat:
//! an orphan, never a second post).

use std::sync::Arc;

use image::ImageFormat;
use serde_json::Value;
use tweetguard::media::{inspect, samples};
use tweetguard::review::Verdict;
use tweetguard::store::Store;
use tweetguard::workflow::media::ImageFile;
use tweetguard::workflow::{Event, ProposalId, Status};

use super::fakes::Fail;
use super::{approve, status, Net, Recorder, AUTHOR, GUILD};
use crate::common::{at, member, review, TestDb};

/// A PNG and a JPEG, with alt texts, staged in the store as the Discord adapter does.
async fn staged(store: &dyn Store) -> Vec<ImageFile> {
    let files = vec![
        inspect(
            samples::encoded(ImageFormat::Png, 64, 48, 1),
            Some("A red door half painted blue"),
        )
        .expect("png"),
        inspect(
            samples::encoded(ImageFormat::Jpeg, 40, 80, 2),
            Some("Two volunteers holding paint rollers"),
        )
        .expect("jpeg"),
    ];
    for f in &files {
        store.stage_image(f, at(0)).await.expect("staged");
    }
    files
}

/// A proposal with `files`, approved by two reviewers.
async fn approved_with(store: &dyn Store, text: &str, files: &[ImageFile]) -> ProposalId {
    let images: Vec<_> = files.iter().map(|f| f.image.clone()).collect();
    let id = store
        .submit_with_images(
            GUILD,
            &member(AUTHOR),
            text,
            None,
            &images,
            &review(Verdict::Ready),
            at(0),
        )
        .await
        .expect("submit")
        .proposal
        .id;
    for (i, reviewer) in [2, 3].into_iter().enumerate() {
        approve(store, id, reviewer, 1 + i as i64)
            .await
            .expect("approve");
    }
    id
}

/// What the post said about its images: (alt text, type) in order, as the network holds them.
fn posted_images(net: &Net, post: &Value) -> Vec<(String, String)> {
    let media = net.fake.media();
    let by_id = |id: &Value| {
        let m = media
            .get(id.as_str().expect("media id"))
            .expect("the post names an uploaded image");
        (m.alt.clone().unwrap_or_default(), m.mime.clone())
    };
    match net.publisher.network() {
        "x" => post
            .pointer("/media/media_ids")
            .and_then(Value::as_array)
            .expect("media ids")
            .iter()
            .map(by_id)
            .collect(),
        "mastodon" => post["media_ids"]
            .as_array()
            .expect("media_ids")
            .iter()
            .map(by_id)
            .collect(),
        "bluesky" => post
            .pointer("/embed/images")
            .and_then(Value::as_array)
            .expect("embed images")
            .iter()
            .map(|i| {
                let (_, mime) = by_id(i.pointer("/image/ref/$link").expect("blob"));
                (i["alt"].as_str().unwrap_or_default().to_owned(), mime)
            })
            .collect(),
        _ => post["attachments"]
            .as_array()
            .expect("attachments")
            .iter()
            .map(|a| {
                (
                    a["description"].as_str().unwrap_or_default().to_owned(),
                    a["content_type"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
    }
}

const EXPECTED: [(&str, &str); 2] = [
    ("A red door half painted blue", "image/png"),
    ("Two volunteers holding paint rollers", "image/jpeg"),
];

#[tokio::test]
async fn images_are_posted_once_with_their_alt_texts_on_every_network_and_both_stores() {
    for db in TestDb::sqlite_and_postgres().await {
        let mut nets = Net::all().await;
        nets.push(Net::webhook().await);
        for net in nets {
            let network = net.publisher.network();
            let store: Arc<dyn Store> = db.store.clone();
            let files = staged(&*store).await;
            let text = format!(
                "Paint day with {network} on {}! Who joins us? ^SG",
                db.name()
            );
            let id = approved_with(&*store, &text, &files).await;
            let w = net.worker(&store, Arc::new(Recorder::default()), "w1");
            assert_eq!(w.run_once(at(3)).await.expect("round"), 1, "{network}");
            assert_eq!(status(&*store, id).await, Status::Posted, "{network}");
            let posts: Vec<_> = net
                .fake
                .posts()
                .into_iter()
                .filter(|p| p.text.contains(&text) || p.text.contains("Paint day"))
                .collect();
            assert_eq!(posts.len(), 1, "{network}");
            let got = posted_images(&net, &posts[0].body);
            let want: Vec<(String, String)> = EXPECTED
                .iter()
                .map(|(a, m)| (a.to_string(), m.to_string()))
                .collect();
            assert_eq!(got, want, "{network} on {}", db.name());
            if network == "bluesky" {
                let ratio = posts[0]
                    .body
                    .pointer("/embed/images/0/aspectRatio")
                    .cloned();
                assert_eq!(ratio, Some(serde_json::json!({"width": 64, "height": 48})));
            }
            assert_eq!(net.fake.auth_failures(), 0, "{network}");
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn an_image_over_bluesky_limit_is_reencoded_before_upload() {
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    let big = inspect(
        samples::encoded(ImageFormat::Png, 1400, 1000, 11),
        Some("Crowd at the open day"),
    )
    .expect("big png");
    assert!(big.bytes.len() > 3_000_000);
    store.stage_image(&big, at(0)).await.expect("staged");
    let net = Net::bluesky().await;
    let text = "Thank you all for coming to the open day! ^SG";
    let id = approved_with(&*store, text, std::slice::from_ref(&big)).await;
    let w = net.worker(&store, Arc::new(Recorder::default()), "w1");
    w.run_once(at(3)).await.expect("round");
    assert_eq!(status(&*store, id).await, Status::Posted);
    assert_eq!(net.fake.count(text), 1);
    let media = net.fake.media();
    let blob = media.values().next().expect("one upload");
    assert!(blob.size <= 1_000_000, "{}", blob.size);
    assert_eq!(blob.mime, "image/jpeg");
    let post = &net.fake.posts()[0].body;
    assert_eq!(
        post.pointer("/embed/images/0/alt").and_then(Value::as_str),
        Some("Crowd at the open day")
    );
    // What the store keeps is still what was approved: the original bytes.
    let kept = store.images(id, 1).await.expect("images");
    assert_eq!(kept[0].bytes, big.bytes);
    db.finish().await;
}

#[tokio::test]
async fn a_crash_or_an_unknown_outcome_with_images_never_posts_twice_on_both_stores() {
    let modes = [Fail::After500, Fail::DropAfter, Fail::Before500];
    for db in TestDb::sqlite_and_postgres().await {
        for net in Net::all().await {
            let network = net.publisher.network();
            for mode in modes {
                let store: Arc<dyn Store> = db.store.clone();
                let files = staged(&*store).await;
                let text = format!(
                    "{mode:?} with images on {network}, {}: come along! ^SG",
                    db.name()
                );
                let id = approved_with(&*store, &text, &files).await;
                net.fake.fail_next(&[mode]);
                let w = net.worker(&store, Arc::default(), "w1");
                for minute in [3, 4, 5, 6, 10, 30] {
                    w.run_once(at(minute)).await.expect("round");
                }
                let end = status(&*store, id).await;
                let posts = net.fake.count(&text);
                let case = format!(
                    "{network} after {mode:?} on {}: {end:?}, {posts} posts",
                    db.name()
                );
                assert!(
                    (end == Status::Posted && posts == 1)
                        || (end == Status::NeedsReconcile && posts <= 1),
                    "{case}"
                );
                if end == Status::Posted {
                    let post = net
                        .fake
                        .posts()
                        .into_iter()
                        .find(|p| p.text == text)
                        .expect("the post");
                    assert_eq!(posted_images(&net, &post.body).len(), 2, "{case}");
                }
            }
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn images_are_kept_per_revision_and_an_edit_of_the_alt_text_is_a_new_approval() {
    for db in TestDb::sqlite_and_postgres().await {
        let store: Arc<dyn Store> = db.store.clone();
        let files = staged(&*store).await;
        let text = "Paint day on Saturday, who joins us? ^SG";
        let id = approved_with(&*store, text, &files[..1]).await;
        let p = store.proposal(id).await.expect("read").expect("exists");
        assert_eq!(
            p.current().images,
            vec![files[0].image.clone()],
            "{}",
            db.name()
        );
        let kept = store.images(id, 1).await.expect("images");
        assert_eq!(kept, files[..1].to_vec());

        // A second proposal: the edit changes only the alt text (the bytes come from revision 1).
        let id = store
            .submit_with_images(
                GUILD,
                &member(AUTHOR),
                text,
                None,
                &[files[1].image.clone()],
                &review(Verdict::Ready),
                at(10),
            )
            .await
            .expect("submit")
            .proposal
            .id;
        approve(&*store, id, 2, 11).await.expect("first approval");
        let mut image = files[1].image.clone();
        image.alt = Some("Two volunteers laughing, paint on their hands".into());
        let edit = Event::Edit {
            by: member(AUTHOR),
            text: text.into(),
            review: review(Verdict::Ready),
            conversation: None,
            images: vec![image.clone()],
        };
        let t = store.apply(GUILD, id, &edit, at(12)).await.expect("edit");
        assert_eq!(t.proposal.current().number, 2);
        assert_eq!(
            t.proposal.approvals().count(),
            0,
            "the alt text changed: approve again"
        );
        assert_ne!(t.proposal.revisions[0].hash, t.proposal.revisions[1].hash);
        let two = store.images(id, 2).await.expect("images");
        assert_eq!(two[0].bytes, files[1].bytes);
        assert_eq!(two[0].image.alt, image.alt);

        // An image whose bytes were never staged is refused, nothing stored.
        let mut unknown = files[0].image.clone();
        unknown.sha256 = "00".repeat(32);
        let err = store
            .submit_with_images(
                GUILD,
                &member(AUTHOR),
                "Another one ^SG",
                None,
                &[unknown],
                &review(Verdict::Ready),
                at(20),
            )
            .await;
        assert!(err.is_err(), "{}", db.name());
        db.finish().await;
    }
}

#[tokio::test]
async fn a_quote_with_images_is_a_record_with_media_on_bluesky() {
    use tweetguard::workflow::{parse_link, Conversation, Kind};
    let db = TestDb::sqlite().await;
    let store: Arc<dyn Store> = db.store.clone();
    let net = Net::bluesky().await;
    let post = super::conversations::seed(&net.fake, "bluesky");
    let link = parse_link(&post.url).expect("address");
    let target = net.publisher.fetch(&link).await.expect("read");
    let conversation = Conversation {
        kind: Kind::Quote,
        target,
    };
    let files = staged(&*store).await;
    let images: Vec<_> = files.iter().map(|f| f.image.clone()).collect();
    let text = "Look what Alice made with our paint! ^SG";
    let id = store
        .submit_with_images(
            GUILD,
            &member(AUTHOR),
            text,
            Some(&conversation),
            &images,
            &review(Verdict::Ready),
            at(0),
        )
        .await
        .expect("submit")
        .proposal
        .id;
    for (i, reviewer) in [2, 3].into_iter().enumerate() {
        approve(&*store, id, reviewer, 1 + i as i64)
            .await
            .expect("approve");
    }
    let w = net.worker(&store, Arc::new(Recorder::default()), "w1");
    w.run_once(at(3)).await.expect("round");
    assert_eq!(status(&*store, id).await, Status::Posted);
    let body = net
        .fake
        .posts()
        .into_iter()
        .find(|p| p.text == text)
        .expect("posted")
        .body;
    assert_eq!(body["embed"]["$type"], "app.bsky.embed.recordWithMedia");
    assert_eq!(body["embed"]["record"]["record"]["uri"], post.id.as_str());
    let alts: Vec<&str> = body["embed"]["media"]["images"]
        .as_array()
        .expect("images")
        .iter()
        .filter_map(|i| i["alt"].as_str())
        .collect();
    assert_eq!(alts, [EXPECTED[0].0, EXPECTED[1].0]);
    db.finish().await;
}
