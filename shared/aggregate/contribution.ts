import type { CanonicalRecord, SentimentLabel } from '../domain/types.js';
import { type CellCounts, emptyCounts, type SegmentDimension } from '../store/cells.js';

/**
 * What one accepted record adds to the aggregate cells. It is stored with the record's row-ledger entry so a
 * newer version of the same record (an edited review) can retract exactly what the older one added.
 */
export interface Contribution {
  /** Business day, YYYY-MM-DD. */
  d: string;
  /** Segment values by dimension (the `all` dimension is implicit). */
  s: Partial<Record<Exclude<SegmentDimension, 'all'>, string>>;
  /** 1 when the record has text. */
  t: 0 | 1;
  /** Sentiment label initial: P, N, U (neutral), M. */
  l?: 'P' | 'N' | 'U' | 'M';
  n?: number;
  r?: number;
  /** Themes (key phrases of negative or mixed text). */
  th?: string[];
}

const LABEL_INITIAL: Record<SentimentLabel, 'P' | 'N' | 'U' | 'M'> = {
  POSITIVE: 'P',
  NEGATIVE: 'N',
  NEUTRAL: 'U',
  MIXED: 'M',
};

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

const MAX_SEGMENT_VALUE = 64;

/** Segment values repeat on nearly every record (a few channels, products, regions): normalise each once. */
const segmentValues = new Map<string, string>();
const MAX_CACHED_SEGMENT_VALUES = 4096;

function segmentValue(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let trimmed = segmentValues.get(v);
  if (trimmed === undefined) {
    trimmed = v.trim().replace(/\s+/g, ' ').slice(0, MAX_SEGMENT_VALUE);
    if (segmentValues.size >= MAX_CACHED_SEGMENT_VALUES) segmentValues.clear();
    segmentValues.set(v, trimmed);
  }
  return trimmed === '' ? undefined : trimmed;
}

export function toContribution(
  record: CanonicalRecord,
  analysis: { label?: SentimentLabel; language?: string; themes?: readonly string[] },
  timeZone: string,
): Contribution {
  // Fixed shapes (absent values undefined) so that CellDeltas reads them through monomorphic inline caches.
  const s: Contribution['s'] = {
    channel: segmentValue(record.channel),
    source: segmentValue(record.source),
    product: segmentValue(record.product),
    region: segmentValue(record.region),
    language: segmentValue(analysis.language ?? record.language?.toLowerCase()),
  };
  const l = analysis.label === undefined ? undefined : LABEL_INITIAL[analysis.label];
  const themes = analysis.themes;
  return {
    d: businessDay(record.submittedAt, timeZone),
    s,
    t: record.text ? 1 : 0,
    l,
    n: record.nps,
    r: record.rating,
    th: themes && themes.length > 0 && (l === 'N' || l === 'M') ? [...themes] : undefined,
  };
}

/** Key of an aggregate cell in a delta map. */
export function cellKey(dimension: SegmentDimension, value: string, day: string): string {
  return `${dimension}\u0000${value}\u0000${day}`;
}

export function parseCellKey(key: string): { dimension: SegmentDimension; value: string; day: string } {
  const [dimension, value, day] = key.split('\u0000') as [SegmentDimension, string, string];
  return { dimension, value, day };
}

function addTo(counts: CellCounts, c: Contribution, sign: 1 | -1): void {
  counts.volume += sign;
  counts.texts += sign * c.t;
  switch (c.l) {
    case 'P':
      counts.positive += sign;
      break;
    case 'N':
      counts.negative += sign;
      break;
    case 'U':
      counts.neutral += sign;
      break;
    case 'M':
      counts.mixed += sign;
      break;
    default:
      break;
  }
  if (c.n !== undefined) {
    counts.npsN += sign;
    counts.npsSum += sign * c.n;
    if (c.n >= 9) counts.npsPromoters += sign;
    else if (c.n >= 7) counts.npsPassives += sign;
    else counts.npsDetractors += sign;
  }
  if (c.r !== undefined) {
    counts.ratingN += sign;
    counts.ratingSum += sign * c.r;
    const star = Math.round(c.r);
    if (star === 1) counts.rating1 += sign;
    else if (star === 2) counts.rating2 += sign;
    else if (star === 3) counts.rating3 += sign;
    else if (star === 4) counts.rating4 += sign;
    else if (star === 5) counts.rating5 += sign;
  }
  if (c.th) {
    for (const theme of c.th) counts.themes[theme] = (counts.themes[theme] ?? 0) + sign;
  }
}

/** The cells of one dimension value by day, with the last one used. */
interface DayIndex {
  days: Map<string, CellCounts>;
  lastDay: string | undefined;
  last: CellCounts | undefined;
}

/** value → its cells by day, for one dimension. */
type ValueIndex = Map<string, DayIndex>;

/** Cell deltas accumulated in memory; its size grows with the cells touched, never with rows. */
export class CellDeltas {
  readonly cells = new Map<string, CellCounts>();
  /**
   * value → day → the counts object in `cells`, one index per dimension (in fields, so a row costs no lookup of its
   * dimension): finding a cell needs no key string per row (only a new cell builds its key).
   */
  private readonly all: ValueIndex = new Map();
  private readonly channel: ValueIndex = new Map();
  private readonly source: ValueIndex = new Map();
  private readonly product: ValueIndex = new Map();
  private readonly region: ValueIndex = new Map();
  private readonly language: ValueIndex = new Map();

  add(c: Contribution, sign: 1 | -1 = 1): void {
    this.addCell(this.all, 'all', 'all', c, sign);
    // The dimensions one by one rather than `for…in` over `c.s`, whose shape varies with the values present.
    const s = c.s;
    if (s.channel !== undefined) this.addCell(this.channel, 'channel', s.channel, c, sign);
    if (s.source !== undefined) this.addCell(this.source, 'source', s.source, c, sign);
    if (s.product !== undefined) this.addCell(this.product, 'product', s.product, c, sign);
    if (s.region !== undefined) this.addCell(this.region, 'region', s.region, c, sign);
    if (s.language !== undefined) this.addCell(this.language, 'language', s.language, c, sign);
  }

  private addCell(
    byValue: ValueIndex,
    dimension: SegmentDimension,
    value: string,
    c: Contribution,
    sign: 1 | -1,
  ): void {
    let byDay = byValue.get(value);
    if (!byDay) {
      byDay = { days: new Map(), lastDay: undefined, last: undefined };
      byValue.set(value, byDay);
    }
    // Records come in day order: the value's last day answers most calls without a lookup.
    let counts = c.d === byDay.lastDay ? byDay.last : byDay.days.get(c.d);
    if (!counts) {
      const key = cellKey(dimension, value, c.d);
      counts = this.cells.get(key);
      if (!counts) {
        counts = emptyCounts();
        this.cells.set(key, counts);
      }
      byDay.days.set(c.d, counts);
    }
    byDay.lastDay = c.d;
    byDay.last = counts;
    addTo(counts, c, sign);
  }

  get size(): number {
    return this.cells.size;
  }

  /**
   * The cells whose deltas are not all zero: the writes a commit makes (a retraction and a re-addition of the same
   * record in one segment cancel out).
   */
  nonZeroCells(): [string, CellCounts][] {
    const out: [string, CellCounts][] = [];
    for (const entry of this.cells) if (!isZeroCounts(entry[1])) out.push(entry);
    return out;
  }

  clear(): void {
    this.cells.clear();
    for (const index of [this.all, this.channel, this.source, this.product, this.region, this.language]) index.clear();
  }
}

/** Whether every counter (and every theme count) of `c` is zero. */
function isZeroCounts(c: CellCounts): boolean {
  for (const [k, v] of Object.entries(c)) {
    if (k === 'themes') {
      if (Object.values(v as Record<string, number>).some((n) => n !== 0)) return false;
    } else if (v !== 0) return false;
  }
  return true;
}

/** Adds `b` into `a`. */
export function mergeCounts(a: CellCounts, b: CellCounts): void {
  for (const k of Object.keys(b) as (keyof CellCounts)[]) {
    if (k === 'themes') continue;
    a[k] += b[k];
  }
  for (const [t, n] of Object.entries(b.themes)) a.themes[t] = (a.themes[t] ?? 0) + n;
}
