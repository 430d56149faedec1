import { describe, expect, it } from 'vitest';
import { kpiSummary, roundTo } from '../../../shared/domain/kpis.js';

const none = { npsN: 0, promoters: 0, passives: 0, detractors: 0, ratingN: 0, satisfied: 0, ratingSum: 0 };

describe('kpiSummary', () => {
  it('computes NPS and CSAT as design.md defines them', () => {
    // 30 answers: 12 promoters, 6 passives, 12 detractors → NPS 0; 8 ratings, 5 of them ≥ 4, sum 29 → 62.5 %, 3.63.
    const k = kpiSummary({
      npsN: 30,
      promoters: 12,
      passives: 6,
      detractors: 12,
      ratingN: 8,
      satisfied: 5,
      ratingSum: 29,
    });
    expect(k.nps).toEqual({ n: 30, promoters: 12, passives: 6, detractors: 12, score: 0 });
    expect(k.csat).toEqual({ n: 8, satisfied: 5, score: 62.5, average: 3.63 });
  });

  it('reports no data as null, never 0 or NaN', () => {
    expect(kpiSummary(none)).toEqual({
      nps: { n: 0, promoters: 0, passives: 0, detractors: 0, score: null },
      csat: { n: 0, satisfied: 0, score: null, average: null },
    });
  });

  it('rounds half away from zero, negative scores included', () => {
    // 400 answers, 151 promoters, 200 detractors: 100 × −49 / 400 = −12.25 → −12.3.
    expect(kpiSummary({ ...none, npsN: 400, promoters: 151, passives: 49, detractors: 200 }).nps.score).toBe(-12.3);
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-0.04, 1)).toBe(0);
  });
});
