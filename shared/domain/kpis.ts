import type { KpiSummary } from './types.js';

/**
 * The KPI definitions (design.md), in one place for `feedback check`, file reports and the digest:
 * NPS = 100 × (promoters − detractors) / n (one decimal); CSAT = 100 × ratings ≥ 4 / n (one decimal) with the mean
 * rating (two decimals); a score is null when n is 0. Rounding happens only here, at output.
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

/** Rounds half away from zero to `decimals` places without binary-float artefacts (1.005 → 1.01, −12.25 → −12.3). */
export function roundTo(value: number, decimals: number): number {
  const sign = value < 0 ? -1 : 1;
  const rounded = Number(`${Math.round(Number(`${Math.abs(value)}e${decimals}`))}e-${decimals}`);
  return rounded === 0 ? 0 : sign * rounded;
}

export function kpiSummary(c: KpiCounts): KpiSummary {
  return {
    nps: {
      n: c.npsN,
      promoters: c.promoters,
      passives: c.passives,
      detractors: c.detractors,
      score: c.npsN === 0 ? null : roundTo((100 * (c.promoters - c.detractors)) / c.npsN, 1),
    },
    csat: {
      n: c.ratingN,
      satisfied: c.satisfied,
      score: c.ratingN === 0 ? null : roundTo((100 * c.satisfied) / c.ratingN, 1),
      average: c.ratingN === 0 ? null : roundTo(c.ratingSum / c.ratingN, 2),
    },
  };
}
