import { cleanText, isPersonalValue } from './clean.js';
import { parseDate } from './dates.js';
import { parseRating } from './scores.js';

/**
 * What a column's sampled values look like, independent of its name: the evidence the columns stage weighs against
 * the name prior. Shares are of the filled values (placeholders such as `N/A`, `(空)` and blanks are empty).
 */
export interface ColumnProfile {
  index: number;
  /** Sampled rows (filled or not). */
  rows: number;
  filled: number;
  fillRate: number;
  distinct: number;
  /** Distinct values over filled values (1 when every value differs). */
  distinctRatio: number;
  /** Median length in characters of the filled values. */
  medianLength: number;
  /** Parse as a date written with separators or month names (not a bare number, which may be an id). */
  dateShare: number;
  /** Bare numbers that would parse as epoch seconds or milliseconds (dates only where the name says time). */
  epochShare: number;
  /** Plain numbers. */
  numberShare: number;
  /** Whole numbers 0–10. */
  zeroToTenShare: number;
  /** Numbers 1–5 (halves allowed). */
  oneToFiveShare: number;
  /** 0/1, true/false, yes/no. */
  binaryShare: number;
  /** Likert or star labels (`Strongly agree`, `非常满意`, `★★★★`, Douban's `力荐`…`很差`): 1–5 without being a number. */
  labelShare: number;
  /** Id-shaped: long digit strings, UUIDs, Qualtrics `R_…`, long letter-and-digit tokens without spaces. */
  idShare: number;
  /** Prose: several words, or a sentence (punctuation), or a long run of CJK. */
  proseShare: number;
  /** Links. */
  urlShare: number;
  /** Values that are one piece of personal data (an e-mail address, a phone or identity number) and nothing else. */
  personalShare: number;
  /** Whole numbers counting up by one from 0 or 1, row after row: a row number, never an id. */
  consecutive: boolean;
  /** Largest plain number, when any. */
  maxNumber: number | undefined;
}

const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
const BINARY = new Set(['0', '1', 'true', 'false', 'yes', 'no', 'y', 'n', '是', '否']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_TOKEN = /^(?=.*\d)[A-Za-z0-9_:.-]{8,}$/;
const QUALTRICS_ID = /^R_[A-Za-z0-9]{10,}$/;
const LONG_DIGITS = /^\d{8,}$/;
const URL = /^https?:\/\//i;
const SENTENCE = /[。！？，；…]|[.!?,;](?:\s|$)/;
const CJK = /[\u3400-\u9fff]/g;
const LETTER = /\p{L}/u;

/** Profiles each column of the sample (rows of raw cells). */
export function profileColumns(columnCount: number, sample: readonly (readonly string[])[]): ColumnProfile[] {
  const out: ColumnProfile[] = [];
  for (let i = 0; i < columnCount; i++)
    out.push(
      profileColumn(
        i,
        sample.map((row) => row[i] ?? ''),
      ),
    );
  return out;
}

/** Profiles one column from its raw sampled values. */
export function profileColumn(index: number, raw: readonly string[]): ColumnProfile {
  const values: string[] = [];
  for (const v of raw) {
    const c = cleanText(v);
    if (c !== undefined) values.push(c);
  }
  const n = values.length;
  const share = (test: (v: string) => boolean) => (n === 0 ? 0 : values.filter(test).length / n);
  const distinct = new Set(values).size;
  const numbers = values.filter((v) => NUMBER.test(v)).map((v) => Number(v.replace(',', '.')));
  return {
    index,
    rows: raw.length,
    filled: n,
    fillRate: raw.length === 0 ? 0 : n / raw.length,
    distinct,
    distinctRatio: n === 0 ? 0 : distinct / n,
    medianLength: median(values.map((v) => v.length)),
    dateShare: share(isDateShaped),
    epochShare: share((v) => /^\d{9,10}$|^\d{12,13}$/.test(v) && 'ms' in parseDate(v, 'UTC', undefined, Date.now())),
    numberShare: numbers.length / Math.max(n, 1),
    zeroToTenShare: share((v) => NUMBER.test(v) && Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 10),
    oneToFiveShare: share(
      (v) => NUMBER.test(v) && Number(v) >= 1 && Number(v) <= 5 && Number(v) * 2 === Math.round(Number(v) * 2),
    ),
    binaryShare: share((v) => BINARY.has(v.toLowerCase())),
    labelShare: share(isScoreLabel),
    idShare: share(isIdShaped),
    proseShare: share(isProse),
    urlShare: share((v) => URL.test(v)),
    personalShare: share(isPersonalValue),
    consecutive: isConsecutive(numbers, n),
    maxNumber: numbers.length === 0 ? undefined : Math.max(...numbers),
  };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** A date written as one (`2024-05-01`, `M/D/YYYY h:mm`, `April 23, 2022`, `2019年2月20日`), not a bare number. */
function isDateShaped(v: string): boolean {
  if (!/\d/.test(v) || /^[+-]?\d+(?:\.\d+)?$/.test(v) || v.length > 40) return false;
  return 'ms' in parseDate(v, 'UTC', undefined, Date.now());
}

/** A 1–5 answer written as words or stars (`Very satisfied`, `★★★★`, `还行`). */
function isScoreLabel(v: string): boolean {
  if (NUMBER.test(v) || v.length > 40) return false;
  const r = parseRating(v, 'numeric');
  return r !== undefined && 'value' in r;
}

function isIdShaped(v: string): boolean {
  if (/\s/.test(v)) return false;
  if (UUID.test(v) || QUALTRICS_ID.test(v) || LONG_DIGITS.test(v)) return true;
  return ID_TOKEN.test(v) && /[A-Za-z]/.test(v) && !URL.test(v) && !isDateShaped(v);
}

/**
 * Free text: at least four words (space-separated, with letters), or three in a sentence, or eight CJK characters,
 * or four in a sentence. Logs and key:value strings have no spaces between their words: not prose.
 */
export function isProse(v: string): boolean {
  if (URL.test(v)) return false;
  const cjk = v.match(CJK)?.length ?? 0;
  if (cjk >= 8) return true;
  if (cjk >= 4 && SENTENCE.test(v)) return true;
  let words = 0;
  for (const t of v.split(/\s+/)) if (LETTER.test(t)) words++;
  return words >= 4 || (words >= 3 && SENTENCE.test(v));
}

/** Whole numbers in sample order, each one more than the last (at least three). */
function isConsecutive(numbers: readonly number[], filled: number): boolean {
  if (numbers.length < 3 || numbers.length !== filled) return false;
  for (let i = 1; i < numbers.length; i++) if (numbers[i] !== (numbers[i - 1] as number) + 1) return false;
  // A row number restarts at 0 or 1 in every export; a run starting elsewhere is a slice of a tool's running response
  // numbering (MS Forms `Id` 44, 45…), which does name the response.
  return numbers[0] === 0 || numbers[0] === 1;
}

/** What one cell looks like on its own: a header's cells are names, a record's are prose, numbers, dates, labels. */
export type CellKind = 'prose' | 'number' | 'date' | 'label' | 'name';

export function cellKind(v: string): CellKind {
  const s = v.trim();
  if (NUMBER.test(s)) return 'number';
  if (isDateShaped(s)) return 'date';
  if (isScoreLabel(s)) return 'label';
  return isProse(s) ? 'prose' : 'name';
}

/** Whether the values below a cell are mostly of the cell's kind. */
export function columnIsOfKind(p: ColumnProfile, kind: CellKind): boolean {
  switch (kind) {
    case 'prose':
      return p.proseShare >= 0.5;
    case 'number':
      return p.numberShare >= 0.8;
    case 'date':
      return p.dateShare >= 0.8;
    case 'label':
      return p.labelShare >= 0.6;
    default:
      return false;
  }
}

/** Few distinct values over many rows: a category, a label, a choice — never free text. */
export function isCategorical(p: ColumnProfile): boolean {
  return p.filled >= 50 && p.distinct <= 10;
}

/**
 * How much a column reads as the customer's free text, 0–1: prose share times how distinct and filled it is;
 * 0 for categories, links, dates, numbers and ids.
 */
export function textFit(p: ColumnProfile): number {
  if (p.filled === 0 || isCategorical(p)) return 0;
  const other = Math.max(p.urlShare, p.dateShare, p.idShare, p.zeroToTenShare, p.labelShare, p.binaryShare);
  if (other >= 0.5) return 0;
  return p.proseShare * Math.min(1, p.distinctRatio * 1.25) * Math.min(1, 0.5 + p.fillRate);
}

/** Evidence in words, for `feedback check` (never cell values: only shares and counts). */
export function describeProfile(p: ColumnProfile): string {
  if (p.filled === 0) return 'no sampled value';
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const parts: string[] = [];
  if (isCategorical(p)) parts.push(`${p.distinct} distinct value${p.distinct === 1 ? '' : 's'}`);
  else if (p.proseShare >= 0.5) parts.push('prose');
  if (p.dateShare >= 0.5) parts.push(`${pct(p.dateShare)} dates`);
  if (p.labelShare >= 0.5) parts.push(`${pct(p.labelShare)} score labels`);
  else if (p.oneToFiveShare >= 0.5) parts.push(`${pct(p.oneToFiveShare)} in 1–5`);
  else if (p.zeroToTenShare >= 0.5) parts.push(`${pct(p.zeroToTenShare)} in 0–10`);
  if (p.idShare >= 0.5) parts.push(`${pct(p.idShare)} id-shaped`);
  if (p.consecutive) parts.push('row numbers');
  if (!isCategorical(p)) parts.push(`${pct(p.distinctRatio)} distinct`);
  parts.push(`median ${p.medianLength} chars`);
  if (p.fillRate < 0.95) parts.push(`${pct(p.fillRate)} filled`);
  return parts.join(', ');
}
