#!/usr/bin/env bash
# The review against the official twitter-text, whole process: `tweetguard review --format
# jsonl` (every guideline, spelling on) on 30,000 lines against one Node process that only
# counts the length of the same lines with `parseTweet`. Needs hyperfine, node, and
# `npm ci --prefix tests/oracle`.
#
# This machine's speed drifts by 10-25% over a minute, so one block of runs of each side gives a
# ratio that drifts with it. The two sides are measured in ROUNDS rounds instead (RUNS runs of
# each, back to back, per round): each round's ratio compares the two under the same load, and
# the median of the rounds is the figure. Prints every round's ratio, then the median.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin tweetguard
bin="${CARGO_TARGET_DIR:-target}/release/tweetguard"
python3 benches/vs-twitter-text/inputs.py "$work"
for set in corpus hard; do
  for round in $(seq 1 "${ROUNDS:-5}"); do
    hyperfine --warmup 1 --runs "${RUNS:-3}" --style none --export-json "$work/$set.$round.json" \
      -n "tweetguard review ($set)" "$bin review --format jsonl < $work/$set.jsonl > /dev/null; true" \
      -n "twitter-text parseTweet ($set)" "node benches/vs-twitter-text/parse.js < $work/$set.jsonl > /dev/null" \
      >/dev/null
  done
  python3 - "$work" "$set" "${ROUNDS:-5}" <<'EOF'
import json, statistics, sys
work, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
ours, theirs, ratios = [], [], []
for r in range(1, rounds + 1):
    a, b = json.load(open(f"{work}/{name}.{r}.json"))["results"]
    ours.append(a["median"]); theirs.append(b["median"]); ratios.append(b["median"] / a["median"])
print(f"{name}: tweetguard {statistics.median(ours)*1000:.0f} ms, "
      f"twitter-text {statistics.median(theirs)*1000:.0f} ms (medians of {rounds} rounds)")
print(f"{name}: twitter-text / tweetguard per round: " + ", ".join(f"{x:.1f}x" for x in ratios))
print(f"{name}: twitter-text / tweetguard = {statistics.median(ratios):.1f}x (median), "
      f"lowest {min(ratios):.1f}x")
EOF
done
hyperfine --warmup 3 --runs 20 -n "cold review" "$bin review 'On a hâte de vous voir samedi ! ^SG' > /dev/null; true"
