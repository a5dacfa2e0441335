use tweetguard::review::{review, History, Settings};
fn main() {
    let corpus = include_str!("../benches/corpus/tweets.txt");
    let s = Settings::default();
    let h = History::default();
    for _ in 0..2000 {
        for t in corpus.lines() {
            std::hint::black_box(review(t, &s, &h));
        }
    }
}
