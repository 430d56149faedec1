/** KPI figures of a set of cells, as the digest shows them: counts, and scores rounded once at this edge. */
import type { CellCounts } from '../domain/cells.js';
import { csatScore, kpiSummary, netSentimentScore, npsScore, roundTo } from '../domain/kpis.js';

export function roundOrNull(value: number | null, decimals: number): number | null {
  return value === null ? null : roundTo(value, decimals);
}

export function difference(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : current - previous;
}

export interface NpsFigure {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** 100 × (promoters − detractors) / n, one decimal; null when n = 0. */
  score: number | null;
}

export interface CsatFigure {
  n: number;
  /** Ratings of 4 or 5 (top-two-box). */
  satisfied: number;
  /** 100 × satisfied / n, one decimal; null when n = 0. */
  score: number | null;
  /** Mean rating (1–5), two decimals; null when n = 0. */
  average: number | null;
}

export interface SentimentFigure {
  /** Rows with a sentiment. */
  n: number;
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
  /** 100 × (positive − negative) / n, one decimal; null when n = 0. Mixed and neutral count in n only. */
  net: number | null;
}

/** Unrounded KPI scores, for deltas and for renderers that round differently (integer NPS in a subject). */
export function rawScores(counts: CellCounts): {
  nps: number | null;
  csat: number | null;
  csatAverage: number | null;
  netSentiment: number | null;
} {
  const sentimentN = counts.positive + counts.negative + counts.neutral + counts.mixed;
  return {
    nps: npsScore({ promoters: counts.npsPromoters, detractors: counts.npsDetractors, n: counts.npsN }),
    csat: csatScore({ satisfied: counts.rating4 + counts.rating5, n: counts.ratingN }),
    csatAverage: counts.ratingN > 0 ? counts.ratingSum / counts.ratingN : null,
    netSentiment: netSentimentScore({ positive: counts.positive, negative: counts.negative, n: sentimentN }),
  };
}

function kpisOf(counts: CellCounts) {
  return kpiSummary({
    npsN: counts.npsN,
    promoters: counts.npsPromoters,
    passives: counts.npsPassives,
    detractors: counts.npsDetractors,
    ratingN: counts.ratingN,
    satisfied: counts.rating4 + counts.rating5,
    ratingSum: counts.ratingSum,
  });
}

export function npsFigure(counts: CellCounts): NpsFigure {
  return kpisOf(counts).nps;
}

export function csatFigure(counts: CellCounts): CsatFigure {
  return kpisOf(counts).csat;
}

export function sentimentFigure(counts: CellCounts): SentimentFigure {
  return {
    n: counts.positive + counts.negative + counts.neutral + counts.mixed,
    positive: counts.positive,
    negative: counts.negative,
    neutral: counts.neutral,
    mixed: counts.mixed,
    net: roundOrNull(rawScores(counts).netSentiment, 1),
  };
}
