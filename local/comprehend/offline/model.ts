/**
 * Offline English + Chinese sentiment: lexicon scoring with negation, degree words, contrast, emoji and emoticons,
 * mapped to Comprehend's four labels and scores.
 *
 * Both languages tokenise into one reusable token buffer (no per-call arrays), then one scoring pass applies the
 * rules. Chinese is segmented by forward maximum matching against the lexicon: `Intl.Segmenter` costs ~35 µs for a
 * 25-character review and splits sentiment words inconsistently (不太好|吃, 差|评), while matching against the lexicon
 * costs ~1 µs and finds exactly the words the model knows. `segmentChinese` (Intl.Segmenter) is kept for key phrases.
 *
 * The per-text path is table-driven and, but for rare words, allocates nothing but its result: a character is classified
 * by one typed-array read, an English word is found by a hash computed while it is scanned (no slice, no `toLowerCase`,
 * no Map), what the rules need of a known word sits in typed arrays indexed by its number, and a Chinese word is found
 * by walking a trie of the lexicon. The tables are built once, from the lexicons, on first use (tens of ms, at a cold
 * start).
 */
import { evidenceToSentiment, type OfflineSentiment } from './labels.js';
import { type EnglishLexicon, type EnglishWord, englishLexicon } from './lexicon-en.js';
import { type ChineseLexicon, chineseLexicon } from './lexicon-zh.js';
import { withoutMarkup } from './markup.js';

export { evidenceToSentiment, type OfflineSentiment } from './labels.js';

/** Evidence before it is turned into scores: summed positive and negative weight. */
export interface SentimentEvidence {
  positive: number;
  negative: number;
}

const FLAG_NEGATOR = 1;
const FLAG_SOFT_NEGATOR = 2;
const FLAG_CONTRAST = 4;
const FLAG_CONCESSIVE = 8;
const FLAG_BOOSTER = 16;
const FLAG_FUNCTION = 32;
const FLAG_CAPS = 64;
const FLAG_SUMMARY = 128;
const FLAG_CAVEAT = 256;
/** A break between clauses or sentences, not a word; its strength (BREAK_*) is in `val`. */
const FLAG_BREAK = 512;
/**
 * "why", "where" (为什么, 凭什么): a question it opens is a complaint as often as a request ("why is my order still
 * processing?", "where is my refund?", "为什么还没发货？"), so its complaint keeps full weight.
 */
const FLAG_WHY = 1024;
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
/** Below this magnitude a word is too weak to be what a negator negates (see the negation in `scoreTokens`). */
const WEAK_VALENCE = 0.5;
/**
 * Weight of what follows a caveat (就是, 只是): a reservation, lighter than the praise before it when it is mild
 * ("不错，就是有点贵"), but a strong one still wins ("味道很好，就是送得太慢了").
 */
const CAVEAT_WEIGHT = 0.8;
const SUMMARY_WEIGHT = 2;
/**
 * Negativity bias for English: reviewers state complaints more mildly than praise ("not what I expected"), so
 * negative evidence counts more. Chinese complaint words are blunt (差, 慢, 难吃) and need no bias.
 */
const NEGATIVE_WEIGHT_EN = 1.2;
let negativeWeight = 1;

function grown<T extends Uint16Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Reusable token buffer: parallel typed arrays so a call allocates nothing that grows with the text. Only what the
 * scorer reads is written: a break's flags and strength; a word's flags, valence and negated valence; and the degree
 * fields of degree words (FLAG_BOOSTER), the only tokens whose degree fields are read.
 */
class TokenBuffer {
  n = 0;
  flags = new Uint16Array(256);
  val = new Float64Array(256);
  /** Valence when negated, NaN for a scaled flip (see `NEGATED` in the lexicon). */
  negVal = new Float64Array(256);
  /** Degree: added to the magnitude of the next sentiment word, then multiplying it. */
  boostAdd = new Float64Array(256);
  boostMul = new Float64Array(256);
  /** Valence a following word without valence takes ("too small", "有点咸"). */
  excess = new Float64Array(256);

  reset(): void {
    this.n = 0;
  }

  /** Pushes a break of strength BREAK_*. */
  pushBreak(strength: number): void {
    const i = this.next();
    this.flags[i] = FLAG_BREAK;
    this.val[i] = strength;
  }

  /** Pushes a word that is not a degree word (no FLAG_BOOSTER). */
  pushWord(flags: number, val: number, negVal = Number.NaN): void {
    const i = this.next();
    this.flags[i] = flags;
    this.val[i] = val;
    this.negVal[i] = negVal;
  }

  /** Pushes a degree word (FLAG_BOOSTER) with its degree fields. */
  pushDegree(
    flags: number,
    val: number,
    boostAdd: number,
    boostMul: number,
    excess: number,
    negVal = Number.NaN,
  ): void {
    const i = this.next();
    this.flags[i] = flags;
    this.val[i] = val;
    this.negVal[i] = negVal;
    this.boostAdd[i] = boostAdd;
    this.boostMul[i] = boostMul;
    this.excess[i] = excess;
  }

  /** Pushes an English lexicon entry: a degree word when its flags say so. */
  pushEntry(flags: number, val: number, boost: number, excess: number, negVal: number): void {
    if (flags & FLAG_BOOSTER) this.pushDegree(flags, val, boost, 1, excess, negVal);
    else this.pushWord(flags, val, negVal);
  }

  private next(): number {
    if (this.n === this.flags.length) this.grow();
    return this.n++;
  }

  private grow(): void {
    const size = this.flags.length * 2;
    this.flags = grown(this.flags, new Uint16Array(size));
    this.val = grown(this.val, new Float64Array(size));
    this.negVal = grown(this.negVal, new Float64Array(size));
    this.boostAdd = grown(this.boostAdd, new Float64Array(size));
    this.boostMul = grown(this.boostMul, new Float64Array(size));
    this.excess = grown(this.excess, new Float64Array(size));
  }
}

const tokens = new TokenBuffer();
/** Contributions (token index, value) of the current text, for the contrast weighting at the end. */
let contribAt = new Int32Array(128);
let contribVal = new Float64Array(128);
let exclamations = 0;

const ZH_FUNCTION_CHARS = '的了是在也都就还又吧啊呢嘛哦我你他她它这那个一有和与及把被给让';

const EMOTICON_START = ':;=<>^';

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

// ---------------------------------------------------------------------------------------------------------------------
// English

/**
 * Letters of English words (ASCII letters and digits, Latin-1 and Latin Extended-A/B letters) as the word lookup reads
 * them: lower-cased for A–Z, unchanged for the others (capitals outside ASCII are lower-cased by `toLowerCase` on a
 * slower path); 0 for a code unit that is not a letter.
 */
const EN_FOLD = buildEnglishFold();

function buildEnglishFold(): Uint16Array {
  // The ranges of `isLatinLetter`, filled range by range (this runs at module load, before the JIT).
  const t = new Uint16Array(0x10000);
  const fill = (from: number, to: number): void => {
    for (let c = from; c <= to; c++) t[c] = c >= 65 && c <= 90 ? c + 32 : c;
  };
  fill(48, 57);
  fill(65, 90);
  fill(97, 122);
  fill(0xc0, 0x24f);
  t[0xd7] = 0; // ×
  t[0xf7] = 0; // ÷
  return t;
}

/*
 * What the English tokenizer does with a code unit that is not a letter (letters are read through EN_FOLD first).
 * Where a character could pass two of its tests (space, emoticon, "!", sentence end, clause break, emoji), it gets the
 * class of the first.
 */
const EN_SKIP = 0;
const EN_SPACE = 1;
const EN_NEWLINE = 2;
/** Starts an emoticon, and is skipped when none matches (= < > ^). */
const EN_EMOTICON = 3;
/** Starts an emoticon, and is a clause break when none matches (: ;). */
const EN_EMOTICON_CLAUSE = 4;
const EN_EXCLAIM = 5;
const EN_SENTENCE = 6;
const EN_QUESTION = 7;
const EN_CLAUSE = 8;
/** Any other code unit from U+2000 up: maybe an emoji, or the high half of one. */
const EN_HIGH = 9;

const EN_CLASS = buildEnglishClasses();

function buildEnglishClasses(): Uint8Array {
  // No character below is a letter, and none of those from U+2000 up is in two classes.
  const t = new Uint8Array(0x10000).fill(EN_HIGH, 0x2000);
  const set = (chars: string, cls: number): void => {
    for (const ch of chars) t[ch.charCodeAt(0)] = cls;
  };
  set(' \t\r\u00a0\u3000', EN_SPACE);
  set('\n', EN_NEWLINE);
  set(':;', EN_EMOTICON_CLAUSE);
  set('=<>^', EN_EMOTICON);
  set('!\uff01', EN_EXCLAIM);
  set('.\u3002', EN_SENTENCE);
  set('?\uff1f', EN_QUESTION);
  set(',\uff0c', EN_CLAUSE);
  return t;
}

const LIKE_SUBJECTS = new Set(
  'i we you they he she really also definitely do does did dont didnt doesnt still actually totally just kids everyone people would wed youd id to'.split(
    ' ',
  ),
);

/**
 * Words of persistence: "still" and "keep" before a verb in -ing without sentiment, or "still" before a negator, state
 * that a problem goes on ("still processing", "keeps logging me out", "still no reply", "still hasn't arrived"). Customers
 * rarely report what keeps going right this way, and when they do the verb carries the praise ("still works great").
 */
const PERSIST_STILL = 1;
const PERSIST_KEEP = 2;
const PERSIST_WORDS: Record<string, number> = {
  still: PERSIST_STILL,
  keep: PERSIST_KEEP,
  keeps: PERSIST_KEEP,
  kept: PERSIST_KEEP,
};
/** Valence of a sentiment-free -ing verb after a word of persistence ("still processing"). */
const ONGOING_VALENCE = -1.2;
/** Valence a negator after "still" keeps when it negates nothing ("still no reply"), if its own is milder. */
const STILL_MISSING_VALENCE = -1.2;

const ELONGATED = /([a-z])\1\1/;
const SQUEEZE = /([a-z])\1+/g;

/** Entry of a word spelt with elongations ("sooo", "goood", "wayyy"): repeats squeezed to two, then one letter. */
function elongatedEntry(lex: EnglishLexicon, word: string): EnglishWord | undefined {
  if (word.length <= 2 || !ELONGATED.test(word)) return undefined;
  return lex.words.get(word.replace(SQUEEZE, '$1$1')) ?? lex.words.get(word.replace(SQUEEZE, '$1'));
}

/**
 * Every word whose identity the tokenizer can use, numbered (its key): lexicon words, bigram first and second words,
 * the subjects of "like" and "like" itself. A word of the text is hashed while it is scanned, lower-cased code by code,
 * and found through an open-addressing table, so a lookup neither slices nor lower-cases; a word not in the table needs
 * no string at all (no rule reads an unknown word unless it may be elongated). What the rules need of key `k` is
 * precomputed into typed arrays indexed by `k`.
 */
interface EnglishTables {
  lex: EnglishLexicon;
  /** Slot count - 1 (a power of two). */
  mask: number;
  /**
   * Slot `s` is `slots[4s, 4s + 4)`: its key's hash, key + 1 (0 when empty), and where the key's characters are in
   * `keyChars` (start, length), so a probe reads one cache line before it compares characters.
   */
  slots: Int32Array;
  keyChars: Uint16Array;
  /**
   * A Bloom filter of the key hashes (bit `h >>> FILTER_SHIFT` set for hash `h`): 32 KB that stay in cache, so most
   * words that are not in the table (numbers, names, rare words) skip the probe of the 2 MB slot table.
   */
  filter: Int32Array;
  /** Key `k` as a string. */
  keys: string[];
  /**
   * What the rules need of key `k`, as two records: `keyInfo[4k, 4k + 4)` = flags of its lexicon entry (after the
   * elongation fallback; ENTRY_NONE when it has none, ENTRY_UNREAD until first used), first and end index of the
   * bigrams it starts, and 1 if it is a subject that makes a following "like" a verb of liking;
   * `keyValues[4k, 4k + 4)` = the entry's valence, boost, excess and negated valence.
   */
  keyInfo: Int32Array;
  keyValues: Float64Array;
  /**
   * Plain valence of key `k` (`lex.valence`, 0 when absent), by which Chinese text scores the English words in it;
   * NaN until first read (`plainValence`).
   */
  valence: Float64Array;
  /** Key of "like". */
  like: number;
  /** PERSIST_* of key `k`, 0 for other words. */
  persist: Uint8Array;
  /** Bigrams grouped by first word (see `keyInfo`): the second word's key, the valence, the negated valence. */
  bigramSecond: Int32Array;
  bigramVal: Float64Array;
  bigramNeg: Float64Array;
  /**
   * Emoticon prefilter: `emoticonPair[128 * EMOTICON_START.indexOf(c0) + c1]` is 1 when a lexicon entry starts with
   * `c0 c1` (c1 < 128). A lower-cased candidate starts with c0 and c1 lower-cased, so a 0 rules out every length.
   */
  emoticonPair: Uint8Array;
  /** Emoji prefilter: 1 at `cp & 0xffff` for every emoji code point, so other characters skip the map. */
  emojiLow: Uint8Array;
}

let englishTables: EnglishTables | undefined;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** One step of the FNV-1a word hash. Collisions only cost a probe: the table compares the characters. */
function hashStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME);
}

function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = hashStep(h, word.charCodeAt(i));
  return h;
}

/** `keyInfo` flags of a key without a lexicon entry. */
const ENTRY_NONE = -1;
/**
 * `keyInfo` flags of a key whose entry is not read yet. Entries are read on first use: reading all 38,000 entry
 * objects up front costs ~80 ms at a cold start (V8 migrates each object to its final hidden class on first access).
 */
const ENTRY_UNREAD = -2;

/** The Bloom filter has 2^18 bits, indexed by the top 18 bits of the hash (the slot uses the bottom ones). */
const FILTER_SHIFT = 32 - 18;

function inFilter(filter: Int32Array, h: number): boolean {
  const bit = h >>> FILTER_SHIFT;
  return (((filter[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) !== 0;
}

function buildEnglishTables(lex: EnglishLexicon): EnglishTables {
  // Keys: the lexicon words, then the words the rules name that are not lexicon words. Built without a Map lookup or
  // an entry read a key: this runs once, mostly before the JIT has compiled it.
  const extra: string[] = [];
  const addExtra = (w: string): void => {
    if (w !== '' && !lex.words.has(w) && !extra.includes(w)) extra.push(w);
  };
  for (const w of lex.bigramStarts) addExtra(w);
  for (const key of lex.bigrams.keys()) addExtra(key.slice(key.indexOf(' ') + 1));
  for (const w of LIKE_SUBJECTS) addExtra(w);
  for (const w of Object.keys(PERSIST_WORDS)) addExtra(w);
  addExtra('like');
  let n = extra.length;
  let chars = 0;
  for (const w of extra) chars += w.length;
  for (const w of lex.words.keys()) {
    n++;
    chars += w.length;
  }
  let size = 1024;
  while (size < n * 2) size *= 2;
  const t: EnglishTables = {
    lex,
    mask: size - 1,
    slots: new Int32Array(size * 4),
    keyChars: new Uint16Array(chars),
    filter: new Int32Array((1 << (32 - FILTER_SHIFT)) / 32),
    keys: [],
    keyInfo: new Int32Array(4 * n),
    keyValues: new Float64Array(4 * n),
    valence: new Float64Array(n).fill(Number.NaN),
    like: -1,
    persist: new Uint8Array(n),
    bigramSecond: new Int32Array(0),
    bigramVal: new Float64Array(0),
    bigramNeg: new Float64Array(0),
    emoticonPair: new Uint8Array(EMOTICON_START.length * 128),
    emojiLow: new Uint8Array(0x10000),
  };
  const { slots, keyChars, filter, keys, keyInfo } = t;
  chars = 0;
  const addKey = (w: string, entry: number): void => {
    if (w === '') return;
    const k = keys.push(w) - 1;
    const from = chars;
    let h = FNV_OFFSET;
    for (let j = 0; j < w.length; j++) {
      const c = w.charCodeAt(j);
      keyChars[chars++] = c;
      h = hashStep(h, c);
    }
    let slot = h & (size - 1);
    while ((slots[4 * slot + 1] ?? 0) !== 0) slot = (slot + 1) & (size - 1);
    slots[4 * slot] = h;
    slots[4 * slot + 1] = k + 1;
    slots[4 * slot + 2] = from;
    slots[4 * slot + 3] = w.length;
    const bit = h >>> FILTER_SHIFT;
    filter[bit >>> 5] = (filter[bit >>> 5] ?? 0) | (1 << (bit & 31));
    keyInfo[4 * k] = entry;
  };
  for (const w of lex.words.keys()) addKey(w, ENTRY_UNREAD);
  // A word that is not a lexicon word has no entry, unless spelt elongated.
  for (const w of extra) addKey(w, elongatedEntry(lex, w) === undefined ? ENTRY_NONE : ENTRY_UNREAD);

  for (const w of LIKE_SUBJECTS) keyInfo[4 * keyOf(t, w) + 3] = 1;
  t.like = keyOf(t, 'like');
  for (const [w, role] of Object.entries(PERSIST_WORDS)) t.persist[keyOf(t, w)] = role;

  // Bigrams by first word. A key whose second part has a space can never match two words of the text.
  const bigrams: Array<[number, number, number, number]> = [];
  for (const [key, v] of lex.bigrams) {
    const space = key.indexOf(' ');
    if (space < 0 || key.includes(' ', space + 1) || !lex.bigramStarts.has(key.slice(0, space))) continue;
    const first = keyOf(t, key.slice(0, space));
    const second = keyOf(t, key.slice(space + 1));
    if (first >= 0 && second >= 0) bigrams.push([first, second, v, lex.bigramNegated.get(key) ?? Number.NaN]);
  }
  bigrams.sort((a, b) => a[0] - b[0]);
  for (let b = 0; b < bigrams.length; b++) {
    const first = bigrams[b]?.[0] ?? 0;
    if (b === 0 || bigrams[b - 1]?.[0] !== first) keyInfo[4 * first + 1] = b;
    keyInfo[4 * first + 2] = b + 1;
  }
  t.bigramSecond = Int32Array.from(bigrams, (b) => b[1]);
  t.bigramVal = Float64Array.from(bigrams, (b) => b[2]);
  t.bigramNeg = Float64Array.from(bigrams, (b) => b[3]);

  for (const key of lex.valence.keys()) {
    const row = key.length >= 2 ? EMOTICON_START.indexOf(key.charAt(0)) : -1;
    const c1 = key.charCodeAt(1);
    if (row >= 0 && c1 < 128) t.emoticonPair[row * 128 + c1] = 1;
  }
  for (const cp of lex.emoji.keys()) t.emojiLow[cp & 0xffff] = 1;
  return t;
}

function getEnglishTables(): EnglishTables {
  englishTables ??= buildEnglishTables(englishLexicon());
  return englishTables;
}

/**
 * Key of the word `text[start, end)` lower-cased (ASCII) without apostrophes (' and ’), given its hash and its length
 * without apostrophes; -1 when it is not in the table.
 */
function findWord(t: EnglishTables, text: string, start: number, end: number, h: number, n: number): number {
  if (!inFilter(t.filter, h)) return -1;
  const { slots, mask } = t;
  let slot = h & mask;
  for (;;) {
    const k1 = slots[4 * slot + 1] ?? 0;
    if (k1 === 0) return -1;
    if (slots[4 * slot] === h && slots[4 * slot + 3] === n) {
      if (sameWord(t.keyChars, slots[4 * slot + 2] ?? 0, text, start, end)) return k1 - 1;
    }
    slot = (slot + 1) & mask;
  }
}

/** Whether `keyChars[from, …)` spells the word `text[start, end)` lower-cased without apostrophes (lengths agree). */
function sameWord(keyChars: Uint16Array, from: number, text: string, start: number, end: number): boolean {
  let j = from;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 0x2019) continue;
    if ((EN_FOLD[c] ?? 0) !== keyChars[j]) return false;
    j++;
  }
  return true;
}

/** Key of a word given as a string (exactly as the lexicon spells it), -1 when it is not in the table. */
function keyOf(t: EnglishTables, word: string): number {
  const h = wordHash(word);
  const { slots, keyChars, mask } = t;
  let slot = h & mask;
  for (;;) {
    const k1 = slots[4 * slot + 1] ?? 0;
    if (k1 === 0) return -1;
    if (slots[4 * slot] === h && slots[4 * slot + 3] === word.length) {
      const from = slots[4 * slot + 2] ?? 0;
      let j = 0;
      while (j < word.length && keyChars[from + j] === word.charCodeAt(j)) j++;
      if (j === word.length) return k1 - 1;
    }
    slot = (slot + 1) & mask;
  }
}

/** Flags of the lexicon entry of key `k` (ENTRY_NONE when it has none), its entry read into `keyValues` if unread. */
function readEntry(t: EnglishTables, k: number): number {
  const w = t.keys[k] ?? '';
  const e = t.lex.words.get(w) ?? elongatedEntry(t.lex, w);
  if (e === undefined) {
    t.keyInfo[4 * k] = ENTRY_NONE;
    return ENTRY_NONE;
  }
  // The tokenizer owns these bits: only capitalised words carry FLAG_CAPS (see the end of `tokenizeEnglish`).
  if (e.flags & (FLAG_CAPS | FLAG_BREAK)) throw new Error(`English lexicon flags of ${w} use a tokenizer bit`);
  t.keyValues[4 * k] = e.v;
  t.keyValues[4 * k + 1] = e.boost;
  t.keyValues[4 * k + 2] = e.excess;
  t.keyValues[4 * k + 3] = e.neg;
  t.keyInfo[4 * k] = e.flags;
  return e.flags;
}

/** Plain valence of key `k` (see `EnglishTables.valence`). */
function plainValence(t: EnglishTables, k: number): number {
  let v = t.valence[k] ?? 0;
  if (Number.isNaN(v)) {
    v = t.lex.valence.get(t.keys[k] ?? '') ?? 0;
    t.valence[k] = v;
  }
  return v;
}

/** The previous word pushed, as a key (-1: none, or a word no rule reads), and its token (for bigrams). */
let prevKey = -1;
let prevWordToken = -1;

/** Pushes word `k` of the table: completes a bigram with the word before it, or pushes its lexicon entry. */
function pushKey(t: EnglishTables, k: number, caps: boolean): void {
  const { keyInfo, keyValues } = t;
  const prev = prevKey;
  if (prev >= 0 && prevWordToken === tokens.n - 1) {
    const end = keyInfo[4 * prev + 2] ?? 0;
    for (let b = keyInfo[4 * prev + 1] ?? 0; b < end; b++) {
      if (t.bigramSecond[b] !== k) continue;
      // The first word's token becomes the phrase (a plain word: its degree fields are no longer read).
      tokens.flags[prevWordToken] = 0;
      tokens.val[prevWordToken] = t.bigramVal[b] ?? 0;
      tokens.negVal[prevWordToken] = t.bigramNeg[b] ?? Number.NaN;
      prevKey = -1;
      return;
    }
  }
  prevKey = k;
  prevWordToken = tokens.n;
  // "like" is a verb of liking only after a subject or an auxiliary, not in "looks like" or "like a".
  if (k === t.like && (prev < 0 || keyInfo[4 * prev + 3] === 0)) {
    tokens.pushWord(0, 0);
    return;
  }
  let flags = keyInfo[4 * k] ?? ENTRY_NONE;
  if (flags === ENTRY_UNREAD) flags = readEntry(t, k);
  if (flags === ENTRY_NONE) {
    tokens.pushWord(caps ? FLAG_CAPS : 0, 0);
    return;
  }
  tokens.pushEntry(
    flags | (caps && flags === 0 ? FLAG_CAPS : 0),
    keyValues[4 * k] ?? 0,
    keyValues[4 * k + 1] ?? 0,
    keyValues[4 * k + 2] ?? 0,
    keyValues[4 * k + 3] ?? Number.NaN,
  );
}

/**
 * Pushes a word that is not in the table, so no rule reads its identity (it completes no bigram, is not "like" and no
 * subject of "like"); only an elongated spelling may still name a lexicon word ("sooo"). `word` is the word
 * lower-cased without apostrophes, given only when it may be elongated: without it, it has no entry.
 */
function pushOtherWord(t: EnglishTables, word: string | undefined, caps: boolean): void {
  prevKey = -1;
  prevWordToken = tokens.n;
  const e = word === undefined ? undefined : elongatedEntry(t.lex, word);
  if (e === undefined) {
    tokens.pushWord(caps ? FLAG_CAPS : 0, 0);
    return;
  }
  tokens.pushEntry(e.flags | (caps && e.flags === 0 ? FLAG_CAPS : 0), e.v, e.boost, e.excess, e.neg);
}

/** The word `text[start, end)` as the lexicon spells it: lower-cased when it has capitals A–Z, without apostrophes. */
function wordString(text: string, start: number, end: number, hasUpper: boolean): string {
  const word = hasUpper ? text.slice(start, end).toLowerCase() : text.slice(start, end);
  return word.replace(/['\u2019]/g, '');
}

/** Pushes a word given as a lexicon spelling. */
function pushWordString(t: EnglishTables, word: string, caps: boolean): void {
  const k = keyOf(t, word);
  if (k >= 0) pushKey(t, k, caps);
  else pushOtherWord(t, word, caps);
}

/**
 * Pushes a hyphenated word, or one with capitals both in and outside ASCII (which `toLowerCase` lower-cases): whole
 * when the lexicon knows it ("must-have"), else part by part ("rip-off" is the bigram "rip off").
 */
function pushCompoundWord(
  t: EnglishTables,
  text: string,
  start: number,
  end: number,
  hasUpper: boolean,
  caps: boolean,
): void {
  const word = wordString(text, start, end, hasUpper);
  if (word.includes('-') && !t.lex.words.has(word)) {
    for (const part of word.split('-')) if (part !== '') pushWordString(t, part, caps);
  } else {
    pushWordString(t, word, caps);
  }
}

function pushEmoji(t: EnglishTables, cp: number): void {
  if (t.emojiLow[cp & 0xffff] === 0) return;
  const v = t.lex.emoji.get(cp);
  if (v !== undefined) pushFace(v);
}

/**
 * Pushes an emoji or emoticon of valence `v` after a clause break: a face states the writer's own feeling, so no
 * negator or degree word before it reaches it ("又没送到😤" is not "not angry").
 */
function pushFace(v: number): void {
  tokens.pushBreak(BREAK_CLAUSE);
  tokens.pushWord(0, v);
}

/** Whether an emoticon may start at `i`, where character `c` is one of EMOTICON_START (false when none can). */
function mayStartEmoticon(t: EnglishTables, text: string, i: number, c: number): boolean {
  if (i + 1 >= text.length) return false;
  let c1 = text.charCodeAt(i + 1);
  if (c1 >= 128) return true;
  if (c1 >= 65 && c1 <= 90) c1 += 32;
  return t.emoticonPair[EMOTICON_START.indexOf(String.fromCharCode(c)) * 128 + c1] === 1;
}

/** Emoticon at `i` in English text (the longest of 4 to 2 characters): pushes it and returns its length, or 0. */
function matchEmoticonEnglish(t: EnglishTables, text: string, i: number): number {
  const len = text.length;
  for (let l = 4; l >= 2; l--) {
    if (i + l > len) continue;
    const candidate = text.slice(i, i + l).toLowerCase();
    const v = t.lex.valence.get(candidate);
    if (v !== undefined && !isLatinLetter(candidate.charCodeAt(0))) {
      const after = i + l < len ? text.charCodeAt(i + l) : 32;
      // "://" is a link, not the emoticon ":/".
      if (after === 47 && candidate.charCodeAt(l - 1) === 47) continue;
      if (!isAsciiWordChar(after) || !isAsciiWordChar(candidate.charCodeAt(l - 1))) {
        pushFace(v);
        return l;
      }
    }
  }
  return 0;
}

/**
 * The word just pushed, `text[start, end)`, follows a word of persistence (PERSIST_*): a sentiment-free -ing verb
 * becomes an ongoing complaint, and a negator after "still" keeps at least STILL_MISSING_VALENCE when it negates
 * nothing.
 */
function markOngoing(role: number, text: string, start: number, end: number): void {
  const k = tokens.n - 1;
  const flags = tokens.flags[k] ?? 0;
  if (flags & FLAG_NEGATOR) {
    if (role === PERSIST_STILL) tokens.val[k] = Math.min(tokens.val[k] ?? 0, STILL_MISSING_VALENCE);
  } else if ((flags & ~FLAG_CAPS) === 0 && tokens.val[k] === 0 && endsInIng(text, start, end)) {
    tokens.val[k] = ONGOING_VALENCE;
  }
}

/** Whether `text[start, end)` is a word of five letters or more ending in "ing" (any case). */
function endsInIng(text: string, start: number, end: number): boolean {
  return (
    end - start >= 5 &&
    (EN_FOLD[text.charCodeAt(end - 3)] ?? 0) === 105 &&
    (EN_FOLD[text.charCodeAt(end - 2)] ?? 0) === 110 &&
    (EN_FOLD[text.charCodeAt(end - 1)] ?? 0) === 103
  );
}

function tokenizeEnglish(source: string): void {
  const t = getEnglishTables();
  const text = withoutMarkup(source);
  prevKey = -1;
  prevWordToken = -1;
  const len = text.length;
  let i = 0;
  let hasLower = false;
  let capsWords = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if ((EN_FOLD[c] ?? 0) !== 0) {
      // A word: letters, joined by apostrophes and hyphens ("don't", "must-have"). One pass finds its length, its
      // capitals, its hash (lower-cased, without apostrophes) and whether it has three equal letters a–z in a row.
      const start = i;
      let upper = 0;
      let joins = 0;
      let hasHyphen = false;
      let codes = 0;
      let h = FNV_OFFSET;
      let p1 = -1;
      let p2 = -1;
      let elongated = false;
      while (i < len) {
        const d = text.charCodeAt(i);
        const l = EN_FOLD[d] ?? 0;
        if (l !== 0) {
          // l ^ d is 32 for A–Z (folded to a–z) and 0 for every other letter.
          upper += (l ^ d) >>> 5;
          codes |= d;
          h = hashStep(h, l);
          if (l === p1 && l === p2 && l >= 97 && l <= 122) elongated = true;
          p2 = p1;
          p1 = l;
          i++;
        } else if (
          (d === 39 || d === 0x2019 || d === 45) &&
          i + 1 < len &&
          (EN_FOLD[text.charCodeAt(i + 1)] ?? 0) !== 0
        ) {
          if (d === 45) hasHyphen = true;
          joins++;
          i++;
        } else break;
      }
      const letters = i - start - joins;
      const caps = letters > 1 && upper === letters;
      if (caps) capsWords++;
      else if (upper < letters) hasLower = true;
      const before = prevKey;
      const pushed = tokens.n;
      // `codes` has bit 7 or higher set when a letter is outside ASCII.
      if (!hasHyphen && !(codes >= 128 && upper > 0)) {
        // Plain word: ASCII lower-casing is all toLowerCase would do (or there is nothing to lower-case).
        const k = findWord(t, text, start, i, h, letters);
        if (k >= 0) pushKey(t, k, caps);
        else pushOtherWord(t, elongated ? wordString(text, start, i, upper > 0) : undefined, caps);
      } else {
        pushCompoundWord(t, text, start, i, upper > 0, caps);
      }
      if (before >= 0 && tokens.n === pushed + 1 && t.persist[before] !== 0) {
        markOngoing(t.persist[before] ?? 0, text, start, i);
      }
      continue;
    }
    const cls = EN_CLASS[c] ?? EN_SKIP;
    switch (cls) {
      case EN_NEWLINE:
        tokens.pushBreak(BREAK_SENTENCE);
        break;
      case EN_EMOTICON:
      case EN_EMOTICON_CLAUSE: {
        const matched = mayStartEmoticon(t, text, i, c) ? matchEmoticonEnglish(t, text, i) : 0;
        if (matched > 0) {
          i += matched;
          continue;
        }
        if (cls === EN_EMOTICON_CLAUSE) tokens.pushBreak(BREAK_CLAUSE);
        break;
      }
      case EN_EXCLAIM:
        exclamations++;
        tokens.pushBreak(BREAK_SENTENCE);
        break;
      case EN_SENTENCE:
        tokens.pushBreak(BREAK_SENTENCE);
        break;
      case EN_QUESTION:
        tokens.pushBreak(BREAK_QUESTION);
        break;
      case EN_CLAUSE:
        tokens.pushBreak(BREAK_CLAUSE);
        break;
      case EN_HIGH: {
        const cp = text.codePointAt(i) ?? c;
        pushEmoji(t, cp);
        if (cp > 0xffff) i++;
        break;
      }
    }
    i++;
  }
  // Words in capitals stand out only when the text also has lower case. Only capitalised words carry FLAG_CAPS (the
  // lexicon never sets it), so a text without one has nothing to clear.
  if (capsWords > 0 && !hasLower) {
    for (let k = 0; k < tokens.n; k++) tokens.flags[k] = (tokens.flags[k] ?? 0) & ~FLAG_CAPS;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Chinese

/** Flags of a code unit for the Chinese tokenizer. */
const ZH_HAN = 1;
const ZH_FUNCTION = 2;
const ZH_PAUSE = 4;
const ZH_TRADITIONAL = 8;
const ZH_ASCII_WORD = 16;
const ZH_EMOTICON = 32;
/** Maybe an emoji: from U+2000 up and not a space. */
const ZH_HIGH = 64;

/** What a word does beyond its kind: 好 is a degree word before another sentiment word, 快 "almost" before a number. */
const ZH_SPECIAL_NONE = 0;
const ZH_SPECIAL_HAO = 1;
const ZH_SPECIAL_KUAI = 2;

/**
 * The Chinese lexicon as a trie, for forward maximum matching: one step per character of the longest candidate, where
 * trying each word that shares the first character costs a `startsWith` each (over 40 words start with 不). The first
 * character is looked up in a dense table, the next ones in a hash of (node, character).
 */
interface ChineseTables {
  lex: ChineseLexicon;
  /** Code unit → ZH_* flags. */
  flags: Uint8Array;
  /** First code unit of a word → its trie node (0: no word starts with it). */
  root: Int32Array;
  /** Edges below the first character, by open addressing: key `node * 65536 + code unit` + 1 (0: empty) → node. */
  edgeMask: number;
  edgeKey: Int32Array;
  edgeNode: Int32Array;
  /** Trie node → the word that ends there (-1: none). */
  nodeWord: Int32Array;
  /** Word → its entry: kind, valence, degree, excess (see `ChineseEntry`) and ZH_SPECIAL_*. */
  kind: Uint8Array;
  v: Float64Array;
  degree: Float64Array;
  excess: Float64Array;
  special: Uint8Array;
}

let chineseTables: ChineseTables | undefined;

function edgeSlot(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 7) & mask;
}

function buildChineseTables(lex: ChineseLexicon): ChineseTables {
  // Filled range by range (the ranges of `isHan`, `isAsciiWordChar` and `isSpace`): this runs before the JIT.
  const flags = new Uint8Array(0x10000).fill(ZH_HIGH, 0x2000);
  flags[0x3000] = 0;
  const mark = (c: number, f: number): void => {
    if (c < 0x10000) flags[c] = (flags[c] ?? 0) | f;
  };
  flags.fill(ZH_HAN | ZH_HIGH, 0x3400, 0x4dc0);
  flags.fill(ZH_HAN | ZH_HIGH, 0x4e00, 0xa000);
  flags.fill(ZH_HAN | ZH_HIGH, 0xf900, 0xfb00);
  flags.fill(ZH_ASCII_WORD, 48, 58);
  flags.fill(ZH_ASCII_WORD, 65, 91);
  flags.fill(ZH_ASCII_WORD, 97, 123);
  for (const c of lex.pause) mark(c, ZH_PAUSE);
  for (const c of lex.traditional.keys()) mark(c, ZH_TRADITIONAL);
  for (const ch of ZH_FUNCTION_CHARS) mark(ch.charCodeAt(0), ZH_FUNCTION);
  for (const ch of EMOTICON_START) mark(ch.charCodeAt(0), ZH_EMOTICON);

  const words = [...lex.words];
  const kind = new Uint8Array(words.length);
  const v = new Float64Array(words.length);
  const degree = new Float64Array(words.length);
  const excess = new Float64Array(words.length);
  const special = new Uint8Array(words.length);
  // Trie nodes, one per prefix of a word; node 0 is the root.
  const nodeOf = new Map<string, number>();
  const nodeWord: number[] = [-1];
  const root = new Int32Array(0x10000);
  const edges: Array<[number, number, number]> = [];
  words.forEach(([word, e], w) => {
    kind[w] = e.kind;
    v[w] = e.v;
    degree[w] = e.degree;
    excess[w] = e.excess;
    special[w] = word === '好' ? ZH_SPECIAL_HAO : word === '快' ? ZH_SPECIAL_KUAI : ZH_SPECIAL_NONE;
    let node = 0;
    for (let j = 1; j <= word.length; j++) {
      const prefix = word.slice(0, j);
      let next = nodeOf.get(prefix);
      if (next === undefined) {
        next = nodeWord.push(-1) - 1;
        nodeOf.set(prefix, next);
        const code = word.charCodeAt(j - 1);
        if (node === 0) root[code] = next;
        else edges.push([node, code, next]);
      }
      node = next;
    }
    nodeWord[node] = w;
  });
  // Edge keys must stay int32.
  if (nodeWord.length >= 0x8000) throw new Error('Chinese lexicon trie too large');
  let size = 64;
  while (size < edges.length * 4) size *= 2;
  const edgeKey = new Int32Array(size);
  const edgeNode = new Int32Array(size);
  for (const [from, code, to] of edges) {
    const key = from * 0x10000 + code;
    let slot = edgeSlot(key, size - 1);
    while ((edgeKey[slot] ?? 0) !== 0) slot = (slot + 1) & (size - 1);
    edgeKey[slot] = key + 1;
    edgeNode[slot] = to;
  }
  return {
    lex,
    flags,
    root,
    edgeMask: size - 1,
    edgeKey,
    edgeNode,
    nodeWord: Int32Array.from(nodeWord),
    kind,
    v,
    degree,
    excess,
    special,
  };
}

/** The trie node reached from `node` by code unit `code`, 0 when there is none. */
function trieNext(t: ChineseTables, node: number, code: number): number {
  const key = node * 0x10000 + code;
  let slot = edgeSlot(key, t.edgeMask);
  for (;;) {
    const k = t.edgeKey[slot] ?? 0;
    if (k === key + 1) return t.edgeNode[slot] ?? 0;
    if (k === 0) return 0;
    slot = (slot + 1) & t.edgeMask;
  }
}

/** The text with the Traditional characters the lexicon knows replaced by Simplified ones (itself when it has none). */
function toSimplified(t: ChineseTables, source: string): string {
  for (let i = 0; i < source.length; i++) {
    if ((t.flags[source.charCodeAt(i)] ?? 0) & ZH_TRADITIONAL) {
      let out = '';
      for (let j = 0; j < source.length; j++) out += t.lex.traditional.get(source.charCodeAt(j)) ?? source.charAt(j);
      return out;
    }
  }
  return source;
}

function tokenizeChinese(source: string): void {
  chineseTables ??= buildChineseTables(chineseLexicon());
  const t = chineseTables;
  const en = getEnglishTables();
  const text = toSimplified(t, withoutMarkup(source));
  const len = text.length;
  const { flags: charFlags, root, nodeWord } = t;
  let conceded = false;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    const f = charFlags[c] ?? 0;
    if (f & ZH_HAN) {
      // Forward maximum matching: the longest lexicon word that starts at i.
      let word = -1;
      let matched = 0;
      let node = root[c] ?? 0;
      let j = i + 1;
      while (node !== 0) {
        const w = nodeWord[node] ?? -1;
        if (w >= 0) {
          word = w;
          matched = j - i;
        }
        if (j >= len) break;
        node = trieNext(t, node, text.charCodeAt(j++));
      }
      if (word < 0) {
        tokens.pushWord(f & ZH_FUNCTION ? FLAG_FUNCTION : 0, 0);
        i++;
        continue;
      }
      const v = t.v[word] ?? 0;
      switch (t.kind[word]) {
        case 1:
          if (matched === 1 && isInability(t, text, i)) {
            tokens.pushWord(0, INABILITY_VALENCE);
            i += 2;
            continue;
          }
          tokens.pushWord(FLAG_NEGATOR, v);
          break;
        case 2:
          tokens.pushWord(FLAG_NEGATOR | FLAG_SOFT_NEGATOR, v);
          break;
        case 3:
          tokens.pushDegree(FLAG_BOOSTER, v, 0, t.degree[word] ?? 1, t.excess[word] ?? 0);
          break;
        case 4:
          tokens.pushWord(FLAG_CONTRAST, 0);
          break;
        case 5:
          // After a concession ("好吃是好吃，就是太贵了") the caveat is the point, not a minor reservation.
          tokens.pushWord(conceded ? FLAG_CONTRAST : FLAG_CAVEAT, 0);
          break;
        case 6:
          tokens.pushWord(FLAG_SUMMARY, 0);
          break;
        case 7:
          tokens.pushWord(FLAG_WHY, v);
          break;
        default: {
          if (v !== 0 && isConcession(text, i, matched)) {
            // "W是W" concedes W ("好吃是好吃", "便宜是便宜"): the clause weighs less and a caveat after it is the point.
            tokens.pushWord(FLAG_CONCESSIVE, 0);
            tokens.pushWord(0, v);
            conceded = true;
            i += 2 * matched + 1;
            continue;
          }
          // 好 right before another sentiment word is a degree word ("好贵", "好开心"); 快 before a number is
          // "almost" ("快2个小时").
          const special = t.special[word];
          if (special === ZH_SPECIAL_HAO) tokens.pushDegree(FLAG_BOOSTER, v, 0, 1.3, 0);
          else if (special === ZH_SPECIAL_KUAI && i + 1 < len && isAsciiDigit(text.charCodeAt(i + 1)))
            tokens.pushWord(0, 0);
          else tokens.pushWord(0, v);
        }
      }
      i += matched;
      continue;
    }
    if (f & ZH_ASCII_WORD) {
      // An English word or a number: its plain valence, found like an English word.
      const start = i;
      let h = FNV_OFFSET;
      for (; i < len; i++) {
        const d = text.charCodeAt(i);
        if (!isAsciiWordChar(d)) break;
        h = hashStep(h, EN_FOLD[d] ?? 0);
      }
      const k = findWord(en, text, start, i, h, i - start);
      tokens.pushWord(0, k >= 0 ? plainValence(en, k) : 0);
      continue;
    }
    if (f & ZH_PAUSE) {
      if (c === 33 || c === 0xff01) exclamations++;
      const sentenceEnd = c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 33 || c === 63 || c === 10 || c === 46;
      tokens.pushBreak(c === 63 || c === 0xff1f ? BREAK_QUESTION : sentenceEnd ? BREAK_SENTENCE : BREAK_CLAUSE);
      i++;
      continue;
    }
    if (f & ZH_HIGH) {
      const cp = text.codePointAt(i) ?? c;
      pushEmoji(en, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (f & ZH_EMOTICON && mayStartEmoticon(en, text, i, c)) {
      for (let l = 3; l >= 2; l--) {
        const v = i + l <= len ? en.lex.valence.get(text.slice(i, i + l).toLowerCase()) : undefined;
        // "://" is a link, not the emoticon ":/".
        if (v !== undefined && !(text.charCodeAt(i + l - 1) === 47 && text.charCodeAt(i + l) === 47)) {
          pushFace(v);
          i += l - 1;
          break;
        }
      }
    }
    if (c === 32 || c === 10) tokens.pushBreak(c === 10 ? BREAK_SENTENCE : BREAK_CLAUSE);
    i++;
  }
}

/**
 * Result complements that, after "verb 不", say the verb cannot succeed: 登录不上, 充不进, 用不了, 打不开, 盖不严, 拉不动,
 * 睡不着, 买不起, 行不通, 吃不惯. (不到, 不住, 不下 and 不完 are left out: "不到一小时就送到了" is praise, 忍不住 and
 * 停不下来 often are, 吃不完 is about the portion.)
 */
const INABILITY_COMPLEMENTS = '了上进开动严着起通惯';
/** Valence of "verb 不 complement": something that cannot be done is a complaint. */
const INABILITY_VALENCE = -1.2;

/**
 * Whether the negator at `i` is the 不 of a potential complement ("verb 不 complement", inability): after a Han
 * character that is not a function word, before a complement that does not start a longer lexicon word (不开心 is
 * unhappy, not "cannot open"). Words the lexicon lists whole (打不开, 受不了, 离不开) never get here.
 */
function isInability(t: ChineseTables, text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 0x4e0d || i === 0 || i + 1 >= text.length) return false;
  const before = t.flags[text.charCodeAt(i - 1)] ?? 0;
  if (!(before & ZH_HAN) || before & ZH_FUNCTION) return false;
  const c = text.charCodeAt(i + 1);
  if (!INABILITY_COMPLEMENTS.includes(String.fromCharCode(c))) return false;
  // A lexicon word of two characters or more at the complement ("开心", "上班") is that word, not a complement.
  let node = t.root[c] ?? 0;
  for (let j = i + 2; node !== 0 && j < text.length; j++) {
    node = trieNext(t, node, text.charCodeAt(j));
    if (node !== 0 && (t.nodeWord[node] ?? -1) >= 0) return false;
  }
  return true;
}

/** Whether the word `text[i, i + n)` is followed by 是 and itself again (the concession "W是W"). */
function isConcession(text: string, i: number, n: number): boolean {
  const j = i + n + 1;
  if (text.charCodeAt(i + n) !== 0x662f || j + n > text.length) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(i + k) !== text.charCodeAt(j + k)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------------
// Scoring

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
  // The token arrays in locals: the buffer does not grow while it is scored.
  const { n, flags: tokenFlags, val, negVal, boostAdd: tokenBoostAdd, boostMul: tokenBoostMul } = tokens;
  const tokenExcess = tokens.excess;
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
  let why = false;

  for (let i = 0; i <= n; i++) {
    const end = i === n;
    const flags = end ? 0 : (tokenFlags[i] ?? 0);
    // Fast path for the commonest token, a word without valence or role while no negator or excess is pending: all
    // the general path below would do is end the reach of a degree word two words back.
    if (!end && (flags & ~(FLAG_FUNCTION | FLAG_CAPS)) === 0 && negIdx < 0 && excess === 0 && val[i] === 0) {
      if (++boostDist > 1) {
        boostAdd = 0;
        boostMul = 1;
      }
      continue;
    }
    const isBreak = end || (flags & FLAG_BREAK) !== 0;
    if (isBreak || flags & (FLAG_CONTRAST | FLAG_CONCESSIVE) || (flags & FLAG_NEGATOR && negIdx < 0)) {
      // A pending negator that negated nothing keeps its own valence ("no reply", "没有送水").
      if (negIdx >= 0) {
        const own = val[negIdx] ?? 0;
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
      else if (!end && isBreak && (val[i] ?? 0) >= BREAK_SENTENCE) {
        sentenceWeight = 1;
        if (val[i] === BREAK_QUESTION) weighQuestion(sentenceStart, why);
        sentenceStart = contribN;
        why = false;
      }
      continue;
    }
    if (flags & FLAG_NEGATOR) {
      if (negIdx >= 0) {
        // Adjacent negators cancel ("not without", "不是不好").
        if (negDist === 0) {
          negIdx = -1;
          continue;
        }
        // A later negator starts a new negation: the pending one negated nothing and keeps its own valence ("didn't
        // turn up and didn't call").
        const own = val[negIdx] ?? 0;
        if (own !== 0) addContribution(negIdx, (concessive ? own * 0.5 : own) * sentenceWeight);
      }
      negIdx = i;
      negSoft = (flags & FLAG_SOFT_NEGATOR) !== 0;
      negDist = 0;
      negBoosted = false;
      continue;
    }
    if (flags & FLAG_WHY) why = true;
    let v = val[i] ?? 0;
    const negated = negVal[i] ?? Number.NaN;
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
      boostAdd += tokenBoostAdd[i] ?? 0;
      boostMul *= tokenBoostMul[i] ?? 1;
      excess = tokenExcess[i] ?? 0;
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
        const own = val[negIdx] ?? 0;
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
      // A word of almost no sentiment ("support" the department) gives the negation nothing to flip: the negator
      // keeps its own valence ("no response from support").
      const own = val[negIdx] ?? 0;
      if (own !== 0 && Math.abs(val[i] ?? 0) < WEAK_VALENCE) v = own;
      else v *= negSoft || negBoosted ? SOFT_NEGATION_SCALE : NEGATION_SCALE;
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

/**
 * Weighs the contributions of a question from `from` on: questions carry less sentiment than statements ("can you
 * help with my booking?"), except the complaint in a "why" question ("why is it still not fixed?").
 */
function weighQuestion(from: number, why: boolean): void {
  for (let k = from; k < contribN; k++) {
    const v = contribVal[k] ?? 0;
    if (!(why && v < 0)) contribVal[k] = v * QUESTION_WEIGHT;
  }
}

/** Whether the token after `i` is a word that carries sentiment or modifies it. */
function isSentimentAhead(i: number): boolean {
  const next = i + 1;
  if (next >= tokens.n) return false;
  const f = tokens.flags[next] ?? 0;
  if (f & FLAG_BREAK) return false;
  return (tokens.val[next] ?? 0) !== 0 || (f & (FLAG_BOOSTER | FLAG_NEGATOR)) !== 0;
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
