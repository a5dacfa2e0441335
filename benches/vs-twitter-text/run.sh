#!/usr/bin/env bash
# The review against the official twitter-text, whole process: `tweetguard review --format
# jsonl` (every guideline, spelling on) on 30,000 lines against one Node process that only
# counts the length of the same lines with `parseTweet`. Needs hyperfine, node, and
# `npm ci --prefix tests/oracle`. Prints hyperfine's table and the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin tweetguard
bin="${CARGO_TARGET_DIR:-target}/release/tweetguard"
python3 benches/vs-twitter-text/inputs.py "$work"
for set in corpus hard; do
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$work/$set.json" \
    -n "tweetguard review ($set)" "$bin review --format jsonl < $work/$set.jsonl > /dev/null; true" \
    -n "twitter-text parseTweet ($set)" "node benches/vs-twitter-text/parse.js < $work/$set.jsonl > /dev/null"
  python3 -c "
import json,sys
r=json.load(open('$work/$set.json'))['results']
print('$set: twitter-text / tweetguard = %.1fx' % (r[1]['median']/r[0]['median']))"
done
hyperfine --warmup 3 --runs 20 -n "cold review" "$bin review 'On a hâte de vous voir samedi ! ^SG' > /dev/null; true"
