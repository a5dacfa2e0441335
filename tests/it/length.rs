//! `review::length` against the official twitter-text: its conformance data (validate.yml),
//! and, when `tests/oracle` is installed, the library itself on thousands of random texts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use tweetguard::review::length::{
    find_urls, parse_tweet, weighted_length, weighted_length_with, Config,
};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// upstream's conformance data, from `../shared/` beside the crate (as CI clones it).
fn validate_yml() -> serde_yaml::Value {
    let path = manifest_dir().join("../shared/twitter-text/validate.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): clone the shared/ directory beside the crate",
            path.display()
        )
    });
    serde_yaml::from_str(&text).expect("validate.yml parses")
}

fn section<'a>(yml: &'a serde_yaml::Value, name: &str) -> &'a [serde_yaml::Value] {
    yml["tests"][name]
        .as_sequence()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("validate.yml has no section {name}"))
}

fn case_text(case: &serde_yaml::Value) -> &str {
    case["text"].as_str().expect("case has a text")
}

#[test]
fn validate_yml_weighted_length_sections() {
    let yml = validate_yml();
    let sections = [
        ("WeightedTweetsCounterTest", Config::v2(), 20),
        (
            "WeightedTweetsWithDiscountedEmojiCounterTest",
            Config::v3(),
            22,
        ),
        ("UnicodeDirectionalMarkerCounterTest", Config::v3(), 2),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, config, expected_cases) in sections {
        let cases = section(&yml, name);
        assert_eq!(cases.len(), expected_cases, "{name}: number of cases");
        for case in cases {
            let text = case_text(case);
            let expected = &case["expected"];
            let got = parse_tweet(text, &config);
            let want = (
                expected["weightedLength"].as_u64().map(|n| n as usize),
                expected["valid"].as_bool(),
                expected["permillage"].as_u64().map(|n| n as usize),
            );
            if (
                Some(got.weighted_length),
                Some(got.valid),
                Some(got.permillage),
            ) != want
            {
                failures.push(format!(
                    "{name} / {}: {text:?}: got {got:?}, want {want:?}",
                    case["description"].as_str().unwrap_or("?")
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 44);
}

#[test]
fn validate_yml_urls_without_protocol_are_found_whole() {
    let yml = validate_yml();
    let cases = section(&yml, "urls_without_protocol");
    assert!(!cases.is_empty());
    for case in cases {
        let text = case_text(case);
        assert_eq!(case["expected"].as_bool(), Some(true));
        assert_eq!(url_pairs(text), [(0, text.len())], "{text:?}");
        assert_eq!(weighted_length(text), 23, "{text:?}");
    }
}

/// The `urls` section is about `isValidUrl`, which is stricter and looser than extraction in
/// places; what extraction finds in each text is pinned here from twitter-text 3.1.0's own
/// `extractUrlsWithIndices` (UTF-16 indices converted to bytes).
#[test]
fn validate_yml_urls_section_matches_official_extraction() {
    let whole = |t: &str| vec![(0, t.len())];
    // (text, the URLs found as byte ranges; `None`: the whole text).
    type Pinned<'a> = (&'a str, Option<Vec<(usize, usize)>>);
    let official: &[Pinned] = &[
        ("http://example.com", None),
        (
            "https://example.com/path/to/resource?search=foo&lang=en",
            None,
        ),
        ("http://twitter.com/#!/twitter", None),
        ("HTTPS://www.ExaMPLE.COM/index.html", None),
        // Userinfo, IP addresses: valid URLs, but extraction does not see them.
        (
            "http://user:PASSW0RD@example.com:8080/login.php",
            Some(vec![]),
        ),
        (
            "http://sports.yahoo.com/nfl/news;_ylt=Aom0;ylu=XyZ?slug=ap-superbowlnotebook",
            None,
        ),
        ("http://192.168.0.1/index.html?src=asdf", Some(vec![])),
        (
            "http://[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:80/index.html",
            Some(vec![]),
        ),
        ("http://test_underscore.twitter.com", None),
        // A query cannot end with `+`.
        (
            "http://example.com?foo=$bar.;baz?BAZ&c=d-#top/?stories+",
            Some(vec![(0, 54)]),
        ),
        ("http://☃.net/", None),
        ("http://example.com/Русские_слова", None),
        (
            "https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-",
            None,
        ),
        ("ftp://www.example.com/", Some(vec![])),
        ("https://user:pass[word]@www.example.com/", Some(vec![])),
        (
            "http://domain-dash_2314352345_dfasd.foo-cow_4352.com",
            Some(vec![]),
        ),
        ("http://www.-domain4352.com/", Some(vec![])),
        ("http://www.domain4352-.com/", Some(vec![])),
        ("http://☃-.net/", Some(vec![])),
        ("http://%e2%98%83.net/", Some(vec![(14, 21)])),
        ("http://256.1.2.3/", Some(vec![])),
        (
            "http://en.wikipedia.org/wiki/\"#Punctuation",
            Some(vec![(0, 29)]),
        ),
        ("http://example.com/#anchor ", Some(vec![(0, 26)])),
        ("http://test.-twitter.com", Some(vec![])),
    ];
    let yml = validate_yml();
    for case in section(&yml, "urls") {
        let text = case_text(case);
        let Some((_, expected)) = official.iter().find(|(t, _)| *t == text) else {
            panic!("validate.yml `urls` case {text:?} is not pinned in this test");
        };
        let expected = expected.clone().unwrap_or_else(|| whole(text));
        assert_eq!(url_pairs(text), expected, "{text:?}");
    }
}

fn url_pairs(text: &str) -> Vec<(usize, usize)> {
    find_urls(text).iter().map(|r| (r.start, r.end)).collect()
}

#[test]
fn known_edge_cases() {
    // Found by the differential test or read in the JavaScript; values from twitter-text.
    assert_eq!(weighted_length("Hi http://test.co"), 26);
    assert_eq!(weighted_length("example.com:8080"), 28); // the port is not part of the URL
    assert_eq!(url_pairs("example.com:8080"), [(0, 11)]);
    assert_eq!(url_pairs("x.com?q=1"), [(0, 5)]);
    // An astral character splits into two code units in the JavaScript regex.
    assert_eq!(url_pairs("@a😀.x.com"), [(7, 12)]);
    assert_eq!(weighted_length("😀"), 2);
    assert_eq!(weighted_length_with("😀", &Config::v2()), 2);
    assert_eq!(weighted_length("e\u{301}"), 1); // NFC first
}

// ---------------------------------------------------------------------------------------
// Never panics, ranges on char boundaries.

fn check_invariants(text: &str) {
    let _ = weighted_length(text);
    let _ = weighted_length_with(text, &Config::v2());
    let parsed = parse_tweet(text, &Config::v3());
    assert!(parsed.weighted_length <= 23 * text.chars().count().max(1));
    let mut last_end = 0;
    for r in find_urls(text) {
        assert!(r.start < r.end && r.end <= text.len(), "{r:?} in {text:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(r.start >= last_end, "overlapping ranges in {text:?}");
        last_end = r.end;
    }
}

/// Pieces biased towards what is hard for the count (also used by the differential test).
const PIECES: &[&str] = &[
    // words and separators
    "hello",
    "world",
    "a",
    "x",
    "www",
    "http",
    "https",
    "com",
    "co",
    "t",
    "example",
    "foo_bar",
    "test-",
    "-x",
    "Example",
    "COM",
    "jp",
    "le",
    "tweet",
    "ça",
    "été",
    "naïve",
    "Œuvre",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    ".",
    ".",
    ",",
    "!",
    "?",
    ":",
    "/",
    "//",
    "://",
    "@",
    "#",
    "$",
    "-",
    "_",
    "(",
    ")",
    "[",
    "]",
    "'",
    "\"",
    "&",
    "=",
    "+",
    "%",
    "~",
    "|",
    ";",
    "*",
    "`",
    "…",
    "«",
    "»",
    "–",
    "—",
    "’",
    // URL fragments
    "http://",
    "https://",
    "HTTP://",
    "HtTpS://",
    "t.co/",
    "t.co",
    "T.CO/",
    "www.",
    ".com",
    ".co.jp",
    ".org",
    ".io",
    ".xyz",
    ".fr",
    ".рф",
    ".РФ",
    ".みんな",
    ".香港",
    ".pk",
    ".پاکستان",
    ".닷컴",
    ".嘉里",
    ".嘉里大酒店",
    ".ελ",
    ".ΕΛ",
    ".museum",
    ".example",
    ".local",
    ".Com",
    ".comcast",
    ".xn--p1ai",
    ".XN--P1AI",
    "xn--",
    "xn--80ak6aa92e",
    ":8080",
    ":",
    "/path",
    "/a(b)c",
    "/(x)",
    "/a_(b_(c))",
    "/@user/",
    "@user/",
    "?q=1&r=2",
    "?q=1+",
    "#frag",
    "/.",
    "/foo.",
    "?",
    "abc123XYZ",
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG",
    // mentions, hashtags, cashtags
    "@user",
    "@a",
    "＠b",
    "#tag",
    "＃tag",
    "$CASH",
    // emoji
    "😀",
    "👍",
    "👍🏽",
    "🏽",
    "👨‍👩‍👧‍👦",
    "👩‍❤️‍💋‍👩",
    "🏳️‍🌈",
    "🏴‍☠️",
    "🇫🇷",
    "🇺🇸",
    "🇦",
    "🇿🇿",
    "1️⃣",
    "1⃣",
    "#⃣",
    "*️⃣",
    "☺",
    "☺️",
    "☺︎",
    "♥",
    "❤️",
    "❤",
    "✌🏿",
    "✌️🏿",
    "🏋️‍♀️",
    "🏋🏻‍♂️",
    "⛹️‍♀️",
    "👁‍🗨",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "🧑‍🚀",
    "🫠",
    "👩🏾‍🚀",
    "👨‍⚕️",
    "🤷‍♀️",
    "\u{FE0F}",
    "\u{FE0E}",
    "\u{200D}",
    "©",
    "©️",
    "™",
    "™️",
    "®",
    "‼",
    "‼️",
    "\u{E50A}",
    "🦰",
    "🀄",
    "🅰",
    "🅰️",
    "\u{20E3}",
    // other scripts
    "日本語",
    "の",
    "한국어",
    "中文",
    "ไทย",
    "हिन्दी",
    "مرحبا",
    "שלום",
    "пример",
    "ПРИМЕР",
    "ελληνικά",
    "𝐀𝐁",
    "𝟘",
    "\u{10FFFF}",
    "\u{E0001}",
    "\u{E0067}",
    // combining marks and NFC
    "\u{301}",
    "\u{308}",
    "\u{327}",
    "e\u{301}",
    "A\u{30A}",
    "\u{1100}\u{1161}",
    "\u{1100}",
    "\u{1161}\u{11A8}",
    "\u{212B}",
    "\u{2126}",
    "\u{212A}",
    "\u{F900}",
    "\u{344}",
    "\u{FB01}",
    "\u{FB1D}",
    "ſ",
    "ı",
    "ẞ",
    "ß",
    "\u{1C80}",
    "ǅ",
    "Ⱥ",
    "ⱥ",
    // directional marks, spaces, invalid and odd characters
    "\u{200E}",
    "\u{200F}",
    "\u{202A}",
    "\u{202B}",
    "\u{202C}",
    "\u{202D}",
    "\u{202E}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{61C}",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{0}",
    "\u{7F}",
    "\u{85}",
    "\u{A0}",
    "\u{3000}",
    "\u{2028}",
    "\u{3002}",
    "\u{FF0E}",
    "\u{FF61}",
    "\u{180E}",
    "\u{200B}",
    // weight range edges
    "\u{10FF}",
    "\u{1100}",
    "\u{2000}",
    "\u{200D}",
    "\u{2010}",
    "\u{201F}",
    "\u{2020}",
    "\u{2032}",
    "\u{2037}",
    "\u{2038}",
];

const TLDS: &[&str] = &[
    "com",
    "co",
    "jp",
    "fr",
    "io",
    "org",
    "net",
    "museum",
    "xyz",
    "рф",
    "みんな",
    "香港",
    "pk",
    "پاکستان",
    "ελ",
    "COM",
    "Fr",
    "zz",
    "comm",
    "c",
    "xn--p1ai",
    "onion",
    "a",
    "ac",
    "中国",
    "sh",
    "ly",
    "gle",
    "app",
    "嘉里",
    "닷컴",
];

const LABELS: &[&str] = &[
    "example",
    "a",
    "t",
    "www",
    "foo-bar",
    "foo_bar",
    "-x",
    "x-",
    "123",
    "bücher",
    "пример",
    "☃",
    "😀",
    "é",
    "xn--abc",
    "XN--80AK6AA92E",
    "sub",
    "ab\u{3002}cd",
    "\u{FEFF}",
    "日本",
    "a\u{301}",
    "ǅ",
    "\u{1C80}",
];

/// A small deterministic PRNG (SplitMix64), so failures reproduce without extra crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A random URL-ish thing: optional scheme, labels, TLD, port, path, query.
fn random_url(rng: &mut Rng) -> String {
    let mut s = String::new();
    match rng.below(4) {
        0 => s.push_str("http://"),
        1 => s.push_str("https://"),
        _ => {}
    }
    for _ in 0..1 + rng.below(3) {
        s.push_str(rng.pick(LABELS));
        s.push('.');
    }
    s.push_str(rng.pick(TLDS));
    if rng.below(6) == 0 {
        s.push_str(":8080");
    }
    if rng.below(2) == 0 {
        for _ in 0..rng.below(4) {
            s.push_str(rng.pick(&["/", "/a", "/b_c", "/(x)", "/é", "/д", ".", "-", "@u", "!"]));
        }
    }
    if rng.below(3) == 0 {
        s.push_str(rng.pick(&["?q=1", "?a=b&c=d", "?x+", "?", "#top", "?q=é"]));
    }
    s
}

/// A random character from blocks that are hard for the count (no recently assigned ones,
/// where the Rust and Node Unicode versions could disagree on NFC).
fn random_char(rng: &mut Rng) -> char {
    let blocks: &[(u32, u32)] = &[
        (0x20, 0x7E),
        (0x00, 0x1F),
        (0xA0, 0x24F),
        (0x300, 0x36F),
        (0x370, 0x3FF),
        (0x400, 0x4FF),
        (0x590, 0x6FF),
        (0x1100, 0x11FF),
        (0x1E00, 0x1EFF),
        (0x2000, 0x206F),
        (0x2100, 0x27BF),
        (0x3000, 0x30FF),
        (0x4E00, 0x4E80),
        (0xAC00, 0xAC80),
        (0xFE00, 0xFE0F),
        (0xFF00, 0xFFEF),
        (0x1F1E6, 0x1F1FF),
        (0x1F300, 0x1F64F),
        (0x1F3FB, 0x1F3FF),
        (0x1F900, 0x1F9FF),
    ];
    let (lo, hi) = blocks[rng.below(blocks.len())];
    let c = lo + rng.below((hi - lo + 1) as usize) as u32;
    char::from_u32(c).unwrap_or('?')
}

/// Tokens for dense, structure-heavy texts: they stress the emulation of the URL regex's
/// backtracking (labels, dots, TLD boundaries, paths, parentheses, queries).
const DENSE: &[&str] = &[
    "a",
    "b",
    "x",
    "é",
    "ᲀ",
    "☃",
    "😀",
    "0",
    "9",
    ".",
    ".",
    ".",
    "-",
    "_",
    "/",
    "//",
    "(",
    ")",
    "?",
    "=",
    "&",
    "#",
    "+",
    "@",
    ":",
    "!",
    "'",
    " ",
    "co",
    "com",
    "jp",
    "fr",
    "рф",
    "みんな",
    "xn--",
    "http://",
    "https://",
    "t.co/",
    "www.",
    "\u{FE0F}",
    "\u{200E}",
    "\u{3002}",
    "~",
    "|",
    ",",
    ";",
    "$",
    "%",
    "[",
    "]",
    "\"",
];

fn random_text(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.below(4) == 0 {
        for _ in 0..1 + rng.below(40) {
            s.push_str(rng.pick(DENSE));
        }
        return s;
    }
    let pieces = match rng.below(20) {
        0 => 60 + rng.below(200), // long: over the limit, over the stack buffer
        _ => 1 + rng.below(12),
    };
    for _ in 0..pieces {
        match rng.below(10) {
            0..=4 => s.push_str(rng.pick(PIECES)),
            5 | 6 => s.push_str(&random_url(rng)),
            7 => s.push(random_char(rng)),
            8 => s.push(' '),
            _ => {
                let emoji = rng.pick(&["😀", "👍🏽", "🇫🇷", "1️⃣", "☺️", "❤", "\u{FE0F}"]);
                s.push_str(emoji);
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn never_panics_on_arbitrary_strings(text in any::<String>()) {
        check_invariants(&text);
    }

    #[test]
    fn never_panics_on_hard_pieces(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
        check_invariants(&pieces.concat());
    }

    #[test]
    fn never_panics_on_random_urls(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        check_invariants(&random_text(&mut rng));
    }
}

#[test]
fn big_inputs_are_fine() {
    let inputs = [
        "a.".repeat(50_000),
        "é".repeat(50_000) + ".com",
        "é.".repeat(50_000),
        "x".repeat(100_000) + ".com",
        "http://x.com/".to_string() + &"(a)".repeat(30_000),
        "http://x.com/?".to_string() + &"a!".repeat(50_000),
        "😀".repeat(25_000),
        "e\u{301}".repeat(30_000),
        "example.com ".repeat(8_000),
        "a-".repeat(50_000) + ".com",
        "a_".repeat(50_000) + "a.b.com",
    ];
    for text in &inputs {
        let start = std::time::Instant::now();
        check_invariants(text);
        assert!(
            start.elapsed().as_secs() < 10,
            "too slow on a {}-byte input",
            text.len()
        );
    }
    let mut rng = Rng(7);
    let mut big = String::new();
    while big.len() < 100_000 {
        big.push_str(&random_text(&mut rng));
    }
    check_invariants(&big);
}

// ---------------------------------------------------------------------------------------
// Differential test against the official library.

/// Texts the differential test always includes: each once disagreed, or is a corner of the
/// JavaScript worth pinning.
const HARD_CASES: &[&str] = &[
    "@a😀.x.com",
    "a.com.☃.net/x and more",
    "see a.coq☃a.co/path here",
    "x.com:8080/path?q=1",
    "example.com?q=1",
    "é.é.example.com/é",
    "http://t.co/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "https://t.co/abc?x=1&y=2+ more",
    "http://xn--80ak6aa92e.com",
    "xn--80ak6aa92e.com",
    "xn--☃.com",
    "Ⅻ.com ſ.com K.com",
    "a.ΕΛ and b.ελ and c.ᲀ",
    "test.嘉里大酒店 test.嘉里",
    "\u{2066}\u{202A}http://foobar.پاکستان/\u{202C}\u{2069}",
    "ABC\u{202A}\u{FFFF}ABC\u{FFFE}",
    "1️⃣2️⃣3️⃣ #️⃣ *⃣ ☺︎ ☺️ ☺",
    "🏋️‍♀️🏋🏻‍♂️⛹️‍♀️ 👁‍🗨 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🇫🇷🇦",
    "e\u{301}xample.com",
    "\u{212B}.com",
    "x a.com/co|(co)\"x and a.com/co(co) x",
    "]x|。t.co/co|(co)\"x!,//éxcoco😀xn--😀é0=#",
    "t.co/é@http://https://xрф!(x:)\u{fe0f}[\u{200e}com。b ",
    "http://example.com/path_(x)_(y)/(z)a.(b) https://en.wikipedia.org/wiki/Primer_(film)",
    "http://example.com/a(b(c)d)e/(f(g))!",
];

#[derive(serde::Deserialize, Debug)]
struct OracleAnswer {
    #[serde(rename = "weightedLength")]
    weighted_length: Option<usize>,
    valid: Option<bool>,
    permillage: Option<usize>,
    #[serde(rename = "weightedLengthV2")]
    weighted_length_v2: Option<usize>,
    urls: Option<Vec<(usize, usize)>>,
    error: Option<String>,
}

fn run_oracle(dir: &Path, texts: &[String]) -> Vec<OracleAnswer> {
    let mut child = Command::new("node")
        .arg("length.js")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run node (is Node.js installed?)");
    let mut stdin = child.stdin.take().expect("child stdin");
    let input: String = texts
        .iter()
        .map(|t| serde_json::to_string(t).expect("JSON string") + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("node output");
    writer
        .join()
        .expect("writer thread")
        .expect("write to node");
    assert!(
        output.status.success(),
        "node tests/oracle/length.js failed"
    );
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 from node");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("oracle JSON line"))
        .collect()
}

#[test]
fn differential_against_official_twitter_text() {
    let dir = manifest_dir().join("tests/oracle");
    if !dir.join("node_modules/twitter-text").is_dir() {
        let msg = "tests/oracle/node_modules is missing: run `npm ci --prefix tests/oracle`";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("note: skipping the differential test of review::length: {msg}");
        return;
    }
    let count: usize = std::env::var("LENGTH_ORACLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let seed: u64 = std::env::var("LENGTH_ORACLE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x7477_6565_7467_7561);
    let mut rng = Rng(seed);
    let mut texts: Vec<String> = HARD_CASES.iter().map(|s| s.to_string()).collect();
    while texts.len() < HARD_CASES.len() + count {
        texts.push(random_text(&mut rng));
    }
    let answers = run_oracle(&dir, &texts);
    assert_eq!(answers.len(), texts.len(), "one oracle answer per text");

    let mut disagreements = Vec::new();
    let mut compared = 0;
    let (mut with_urls, mut with_emoji) = (0, 0);
    for (text, answer) in texts.iter().zip(&answers) {
        if let Some(error) = &answer.error {
            disagreements.push(format!("{text:?}: the official library threw: {error}"));
            continue;
        }
        compared += 1;
        with_urls += usize::from(answer.urls.as_ref().is_some_and(|u| !u.is_empty()));
        with_emoji += usize::from(answer.weighted_length != answer.weighted_length_v2);
        let got = parse_tweet(text, &Config::v3());
        let got_v2 = weighted_length_with(text, &Config::v2());
        let got_urls = url_pairs(text);
        let mine = (
            Some(got.weighted_length),
            Some(got.valid),
            Some(got.permillage),
            Some(got_v2),
            Some(got_urls),
        );
        let theirs = (
            answer.weighted_length,
            answer.valid,
            answer.permillage,
            answer.weighted_length_v2,
            answer.urls.clone(),
        );
        if mine != theirs {
            disagreements.push(format!(
                "{text:?}\n    rust:     {mine:?}\n    official: {theirs:?}"
            ));
        }
    }
    eprintln!(
        "review::length differential: {compared} texts compared with twitter-text 3.1.0 \
         ({with_urls} with URLs, {with_emoji} where emoji change the count), {} disagreements",
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} texts disagree with twitter-text 3.1.0; first ones:\n{}",
        disagreements.len(),
        texts.len(),
        disagreements
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
