import { describe, expect, it } from 'vitest';
import { themeImpact } from '../../../shared/domain/impact.js';

describe('themeImpact', () => {
  it('is negative for a theme detractors raise, by exactly the points its removal would gain', () => {
    // Prepare: 10 NPS answers, 5 promoters, 3 detractors → NPS 20. The theme's 4: 0 promoters, 3 detractors.
    // Without them: 6 answers, 5 promoters, 0 detractors → 83.33…; impact 20 − 83.33 = −63.33.
    const all = { n: 10, plus: 5, minus: 3 };
    const theme = { n: 4, plus: 0, minus: 3 };

    // Act
    const result = themeImpact(all, theme, 1);

    // Assess
    expect(result.n).toBe(4);
    expect(result.score).toBe(-75);
    expect(result.without).toBeCloseTo(83.333, 3);
    expect(result.impact).toBeCloseTo(-63.333, 3);
  });

  it('is positive for a theme promoters raise (CSAT: satisfied ratings, no minus)', () => {
    // 8 ratings, 6 satisfied → CSAT 75. Theme: 3 ratings, all satisfied. Without: 5 ratings, 3 satisfied → 60.
    const result = themeImpact({ n: 8, plus: 6, minus: 0 }, { n: 3, plus: 3, minus: 0 }, 1);

    expect(result.score).toBe(100);
    expect(result.without).toBe(60);
    expect(result.impact).toBe(15);
  });

  it('has no impact when no response mentions the theme (n = 0)', () => {
    const result = themeImpact({ n: 10, plus: 5, minus: 3 }, { n: 0, plus: 0, minus: 0 }, 1);

    expect(result).toEqual({ n: 0, score: null, without: 20, impact: null, ci95: null, reliable: false });
  });

  it('has no impact when the theme is in every response: there is no score without it', () => {
    const result = themeImpact({ n: 6, plus: 2, minus: 2 }, { n: 6, plus: 2, minus: 2 }, 1);

    expect(result).toEqual({ n: 6, score: 0, without: null, impact: null, ci95: null, reliable: false });
  });

  it('has no impact when the period has no answers at all', () => {
    const result = themeImpact({ n: 0, plus: 0, minus: 0 }, { n: 0, plus: 0, minus: 0 }, 1);

    expect(result.impact).toBeNull();
    expect(result.without).toBeNull();
  });

  it('gives the normal-approximation interval from both groups (hand-computed)', () => {
    // Theme: 20 answers, 2 promoters, 12 detractors → mean −50; E[x²] = 10000 × 14/20 = 7000; var = (7000 − 2500)
    // × 20/19 = 4736.84. Rest: 80 answers, 40 promoters, 10 detractors → mean 37.5; E[x²] = 6250; var = (6250 −
    // 1406.25) × 80/79 = 4905.06. w = 0.2; se = 0.2 × √(4736.84/20 + 4905.06/80) = 0.2 × √(236.84 + 61.31) = 3.4534.
    // All: 100 answers, 42 promoters, 22 detractors → 20; impact = 20 − 37.5 = −17.5; ± 1.96 × 3.4534 = ± 6.768.
    const result = themeImpact({ n: 100, plus: 42, minus: 22 }, { n: 20, plus: 2, minus: 12 }, 10);

    expect(result.impact).toBeCloseTo(-17.5, 6);
    expect(result.ci95?.low).toBeCloseTo(-24.268, 2);
    expect(result.ci95?.high).toBeCloseTo(-10.732, 2);
    expect(result.reliable).toBe(true);
  });

  it('is not reliable below the minimum n, however large the impact', () => {
    const result = themeImpact({ n: 100, plus: 60, minus: 10 }, { n: 3, plus: 0, minus: 3 }, 10);

    expect(result.impact).toBeLessThan(-3);
    expect(result.reliable).toBe(false);
  });

  it('is not reliable when the interval crosses zero', () => {
    // Theme scores like the rest: impact 0 with a real spread.
    const result = themeImpact({ n: 100, plus: 50, minus: 20 }, { n: 50, plus: 25, minus: 10 }, 10);

    expect(result.impact).toBeCloseTo(0, 9);
    expect(result.ci95?.low).toBeLessThan(0);
    expect(result.ci95?.high).toBeGreaterThan(0);
    expect(result.reliable).toBe(false);
  });
});
