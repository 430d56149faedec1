/**
 * Aggregate cells: the additive counters kept per business day × segment. Every field is a count or a sum,
 * so cells from different files, chunks or days combine by addition and KPIs are derived at read time.
 */

export const SEGMENT_DIMENSIONS = ['all', 'channel', 'source', 'product', 'region', 'language'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

export interface CellCounts {
  /** Accepted rows. */
  volume: number;
  /** Accepted rows with non-empty text. */
  texts: number;
  /** Rows with a sentiment, by label. */
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
  /** NPS answers (0–10). */
  npsN: number;
  npsPromoters: number;
  npsPassives: number;
  npsDetractors: number;
  npsSum: number;
  /** Ratings (1–5), with counts per star. */
  ratingN: number;
  ratingSum: number;
  rating1: number;
  rating2: number;
  rating3: number;
  rating4: number;
  rating5: number;
  /**
   * Emerging themes: normalised key phrases of negative and mixed feedback that matched no taxonomy theme, by count
   * (kept on segment cells only; theme cells leave it empty).
   */
  phrases: Record<string, number>;
}

export interface AggregateCell {
  /** Business day, YYYY-MM-DD in the configured business time zone. */
  day: string;
  dimension: SegmentDimension;
  /** Segment value (`all` for the `all` dimension). */
  value: string;
  counts: CellCounts;
}

/** The responses of one day × segment that name one taxonomy theme (a response naming two counts in both). */
export interface ThemeCell extends AggregateCell {
  theme: string;
}

/** A redacted negative piece of feedback kept for the digest. */
export interface Verbatim {
  day: string;
  text: string;
  source: string;
  negative: number;
  rating?: number;
  nps?: number;
}

/** A redacted response that names a theme: the most negative or most positive one kept per day and theme. */
export interface ThemeQuote {
  day: string;
  theme: string;
  polarity: 'negative' | 'positive';
  /** Comprehend's confidence in the polarity, 0–1. */
  score: number;
  text: string;
  source: string;
  fingerprint: string;
}

/**
 * A file whose column mapping is in doubt (`MAPPING_UNCERTAIN` and the like), noted on each day it counted rows for,
 * so the digest's footnote can say which figures rest on a doubtful reading. Details name columns, never values.
 */
export interface MappingNotice {
  day: string;
  /** Object key of the file. */
  file: string;
  source: string;
  warnings: { code: string; detail: string }[];
}

/** Read side used by the digest. */
export interface AggregateReader {
  /** Cells for days in [from, to] (inclusive, YYYY-MM-DD) for the given dimensions. */
  readCells(query: { from: string; to: string; dimensions: readonly SegmentDimension[] }): Promise<AggregateCell[]>;
  /** Theme cells for days in [from, to] (inclusive) for the given dimensions. */
  readThemeCells(query: { from: string; to: string; dimensions: readonly SegmentDimension[] }): Promise<ThemeCell[]>;
  /** The most telling quote of each theme and polarity in [from, to]. */
  readThemeQuotes(query: { from: string; to: string; themes: readonly string[] }): Promise<ThemeQuote[]>;
  /** The most negative verbatims for days in [from, to]. */
  readVerbatims(query: { from: string; to: string; limit: number }): Promise<Verbatim[]>;
  /** The mapping notices of days in [from, to]. */
  readMappingNotices(query: { from: string; to: string }): Promise<MappingNotice[]>;
}

export function emptyCounts(): CellCounts {
  return {
    volume: 0,
    texts: 0,
    positive: 0,
    negative: 0,
    neutral: 0,
    mixed: 0,
    npsN: 0,
    npsPromoters: 0,
    npsPassives: 0,
    npsDetractors: 0,
    npsSum: 0,
    ratingN: 0,
    ratingSum: 0,
    rating1: 0,
    rating2: 0,
    rating3: 0,
    rating4: 0,
    rating5: 0,
    phrases: {},
  };
}

/** Key of an aggregate cell in a delta map; with `theme`, of that theme's cell in the segment. */
export function cellKey(dimension: SegmentDimension, value: string, day: string, theme?: string): string {
  const key = `${dimension}\u0000${value}\u0000${day}`;
  return theme === undefined ? key : `${key}\u0000${theme}`;
}

export function parseCellKey(key: string): { dimension: SegmentDimension; value: string; day: string; theme?: string } {
  const [dimension, value, day, theme] = key.split('\u0000') as [SegmentDimension, string, string, string?];
  return theme === undefined ? { dimension, value, day } : { dimension, value, day, theme };
}

/** Adds `source` into `target` (phrases merged). */
export function addCounts(target: CellCounts, source: CellCounts): CellCounts {
  target.volume += source.volume;
  target.texts += source.texts;
  target.positive += source.positive;
  target.negative += source.negative;
  target.neutral += source.neutral;
  target.mixed += source.mixed;
  target.npsN += source.npsN;
  target.npsPromoters += source.npsPromoters;
  target.npsPassives += source.npsPassives;
  target.npsDetractors += source.npsDetractors;
  target.npsSum += source.npsSum;
  target.ratingN += source.ratingN;
  target.ratingSum += source.ratingSum;
  target.rating1 += source.rating1;
  target.rating2 += source.rating2;
  target.rating3 += source.rating3;
  target.rating4 += source.rating4;
  target.rating5 += source.rating5;
  for (const [phrase, count] of Object.entries(source.phrases)) {
    target.phrases[phrase] = (target.phrases[phrase] ?? 0) + count;
  }
  return target;
}

/** Whether every counter (and every phrase count) of `c` is zero. */
export function isZeroCounts(c: CellCounts): boolean {
  for (const [k, v] of Object.entries(c)) {
    if (k === 'phrases') {
      if (Object.values(v as Record<string, number>).some((n) => n !== 0)) return false;
    } else if (v !== 0) return false;
  }
  return true;
}
