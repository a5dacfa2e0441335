#!/usr/bin/env node
// Differential-test oracle: the official twitter-text (pinned in package.json) on each input.
// stdin: one JSON string per line. stdout: one JSON object per line, in order:
//   {"weightedLength": n, "valid": b, "permillage": n, "weightedLengthV2": n,
//    "urls": [[startByte, endByte], ...]}
// `urls` are `extractUrlsWithIndices(text)` (on the text as given), converted from UTF-16
// code-unit indices to UTF-8 byte offsets so Rust can compare them with `find_urls`.
// An input the library throws on gives {"error": message}.
'use strict';

const readline = require('readline');
const twttr = require('twitter-text');

const v2 = twttr.configs.version2;
const utf8Offset = (text, utf16Index) => Buffer.byteLength(text.slice(0, utf16Index), 'utf8');

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
rl.on('line', (line) => {
  if (line === '') return;
  const text = JSON.parse(line);
  try {
    const parsed = twttr.parseTweet(text);
    const urls = twttr
      .extractUrlsWithIndices(text)
      .map((u) => [utf8Offset(text, u.indices[0]), utf8Offset(text, u.indices[1])]);
    out.push(
      JSON.stringify({
        weightedLength: parsed.weightedLength,
        valid: parsed.valid,
        permillage: parsed.permillage,
        weightedLengthV2: twttr.parseTweet(text, v2).weightedLength,
        urls,
      })
    );
  } catch (e) {
    out.push(JSON.stringify({ error: String(e && e.message) }));
  }
});
rl.on('close', () => {
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
});
