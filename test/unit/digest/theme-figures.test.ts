import { describe, expect, it } from 'vitest';
import { computeDigestFigures } from '../../../shared/digest/figures.js';
import { renderDigest } from '../../../shared/digest/render.js';
import type { ThemeCell, ThemeQuote } from '../../../shared/domain/cells.js';
import { cell, MemoryAggregateReader } from './fixtures.js';

const themeCell = (day: string, theme: string, spec: Parameters<typeof cell>[3]): ThemeCell => ({
  theme,
  ...cell(day, 'all', 'all', spec),
});

// This week (Tue 17): 20 NPS answers, 8 promoters, 8 detractors → NPS 0; 20 ratings, 12 of 4–5 → CSAT 60.
const CELLS = [
  cell('2026-11-17', 'all', 'all', { volume: 20, nps: [8, 4, 8], ratings: { 1: 8, 4: 6, 5: 6 } }),
  cell('2026-11-10', 'all', 'all', { volume: 10, nps: [5, 0, 5] }),
];
const THEME_CELLS = [
  // delivery: 10 answers, 1 promoter, 7 detractors (−60); the other 10: 7 and 1 (+60) → impact 0 − 60 = −60.
  // CSAT: 3 of 10 satisfied (30 %); the other 10: 9 (90 %) → impact 60 − 90 = −30.
  themeCell('2026-11-17', 'delivery.speed', {
    volume: 10,
    sentiment: [1, 7, 1, 1],
    nps: [1, 2, 7],
    ratings: { 1: 7, 4: 2, 5: 1 },
  }),
  // service: 10 answers, 6 promoters, 1 detractor (+50); the other 10: 2 and 7 (−50) → impact 0 − (−50) = +50.
  themeCell('2026-11-17', 'service.attitude', { volume: 10, nps: [6, 3, 1], ratings: { 4: 4, 5: 4, 1: 2 } }),
  // Too few answers to rank (3 < 10).
  themeCell('2026-11-17', 'price.value', { volume: 3, sentiment: [0, 3, 0, 0], nps: [0, 0, 3] }),
  // Last week delivery was in every answer: no impact then, so no change either.
  themeCell('2026-11-10', 'delivery.speed', { volume: 10, nps: [5, 0, 5] }),
];
const QUOTES: ThemeQuote[] = [
  {
    day: '2026-11-17',
    theme: 'delivery.speed',
    polarity: 'negative',
    score: 0.9,
    text: 'Two weeks late <again>',
    source: 'survey',
    fingerprint: 'a',
  },
  {
    day: '2026-11-17',
    theme: 'delivery.speed',
    polarity: 'negative',
    score: 0.95,
    text: 'Never arrived',
    source: 'survey',
    fingerprint: 'b',
  },
  {
    day: '2026-11-17',
    theme: 'service.attitude',
    polarity: 'positive',
    score: 0.8,
    text: 'Kind agent',
    source: 'chat',
    fingerprint: 'c',
  },
];

const figures = () =>
  computeDigestFigures(new MemoryAggregateReader(CELLS, [], [], { cells: THEME_CELLS, quotes: QUOTES }), {
    from: '2026-11-16',
    to: '2026-11-22',
    segments: [],
    themeLabels: new Map([['delivery.speed', { en: 'Delivery time', zh: '配送时效', category: 'delivery' }]]),
  });

describe('theme figures', () => {
  it('ranks what drives NPS and CSAT by impact, with its interval, change and best quote', async () => {
    const f = await figures();

    const nps = f.drivers.find((d) => d.metric === 'nps');
    expect(nps).toMatchObject({ score: 0, n: 20 });
    // Theme: mean −60, sample variance (8000 − 3600) × 10/9 = 4888.9; the rest the same; w = 0.5;
    // se = 0.5 × √(488.89 × 2) = 15.63; ± 1.96 × 15.63 = ± 30.6.
    expect(nps?.negative).toEqual([
      {
        theme: 'delivery.speed',
        label: { en: 'Delivery time', zh: '配送时效', category: 'delivery' },
        impact: {
          n: 10,
          score: -60,
          impact: -60,
          ci95: { low: -90.6, high: -29.4 },
          reliable: true,
          previousImpact: null,
          change: null,
        },
        quote: { text: 'Never arrived', source: 'survey', day: '2026-11-17' },
      },
    ]);
    expect(nps?.positive.map((d) => [d.theme, d.impact.impact, d.quote?.text])).toEqual([
      ['service.attitude', 50, 'Kind agent'],
    ]);
    const csat = f.drivers.find((d) => d.metric === 'csat');
    expect(csat?.negative.map((d) => [d.theme, d.impact.score, d.impact.impact])).toEqual([
      ['delivery.speed', 30, -30],
    ]);
  });

  it('lists every theme of the period with its mentions, negative share and an unknown id as its own label', async () => {
    const f = await figures();

    expect(f.themes.map((t) => [t.theme, t.volume, t.negative, t.previousVolume])).toEqual([
      ['delivery.speed', 10, 8, 10],
      ['service.attitude', 10, 0, 0],
      ['price.value', 3, 3, 0],
    ]);
    expect(f.themes[2]?.label).toEqual({ en: 'price.value', zh: 'price.value', category: 'price' });
    // The other 17: 8 promoters, 5 detractors → 17.6; impact 0 − 17.6.
    expect(f.themes[2]?.nps).toMatchObject({ n: 3, impact: -17.6, reliable: false });
  });

  it('renders "What drives the score" with escaped quotes in both parts', async () => {
    const { html, text } = renderDigest(await figures());

    expect(html).toContain('What drives the score');
    expect(html).toContain('Delivery time');
    expect(html).toContain('-60.0 pts (95% -90.6 to -29.4)');
    expect(html).not.toContain('<again>');
    expect(text).toContain('WHAT DRIVES THE SCORE');
    expect(text).toContain('- \u2068Delivery time\u2069: -60.0 pts (95% -90.6 to -29.4); n 10');
    expect(text).toContain('CSAT 60%, n 20:');
  });
});
