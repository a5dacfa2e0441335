#!/usr/bin/env python3
"""Inputs for the whole-process comparison, written to the folder given (never committed):
corpus.jsonl, the real corpus repeated to 30,000 lines, and hard.jsonl, 30,000 random hard
strings (long emoji sequences, many URLs, mixed scripts, control and zero-width characters),
from a fixed seed so every run reviews the same text."""
import json, random, sys, pathlib

out = pathlib.Path(sys.argv[1])
corpus = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else pathlib.Path(__file__).parents[3] / "shared/corpus/tweets.jsonl"
N = 30_000

tweets = [json.loads(l)["text"] for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
    for i in range(N):
        f.write(json.dumps(tweets[i % len(tweets)], ensure_ascii=False) + "\n")

rng = random.Random(10)
emoji = ["👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇫🇷", "🇨🇦", "❤️", "🧑‍💻", "🎉", "1️⃣", "©️"]
scripts = ["日本語のテキスト", "한국어", "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "ไทย", "café crème", "Œuvre"]
pieces = ["https://example.com/a?b=c#d", "www.example.org", "t.co/abc", "http://xn--caf-dma.fr/x",
          "@someone", "#hashtag", "$CASH", "\u200b", "\u202e", "\t", "e\u0301", "!!", "???", "«", "»", "^SG"]
with open(out / "hard.jsonl", "w", encoding="utf-8") as f:
    for _ in range(N):
        parts = []
        for _ in range(rng.randint(1, 40)):
            k = rng.random()
            if k < 0.3:
                parts.append("".join(rng.choice(emoji) for _ in range(rng.randint(1, 12))))
            elif k < 0.55:
                parts.append(rng.choice(scripts))
            elif k < 0.8:
                parts.append(rng.choice(pieces))
            else:
                parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(1, 30))))
        f.write(json.dumps(" ".join(parts), ensure_ascii=False) + "\n")
