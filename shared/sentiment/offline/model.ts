/**
 * Offline English + Chinese sentiment: lexicon scoring with negation, degree words, contrast, emoji and emoticons,
 * mapped to Comprehend's four labels and scores.
 *
 * Both languages tokenise into one reusable token buffer (no per-call arrays), then one scoring pass applies the
 * rules. Chinese is segmented by forward maximum matching against the lexicon: `Intl.Segmenter` costs ~35 µs for a
 * 25-character review and splits sentiment words inconsistently (不太好|吃, 差|评), while matching against the lexicon
 * costs ~1 µs and finds exactly the words the model knows. `segmentChinese` (Intl.Segmenter) is kept for key phrases.
 */
import type { SentimentLabel, SentimentScore } from '../../domain/types.js';
import { type EnglishLexicon, type EnglishWord, englishLexicon } from './lexicon-en.js';
import { chineseLexicon } from './lexicon-zh.js';

export interface OfflineSentiment {
  label: SentimentLabel;
  score: SentimentScore;
}

/** Evidence before it is turned into scores: summed positive and negative weight. */
export interface SentimentEvidence {
  positive: number;
  negative: number;
}

const KIND_WORD = 0;
const KIND_BREAK = 1;
const FLAG_NEGATOR = 1;
const FLAG_SOFT_NEGATOR = 2;
const FLAG_CONTRAST = 4;
const FLAG_CONCESSIVE = 8;
const FLAG_BOOSTER = 16;
const FLAG_FUNCTION = 32;
const FLAG_CAPS = 64;
const FLAG_SUMMARY = 128;
const FLAG_CAVEAT = 256;
/** Break strength stored in `val` of a break token. */
const BREAK_CLAUSE = 1;
const BREAK_SENTENCE = 2;
const BREAK_QUESTION = 3;
/** Questions ("can you help with my booking?") carry less sentiment than statements. */
const QUESTION_WEIGHT = 0.5;

const NEGATION_SCALE = -0.74;
const SOFT_NEGATION_SCALE = -0.5;
const CAPS_INCR = 0.733;
const EXCLAIM_INCR = 0.292;
const NEGATION_SCOPE = 3;
const CAVEAT_WEIGHT = 0.6;
const SUMMARY_WEIGHT = 2;
/**
 * Negativity bias for English: reviewers state complaints more mildly than praise ("not what I expected"), so
 * negative evidence counts more. Chinese complaint words are blunt (差, 慢, 难吃) and need no bias.
 */
const NEGATIVE_WEIGHT_EN = 1.2;
let negativeWeight = 1;

function grown<T extends Uint8Array | Uint16Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Reusable token buffer: parallel typed arrays so a call allocates nothing that grows with the text. */
class TokenBuffer {
  n = 0;
  kind = new Uint8Array(256);
  flags = new Uint16Array(256);
  val = new Float64Array(256);
  boostAdd = new Float64Array(256);
  boostMul = new Float64Array(256);
  excess = new Float64Array(256);
  /** Valence when negated, NaN for a scaled flip (see `NEGATED` in the lexicon). */
  negVal = new Float64Array(256);

  reset(): void {
    this.n = 0;
  }

  push(kind: number, flags: number, val: number, boostAdd = 0, boostMul = 1, excess = 0, negVal = Number.NaN): void {
    if (this.n === this.kind.length) this.grow();
    const i = this.n++;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.val[i] = val;
    this.boostAdd[i] = boostAdd;
    this.boostMul[i] = boostMul;
    this.excess[i] = excess;
    this.negVal[i] = negVal;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    this.kind = grown(this.kind, new Uint8Array(size));
    this.flags = grown(this.flags, new Uint16Array(size));
    this.val = grown(this.val, new Float64Array(size));
    this.boostAdd = grown(this.boostAdd, new Float64Array(size));
    this.boostMul = grown(this.boostMul, new Float64Array(size));
    this.excess = grown(this.excess, new Float64Array(size));
    this.negVal = grown(this.negVal, new Float64Array(size));
  }
}

const tokens = new TokenBuffer();
/** Contributions (token index, value) of the current text, for the contrast weighting at the end. */
let contribAt = new Int32Array(128);
let contribVal = new Float64Array(128);
let exclamations = 0;

const ZH_FUNCTION_CHARS = new Set(
  [...'的了是在也都就还又吧啊呢嘛哦我你他她它这那个一有和与及把被给让'].map((ch) => ch.charCodeAt(0)),
);

const EMOTICON_START = new Set([...':;=<>^']);

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLatinLetter(c: number): boolean {
  return isAsciiWordChar(c) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000;
}

const LIKE_SUBJECTS = new Set(
  'i we you they he she really also definitely do does did dont didnt doesnt still actually totally just kids everyone people would wed youd id to'.split(
    ' ',
  ),
);

const ELONGATED = /([a-z])\1\1/;
const SQUEEZE = /([a-z])\1+/g;

let prevWord = '';
let prevWordToken = -1;
/** Whether `prevWord` starts a bigram (found with its entry, so a pair costs no extra lookup). */
let prevBigramStart = false;

/** What one lookup of a lower-cased word tells the tokenizer: its lexicon entry and whether it opens a bigram. */
interface WordInfo {
  e: EnglishWord | undefined;
  bigramStart: boolean;
}

let wordInfos: Map<string, WordInfo> | undefined;

function wordInfoMap(lex: EnglishLexicon): Map<string, WordInfo> {
  if (wordInfos !== undefined) return wordInfos;
  const m = new Map<string, WordInfo>();
  for (const [w, e] of lex.words) m.set(w, { e, bigramStart: false });
  for (const w of lex.bigramStarts) {
    const info = m.get(w);
    if (info === undefined) m.set(w, { e: undefined, bigramStart: true });
    else info.bigramStart = true;
  }
  wordInfos = m;
  return m;
}

/**
 * Every word whose identity the tokenizer can use, in an open-addressing table keyed by a hash of its character
 * codes: lexicon words and bigram first words (with their {@link WordInfo}), bigram second words and the subjects of
 * "like" (without). A word of the text is hashed while it is scanned, lower-cased code by code, so a lookup neither
 * slices nor lower-cases; a word not in the table needs no string at all (no rule reads an unknown word).
 */
interface WordTable {
  mask: number;
  hashes: Int32Array;
  /** Slot → key + 1 index into `keys`, 0 when empty. */
  slots: Int32Array;
  keys: string[];
  infos: (WordInfo | undefined)[];
}

let wordTable: WordTable | undefined;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

function buildWordTable(lex: EnglishLexicon): WordTable {
  const infos = wordInfoMap(lex);
  const all = new Set<string>(infos.keys());
  for (const key of lex.bigrams.keys()) all.add(key.slice(key.indexOf(' ') + 1));
  for (const w of LIKE_SUBJECTS) all.add(w);
  all.add('like');
  let size = 1024;
  while (size < all.size * 4) size *= 2;
  const t: WordTable = {
    mask: size - 1,
    hashes: new Int32Array(size),
    slots: new Int32Array(size),
    keys: [],
    infos: [],
  };
  for (const w of all) {
    if (w === '') continue;
    const h = wordHash(w);
    let slot = h & t.mask;
    while ((t.slots[slot] ?? 0) !== 0) slot = (slot + 1) & t.mask;
    t.keys.push(w);
    t.infos.push(infos.get(w));
    t.hashes[slot] = h;
    t.slots[slot] = t.keys.length;
  }
  return t;
}

/**
 * Index into `keys` of the word `text[start, end)` lower-cased (ASCII) with apostrophes (' and ’) left out, whose
 * hash and length (without apostrophes) are given; -1 when it is not in the table.
 */
function findWord(t: WordTable, text: string, start: number, end: number, h: number, n: number): number {
  let slot = h & t.mask;
  for (;;) {
    const k = t.slots[slot] ?? 0;
    if (k === 0) return -1;
    if (t.hashes[slot] === h) {
      const key = t.keys[k - 1] ?? '';
      if (key.length === n) {
        let j = 0;
        for (let i = start; i < end; i++) {
          let c = text.charCodeAt(i);
          if (c === 39 || c === 0x2019) continue;
          if (c >= 65 && c <= 90) c += 32;
          if (c !== key.charCodeAt(j)) break;
          j++;
        }
        if (j === n) return k - 1;
      }
    }
    slot = (slot + 1) & t.mask;
  }
}

/** Pushes an English word (already lower-cased, apostrophes removed): one map lookup. */
function pushEnglishWord(word: string, caps: boolean): void {
  pushWord(word, wordInfoMap(englishLexicon()).get(word), caps);
}

/** Pushes a word of the text that is not in the word table: no rule reads its letters (no lexicon entry, no bigram). */
function pushUnknownWord(caps: boolean): void {
  prevWord = '';
  prevBigramStart = false;
  prevWordToken = tokens.n;
  tokens.push(KIND_WORD, caps ? FLAG_CAPS : 0, 0);
}

/** Pushes an English word with what the word table knows of it (`info`). */
function pushWord(word: string, info: WordInfo | undefined, caps: boolean): void {
  const lex = englishLexicon();
  if (prevBigramStart && prevWordToken === tokens.n - 1 && prevWordToken >= 0) {
    const phrase = lex.bigrams.get(`${prevWord} ${word}`);
    if (phrase !== undefined) {
      tokens.flags[prevWordToken] = 0;
      tokens.val[prevWordToken] = phrase;
      tokens.excess[prevWordToken] = 0;
      tokens.negVal[prevWordToken] = lex.bigramNegated.get(`${prevWord} ${word}`) ?? Number.NaN;
      prevWord = '';
      prevBigramStart = false;
      return;
    }
  }
  const before = prevWord;
  prevWord = word;
  prevBigramStart = info?.bigramStart === true;
  prevWordToken = tokens.n;
  // "like" is a verb of liking only after a subject or an auxiliary, not in "looks like" or "like a".
  if (word === 'like' && !LIKE_SUBJECTS.has(before)) {
    tokens.push(KIND_WORD, 0, 0);
    return;
  }
  let e = info?.e;
  if (e === undefined && word.length > 2 && ELONGATED.test(word)) {
    // "sooo goood", "wayyy overpriced": try the word with repeats squeezed to two, then one letter.
    e = lex.words.get(word.replace(SQUEEZE, '$1$1')) ?? lex.words.get(word.replace(SQUEEZE, '$1'));
  }
  if (e === undefined) {
    tokens.push(KIND_WORD, caps ? FLAG_CAPS : 0, 0);
    return;
  }
  tokens.push(KIND_WORD, e.flags | (caps && e.flags === 0 ? FLAG_CAPS : 0), e.v, e.boost, 1, e.excess, e.neg);
}

function pushEmoji(cp: number): boolean {
  const v = englishLexicon().emoji.get(cp);
  if (v === undefined) return false;
  tokens.push(KIND_WORD, 0, v);
  return true;
}

function tokenizeEnglish(text: string): void {
  const lex = englishLexicon();
  wordTable ??= buildWordTable(lex);
  const table = wordTable;
  prevWord = '';
  prevWordToken = -1;
  prevBigramStart = false;
  const len = text.length;
  let i = 0;
  let hasLower = false;
  let capsWords = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (isLatinLetter(c)) {
      const start = i;
      let upper = 0;
      let letters = 0;
      let hasApostrophe = false;
      let hasHyphen = false;
      let nonAscii = false;
      // Hash of the lower-cased word without apostrophes, and whether it has a run of three equal letters a–z.
      let h = FNV_OFFSET;
      let last = -1;
      let run = 0;
      let elongated = false;
      while (i < len) {
        let d = text.charCodeAt(i);
        if (isLatinLetter(d)) {
          letters++;
          if (d >= 65 && d <= 90) {
            upper++;
            d += 32;
          } else if (d >= 128) nonAscii = true;
          h = Math.imul(h ^ d, FNV_PRIME);
          if (d === last) {
            if (++run >= 3 && d >= 97 && d <= 122) elongated = true;
          } else {
            last = d;
            run = 1;
          }
          i++;
        } else if ((d === 39 || d === 0x2019 || d === 45) && i + 1 < len && isLatinLetter(text.charCodeAt(i + 1))) {
          if (d !== 45) hasApostrophe = true;
          else hasHyphen = true;
          i++;
        } else break;
      }
      const caps = letters > 1 && upper === letters;
      if (caps) capsWords++;
      else if (upper < letters) hasLower = true;
      if (!hasHyphen && !(nonAscii && upper > 0)) {
        // Plain word: ASCII lower-casing is all toLowerCase would do (or there is nothing to lower-case).
        const k = findWord(table, text, start, i, h, letters);
        if (k >= 0) pushWord(table.keys[k] ?? '', table.infos[k], caps);
        else if (!elongated) pushUnknownWord(caps);
        else {
          let word = upper === 0 ? text.slice(start, i) : text.slice(start, i).toLowerCase();
          if (hasApostrophe) word = word.replace(/['\u2019]/g, '');
          pushWord(word, undefined, caps);
        }
        continue;
      }
      let word = upper === 0 ? text.slice(start, i) : text.slice(start, i).toLowerCase();
      if (hasApostrophe) word = word.replace(/['\u2019]/g, '');
      if (word.includes('-') && !lex.words.has(word)) {
        for (const part of word.split('-')) if (part !== '') pushEnglishWord(part, caps);
      } else {
        pushEnglishWord(word, caps);
      }
      continue;
    }
    if (isSpace(c)) {
      if (c === 10) tokens.push(KIND_BREAK, 0, BREAK_SENTENCE);
      i++;
      continue;
    }
    if (EMOTICON_START.has(text.charAt(i))) {
      let matched = 0;
      for (let l = 4; l >= 2 && matched === 0; l--) {
        if (i + l > len) continue;
        const candidate = text.slice(i, i + l).toLowerCase();
        const v = lex.valence.get(candidate);
        if (v !== undefined && !isLatinLetter(candidate.charCodeAt(0))) {
          const after = i + l < len ? text.charCodeAt(i + l) : 32;
          if (!isAsciiWordChar(after) || !isAsciiWordChar(candidate.charCodeAt(l - 1))) {
            tokens.push(KIND_WORD, 0, v);
            matched = l;
          }
        }
      }
      if (matched > 0) {
        i += matched;
        continue;
      }
    }
    if (c === 33 || c === 0xff01) {
      exclamations++;
      tokens.push(KIND_BREAK, 0, BREAK_SENTENCE);
      i++;
      continue;
    }
    if (c === 46 || c === 63 || c === 0x3002 || c === 0xff1f) {
      tokens.push(KIND_BREAK, 0, c === 63 || c === 0xff1f ? BREAK_QUESTION : BREAK_SENTENCE);
      i++;
      continue;
    }
    if (c === 44 || c === 59 || c === 58 || c === 0xff0c) {
      tokens.push(KIND_BREAK, 0, BREAK_CLAUSE);
      i++;
      continue;
    }
    if (c >= 0x2000) {
      const cp = text.codePointAt(i) ?? c;
      pushEmoji(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    i++;
  }
  // Words in capitals stand out only when the text also has lower case.
  if (!hasLower || capsWords === 0) {
    for (let t = 0; t < tokens.n; t++) tokens.flags[t] = (tokens.flags[t] ?? 0) & ~FLAG_CAPS;
  }
}

function tokenizeChinese(source: string): void {
  const zh = chineseLexicon();
  const en = englishLexicon();
  let text = source;
  for (let i = 0; i < source.length; i++) {
    if (zh.traditional.has(source.charCodeAt(i))) {
      let out = '';
      for (let j = 0; j < source.length; j++) {
        const code = source.charCodeAt(j);
        out += zh.traditional.get(code) ?? source.charAt(j);
      }
      text = out;
      break;
    }
  }
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (isHan(c)) {
      const candidates = zh.byFirst.get(c);
      let matched = 0;
      if (candidates) {
        for (const { word, entry: e } of candidates) {
          if (!text.startsWith(word, i)) continue;
          matched = word.length;
          switch (e.kind) {
            case 1:
              tokens.push(KIND_WORD, FLAG_NEGATOR, e.v);
              break;
            case 2:
              tokens.push(KIND_WORD, FLAG_NEGATOR | FLAG_SOFT_NEGATOR, e.v);
              break;
            case 3:
              tokens.push(KIND_WORD, FLAG_BOOSTER, e.v, 0, e.degree, e.excess);
              break;
            case 4:
              tokens.push(KIND_WORD, FLAG_CONTRAST, 0);
              break;
            case 5:
              tokens.push(KIND_WORD, FLAG_CAVEAT, 0);
              break;
            case 6:
              tokens.push(KIND_WORD, FLAG_SUMMARY, 0);
              break;
            default:
              // 好 right before another sentiment word is a degree word ("好贵", "好开心"); 快 before a number is
              // "almost" ("快2个小时").
              if (word === '好') tokens.push(KIND_WORD, FLAG_BOOSTER, e.v, 0, 1.3, 0);
              else if (word === '快' && i + 1 < len && isAsciiDigit(text.charCodeAt(i + 1)))
                tokens.push(KIND_WORD, 0, 0);
              else tokens.push(KIND_WORD, 0, e.v);
          }
          break;
        }
      }
      if (matched === 0) {
        tokens.push(KIND_WORD, ZH_FUNCTION_CHARS.has(c) ? FLAG_FUNCTION : 0, 0);
        matched = 1;
      }
      i += matched;
      continue;
    }
    if (isAsciiWordChar(c)) {
      const start = i;
      while (i < len && isAsciiWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(start, i).toLowerCase();
      tokens.push(KIND_WORD, 0, en.valence.get(word) ?? 0);
      continue;
    }
    if (zh.pause.has(c)) {
      if (c === 33 || c === 0xff01) exclamations++;
      const sentenceEnd = c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 33 || c === 63 || c === 10 || c === 46;
      tokens.push(
        KIND_BREAK,
        0,
        c === 63 || c === 0xff1f ? BREAK_QUESTION : sentenceEnd ? BREAK_SENTENCE : BREAK_CLAUSE,
      );
      i++;
      continue;
    }
    if (c >= 0x2000 && !isSpace(c)) {
      const cp = text.codePointAt(i) ?? c;
      pushEmoji(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (EMOTICON_START.has(text.charAt(i))) {
      for (let l = 3; l >= 2; l--) {
        const v = i + l <= len ? en.valence.get(text.slice(i, i + l).toLowerCase()) : undefined;
        if (v !== undefined) {
          tokens.push(KIND_WORD, 0, v);
          i += l - 1;
          break;
        }
      }
    }
    if (c === 32 || c === 10) tokens.push(KIND_BREAK, 0, c === 10 ? BREAK_SENTENCE : BREAK_CLAUSE);
    i++;
  }
}

function isSentimentAhead(i: number): boolean {
  const next = i + 1;
  if (next >= tokens.n || tokens.kind[next] !== KIND_WORD) return false;
  const f = tokens.flags[next] ?? 0;
  return (tokens.val[next] ?? 0) !== 0 || (f & (FLAG_BOOSTER | FLAG_NEGATOR)) !== 0;
}

let contribN = 0;

function addContribution(at: number, v: number): void {
  if (contribN === contribAt.length) {
    const at2 = new Int32Array(contribN * 2);
    at2.set(contribAt);
    contribAt = at2;
    const val2 = new Float64Array(contribN * 2);
    val2.set(contribVal);
    contribVal = val2;
  }
  contribAt[contribN] = at;
  contribVal[contribN] = v;
  contribN++;
}

/** One pass over the token buffer: returns the evidence for the current text. */
function scoreTokens(out: SentimentEvidence): SentimentEvidence {
  contribN = 0;
  let negIdx = -1;
  let negSoft = false;
  let negDist = 0;
  let negBoosted = false;
  let boostAdd = 0;
  let boostMul = 1;
  let boostDist = 0;
  let excess = 0;
  let concessive = false;
  let sentenceWeight = 1;
  let lastContrast = -1;
  let sentenceStart = 0;

  for (let i = 0; i <= tokens.n; i++) {
    const end = i === tokens.n;
    const flags = end ? 0 : (tokens.flags[i] ?? 0);
    const isBreak = end || tokens.kind[i] === KIND_BREAK;
    if (isBreak || flags & (FLAG_CONTRAST | FLAG_CONCESSIVE) || (flags & FLAG_NEGATOR && negIdx < 0)) {
      // A pending negator that negated nothing keeps its own valence ("no reply", "没有送水").
      if (negIdx >= 0) {
        const own = tokens.val[negIdx] ?? 0;
        if (own !== 0) addContribution(negIdx, (concessive ? own * 0.5 : own) * sentenceWeight);
        negIdx = -1;
        negBoosted = false;
      }
    }
    if (isBreak || flags & (FLAG_CONTRAST | FLAG_CONCESSIVE | FLAG_CAVEAT | FLAG_SUMMARY)) {
      boostAdd = 0;
      boostMul = 1;
      excess = 0;
      concessive = (flags & FLAG_CONCESSIVE) !== 0;
      if (flags & FLAG_CONTRAST) lastContrast = i;
      // A caveat ("就是有点贵") is a minor reservation; a summary ("总体很满意", "overall") is the verdict.
      if (flags & FLAG_CAVEAT) sentenceWeight = CAVEAT_WEIGHT;
      else if (flags & FLAG_SUMMARY) sentenceWeight = SUMMARY_WEIGHT;
      else if (!end && isBreak && (tokens.val[i] ?? 0) >= BREAK_SENTENCE) {
        sentenceWeight = 1;
        if (tokens.val[i] === BREAK_QUESTION) {
          for (let k = sentenceStart; k < contribN; k++) contribVal[k] = (contribVal[k] ?? 0) * QUESTION_WEIGHT;
        }
        sentenceStart = contribN;
      }
      continue;
    }
    if (flags & FLAG_NEGATOR) {
      if (negIdx >= 0) {
        // Double negation cancels ("not without", "不是不好").
        negIdx = -1;
        continue;
      }
      negIdx = i;
      negSoft = (flags & FLAG_SOFT_NEGATOR) !== 0;
      negDist = 0;
      negBoosted = false;
      continue;
    }
    let v = tokens.val[i] ?? 0;
    const negated = tokens.negVal[i] ?? Number.NaN;
    if (negIdx >= 0 && !Number.isNaN(negated)) {
      // Asymmetric negation: "not worth", "won't be back", "can't complain" have their own negated valence.
      addContribution(i, (concessive ? negated * 0.5 : negated) * sentenceWeight);
      negIdx = -1;
      negBoosted = false;
      boostAdd = 0;
      boostMul = 1;
      excess = 0;
      continue;
    }
    if (flags & FLAG_BOOSTER && (v === 0 || isSentimentAhead(i))) {
      boostAdd += tokens.boostAdd[i] ?? 0;
      boostMul *= tokens.boostMul[i] ?? 1;
      excess = tokens.excess[i] ?? 0;
      boostDist = 0;
      if (negIdx >= 0) negBoosted = true;
      continue;
    }
    if (v === 0) {
      if (excess !== 0 && boostDist === 0 && !(flags & FLAG_FUNCTION)) {
        if (negIdx >= 0) negIdx = -1;
        else addContribution(i, (concessive ? excess * 0.5 : excess) * sentenceWeight);
        boostAdd = 0;
        boostMul = 1;
        excess = 0;
        continue;
      }
      if (++boostDist > 1) {
        boostAdd = 0;
        boostMul = 1;
        excess = 0;
      }
      if (negIdx >= 0 && ++negDist > NEGATION_SCOPE) {
        const own = tokens.val[negIdx] ?? 0;
        if (own !== 0) addContribution(negIdx, (concessive ? own * 0.5 : own) * sentenceWeight);
        negIdx = -1;
        negBoosted = false;
      }
      continue;
    }
    const sign = v > 0 ? 1 : -1;
    if (flags & FLAG_CAPS) v += sign * CAPS_INCR;
    v = (v + sign * boostAdd) * boostMul;
    if (negIdx >= 0) {
      v *= negSoft || negBoosted ? SOFT_NEGATION_SCALE : NEGATION_SCALE;
      negIdx = -1;
      negBoosted = false;
    }
    boostAdd = 0;
    boostMul = 1;
    excess = 0;
    addContribution(i, (concessive ? v * 0.5 : v) * sentenceWeight);
  }

  let pos = 0;
  let neg = 0;
  for (let k = 0; k < contribN; k++) {
    const at = contribAt[k] ?? 0;
    let v = contribVal[k] ?? 0;
    if (lastContrast >= 0) v *= at < lastContrast ? 0.5 : 1.5;
    if (v > 0) pos += v;
    else neg -= v * negativeWeight;
  }
  if (exclamations > 0 && pos !== neg) {
    const emphasis = Math.min(exclamations, 4) * EXCLAIM_INCR;
    if (pos > neg) pos += emphasis;
    else neg += emphasis;
  }
  out.positive = pos;
  out.negative = neg;
  return out;
}

function hanShare(text: string): boolean {
  let han = 0;
  let latin = 0;
  const limit = Math.min(text.length, 200);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (isHan(c)) han++;
    else if (isAsciiWordChar(c)) latin++;
  }
  return han > 0 && han * 3 >= latin;
}

/**
 * Raw evidence for a text. `language` is a Comprehend code; Chinese (`zh`, `zh-TW`) uses the Chinese model, anything
 * else the English one; without a language, a text that is mostly Han characters is treated as Chinese.
 */
export function sentimentEvidence(
  text: string,
  language?: string,
  out: SentimentEvidence = { positive: 0, negative: 0 },
): SentimentEvidence {
  tokens.reset();
  exclamations = 0;
  const chinese = language === undefined ? hanShare(text) : language === 'zh' || language === 'zh-TW';
  if (chinese) {
    negativeWeight = 1;
    tokenizeChinese(text);
  } else {
    negativeWeight = NEGATIVE_WEIGHT_EN;
    tokenizeEnglish(text);
  }
  return scoreTokens(out);
}

const NEUTRAL_BASE = 2;
const MIXED_GAIN = 1.6;

/**
 * Turns evidence into Comprehend-style scores (summing to 1) and a label.
 * More evidence means less neutral; balanced strong evidence on both sides means MIXED.
 */
export function evidenceToSentiment(positive: number, negative: number): OfflineSentiment {
  const lo = Math.min(positive, negative);
  const hi = Math.max(positive, negative);
  const balance = hi > 0 ? lo / hi : 0;
  const mixed = MIXED_GAIN * lo * balance * balance;
  const p = positive * positive;
  const n = negative * negative;
  const m = mixed * mixed;
  const u = NEUTRAL_BASE;
  const total = p + n + m + u;
  const score: SentimentScore = {
    Positive: round(p / total),
    Negative: round(n / total),
    Neutral: round(u / total),
    Mixed: round(m / total),
  };
  let label: SentimentLabel = 'NEUTRAL';
  let best = score.Neutral;
  if (score.Positive > best) {
    label = 'POSITIVE';
    best = score.Positive;
  }
  if (score.Negative > best) {
    label = 'NEGATIVE';
    best = score.Negative;
  }
  if (score.Mixed > best) label = 'MIXED';
  return { label, score };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const scratch: SentimentEvidence = { positive: 0, negative: 0 };

/** Offline sentiment for one text, in Comprehend's shape. */
export function detectSentimentOffline(text: string, language?: string): OfflineSentiment {
  const e = sentimentEvidence(text, language, scratch);
  return evidenceToSentiment(e.positive, e.negative);
}

let segmenter: Intl.Segmenter | undefined;

/** Chinese word segmentation with `Intl.Segmenter` (used for key phrases, where speed matters less). */
export function segmentChinese(text: string): string[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment);
  return out;
}
