import type { SegmentDimension } from './cells.js';
import { businessDay } from './days.js';
import type { CanonicalRecord, SentimentLabel } from './types.js';

/**
 * What one accepted record adds to the aggregate cells. It is stored with the record's row-ledger entry so a
 * newer version of the same record (an edited review) can retract exactly what the older one added.
 */
export interface Contribution {
  /** Business day, YYYY-MM-DD. */
  day: string;
  /** Segment values by dimension (the `all` dimension is implicit). */
  segments: SegmentValues;
  hasText: boolean;
  sentiment?: SentimentLabel;
  nps?: number;
  rating?: number;
  /** Taxonomy themes the text names, whatever its sentiment (each adds to that theme's cells). */
  themes?: string[];
  /** Emerging themes: normalised key phrases of negative or mixed text that named no taxonomy theme. */
  phrases?: string[];
}

export type SegmentValues = Partial<Record<Exclude<SegmentDimension, 'all'>, string>>;

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
  analysis: { label?: SentimentLabel; language?: string; themes?: readonly string[]; phrases?: readonly string[] },
  timeZone: string,
): Contribution {
  // Fixed shapes (absent values undefined) so that CellDeltas reads them through monomorphic inline caches.
  const segments: SegmentValues = {
    channel: segmentValue(record.channel),
    source: segmentValue(record.source),
    product: segmentValue(record.product),
    region: segmentValue(record.region),
    language: segmentValue(analysis.language ?? record.language?.toLowerCase()),
  };
  const sentiment = analysis.label;
  const { themes, phrases } = analysis;
  const negative = sentiment === 'NEGATIVE' || sentiment === 'MIXED';
  return {
    day: businessDay(record.submittedAt, timeZone),
    segments,
    hasText: record.text !== undefined && record.text !== '',
    sentiment,
    nps: record.nps,
    rating: record.rating,
    themes: themes && themes.length > 0 ? [...themes] : undefined,
    phrases: phrases && phrases.length > 0 && negative && !(themes && themes.length > 0) ? [...phrases] : undefined,
  };
}

/** The segment values a contribution has, absent dimensions left out. */
export function presentSegments(segments: SegmentValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [dimension, value] of Object.entries(segments)) if (value !== undefined) out[dimension] = value;
  return out;
}
