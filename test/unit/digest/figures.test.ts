import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDigestFigures, type DigestFigures } from '../../../shared/digest/figures.js';
import { type AggregateCell, SEGMENT_DIMENSIONS } from '../../../shared/domain/cells.js';
import { InvalidOptionsError } from '../../../shared/domain/errors.js';
import { roundTo } from '../../../shared/domain/kpis.js';
import { cell, MemoryAggregateReader, RATINGS_ONLY_CELLS, WEEK_CELLS, WEEK_VERBATIMS } from './fixtures.js';

const week = (options: Partial<Parameters<typeof computeDigestFigures>[1]> = {}): Promise<DigestFigures> =>
  computeDigestFigures(new MemoryAggregateReader(WEEK_CELLS, WEEK_VERBATIMS), {
    from: '2026-11-16',
    to: '2026-11-22',
    kind: 'weekly',
    timeZone: 'Europe/Berlin',
    segments: ['channel'],
    topThemes: 2,
    verbatims: 3,
    ...options,
  });

describe('computeDigestFigures', () => {
  it('computes the period KPIs by hand-checked arithmetic', async () => {
    // Act
    const f = await week();

    // Assess — this week (16–22 Nov), days Mon..Sun = 10, 12, 20, 8, –, 9, 5:
    // volume 64; texts 8+10+18+6+9 = 51
    // sentiment positive 4+6+4+3+2 = 19, negative 2+2+12+1+6 = 23, neutral 2+1+1+2+1 = 7, mixed 1+1 = 2, n = 51
    // net = 100 × (19 − 23) / 51 = −7.843 → −7.8
    // NPS promoters 2+4+0+5 = 11, passives 1+1+1 = 3, detractors 2+1+3 = 6, n = 20 → 100 × 5 / 20 = 25.0
    // ratings 1★ 1+3+1 = 5, 2★ 1+2+1 = 4, 3★ 1, 4★ 1+2+1 = 4, 5★ 1+2+1 = 4, n = 18
    // CSAT = 100 × 8 / 18 = 44.44 → 44.4; average = (5 + 8 + 3 + 16 + 20) / 18 = 52 / 18 = 2.888 → 2.89
    expect(f.period).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
      days: 7,
      volume: 64,
      texts: 51,
      sentiment: { n: 51, positive: 19, negative: 23, neutral: 7, mixed: 2, net: -7.8 },
      nps: { n: 20, promoters: 11, passives: 3, detractors: 6, score: 25 },
      csat: { n: 18, satisfied: 8, score: 44.4, average: 2.89 },
      ratings: [
        { stars: 1, count: 5 },
        { stars: 2, count: 4 },
        { stars: 3, count: 1 },
        { stars: 4, count: 4 },
        { stars: 5, count: 4 },
      ],
    });
    // Previous week (9–15 Nov) = 7 ordinary days: volume 70, texts 56, sentiment 28/14/14/0 → net 100 × 14 / 56 = 25.0,
    // NPS 14/7/14 of 35 → 0.0, ratings 7 × (5,4,3,1) → CSAT 14 / 28 = 50.0, average 91 / 28 = 3.25.
    expect(f.previous).toMatchObject({
      from: '2026-11-09',
      to: '2026-11-15',
      volume: 70,
      texts: 56,
      sentiment: { n: 56, net: 25 },
      nps: { n: 35, promoters: 14, passives: 7, detractors: 14, score: 0 },
      csat: { n: 28, satisfied: 14, score: 50, average: 3.25 },
    });
  });

  it('computes deltas from unrounded scores', async () => {
    const f = await week();

    // volume 64 − 70 = −6, −6 / 70 = −8.57 % → −8.6; texts 51 − 56 = −5, −8.93 % → −8.9
    // NPS 25.0 − 0.0 = 25.0; CSAT 44.444 − 50 = −5.556 → −5.6; average 2.8889 − 3.25 = −0.3611 → −0.36
    // net sentiment −7.843 − 25 = −32.843 → −32.8
    expect(f.deltas).toEqual({
      volume: { change: -6, pct: -8.6 },
      texts: { change: -5, pct: -8.9 },
      nps: 25,
      csat: -5.6,
      csatAverage: -0.36,
      netSentiment: -32.8,
    });
  });

  it('finds negative spikes overall and per segment', async () => {
    const f = await week();

    // Wed 18: trailing 11–17 negatives 2 × 7 = 14 → mean 2; 12 > 1.5 × 2 and ≥ 5 → spike, ratio 6
    // Sat 21: trailing 14–20 = 2+2+2+2+12+1+0 = 21 → mean 3; 6 > 4.5 and ≥ 5 → spike, ratio 2
    // Thu 19: 1 negative < minVolume 5 → no spike
    // channel app Wed 18: trailing has 9 (12 Nov) → mean 9/7; 20 > 1.93 → spike, ratio 20 / (9/7) = 15.56
    expect(f.spikes).toEqual([
      { dimension: 'all', value: 'all', day: '2026-11-18', negative: 12, baseline: 2, ratio: 6 },
      { dimension: 'all', value: 'all', day: '2026-11-21', negative: 6, baseline: 3, ratio: 2 },
      { dimension: 'channel', value: 'app', day: '2026-11-18', negative: 20, baseline: 9 / 7, ratio: 20 / (9 / 7) },
    ]);
    expect(f.series.filter((p) => p.spike).map((p) => p.day)).toEqual(['2026-11-18', '2026-11-21']);
  });

  it('ranks the segments that moved most with a minimum n', async () => {
    const f = await week();

    // share: app 44/64 = 68.75 % vs 40/70 = 57.14 % → +11.6; email 20/64 = 31.25 % vs 30/70 = 42.86 % → −11.6
    //        (same |change|: larger n first)
    // net sentiment: app 100 × (9 − 20) / 36 = −30.56 vs 25.0 → −55.6; email 100 × 7 / 15 = 46.67 vs 25.0 → +21.7
    // NPS: app 0.0 vs 100 × (8 − 10) / 23 = −8.70 → +8.7; email has n 8 < 10 this week → not ranked
    expect(f.movers.share.map((m) => [m.value, m.current, m.previous, m.change])).toEqual([
      ['app', 68.8, 57.1, 11.6],
      ['email', 31.3, 42.9, -11.6],
    ]);
    expect(f.movers.netSentiment.map((m) => [m.value, m.current, m.previous, m.change, m.n])).toEqual([
      ['app', -30.6, 25, -55.6, 36],
      ['email', 46.7, 25, 21.7, 15],
    ]);
    expect(f.movers.nps).toEqual([
      {
        dimension: 'channel',
        value: 'app',
        metric: 'nps',
        current: 0,
        previous: -8.7,
        change: 8.7,
        n: 12,
        previousN: 23,
      },
    ]);
    expect(f.breakdown).toEqual([
      {
        dimension: 'channel',
        rows: [
          { value: 'app', volume: 44, previousVolume: 40, share: 68.8, netSentiment: -30.6, nps: 0, csat: null },
          // email NPS 100 × (6 − 1) / 8 = 62.5
          { value: 'email', volume: 20, previousVolume: 30, share: 31.3, netSentiment: 46.7, nps: 62.5, csat: null },
        ],
        others: null,
      },
    ]);
  });

  it('lists top emerging phrases, the most negative verbatims and a daily series', async () => {
    const f = await week();

    // refund 6 + 3 = 9 (previous 0); delivery 1 + 4 = 5 (previous 7 × 1); app crash 2 is cut by topThemes 2
    expect(f.emerging).toEqual([
      { phrase: 'refund', count: 9, previous: 0 },
      { phrase: 'delivery', count: 5, previous: 7 },
    ]);
    expect(f.verbatims.map((v) => v.negative)).toEqual([0.97, 0.91, 0.88]);
    // 14 days (previous week for context + this week); Fri 20 has no data → nulls, Thu 19 has no NPS/ratings.
    expect(f.series).toHaveLength(14);
    expect(f.series.filter((p) => p.inPeriod)).toHaveLength(7);
    expect(f.series.find((p) => p.day === '2026-11-20')).toMatchObject({
      volume: 0,
      netSentiment: null,
      nps: null,
      csat: null,
    });
    expect(f.series.find((p) => p.day === '2026-11-19')).toMatchObject({ volume: 8, netSentiment: 33.3, nps: null });
  });

  it('reports every score of an empty period as null', async () => {
    const f = await computeDigestFigures(new MemoryAggregateReader(WEEK_CELLS), {
      from: '2026-10-01',
      to: '2026-10-07',
      segments: ['channel'],
    });

    expect(f.period.volume).toBe(0);
    expect(f.period.nps).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null });
    expect(f.period.csat).toEqual({ n: 0, satisfied: 0, score: null, average: null });
    expect(f.period.sentiment.net).toBeNull();
    expect(f.deltas).toEqual({
      volume: { change: 0, pct: null },
      texts: { change: 0, pct: null },
      nps: null,
      csat: null,
      csatAverage: null,
      netSentiment: null,
    });
    expect([f.spikes, f.themes, f.verbatims, f.movers.share, f.breakdown[0]?.rows]).toEqual([[], [], [], [], []]);
  });

  it('handles a period with ratings only', async () => {
    const f = await computeDigestFigures(new MemoryAggregateReader(RATINGS_ONLY_CELLS), {
      from: '2026-10-05',
      to: '2026-10-06',
      segments: [],
    });

    // 3 × 5★ + 1 × 4★ + 2 × 2★ = 6 ratings, 4 satisfied → 66.67 → 66.7; average (15 + 4 + 4) / 6 = 3.833 → 3.83
    expect(f.period.csat).toEqual({ n: 6, satisfied: 4, score: 66.7, average: 3.83 });
    expect(f.period.nps.score).toBeNull();
    expect(f.period.sentiment).toEqual({ n: 0, positive: 0, negative: 0, neutral: 0, mixed: 0, net: null });
    // previous period (3–4 Oct) is empty: deltas null, volume change without a percentage
    expect(f.deltas.csat).toBeNull();
    expect(f.deltas.volume).toEqual({ change: 6, pct: null });
  });

  it('reads cells once, from the start of the spike window to the end of the period', async () => {
    const reader = new MemoryAggregateReader(WEEK_CELLS);

    await computeDigestFigures(reader, { from: '2026-11-22', to: '2026-11-22', segments: ['channel', 'all'] });

    // daily: previous = 21 Nov, spike window from 15 Nov, series 14 days from 9 Nov → read from 9 Nov
    expect(reader.cellQueries).toEqual([{ from: '2026-11-09', to: '2026-11-22', dimensions: ['all', 'channel'] }]);
  });

  it('rejects invalid options', async () => {
    const reader = new MemoryAggregateReader([]);
    const base = { from: '2026-11-01', to: '2026-11-07', segments: [] };

    await expect(computeDigestFigures(reader, { ...base, spike: { ratio: 0 } })).rejects.toThrow(InvalidOptionsError);
    await expect(computeDigestFigures(reader, { ...base, topThemes: -1 })).rejects.toThrow(InvalidOptionsError);
    await expect(computeDigestFigures(reader, { ...base, from: '2026-11-08' })).rejects.toThrow(/must not be after/);
  });

  it('never produces NaN or a score without answers (property)', async () => {
    const counts = fc.record({
      volume: fc.nat(50),
      negative: fc.nat(20),
      positive: fc.nat(20),
      promoters: fc.nat(5),
      detractors: fc.nat(5),
      r1: fc.nat(3),
      r5: fc.nat(3),
    });
    const days = ['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...days), counts), { maxLength: 6 }), async (rows) => {
        const cells: AggregateCell[] = rows.map(([day, c]) =>
          cell(day, 'all', 'all', {
            volume: c.volume,
            sentiment: [c.positive, c.negative, 0, 0],
            nps: [c.promoters, 0, c.detractors],
            ratings: { 1: c.r1, 5: c.r5 },
          }),
        );
        const f = await computeDigestFigures(new MemoryAggregateReader(cells), {
          from: '2026-11-16',
          to: '2026-11-17',
          segments: [],
        });
        const json = JSON.stringify(f);
        expect(json).not.toMatch(/NaN|Infinity/);
        for (const p of [f.period, f.previous]) {
          expect(p.nps.score === null).toBe(p.nps.n === 0);
          expect(p.csat.score === null).toBe(p.csat.n === 0);
          expect(p.sentiment.net === null).toBe(p.sentiment.n === 0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('accepts every segment dimension', async () => {
    const f = await computeDigestFigures(new MemoryAggregateReader([]), {
      from: '2026-11-01',
      to: '2026-11-01',
      segments: SEGMENT_DIMENSIONS,
    });
    expect(f.breakdown.map((b) => b.dimension)).toEqual(['channel', 'source', 'product', 'region', 'language']);
  });
});

describe('roundTo', () => {
  it.each([
    [1.005, 2, 1.01],
    [44.444, 1, 44.4],
    [31.25, 1, 31.3],
    [-31.25, 1, -31.3],
    [-0.04, 1, 0],
  ])('rounds %d to %d decimals as %d (half away from zero)', (value, decimals, expected) => {
    expect(roundTo(value, decimals)).toBe(expected);
  });
});
