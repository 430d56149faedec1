/** Dates and times as exports write them: formats, day order, zones, offsets, to UTC instants. */
import { hasNonAscii, toSimplified } from './han.js';
import type { DateOrder } from './types.js';

export type DateResult = { ms: number } | { problem: 'DATE_UNPARSEABLE' } | { ms: number; conflict: true };

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const YMD_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/**
 * Chinese dates: `2024年3月8日 14时20分`, `2024/3/5 下午2:02`, `2024-03-05 晚上9点05分30秒` (after NFKC, so full-width
 * digits and colons are plain). Groups: year, month, day, meridiem, hour, minute, second, meridiem.
 */
const CN_DATE =
  /^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?\s*(?:(上午|早上|凌晨|中午|下午|晚上|傍晚|AM|PM)?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*分?\s*(?::?\s*(\d{1,2})\s*秒?)?\s*(上午|下午|AM|PM)?)?$/i;

/** Hour on the 24-hour clock for a Chinese or English meridiem word. */
function meridiemHour(h: number, word: string | undefined): number {
  if (word === undefined) return h;
  const w = word.toUpperCase();
  if (w === 'PM' || w === '下午' || w === '晚上' || w === '傍晚') return h < 12 ? h + 12 : h;
  if (w === '中午') return h < 11 ? h + 12 : h;
  return h === 12 ? 0 : h;
}
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const AMBIGUOUS =
  /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:,?\s+(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const DIGITS = /^\d+(?:\.\d+)?$/;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** zone → hour number → offset; keyed by numbers so a lookup builds no string. */
const offsetCache = new Map<string, Map<number, number>>();
let offsetEntries = 0;

/** Offset (ms) of `zone` at the UTC instant `utcMs`, cached per zone and hour. */
function zoneOffset(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'Z') return 0;
  const hour = Math.floor(utcMs / 3_600_000);
  // Records arrive roughly in time order, a few hours apart: a direct-mapped table of recent hours (for the last zone
  // asked) settles most calls without a map lookup.
  if (zone !== memoZone) {
    memoZone = zone;
    memoHours.fill(Number.NaN);
  }
  const slot = hour & (MEMO_HOURS - 1);
  if (memoHours[slot] === hour) return memoOffs[slot] as number;
  const off = cachedZoneOffset(zone, hour);
  memoHours[slot] = hour;
  memoOffs[slot] = off;
  return off;
}

/** Direct-mapped recent hours → offset, for `memoZone` (2¹² hours: about 170 days). */
const MEMO_HOURS = 4096;
const memoHours = new Float64Array(MEMO_HOURS).fill(Number.NaN);
const memoOffs = new Float64Array(MEMO_HOURS);
let memoZone = '';

function cachedZoneOffset(zone: string, hour: number): number {
  let byHour = offsetCache.get(zone);
  if (byHour === undefined) {
    byHour = new Map();
    offsetCache.set(zone, byHour);
  }
  const cached = byHour.get(hour);
  if (cached !== undefined) return cached;
  let fmt = offsetFormatters.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(zone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(hour * 3_600_000))) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const off = asUtc - hour * 3_600_000;
  if (offsetEntries > 50_000) {
    offsetCache.clear();
    offsetEntries = 0;
    offsetCache.set(zone, byHour);
    byHour.clear();
  }
  byHour.set(hour, off);
  offsetEntries++;
  return off;
}

/** Wall-clock fields in `zone` → UTC ms (two-pass for DST edges). */
export function wallTimeToUtc(
  zone: string,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number {
  return wallMsToUtc(zone, Date.UTC(y, mo - 1, d, h, mi, s));
}

/** A wall time in `zone`, given as if it were UTC ms, → UTC ms (two-pass for DST edges). */
function wallMsToUtc(zone: string, wall: number): number {
  return wall - zoneOffset(zone, wall - zoneOffset(zone, wall));
}

function validFields(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return h <= 24 && mi <= 59 && s <= 60 && isCalendarDate(y, mo, d);
}

/** Whether year, month (1–12) and day name a real calendar day (30 February does not). */
export function isCalendarDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  if (d <= 28) return true;
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

function num(s: string | undefined): number {
  return s === undefined ? 0 : Number(s);
}

function local(zone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): DateResult {
  if (!validFields(y, mo, d, h, mi, s)) return { problem: 'DATE_UNPARSEABLE' };
  return { ms: wallTimeToUtc(zone, y, mo, d, h, mi, s) };
}

/** Instants before 1990 or more than two days ahead are taken as misreads. */
const MIN_MS = Date.UTC(1990, 0, 1);

/**
 * Parses one date cell. Explicit offsets win; otherwise the wall time is read in `zone`. Handles ISO 8601,
 * `yyyy/m/d H:mm:ss`, `dd.mm.yyyy`, `M/D/YYYY H:mm` (order from `order`), Chinese `yyyy年m月d日`, Excel serials and
 * epoch seconds/milliseconds.
 */
export function parseDate(raw: string, zone: string, order: DateOrder | undefined, nowMs: number): DateResult {
  const s = raw.trim();
  // Fast path for the commonest shapes, `yyyy-mm-dd` and `yyyy-mm-dd HH:MM:SS` (or `T`), read by character codes:
  // the same fields the ISO pattern below would capture (no fraction, no offset), without a match array.
  const n = s.length;
  if (
    (n === 10 || (n === 19 && isTimeAt(s, 10))) &&
    digits2(s, 0) >= 0 &&
    digits2(s, 2) >= 0 &&
    s.charCodeAt(4) === 45 &&
    digits2(s, 5) >= 0 &&
    s.charCodeAt(7) === 45 &&
    digits2(s, 8) >= 0
  ) {
    const y = digits2(s, 0) * 100 + digits2(s, 2);
    return n === 10
      ? local(zone, y, digits2(s, 5), digits2(s, 8), 0, 0, 0)
      : local(zone, y, digits2(s, 5), digits2(s, 8), digits2(s, 11), digits2(s, 14), digits2(s, 17));
  }
  let m = ISO.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec] = [num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6])];
    const frac = fraction(m[7]);
    if (!validFields(y, mo, d, h, mi, sec)) return { problem: 'DATE_UNPARSEABLE' };
    const tz = m[8];
    if (tz === undefined) {
      const r = local(zone, y, mo, d, h, mi, sec);
      return 'ms' in r ? { ms: r.ms + frac } : r;
    }
    let off = 0;
    const tzU = tz.toUpperCase();
    if (tzU !== 'Z' && tzU !== 'UTC' && tzU !== 'GMT') {
      const sign = tz[0] === '-' ? -1 : 1;
      const digits = tz.slice(1).replace(':', '');
      off = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return { ms: Date.UTC(y, mo - 1, d, h, mi, sec) + frac - off };
  }
  m = YMD_SLASH.exec(s);
  if (m) return local(zone, num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]));
  // Plain Simplified dates match as they are; only full-width or Traditional forms pay for NFKC and the mapping.
  m = CN_DATE.exec(s) ?? (hasNonAscii(s) ? CN_DATE.exec(toSimplified(s.normalize('NFKC'))) : null);
  if (m)
    return local(zone, num(m[1]), num(m[2]), num(m[3]), meridiemHour(num(m[5]), m[4] ?? m[8]), num(m[6]), num(m[7]));
  m = DOTTED.exec(s);
  if (m) return local(zone, num(m[3]), num(m[2]), num(m[1]), num(m[4]), num(m[5]), num(m[6]));
  m = AMBIGUOUS.exec(s);
  if (m) {
    const a = num(m[1]);
    const b = num(m[2]);
    let y = num(m[3]);
    if (y < 100) y += 2000;
    let h = num(m[4]);
    const ampm = m[7]?.toLowerCase();
    if (ampm === 'pm' && h < 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
    const effective: DateOrder = order ?? 'MDY';
    const [mo, d] = effective === 'MDY' ? [a, b] : [b, a];
    const r = local(zone, y, mo, d, h, num(m[5]), num(m[6]));
    if ('ms' in r) return r;
    // The value contradicts the file's inferred order but is unambiguous the other way round.
    const alt = local(zone, y, d, mo, h, num(m[5]), num(m[6]));
    return 'ms' in alt ? { ms: alt.ms, conflict: true } : alt;
  }
  if (DIGITS.test(s)) {
    const v = Number(s);
    // A length that fits but with a `.0` (`1714557600.0`, `45413.000`) is another form: looked at below.
    const whole = Number.isInteger(v) && !s.includes('.');
    if (whole && s.length >= 12 && s.length <= 13) return range(v, nowMs);
    if (whole && s.length >= 9 && s.length <= 10) return range(v * 1000, nowMs);
    if (v >= 25_000 && v < 80_000) {
      // Excel serial day (1900 system, Lotus leap-year bug absorbed by the 1899-12-30 epoch), wall time in `zone`.
      const wall = Math.round((v - 25_569) * 86_400_000);
      const dt = new Date(wall);
      return local(
        zone,
        dt.getUTCFullYear(),
        dt.getUTCMonth() + 1,
        dt.getUTCDate(),
        dt.getUTCHours(),
        dt.getUTCMinutes(),
        dt.getUTCSeconds(),
      );
    }
    return parseLooseNumber(s, v, zone, nowMs);
  }
  return parseLoose(s, zone, order, nowMs);
}

// Slow paths: reached only when every pattern above failed.

const UNPARSEABLE: DateResult = { problem: 'DATE_UNPARSEABLE' };

/**
 * Epoch seconds or milliseconds written as floats (pandas' `1714557600000.0`, `1714557600.123`), and compact
 * `yyyymmdd` (only a real calendar date from 1990 on, not in the future: other 8-digit numbers stay numbers).
 */
function parseLooseNumber(s: string, v: number, zone: string, nowMs: number): DateResult {
  const dot = s.indexOf('.');
  if (dot === 12 || dot === 13) return range(Math.floor(v), nowMs);
  if (dot === 9 || dot === 10) return range(Math.round(v * 1000), nowMs);
  if (s.length === 8) {
    const y = Number(s.slice(0, 4));
    const mo = Number(s.slice(4, 6));
    const d = Number(s.slice(6, 8));
    if (y < 1990 || !validFields(y, mo, d, 0, 0, 0)) return UNPARSEABLE;
    const r = local(zone, y, mo, d, 0, 0, 0);
    return 'ms' in r ? range(r.ms, nowMs) : r;
  }
  return UNPARSEABLE;
}

/**
 * Fixed offsets (minutes) of the zone abbreviations exports write. Ambiguous ones are left out (`IST`: India, Ireland
 * or Israel); `CST`/`CDT` are US Central and `BST` British Summer Time, as in `Date.parse`.
 */
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  SGT: 480,
  HKT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  PST: -480,
  PDT: -420,
  MST: -420,
  MDT: -360,
  CST: -360,
  CDT: -300,
  EST: -300,
  EDT: -240,
};

/** A zone after a time: `+08`, `+0800`, `+08:00`, `GMT+2`, `UTC+05:30`, `GMT-0700`, or an abbreviation. */
const ZONE_TOKEN = String.raw`(?:(?:UTC|GMT|UT)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})`;
/**
 * A date and time followed by a zone (and maybe the zone's name in brackets, as `Date.toString()` writes it).
 * Groups: everything up to the zone, the zone.
 */
const ZONED = new RegExp(
  String.raw`^(.*\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*(${ZONE_TOKEN})(?:\s*\([^()]*\))?$`,
);
/** ISO 8601 basic format: `20240501T100000Z`, `20240501T1000+0800`, `20240501T100000.123`. */
const COMPACT = new RegExp(
  String.raw`^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,9}))?\s*(${ZONE_TOKEN})?$`,
);
/** `yyyy/mm/dd` with a `T` or a fraction of a second, which the plain slash pattern does not take. */
const YMD_SLASH_T = /^(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;
const ZONE_NUMERIC = /^(?:UTC|GMT|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/;
/** A zone `Date.parse` itself would honour, anywhere in the text (Java's `Wed May 01 10:00:00 EDT 2024`). */
const ENGINE_ZONE = /\b(?:UTC?|GMT|Z|[ECMP][SD]T)\b|\d\s*[+-]\d{2}:?\d{2}\s*(?:\(.*\))?$/i;

/** Offset in minutes of a zone token, or `undefined` if it is no zone this parser knows. */
function zoneMinutes(token: string): number | undefined {
  const u = token.toUpperCase();
  const named = ZONE_ABBREVIATIONS[u];
  if (named !== undefined) return named;
  const m = ZONE_NUMERIC.exec(u);
  if (!m) return undefined;
  const h = num(m[2]);
  const mi = num(m[3]);
  if (h > 14 || mi > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

/**
 * A date and time with an explicit zone at its end: the text before the zone and the zone's offset in minutes;
 * `null` for an impossible numeric offset (`+25:00`, `GMT+15`), `undefined` for none (or a word that is no zone).
 */
function zoneSuffix(s: string): { head: string; minutes: number } | null | undefined {
  const m = ZONED.exec(s);
  if (!m) return undefined;
  const token = m[2] as string;
  const minutes = zoneMinutes(token);
  if (minutes === undefined) return /\d/.test(token) ? null : undefined;
  return { head: m[1] as string, minutes };
}

function fraction(digits: string | undefined): number {
  return digits === undefined ? 0 : Math.floor(Number(`0.${digits}`) * 1000);
}

/**
 * The forms no pattern in `parseDate` took: an explicit zone after the time (`2024/05/01 10:00:00 +08:00`,
 * `…+08`, `… CEST`, `… AM GMT+2`; the offset wins over `zone`), ISO basic `20240501T100000Z`, slash dates with a `T`,
 * and written-out dates (`Wed, 01 May 2024 10:00:00`, `May 1st, 2024`), read by `Date.parse` as a wall time in `zone`.
 */
const MID_OFFSET =
  /^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3,9})\s+(\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s+([+-]\d{2}:?\d{2})\s+(\d{4})$/;

function parseLoose(s: string, zone: string, order: DateOrder | undefined, nowMs: number): DateResult {
  let m = COMPACT.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec] = [num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6])];
    if (!validFields(y, mo, d, h, mi, sec)) return UNPARSEABLE;
    const frac = fraction(m[7]);
    if (m[8] === undefined) {
      const r = local(zone, y, mo, d, h, mi, sec);
      return 'ms' in r ? { ms: r.ms + frac } : r;
    }
    const minutes = zoneMinutes(m[8]);
    if (minutes === undefined) return UNPARSEABLE;
    return { ms: Date.UTC(y, mo - 1, d, h, mi, sec) + frac - minutes * 60_000 };
  }
  m = YMD_SLASH_T.exec(s);
  if (m) {
    const r = local(zone, num(m[1]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), num(m[7]));
    return 'ms' in r ? { ms: r.ms + fraction(m[8]) } : r;
  }
  const zoned = zoneSuffix(s);
  if (zoned === null) return UNPARSEABLE;
  if (zoned !== undefined) {
    // One zone only; the wall time before it is read by the patterns above, as UTC, then shifted by the offset.
    if (zoneSuffix(zoned.head) !== undefined) return UNPARSEABLE;
    const wall = parseDate(zoned.head, 'UTC', order, nowMs);
    if (!('ms' in wall)) return wall;
    const ms = wall.ms - zoned.minutes * 60_000;
    return 'conflict' in wall ? { ms, conflict: true } : { ms };
  }
  if (!/[a-zA-Z]{3}/.test(s) || !speaksOfDates(s)) return UNPARSEABLE;
  // Twitter/Weibo's `Wed May 01 10:00:00 +0800 2024`: the offset sits between time and year.
  const mid = MID_OFFSET.exec(s);
  if (mid) {
    const t = Date.parse(`${mid[1]} ${mid[2]}, ${mid[5]} ${mid[3]} GMT${mid[4]}`);
    return Number.isFinite(t) ? range(t, nowMs) : UNPARSEABLE;
  }
  // `Date.parse` reads a zone-less text in the process's own zone: have it read the text as UTC (a wall time), then
  // place that wall time in `zone`. Texts with a zone it knows keep that zone.
  const text = s
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/(\d),?\s+at\s+(?=\d)/i, '$1 ')
    .replace(/\b(\d{1,2})(?:st|nd|rd|th)\b/gi, '$1');
  if (ENGINE_ZONE.test(text)) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? range(t, nowMs) : UNPARSEABLE;
  }
  let wall = Date.parse(`${text} GMT`);
  if (!Number.isFinite(wall)) {
    // A form that takes no appended zone: the process-local reading's fields are the wall time.
    const t = Date.parse(text);
    if (!Number.isFinite(t)) return UNPARSEABLE;
    const d = new Date(t);
    wall = Date.UTC(
      d.getFullYear(),
      d.getMonth(),
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
      d.getMilliseconds(),
    );
  }
  return range(wallMsToUtc(zone, wall), nowMs);
}

const MONTH_WORD = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*$/;
const DATE_WORD =
  /^(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|am|pm|a|p|m|at|of|on|t|z|gmt|utc|ut|[ecmp][sd]t|st|nd|rd|th)$/;

/**
 * Whether every word of `s` is a month, weekday, meridiem or zone word, and one names a month: V8's `Date.parse`
 * reads `Item 3` or `Room 12` as a 2001 date, which must not make an item or room column a date column.
 */
function speaksOfDates(s: string): boolean {
  const words = s.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.some((w) => MONTH_WORD.test(w)) && words.every((w) => MONTH_WORD.test(w) || DATE_WORD.test(w));
}

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `T` or space at `i`, then `HH:MM:SS`. */
function isTimeAt(s: string, i: number): boolean {
  const sep = s.charCodeAt(i);
  return (
    (sep === 84 || sep === 32) &&
    digits2(s, i + 1) >= 0 &&
    s.charCodeAt(i + 3) === 58 &&
    digits2(s, i + 4) >= 0 &&
    s.charCodeAt(i + 6) === 58 &&
    digits2(s, i + 7) >= 0
  );
}

const DAY_MS = 86_400_000;
/** 9999-12-31T23:59:59.999Z + 1: later instants have a six-digit year. */
const FAST_ISO_END = 253_402_300_800_000;
let isoDay = Number.NaN;
/** Character codes of `YYYY-MM-DDT` for `isoDay`. */
const isoDayCodes = new Uint16Array(11);
let isoLastMs = Number.NaN;
let isoLast = '';

/**
 * `new Date(ms).toISOString()`, without a Date or the builtin's formatting for each call: the `YYYY-MM-DDT` prefix is
 * formatted once per day (by the builtin) and the time of day from lookup tables. Same string for every input.
 */
export function isoString(ms: number): string {
  if (ms === isoLastMs) return isoLast;
  if (!(ms >= 0 && ms < FAST_ISO_END) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    const prefix = new Date(day * DAY_MS).toISOString();
    for (let i = 0; i < 11; i++) isoDayCodes[i] = prefix.charCodeAt(i);
    isoDay = day;
  }
  let t = ms - day * DAY_MS;
  const h = Math.floor(t / 3_600_000);
  t -= h * 3_600_000;
  const mi = Math.floor(t / 60_000);
  t -= mi * 60_000;
  const sec = Math.floor(t / 1000);
  const milli = t - sec * 1000;
  const p = isoDayCodes;
  // One flat string (a template would build a rope that the first reader has to flatten).
  const out = String.fromCharCode(
    p[0] as number,
    p[1] as number,
    p[2] as number,
    p[3] as number,
    p[4] as number,
    p[5] as number,
    p[6] as number,
    p[7] as number,
    p[8] as number,
    p[9] as number,
    p[10] as number,
    48 + Math.floor(h / 10),
    48 + (h % 10),
    58,
    48 + Math.floor(mi / 10),
    48 + (mi % 10),
    58,
    48 + Math.floor(sec / 10),
    48 + (sec % 10),
    46,
    48 + Math.floor(milli / 100),
    48 + (Math.floor(milli / 10) % 10),
    48 + (milli % 10),
    90,
  );
  isoLastMs = ms;
  isoLast = out;
  return out;
}

function range(ms: number, nowMs: number): DateResult {
  return ms < MIN_MS || ms > nowMs + 2 * 86_400_000 ? { problem: 'DATE_UNPARSEABLE' } : { ms };
}

/**
 * Infers day/month order from sampled values of the form a/b/yyyy: any first part > 12 proves DMY, any second part
 * > 12 proves MDY. Returns `undefined` when the sample has no such values, `ambiguous` when it cannot tell.
 */
export function inferDateOrder(values: readonly string[]): DateOrder | 'ambiguous' | undefined {
  let seen = false;
  let dmy = 0;
  let mdy = 0;
  for (const v of values) {
    const m = AMBIGUOUS.exec(v.trim());
    if (!m) continue;
    seen = true;
    const a = num(m[1]);
    const b = num(m[2]);
    if (a > 12 && b <= 12) dmy++;
    else if (b > 12 && a <= 12) mdy++;
  }
  if (!seen) return undefined;
  if (dmy > mdy) return 'DMY';
  if (mdy > dmy) return 'MDY';
  return 'ambiguous';
}
