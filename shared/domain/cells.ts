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
  /** Key-phrase counts of negative and mixed feedback. */
  themes: Record<string, number>;
}

export interface AggregateCell {
  /** Business day, YYYY-MM-DD in the configured business time zone. */
  day: string;
  dimension: SegmentDimension;
  /** Segment value (`all` for the `all` dimension). */
  value: string;
  counts: CellCounts;
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
    themes: {},
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

/** Adds `source` into `target` (themes merged). */
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
  for (const [theme, count] of Object.entries(source.themes)) {
    target.themes[theme] = (target.themes[theme] ?? 0) + count;
  }
  return target;
}

/** Whether every counter (and every theme count) of `c` is zero. */
export function isZeroCounts(c: CellCounts): boolean {
  for (const [k, v] of Object.entries(c)) {
    if (k === 'themes') {
      if (Object.values(v as Record<string, number>).some((n) => n !== 0)) return false;
    } else if (v !== 0) return false;
  }
  return true;
}
