import type { KpiSummary } from './types.js';

/**
 * The KPI definitions (design.md), in one place for `feedback check`, file reports, aggregate cells and the digest:
 * NPS = 100 × (promoters[9–10] − detractors[0–6]) / n (one decimal); CSAT = 100 × ratings ≥ 4 / n (one decimal)
 * with the mean rating (two decimals); net sentiment = 100 × (positive − negative) / rows with a sentiment.
 * A score is null when n is 0. Rounding happens only at output (`kpiSummary`, `roundTo`).
 */
export interface KpiCounts {
  npsN: number;
  promoters: number;
  passives: number;
  detractors: number;
  ratingN: number;
  /** Ratings of 4 or 5. */
  satisfied: number;
  ratingSum: number;
}

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** The NPS split: 9–10 promoter, 7–8 passive, 0–6 detractor. */
export function npsCategory(score: number): NpsCategory {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** CSAT's top-two box: a rating of 4 or 5 is satisfied. */
export function isSatisfied(rating: number): boolean {
  return rating >= 4;
}

/** 100 × part / n, unrounded; null when n is 0. */
export function percentOf(part: number, n: number): number | null {
  return n > 0 ? (100 * part) / n : null;
}

/** NPS, unrounded: 100 × (promoters − detractors) / n; null when n is 0. */
export function npsScore(c: { promoters: number; detractors: number; n: number }): number | null {
  return percentOf(c.promoters - c.detractors, c.n);
}

/** CSAT, unrounded: 100 × satisfied / n; null when n is 0. */
export function csatScore(c: { satisfied: number; n: number }): number | null {
  return percentOf(c.satisfied, c.n);
}

/** Net sentiment, unrounded: 100 × (positive − negative) / n; null when n is 0. */
export function netSentimentScore(c: { positive: number; negative: number; n: number }): number | null {
  return percentOf(c.positive - c.negative, c.n);
}

/** Rounds half away from zero to `decimals` places without binary-float artefacts (1.005 → 1.01, −12.25 → −12.3). */
export function roundTo(value: number, decimals: number): number {
  const sign = value < 0 ? -1 : 1;
  const rounded = Number(`${Math.round(Number(`${Math.abs(value)}e${decimals}`))}e-${decimals}`);
  return rounded === 0 ? 0 : sign * rounded;
}

export function kpiSummary(c: KpiCounts): KpiSummary {
  const nps = npsScore({ promoters: c.promoters, detractors: c.detractors, n: c.npsN });
  const csat = csatScore({ satisfied: c.satisfied, n: c.ratingN });
  return {
    nps: {
      n: c.npsN,
      promoters: c.promoters,
      passives: c.passives,
      detractors: c.detractors,
      score: nps === null ? null : roundTo(nps, 1),
    },
    csat: {
      n: c.ratingN,
      satisfied: c.satisfied,
      score: csat === null ? null : roundTo(csat, 1),
      average: c.ratingN === 0 ? null : roundTo(c.ratingSum / c.ratingN, 2),
    },
  };
}

export function emptyKpiCounts(): KpiCounts {
  return { npsN: 0, promoters: 0, passives: 0, detractors: 0, ratingN: 0, satisfied: 0, ratingSum: 0 };
}

/** Counts one answer's scores into `c` (or takes them back out with `sign` −1). */
export function tallyScores(c: KpiCounts, nps: number | undefined, rating: number | undefined, sign: 1 | -1 = 1): void {
  if (nps !== undefined) {
    c.npsN += sign;
    const category = npsCategory(nps);
    if (category === 'promoter') c.promoters += sign;
    else if (category === 'passive') c.passives += sign;
    else c.detractors += sign;
  }
  if (rating !== undefined) {
    c.ratingN += sign;
    c.ratingSum += sign * rating;
    if (isSatisfied(rating)) c.satisfied += sign;
  }
}
