/**
 * Calendar days (YYYY-MM-DD) and the business day of an instant in an IANA time zone: the one definition of day
 * arithmetic for the ingest side (which bucket a record counts in) and the digest (periods, trailing windows).
 * Only "which day is this instant" depends on the zone; everything after it is civil-calendar arithmetic, which
 * daylight-saving changes cannot affect.
 */

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (match === null) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === value;
}

/** True when `Intl` knows the IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function dayToUtcMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
}

/** `day` shifted by `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(dayToUtcMs(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Number of days in [from, to], inclusive (0 when to < from). */
export function daysInRange(from: string, to: string): number {
  return Math.max(0, Math.round((dayToUtcMs(to) - dayToUtcMs(from)) / MS_PER_DAY) + 1);
}

/** Every day in [from, to], ascending. */
export function eachDay(from: string, to: string): string[] {
  const n = daysInRange(from, to);
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const weekday = new Date(dayToUtcMs(day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

interface DayCache {
  format: Intl.DateTimeFormat;
  /** Day of each 15-minute bucket of UTC time whose start, middle and end fall on the same local day. */
  buckets: Map<number, string>;
  /** The last bucket found in `buckets` and its day. */
  lastBucket: number;
  lastDay: string;
}

const dayCaches = new Map<string, DayCache>();
/** Every zone offset in use since 1990 is a multiple of 15 minutes, so a local day starts on a bucket edge. */
const DAY_BUCKET_MS = 15 * 60_000;
const MAX_DAY_BUCKETS = 20_000;

/**
 * The calendar day of an instant in an IANA time zone, YYYY-MM-DD. Formatting costs microseconds and records
 * arrive in time order, so days are cached per 15-minute bucket (only buckets that do not straddle a local midnight).
 */
export function businessDay(instant: string | Date, timeZone: string): string {
  let cache = dayCaches.get(timeZone);
  if (!cache) {
    // en-CA formats dates as YYYY-MM-DD.
    const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    cache = { format, buckets: new Map(), lastBucket: Number.NaN, lastDay: '' };
    dayCaches.set(timeZone, cache);
  }
  const ms = typeof instant === 'string' ? parseInstant(instant) : instant.getTime();
  if (!Number.isFinite(ms)) return cache.format.format(new Date(ms));
  const bucket = Math.floor(ms / DAY_BUCKET_MS);
  // Records arrive roughly in time order: the last bucket answers most calls without a map lookup.
  if (bucket === cache.lastBucket) return cache.lastDay;
  const hit = cache.buckets.get(bucket);
  if (hit !== undefined) {
    cache.lastBucket = bucket;
    cache.lastDay = hit;
  }
  if (hit !== undefined) return hit;
  const start = bucket * DAY_BUCKET_MS;
  const day = cache.format.format(start);
  if (
    day === cache.format.format(start + DAY_BUCKET_MS / 2) &&
    day === cache.format.format(start + DAY_BUCKET_MS - 1)
  ) {
    if (cache.buckets.size >= MAX_DAY_BUCKETS) cache.buckets.clear();
    cache.buckets.set(bucket, day);
    return day;
  }
  return cache.format.format(ms);
}

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `Date.parse` of an instant; the canonical `YYYY-MM-DDTHH:MM:SS.sssZ` (what records store) is read by character
 * codes: days from the civil date (proleptic Gregorian), no Date and no string parsing. Days past the 28th go to
 * `Date.parse`, which knows the month lengths.
 */
function parseInstant(s: string): number {
  if (s.length !== 24 || s.charCodeAt(10) !== 84 || s.charCodeAt(23) !== 90 || s.charCodeAt(19) !== 46) {
    return Date.parse(s);
  }
  const yHi = digits2(s, 0);
  const yLo = digits2(s, 2);
  const mo = digits2(s, 5);
  const d = digits2(s, 8);
  const h = digits2(s, 11);
  const mi = digits2(s, 14);
  const sec = digits2(s, 17);
  const msHi = digits2(s, 20);
  const msLo = s.charCodeAt(22) - 48;
  if (
    yHi < 0 ||
    yLo < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 28 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59 ||
    msHi < 0 ||
    msLo < 0 ||
    msLo > 9 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return Date.parse(s);
  }
  // Days since 1970-01-01 (H. Hinnant's days_from_civil).
  const y = yHi * 100 + yLo - (mo <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + msHi * 10 + msLo;
}
