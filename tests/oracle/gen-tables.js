#!/usr/bin/env node
// Regenerates the data files of `src/review/length/data/` from the pinned official libraries
// (twitter-text 3.1.0 and its twemoji-parser 11.0.2), so the Rust port uses exactly their
// tables: TLD lists in their priority order, the URL character classes as V8 evaluates them
// (case-insensitive quirks included), the case folds the TLD match needs, and the emoji
// sequences the twemoji regex can match (checked here to be equivalent to longest-match).
//
//   npm ci --prefix tests/oracle && node tests/oracle/gen-tables.js
'use strict';

const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, 'node_modules', 'twitter-text', 'dist');
const rx = (name) => require(path.join(dist, 'regexp', name));
const out = path.join(__dirname, '..', '..', 'src', 'review', 'length', 'data');
fs.mkdirSync(out, { recursive: true });

const hex = (n) => n.toString(16).toUpperCase().padStart(4, '0');

// ---- TLDs, in the order the regex alternation tries them --------------------------------
function tldList(re) {
  const src = re.source;
  const head = '(?:(?:';
  const tail = ')(?=[^0-9a-zA-Z@+-]|$))';
  if (!src.startsWith(head) || !src.endsWith(tail)) throw new Error('unexpected TLD regex shape');
  return src.slice(head.length, src.length - tail.length).split('|');
}
const gtld = tldList(rx('validGTLD'));
const cctld = tldList(rx('validCCTLD'));
fs.writeFileSync(path.join(out, 'tld_generic.txt'), gtld.join('\n') + '\n');
fs.writeFileSync(path.join(out, 'tld_country.txt'), cctld.join('\n') + '\n');

// ---- Case folds: which code units a TLD character matches under the `i` flag -------------
const tldChars = new Set();
for (const t of gtld.concat(cctld)) for (const ch of t) tldChars.add(ch);
const folds = new Map();
for (const t of tldChars) {
  if (t.length !== 1) throw new Error('astral TLD character');
  if (t.charCodeAt(0) < 0x80) continue; // ASCII: handled by ASCII case folding in Rust
  const re = new RegExp('^' + t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$', 'i');
  for (let c = 0x80; c < 0x10000; c++) {
    const s = String.fromCharCode(c);
    if (s !== t && re.test(s)) {
      if (folds.has(c) && folds.get(c) !== t) throw new Error('ambiguous fold ' + hex(c));
      if (tldChars.has(s)) throw new Error('TLD char folds onto another TLD char ' + hex(c));
      folds.set(c, t);
    }
  }
}
for (let c = 0; c < 0x80; c++) {
  // ASCII letters fold only onto ASCII letters (no Kelvin sign, no long s) in non-unicode mode.
  const s = String.fromCharCode(c);
  for (const t of tldChars) {
    if (t.charCodeAt(0) >= 0x80 && new RegExp('^' + t + '$', 'i').test(s)) throw new Error('ASCII folds onto non-ASCII');
  }
}
const foldLines = [...folds.entries()].sort((a, b) => a[0] - b[0]).map(([c, t]) => `${hex(c)} ${hex(t.charCodeAt(0))}`);
fs.writeFileSync(path.join(out, 'tld_case_folds.txt'), foldLines.join('\n') + '\n');

// ---- Character classes, evaluated by V8 on every BMP code unit ---------------------------
const latin = rx('latinAccentChars').source;
const classes = [
  // name, regex (sticky), as used inside extractUrl (flags gi) or its helpers
  ['domain', new RegExp(rx('validDomainChars').source, 'iy')],
  ['preceding', new RegExp(rx('validUrlPrecedingChars').source, 'iy')],
  ['path', new RegExp(rx('validGeneralUrlPathChars').source, 'iy')],
  ['path_end', new RegExp(rx('validUrlPathEndingChars').source, 'iy')],
  ['query', new RegExp(rx('validUrlQueryChars').source, 'iy')],
  ['query_end', new RegExp(rx('validUrlQueryEndingChars').source, 'iy')],
  ['ascii_label', new RegExp('[\\-a-z0-9' + latin + ']', 'iy')],
  ['tld_follow', /[^0-9a-zA-Z@+-]/iy],
  ['punycode', /[\-0-9a-z]/iy],
  ['tco_slug', /[a-z0-9]/iy],
  ['invalid', new RegExp(rx('invalidChars').source, 'y')],
];
const classLines = [];
for (const [name, re] of classes) {
  const ranges = [];
  let start = -1;
  for (let c = 0; c <= 0x10000; c++) {
    let ok = false;
    if (c < 0x10000) {
      re.lastIndex = 0;
      const m = re.exec(String.fromCharCode(c));
      ok = !!m && m[0].length === 1;
    }
    if (ok && start < 0) start = c;
    if (!ok && start >= 0) {
      ranges.push(start === c - 1 ? hex(start) : `${hex(start)}-${hex(c - 1)}`);
      start = -1;
    }
  }
  classLines.push(`${name} ${ranges.join(' ')}`);
}
fs.writeFileSync(path.join(out, 'url_classes.txt'), classLines.join('\n') + '\n');

// ---- Emoji: expand the twemoji-parser regex into its (finite) language --------------------
const emojiRe = require(path.join(__dirname, 'node_modules', 'twemoji-parser', 'dist', 'lib', 'regex')).default;
function parseRegex(src) {
  let i = 0;
  const unit = () => {
    if (src[i] === '\\') {
      if (src[i + 1] !== 'u') throw new Error('escape at ' + i);
      const v = parseInt(src.slice(i + 2, i + 6), 16);
      i += 6;
      return v;
    }
    return src.charCodeAt(i++);
  };
  function alt() {
    const branches = [seq()];
    while (src[i] === '|') { i++; branches.push(seq()); }
    return { t: 'alt', branches };
  }
  function seq() {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      let atom;
      if (src.startsWith('(?:', i)) { i += 3; atom = alt(); i++; }
      else if (src.startsWith('(?!', i)) { i += 3; atom = { t: 'neg', inner: alt() }; i++; }
      else if (src[i] === '(') { i += 1; atom = alt(); i++; }
      else if (src[i] === '[') {
        i++;
        const units = [];
        while (src[i] !== ']') {
          const a = unit();
          if (src[i] === '-' && src[i + 1] !== ']') { i++; const b = unit(); for (let u = a; u <= b; u++) units.push(u); }
          else units.push(a);
        }
        i++;
        atom = { t: 'class', units };
      } else atom = { t: 'class', units: [unit()] };
      if (src[i] === '?') { i++; atom = { t: 'alt', branches: [{ t: 'seq', items: [atom] }, { t: 'seq', items: [] }] }; }
      items.push(atom);
    }
    return { t: 'seq', items };
  }
  const r = alt();
  if (i !== src.length) throw new Error('trailing regex at ' + i);
  return r;
}
// An expansion: { s: string, neg: bool } where neg = "only if not followed by U+FE0E".
function expand(node) {
  switch (node.t) {
    case 'class': return node.units.map((u) => ({ s: String.fromCharCode(u), neg: false }));
    case 'alt': return node.branches.flatMap(expand);
    case 'neg': {
      const inner = expand(node.inner);
      if (inner.length !== 1 || inner[0].s !== '\uFE0E') throw new Error('unsupported lookahead');
      return [{ s: '', neg: true }];
    }
    case 'seq': {
      let acc = [{ s: '', neg: false }];
      for (const item of node.items) {
        const next = [];
        for (const a of acc) for (const b of expand(item)) {
          if (a.neg && b.s.length > 0 && b.s[0] === '\uFE0E') continue;
          next.push({ s: a.s + b.s, neg: b.s.length > 0 ? b.neg : a.neg || b.neg });
        }
        acc = next;
      }
      return acc;
    }
    default: throw new Error('node ' + node.t);
  }
}
const lang = new Map(); // string -> neg (false wins)
for (const e of expand(parseRegex(emojiRe.source))) {
  if (!lang.has(e.s) || !e.neg) lang.set(e.s, lang.has(e.s) ? lang.get(e.s) && e.neg : e.neg);
}
// The Rust side takes the longest sequence of this set that matches; check that it is what the
// regex (leftmost-first alternation) takes, on every member with every interesting follower.
const longest = (text) => {
  let best = null;
  for (let len = Math.min(text.length, 64); len > 0; len--) {
    const s = text.slice(0, len);
    if (lang.has(s) && !(lang.get(s) && text[len] === '\uFE0E')) { best = s; break; }
  }
  return best;
};
const followers = ['', 'x', '\uFE0E', '\uFE0F', '\u200D', '\u20E3', '\uD83C\uDFFB', '\u2640'];
let checked = 0;
for (const s of lang.keys()) for (const f of followers) {
  const text = s + f;
  const re = new RegExp(emojiRe.source, 'y');
  const m = re.exec(text);
  const got = m ? m[0] : null;
  const want = longest(text);
  if (got !== want) throw new Error(`emoji model mismatch on ${JSON.stringify(text)}: regex ${JSON.stringify(got)} model ${JSON.stringify(want)}`);
  checked++;
}
const emojiLines = [...lang.entries()]
  .map(([s, neg]) => [...s].map((ch) => ch.codePointAt(0).toString(16).toUpperCase()).join(' ') + (neg ? ' !' : ''))
  .sort();
fs.writeFileSync(path.join(out, 'emoji_sequences.txt'), emojiLines.join('\n') + '\n');

console.error(`gTLD ${gtld.length}, ccTLD ${cctld.length}, folds ${folds.size}, emoji ${lang.size} (model checked on ${checked} texts)`);
