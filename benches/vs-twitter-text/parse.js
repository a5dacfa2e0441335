#!/usr/bin/env node
// The baseline of the whole-process comparison: the official twitter-text (tests/oracle's pinned
// copy) counting only the length of each line (`parseTweet`), in one Node process.
// stdin: one JSON string per line. stdout: one weighted length per line.
'use strict';

const path = require('path');
const readline = require('readline');
const twttr = require(path.join(__dirname, '../../tests/oracle/node_modules/twitter-text'));

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
rl.on('line', (line) => {
  if (line === '') return;
  out.push(String(twttr.parseTweet(JSON.parse(line)).weightedLength));
});
rl.on('close', () => process.stdout.write(out.join('\n') + '\n'));
