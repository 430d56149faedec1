/** Scores as exports write them: NPS 0–10, ratings 1–5, Likert and star labels (en, zh), placeholders. */
import { hasNonAscii, toSimplified } from './han.js';
import type { RatingScale } from './types.js';

export type ScoreResult = { value: number } | { problem: 'SCORE_OUT_OF_RANGE' | 'SCORE_UNPARSEABLE' } | undefined;

const LIKERT: Record<string, number> = {
  'very satisfied': 5,
  'extremely satisfied': 5,
  'completely satisfied': 5,
  satisfied: 4,
  'somewhat satisfied': 4,
  'mostly satisfied': 4,
  neutral: 3,
  'neither satisfied nor dissatisfied': 3,
  'neither satisfied or dissatisfied': 3,
  'somewhat dissatisfied': 2,
  dissatisfied: 2,
  unsatisfied: 2,
  'very dissatisfied': 1,
  'extremely dissatisfied': 1,
  'very unsatisfied': 1,
  'strongly agree': 5,
  agree: 4,
  'neither agree nor disagree': 3,
  disagree: 2,
  'strongly disagree': 1,
  excellent: 5,
  'very good': 4,
  good: 3,
  fair: 2,
  poor: 1,
  'very poor': 1,
  // Freshdesk satisfaction survey.
  'extremely happy': 5,
  happy: 4,
  unhappy: 2,
  'extremely unhappy': 1,
  // Intercom conversation ratings (shown with an emoji in front: `🤩 Amazing`, `😠 Terrible`).
  amazing: 5,
  great: 4,
  ok: 3,
  okay: 3,
  bad: 2,
  terrible: 1,
  非常满意: 5,
  很满意: 5,
  十分满意: 5,
  满意: 4,
  比较满意: 4,
  较满意: 4,
  一般: 3,
  普通: 3,
  中立: 3,
  还行: 3,
  不太满意: 2,
  不满意: 2,
  较不满意: 2,
  比较不满意: 2,
  非常不满意: 1,
  很不满意: 1,
  极不满意: 1,
  好评: 5,
  中评: 3,
  差评: 1,
  // Douban's star words, five stars down to one.
  力荐: 5,
  推荐: 4,
  较差: 2,
  很差: 1,
};

const GOOD_BAD: Record<string, number | null> = {
  good: 5,
  'good, i am satisfied': 5,
  "good, i'm satisfied": 5,
  bad: 1,
  'bad, i am unsatisfied': 1,
  "bad, i'm unsatisfied": 1,
  offered: null,
  'not offered': null,
  unoffered: null,
};

const NUMBER = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;
const LEADING_NUMBER = /^(\d{1,2}(?:\.\d+)?)\s*(?:\/\s*(?:5|10)|stars?|颗星|星级|星|分|[-–:]\s*\S.*|[(（].*)?$/i;
/** An NPS end label before its number (`Not at all likely 0`, `Extremely likely 10`). */
const TRAILING_NPS = /^[^\d]{3,60}?\s(\d{1,2})$/;
/**
 * Star ratings scraped with their page's CSS class: Mafengwo's `s-star4`, Dianping's `sml-str40` / `allstar40`
 * (tens of a five-star scale).
 */
const STAR_CLASS = /^(?:[a-z]+[-_])*(?:all)?(?:star|str)[-_]?(\d{1,2})$/i;
/** `五星`, `四颗星`, `三星级`: Chinese star ratings written with numerals. */
const CN_STARS = /^([一二两三四五])\s*颗?\s*星级?$/;
const CN_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

function parseNumber(s: string): number | undefined {
  if (NUMBER.test(s)) return nearInteger(Number(s.replace(',', '.')));
  const m = LEADING_NUMBER.exec(s);
  if (m?.[1] !== undefined) return Number(m[1]);
  const stars = s.replace(/[☆\s]/g, '');
  if (stars.length > 0 && stars.length <= 5 && /^★+$/.test(stars)) return stars.length;
  const starClass = STAR_CLASS.exec(s);
  if (starClass?.[1] !== undefined) {
    const n = Number(starClass[1]);
    return n >= 10 && n % 10 === 0 ? n / 10 : n;
  }
  if (hasNonAscii(s)) {
    // Full-width digits (`５`, `１０分`) and Traditional forms (`五顆星`) read like their plain forms.
    const plain = toSimplified(s.normalize('NFKC'));
    if (plain !== s) return parseNumber(plain);
    const cn = CN_STARS.exec(s);
    if (cn?.[1] !== undefined) return CN_NUMERALS[cn[1]];
  }
  return undefined;
}

/** A spreadsheet formula's float noise (`8.999999999999998`) read as the whole number it stands for. */
function nearInteger(n: number): number {
  if (Number.isInteger(n)) return n;
  const r = Math.round(n);
  return Math.abs(n - r) < 1e-9 ? r : n;
}

/** NPS answer 0–10 (whole numbers). Empty is missing, never zero. */
export function parseNps(raw: string): ScoreResult {
  const s = raw.trim();
  if (s.length === 0 || isPlaceholderScore(s)) return undefined;
  let n = parseNumber(s);
  if (n === undefined) {
    // Slow path: a "no answer" option, or a number wrapped in symbols (`(10)`).
    const bare = stripDecoration(s);
    if (isNoAnswer(s) || (bare !== undefined && isNoAnswer(bare))) return undefined;
    n = bare === undefined ? undefined : parseNumber(bare);
    if (n === undefined) {
      const t = TRAILING_NPS.exec(s);
      if (t?.[1] === undefined) return { problem: 'SCORE_UNPARSEABLE' };
      n = Number(t[1]);
    }
  }
  if (n < 0 || n > 10 || !Number.isInteger(n)) return { problem: 'SCORE_OUT_OF_RANGE' };
  return { value: n };
}

/** A Likert label (lower-cased), also in full-width or Traditional forms (`非常滿意`). */
function likert(lower: string): number | undefined {
  return LIKERT[lower] ?? (hasNonAscii(lower) ? LIKERT[toSimplified(lower.normalize('NFKC'))] : undefined);
}

/** Rating/CSAT 1–5: numbers, stars, Likert labels (English and Chinese), or Zendesk Good/Bad. */
export function parseRating(raw: string, scale: RatingScale): ScoreResult {
  const s = raw.trim();
  if (s.length === 0 || isPlaceholderScore(s)) return undefined;
  const lower = s.toLowerCase().replace(/\s+/g, ' ');
  if (scale === 'good-bad') {
    const v = goodBad(lower);
    if (v === null) return undefined;
    if (v !== undefined) return { value: v };
  }
  const label = likert(lower);
  if (label !== undefined) return { value: label };
  const n = parseNumber(s) ?? decoratedRating(s, scale);
  if (n === null) return undefined;
  if (n === undefined) return { problem: 'SCORE_UNPARSEABLE' };
  if (n < 1 || n > 5) return { problem: 'SCORE_OUT_OF_RANGE' };
  return { value: n };
}

/**
 * Slow path, after the plain lookups fail: an answer meaning "no answer" (`null`), or a label or number wrapped in
 * emoji, symbols or punctuation (Intercom's `🤩 Amazing`, `Great!`, `5 ⭐`).
 */
function decoratedRating(s: string, scale: RatingScale): number | null | undefined {
  if (isNoAnswer(s)) return null;
  const bare = stripDecoration(s);
  if (bare === undefined) return undefined;
  if (isNoAnswer(bare)) return null;
  const lower = bare.toLowerCase().replace(/\s+/g, ' ');
  if (scale === 'good-bad') {
    const v = goodBad(lower);
    if (v !== undefined) return v;
  }
  return likert(lower) ?? parseNumber(bare);
}

/** Emoji (with their modifiers and joiners), symbols and punctuation at either end of an answer. */
const DECORATION_RUN = String.raw`(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\p{S}\p{P}\s]|\uFE0E|\uFE0F|\u200D|\u20E3)+`;
const DECORATION = new RegExp(`^${DECORATION_RUN}|${DECORATION_RUN}$`, 'gu');

/** `s` without the decoration at its ends; `undefined` when nothing (or everything) was stripped. */
function stripDecoration(s: string): string | undefined {
  const bare = s.replace(DECORATION, '');
  return bare.length === 0 || bare.length === s.length ? undefined : bare;
}

/** Survey options that mean "no answer" (Qualtrics `Not applicable`, `Don't know`, …), compared lower-case. */
const NO_ANSWER = new Set([
  'not applicable',
  'n/a - not applicable',
  'n/a not applicable',
  'does not apply',
  "don't know",
  'do not know',
  'dont know',
  "i don't know",
  'prefer not to say',
  'prefer not to answer',
  "i'd prefer not to say",
  'rather not say',
  '不适用',
  '不適用',
  '不清楚',
  '不知道',
  // 问卷星 writes this for a question the respondent's path skipped.
  '跳过',
  '（跳过）',
]);

/** Slow-path placeholder check (after the score failed to parse): the answer options meaning "no answer". */
function isNoAnswer(s: string): boolean {
  const l = s
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s*[-–—]\s*/g, ' - ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.()[\]]+|[\s.!()[\]]+$/g, '');
  return NO_ANSWER.has(l);
}

function isPlaceholderScore(s: string): boolean {
  const l = s.toLowerCase();
  return l === '-' || l === 'n/a' || l === 'na' || l === 'null' || l === '(空)' || l === 'nan' || l === 'none';
}

/** Zendesk's satisfaction label (`Good, I’m satisfied` with either apostrophe); `undefined` if it is none. */
function goodBad(lower: string): number | null | undefined {
  const v = GOOD_BAD[lower];
  return v !== undefined || !lower.includes('’') ? v : GOOD_BAD[lower.replace(/’/g, "'")];
}

/**
 * A zendesk-style Good/Bad column: at least 4 in 5 of its sampled values are Good/Bad/Offered/Not Offered (one odd
 * value must not turn `Good` into a Likert 3 for the whole file; it gets its own warning).
 */
export function looksGoodBad(values: readonly string[]): boolean {
  let hits = 0;
  let answers = 0;
  for (const v of values) {
    const l = v.trim().toLowerCase().replace(/\s+/g, ' ');
    if (l === '') continue;
    answers++;
    if (goodBad(l) !== undefined) hits++;
  }
  return hits > 0 && hits * 5 >= answers * 4;
}
