/**
 * English lexicon for the offline model, built once per process.
 *
 * Base valences (about -4..+4) come from the VADER lexicon (`vader-sentiment`, Apache-2.0, lexicon MIT, by
 * C.J. Hutto); words VADER lacks fall back to AFINN-165 (`sentiment`, MIT, by Finn Årup Nielsen), scaled to VADER's
 * range; emoji come from the Emoji Sentiment Ranking shipped with `sentiment`. On top sit hand-written entries for the
 * vocabulary of customer feedback (products, service, delivery, apps, travel) that general-purpose lexicons miss, in
 * `lexicon-en-feedback.ts`.
 * Only the local endpoint and benchmarks load this file: it reads from node_modules and is never in a Lambda bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FEEDBACK_BIGRAMS, FEEDBACK_WORDS, NEGATED, NEGATOR_ALONE } from './lexicon-en-feedback.js';

/** Everything the tokenizer needs to know about one word, looked up once. */
export interface EnglishWord {
  /** Own valence (for a negator: the valence it keeps when it negates nothing). */
  v: number;
  /** Bit set: 1 negator, 4 contrast, 8 concessive, 16 degree word, 32 function word, 128 summary, 1024 "why" or "where". */
  flags: number;
  /** Degree added to the next sentiment word's magnitude (negative damps). */
  boost: number;
  /** Valence a following unknown word takes ("too small"). */
  excess: number;
  /** Valence when negated, for words whose negation is not a scaled flip ("not worth", "won't return"); NaN if none. */
  neg: number;
}

export interface EnglishLexicon {
  /** Lower-case word → everything the tokenizer needs, in one lookup. */
  words: Map<string, EnglishWord>;
  /** Lower-case word or emoticon → valence. */
  valence: Map<string, number>;
  /** Emoji code point → valence. */
  emoji: Map<number, number>;
  /** Degree adverbs: positive boosts, negative damps. */
  boosters: Map<string, number>;
  negators: Set<string>;
  /** Words that turn the weight to what follows (VADER's "but" rule). */
  contrast: Set<string>;
  concessive: Set<string>;
  negatorAlone: Map<string, number>;
  /** Two-word expressions whose meaning differs from their parts, keyed `"w1 w2"`. */
  bigrams: Map<string, number>;
  /** First words of `bigrams`, to avoid building a key for every word pair. */
  bigramStarts: Set<string>;
  /** Valence of a bigram when negated, where it is not a scaled flip ("won't be back"). */
  bigramNegated: Map<string, number>;
}

const B = 0.293;

const BOOSTERS: Record<string, number> = {
  absolutely: B,
  amazingly: B,
  awfully: B,
  completely: B,
  considerably: B,
  decidedly: B,
  deeply: B,
  enormously: B,
  entirely: B,
  especially: B,
  exceptionally: B,
  extremely: B,
  fully: B,
  greatly: B,
  highly: B,
  hugely: B,
  incredibly: B,
  intensely: B,
  most: B,
  particularly: B,
  quite: B,
  really: B,
  remarkably: B,
  so: B,
  super: B,
  soo: B,
  sooo: B,
  substantially: B,
  thoroughly: B,
  totally: B,
  tremendously: B,
  truly: B,
  unbelievably: B,
  utterly: B,
  very: B,
  too: B,
  real: B,
  damn: B,
  freaking: B,
  fucking: B,
  definitely: B,
  certainly: B,
  honestly: B,
  seriously: B,
  genuinely: B,
  almost: -B,
  barely: -B,
  hardly: -B,
  kinda: -B,
  less: -B,
  little: -B,
  marginally: -B,
  occasionally: -B,
  partly: -B,
  scarcely: -B,
  slightly: -B,
  somewhat: -B,
  sorta: -B,
  fairly: -B,
  rather: -B,
  bit: -B,
};

const NEGATORS = [
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'nobody',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'mustnt',
  'neednt',
  'rarely',
  'seldom',
  'lack',
  'lacks',
  'lacking',
  'hardly',
  'barely',
  'nope',
  'n\u2019t',
];

const CONTRAST = ['but', 'however', 'nevertheless', 'nonetheless', 'except'];

/** Concessive words: the clause they open weighs less ("although the screen is nice, ..."). */
const CONCESSIVE = ['although', 'though', 'despite', 'whilst'];

/** Summary markers: the clause they open is the overall verdict. */
const SUMMARY = ['overall', 'altogether'];

const FUNCTION_WORDS =
  'a an the to of and or i it its is was be been are were this that my me we our in on at for with as by from'.split(
    ' ',
  );

const EMOTICONS: Record<string, number> = {
  ':)': 2.0,
  ':-)': 2.0,
  ':]': 1.8,
  '=)': 1.8,
  ':d': 2.3,
  ':-d': 2.3,
  xd: 1.6,
  ';)': 1.6,
  ';-)': 1.6,
  ':p': 1.2,
  ':-p': 1.2,
  '<3': 2.6,
  '^_^': 2.0,
  '^^': 1.7,
  ':(': -2.0,
  ':-(': -2.0,
  ':[': -1.8,
  ":'(": -2.3,
  ':/': -1.2,
  ':-/': -1.2,
  ':|': -0.6,
  '>:(': -2.5,
  'd:': -1.8,
  '</3': -2.3,
  t_t: -2.0,
  ';(': -2.0,
};

/** Common words spelt like an inflection of a lexicon word, with another meaning ("likely" is not "like" + ly). */
const NOT_INFLECTIONS = new Set(
  'likely hands handed hardly fairly lately shortly leaves numbers originally barely merely scarcely partly closely'.split(
    ' ',
  ),
);

function load(): EnglishLexicon {
  const require = createRequire(import.meta.url);
  const valence = new Map<string, number>();
  const vader = readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8');
  for (const line of vader.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const word = line.slice(0, tab);
    const value = Number.parseFloat(line.slice(tab + 1, line.indexOf('\t', tab + 1)));
    if (Number.isFinite(value)) valence.set(word.toLowerCase(), value);
  }
  const afinn = JSON.parse(readFileSync(require.resolve('sentiment/languages/en/labels.json'), 'utf8')) as Record<
    string,
    number
  >;
  for (const [word, value] of Object.entries(afinn)) {
    if (!valence.has(word)) valence.set(word, value * 0.75);
  }
  for (const [word, value] of Object.entries(FEEDBACK_WORDS)) valence.set(word, value);
  for (const [token, value] of Object.entries(EMOTICONS)) valence.set(token, value);
  // Inflections the lexicons list only in their base form. Only base words of four letters or more: shorter ones make
  // forms that are other words (had and has from "ha", band from "ban", wind from "win"). "-d" only after a final e and
  // "-ed" only after another letter ("banned" stays unknown rather than becoming "band"). A form the lexicons list is
  // kept as listed, and common words that merely look like a form are left out.
  for (const [word, value] of [...valence]) {
    if (word.length < 4 || !/^[a-z]+$/.test(word) || value === 0) continue;
    const e = word.endsWith('e');
    for (const form of [`${word}s`, e ? `${word}d` : `${word}ed`, `${word}ly`]) {
      if (!valence.has(form) && !NOT_INFLECTIONS.has(form)) valence.set(form, value * 0.9);
    }
  }

  const emoji = new Map<number, number>();
  const emojiData = JSON.parse(readFileSync(require.resolve('sentiment/build/emoji.json'), 'utf8')) as Record<
    string,
    number
  >;
  for (const [char, value] of Object.entries(emojiData)) {
    const cp = char.codePointAt(0);
    if (cp !== undefined && [...char].length === 1) emoji.set(cp, value * 0.9);
  }
  // Emoji the ranking weighs oddly for feedback.
  const emojiOverrides: Array<[string, number]> = [
    ['😂', 0.8],
    ['😭', -1.8],
    ['😡', -2.8],
    ['🤬', -3.0],
    ['😠', -2.5],
    ['👎', -2.4],
    ['👍', 2.0],
    ['💩', -2.2],
    ['🤮', -2.6],
    ['🤢', -2.2],
    ['😞', -2.0],
    ['😤', -2.0],
    ['🙄', -1.6],
    ['😢', -2.0],
    ['😔', -1.6],
    ['😕', -1.2],
    ['🥰', 2.8],
    ['🤩', 2.8],
    ['🙂', 1.4],
    ['🙁', -1.4],
    ['⭐', 1.2],
    ['✅', 1.0],
    ['❌', -1.2],
    ['💯', 2.0],
    ['🔥', 1.5],
    // Exasperation and irony; the gender signs that follow a person emoji (🤦‍♀️) say nothing.
    ['🤦', -1.6],
    ['🙃', -0.8],
    ['🥲', -0.6],
    ['🤔', 0],
    ['♀', 0],
    ['♂', 0],
  ];
  for (const [char, value] of emojiOverrides) {
    const cp = char.codePointAt(0);
    if (cp !== undefined) emoji.set(cp, value);
  }

  const words = new Map<string, EnglishWord>();
  const word = (w: string): EnglishWord => {
    let e = words.get(w);
    if (!e) {
      e = { v: valence.get(w) ?? 0, flags: 0, boost: 0, excess: 0, neg: Number.NaN };
      words.set(w, e);
    }
    return e;
  };
  for (const w of valence.keys()) word(w);
  for (const w of FUNCTION_WORDS) word(w).flags |= 32;
  for (const [w, b] of Object.entries(BOOSTERS)) {
    const e = word(w);
    e.flags |= 16;
    e.boost = b;
    if (w === 'too') e.excess = -1.1;
  }
  for (const w of CONCESSIVE) word(w).flags = 8;
  for (const w of CONTRAST) word(w).flags = 4;
  for (const w of SUMMARY) word(w).flags = 128;
  for (const w of ['why', 'where', 'wheres']) word(w).flags |= 1024;
  for (const w of NEGATORS) {
    const e = word(w);
    e.flags = 1;
    e.v = NEGATOR_ALONE[w] ?? 0;
  }

  const bigramNegated = new Map<string, number>();
  for (const [w, n] of Object.entries(NEGATED)) {
    if (w.includes(' ')) bigramNegated.set(w, n);
    else word(w).neg = n;
  }

  const bigrams = new Map(Object.entries(FEEDBACK_BIGRAMS));
  const bigramStarts = new Set<string>();
  for (const key of bigrams.keys()) bigramStarts.add(key.slice(0, key.indexOf(' ')));
  return {
    words,
    valence,
    emoji,
    boosters: new Map(Object.entries(BOOSTERS)),
    negators: new Set(NEGATORS),
    contrast: new Set(CONTRAST),
    concessive: new Set(CONCESSIVE),
    negatorAlone: new Map(Object.entries(NEGATOR_ALONE)),
    bigrams,
    bigramStarts,
    bigramNegated,
  };
}

let cached: EnglishLexicon | undefined;

/** The English lexicon, loaded on first use. */
export function englishLexicon(): EnglishLexicon {
  cached ??= load();
  return cached;
}
