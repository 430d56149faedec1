/**
 * Digest test data: an in-memory `AggregateReader` and fixed data sets whose figures are computed by hand in
 * `figures.test.ts`.
 */
import {
  type AggregateCell,
  type AggregateReader,
  type CellCounts,
  emptyCounts,
  type MappingNotice,
  type SegmentDimension,
  type ThemeCell,
  type ThemeQuote,
  type Verbatim,
} from '../../../shared/domain/cells.js';

/** In-memory reader with the same contract as the DynamoDB one: inclusive day range, requested dimensions. */
export class MemoryAggregateReader implements AggregateReader {
  readonly cellQueries: { from: string; to: string; dimensions: readonly SegmentDimension[] }[] = [];

  constructor(
    private readonly cells: readonly AggregateCell[],
    private readonly verbatims: readonly Verbatim[] = [],
    private readonly notices: readonly MappingNotice[] = [],
    private readonly themes: { cells?: readonly ThemeCell[]; quotes?: readonly ThemeQuote[] } = {},
  ) {}

  async readThemeCells(query: {
    from: string;
    to: string;
    dimensions: readonly SegmentDimension[];
  }): Promise<ThemeCell[]> {
    return (this.themes.cells ?? []).filter(
      (c) => c.day >= query.from && c.day <= query.to && query.dimensions.includes(c.dimension),
    );
  }

  /** The best quote per theme and polarity, as the DynamoDB reader returns them. */
  async readThemeQuotes(query: { from: string; to: string; themes: readonly string[] }): Promise<ThemeQuote[]> {
    const best = new Map<string, ThemeQuote>();
    for (const q of this.themes.quotes ?? []) {
      if (q.day < query.from || q.day > query.to || !query.themes.includes(q.theme)) continue;
      const key = `${q.theme}\u0000${q.polarity}`;
      const seen = best.get(key);
      if (!seen || q.score > seen.score) best.set(key, q);
    }
    return [...best.values()];
  }

  async readCells(query: {
    from: string;
    to: string;
    dimensions: readonly SegmentDimension[];
  }): Promise<AggregateCell[]> {
    this.cellQueries.push(query);
    return this.cells.filter((c) => c.day >= query.from && c.day <= query.to && query.dimensions.includes(c.dimension));
  }

  async readVerbatims(query: { from: string; to: string; limit: number }): Promise<Verbatim[]> {
    return this.verbatims
      .filter((v) => v.day >= query.from && v.day <= query.to)
      .sort((a, b) => b.negative - a.negative)
      .slice(0, query.limit);
  }

  async readMappingNotices(query: { from: string; to: string }): Promise<MappingNotice[]> {
    return this.notices.filter((n) => n.day >= query.from && n.day <= query.to);
  }
}

type Ratings = Partial<Record<1 | 2 | 3 | 4 | 5, number>>;

interface CellSpec {
  volume: number;
  texts?: number;
  sentiment?: [positive: number, negative: number, neutral: number, mixed: number];
  nps?: [promoters: number, passives: number, detractors: number];
  ratings?: Ratings;
  phrases?: Record<string, number>;
}

/** Builds a cell; NPS sums use 10 / 7 / 3 per promoter / passive / detractor (only n and groups matter). */
export function cell(day: string, dimension: SegmentDimension, value: string, spec: CellSpec): AggregateCell {
  const counts: CellCounts = emptyCounts();
  counts.volume = spec.volume;
  counts.texts = spec.texts ?? 0;
  const [positive, negative, neutral, mixed] = spec.sentiment ?? [0, 0, 0, 0];
  Object.assign(counts, { positive, negative, neutral, mixed });
  const [promoters, passives, detractors] = spec.nps ?? [0, 0, 0];
  Object.assign(counts, {
    npsN: promoters + passives + detractors,
    npsPromoters: promoters,
    npsPassives: passives,
    npsDetractors: detractors,
    npsSum: 10 * promoters + 7 * passives + 3 * detractors,
  });
  const r = spec.ratings ?? {};
  const stars = [1, 2, 3, 4, 5] as const;
  Object.assign(counts, {
    rating1: r[1] ?? 0,
    rating2: r[2] ?? 0,
    rating3: r[3] ?? 0,
    rating4: r[4] ?? 0,
    rating5: r[5] ?? 0,
    ratingN: stars.reduce((n, s) => n + (r[s] ?? 0), 0),
    ratingSum: stars.reduce((sum, s) => sum + s * (r[s] ?? 0), 0),
  });
  counts.phrases = { ...(spec.phrases ?? {}) };
  return { day, dimension, value, counts };
}

const all = (day: string, spec: CellSpec): AggregateCell => cell(day, 'all', 'all', spec);

/** One ordinary day: 10 rows, 8 texts, sentiment 4/2/2/0, NPS 2/1/2, ratings 5,4,3,1, one "delivery" theme. */
const ordinaryDay: CellSpec = {
  volume: 10,
  texts: 8,
  sentiment: [4, 2, 2, 0],
  nps: [2, 1, 2],
  ratings: { 5: 1, 4: 1, 3: 1, 1: 1 },
  phrases: { delivery: 1 },
};

/**
 * Week 2026-11-16 (Mon) – 2026-11-22 (Sun) against 2026-11-09 – 2026-11-15. The previous week is seven
 * ordinary days. The current week has a spike on Wednesday, a day with no NPS or ratings (Thu), a day
 * without any data (Fri), a second spike (Sat) and a day with NPS only (Sun). The `channel` cells split
 * each period between `email` and `app`, consistently with the `all` totals.
 */
export const WEEK_CELLS: AggregateCell[] = [
  ...['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15'].map((d) =>
    all(d, ordinaryDay),
  ),
  all('2026-11-16', ordinaryDay),
  all('2026-11-17', {
    volume: 12,
    texts: 10,
    sentiment: [6, 2, 1, 1],
    nps: [4, 1, 1],
    ratings: { 5: 2, 4: 2, 2: 1 },
  }),
  all('2026-11-18', {
    volume: 20,
    texts: 18,
    sentiment: [4, 12, 1, 1],
    nps: [0, 1, 3],
    ratings: { 1: 3, 2: 2, 5: 1 },
    phrases: { refund: 6, delivery: 4, 'app crash': 2 },
  }),
  all('2026-11-19', { volume: 8, texts: 6, sentiment: [3, 1, 2, 0] }),
  all('2026-11-21', {
    volume: 9,
    texts: 9,
    sentiment: [2, 6, 1, 0],
    ratings: { 1: 1, 2: 1, 4: 1 },
    phrases: { refund: 3 },
  }),
  all('2026-11-22', { volume: 5, nps: [5, 0, 0] }),
  // channel: previous week email 30 + app 40 = 70; this week email 20 + app 44 = 64.
  cell('2026-11-10', 'channel', 'email', { volume: 30, texts: 20, sentiment: [10, 5, 5, 0], nps: [6, 2, 4] }),
  cell('2026-11-12', 'channel', 'app', { volume: 40, texts: 36, sentiment: [18, 9, 9, 0], nps: [8, 5, 10] }),
  cell('2026-11-17', 'channel', 'email', { volume: 20, texts: 15, sentiment: [10, 3, 2, 0], nps: [6, 1, 1] }),
  cell('2026-11-18', 'channel', 'app', { volume: 44, texts: 36, sentiment: [9, 20, 5, 2], nps: [5, 2, 5] }),
];

export const WEEK_VERBATIMS: Verbatim[] = [
  { day: '2026-11-14', text: 'Outside the period', source: 'survey', negative: 0.99 },
  {
    day: '2026-11-18',
    text: 'Refund still not processed after 3 weeks.',
    source: 'zendesk',
    negative: 0.97,
    rating: 1,
  },
  { day: '2026-11-21', text: 'The app crashes at checkout.', source: 'app-store', negative: 0.91, rating: 2 },
  { day: '2026-11-18', text: 'Delivery was late again.', source: 'survey', negative: 0.88, nps: 3 },
  { day: '2026-11-19', text: 'Meh.', source: 'survey', negative: 0.51 },
];

/** A period with ratings only (no texts, no NPS): 3 × 5★, 1 × 4★, 2 × 2★. */
export const RATINGS_ONLY_CELLS: AggregateCell[] = [
  all('2026-10-05', { volume: 4, ratings: { 5: 2, 4: 1, 2: 1 } }),
  all('2026-10-06', { volume: 2, ratings: { 5: 1, 2: 1 } }),
];

/** Feedback text an attacker (or an unlucky export) could put in front of the digest. */
export const HOSTILE = {
  script: '<script>alert("x")</script>',
  img: '<img src=x onerror=alert(1)>',
  formula: '=HYPERLINK("http://x","y")',
  longWord: 'A'.repeat(500),
  arabic: 'الخدمة سيئة جدا ولم يتم الرد على شكواي',
  hebrew: 'השירות היה גרוע מאוד',
  bidiOverride: '\u202Egnp.exe\u202C still broken',
} as const;

export const HOSTILE_CELLS: AggregateCell[] = [
  ...WEEK_CELLS.filter((c) => c.dimension === 'all'),
  cell('2026-11-10', 'channel', HOSTILE.img, { volume: 30, texts: 20, sentiment: [10, 5, 5, 0], nps: [6, 2, 4] }),
  cell('2026-11-18', 'channel', HOSTILE.img, { volume: 44, texts: 36, sentiment: [9, 20, 5, 2], nps: [5, 2, 5] }),
  cell('2026-11-18', 'channel', HOSTILE.arabic, { volume: 12, texts: 12, sentiment: [1, 10, 1, 0] }),
  cell('2026-11-18', 'all', 'all', {
    volume: 0,
    phrases: { [HOSTILE.script]: 9, [HOSTILE.formula]: 8, [HOSTILE.longWord]: 7 },
  }),
];

export const HOSTILE_VERBATIMS: Verbatim[] = [
  { day: '2026-11-18', text: HOSTILE.script, source: HOSTILE.img, negative: 0.99, rating: 1 },
  { day: '2026-11-18', text: HOSTILE.img, source: 'survey', negative: 0.98 },
  { day: '2026-11-18', text: HOSTILE.formula, source: '@import', negative: 0.97 },
  { day: '2026-11-19', text: `Broken: ${HOSTILE.longWord}`, source: 'survey', negative: 0.96 },
  { day: '2026-11-19', text: HOSTILE.arabic, source: 'app-store', negative: 0.95, rating: 1 },
  { day: '2026-11-20', text: HOSTILE.hebrew, source: 'app-store', negative: 0.94, nps: 0 },
  { day: '2026-11-20', text: HOSTILE.bidiOverride, source: 'survey', negative: 0.93 },
];

/** A deterministic pseudo-random generator (mulberry32) for the showcase data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic four weeks (2026-10-26 – 2026-11-22) for the screenshot: ~150 responses a day over three
 * channels and two regions, a refund-related spike on Wednesday 18 November.
 */
export function showcaseData(): {
  cells: AggregateCell[];
  verbatims: Verbatim[];
  themeCells: ThemeCell[];
  quotes: ThemeQuote[];
} {
  const next = random(42);
  const cells: AggregateCell[] = [];
  const channels = [
    ['App store', 0.45],
    ['Email survey', 0.35],
    ['Help desk', 0.2],
  ] as const;
  const regions = [
    ['EMEA', 0.55],
    ['Americas', 0.45],
  ] as const;
  const themeCells: ThemeCell[] = [];
  for (let i = 0; i < 28; i += 1) {
    const day = new Date(Date.UTC(2026, 9, 26 + i)).toISOString().slice(0, 10);
    const weekend = i % 7 >= 5;
    const spike = day === '2026-11-18';
    const lateWeek = i >= 21;
    const volume = Math.round((weekend ? 90 : 160) * (0.85 + 0.3 * next()) * (spike ? 1.4 : 1));
    const texts = Math.round(volume * 0.8);
    const negShare = spike ? 0.42 : (lateWeek ? 0.2 : 0.17) + 0.04 * next();
    const negative = Math.round(texts * negShare);
    const positive = Math.round(texts * (spike ? 0.33 : lateWeek ? 0.5 : 0.45 + 0.05 * next()));
    const mixed = Math.round(texts * 0.05);
    const neutral = Math.max(0, texts - negative - positive - mixed);
    const npsN = Math.round(volume * 0.4);
    const promoters = Math.round(npsN * (spike ? 0.38 : lateWeek ? 0.5 : 0.45));
    const detractors = Math.round(npsN * (spike ? 0.35 : lateWeek ? 0.14 : 0.18));
    const passives = npsN - promoters - detractors;
    const ratingN = Math.round(volume * 0.5);
    const r5 = Math.round(ratingN * (spike ? 0.3 : 0.45));
    const r4 = Math.round(ratingN * (lateWeek ? 0.38 : 0.33));
    const r1 = Math.round(ratingN * (spike ? 0.2 : 0.06));
    const r2 = Math.round(ratingN * 0.06);
    const r3 = Math.max(0, ratingN - r5 - r4 - r1 - r2);
    const phrases: Record<string, number> = {
      'refund delay': Math.round(negative * (spike ? 0.5 : 0.12)),
      'late delivery': Math.round(negative * 0.2),
      'app crashes at checkout': Math.round(negative * 0.1),
      'customer service': Math.round(negative * 0.12),
      'price increase': Math.round(negative * (lateWeek ? 0.05 : 0.1)),
    };
    const spec: CellSpec = {
      volume,
      texts,
      sentiment: [positive, negative, neutral, mixed],
      nps: [promoters, passives, detractors],
      ratings: { 1: r1, 2: r2, 3: r3, 4: r4, 5: r5 },
      phrases,
    };
    cells.push(all(day, spec));
    themeCells.push(...showcaseThemeCells(day, volume, spike));
    // Segments differ in tone: help desk contacts skew negative (more so in the last week), app reviews positive.
    const tone: Record<string, [positive: number, negative: number, promoters: number, detractors: number]> = {
      'App store': [1.12, 0.85, 1.05, 0.9],
      'Email survey': [1.02, 0.9, 1.1, 0.8],
      'Help desk': lateWeek ? [0.55, 2.1, 0.7, 1.9] : [0.8, 1.5, 0.85, 1.4],
      EMEA: [1.04, 0.95, 1.06, 0.92],
      Americas: [0.95, 1.06, 0.93, 1.1],
    };
    const split = (dimension: SegmentDimension, parts: readonly (readonly [string, number])[], tilt: string) => {
      const weights = parts.map(([value, weight]) => weight * (value === tilt && lateWeek ? 1.25 : 1));
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach(([value], i) => {
        const w = (weights[i] ?? 0) / sum;
        const [tp, tn, tpr, tde] = tone[value] ?? [1, 1, 1, 1];
        const f = (n: number, t = 1): number => Math.round(n * w * t);
        cells.push(
          cell(day, dimension, value, {
            volume: f(volume),
            texts: f(texts),
            sentiment: [f(positive, tp), f(negative, tn), f(neutral), f(mixed)],
            nps: [f(promoters, tpr), f(passives), f(detractors, tde)],
            ratings: { 1: f(r1, tn), 2: f(r2), 3: f(r3), 4: f(r4), 5: f(r5, tp) },
          }),
        );
      });
    };
    split('channel', channels, 'App store');
    split('region', regions, 'Americas');
  }
  const verbatims: Verbatim[] = [
    {
      day: '2026-11-18',
      text: 'I returned the jacket on 28 October and I am still waiting for my refund. Support keeps telling me it takes 5–7 days. It has been three weeks.',
      source: 'Help desk',
      negative: 0.98,
      rating: 1,
    },
    {
      day: '2026-11-18',
      text: 'The app crashed twice at checkout and charged my card [CARD]. Very frustrating.',
      source: 'App store',
      negative: 0.96,
      rating: 1,
    },
    {
      day: '2026-11-19',
      text: 'الطلب وصل متأخرًا أسبوعًا كاملًا ولم يرد أحد على رسائلي',
      source: 'Email survey',
      negative: 0.93,
      nps: 2,
    },
  ];
  return { cells, verbatims, themeCells, quotes: SHOWCASE_QUOTES };
}

/** Theme, share of the day's responses, promoter and detractor rates, share of 1★ and of 5★ among its ratings. */
const SHOWCASE_THEMES = [
  ['payment.refund', 0.08, 0.1, 0.7, 0.55, 0.05],
  ['delivery.speed', 0.12, 0.25, 0.45, 0.3, 0.15],
  ['app.stability', 0.06, 0.2, 0.5, 0.4, 0.1],
  ['service.attitude', 0.1, 0.72, 0.06, 0.03, 0.7],
  ['product.quality', 0.14, 0.66, 0.1, 0.05, 0.62],
  ['price.value', 0.09, 0.35, 0.3, 0.15, 0.3],
] as const;

function showcaseThemeCells(day: string, volume: number, spike: boolean): ThemeCell[] {
  return SHOWCASE_THEMES.map(([theme, share, promoterRate, detractorRate, oneStar, fiveStar]) => {
    const v = Math.round(volume * share * (spike && theme === 'payment.refund' ? 3 : 1));
    const npsN = Math.round(v * 0.4);
    const promoters = Math.round(npsN * promoterRate);
    const detractors = Math.round(npsN * detractorRate);
    const ratingN = Math.round(v * 0.5);
    const r1 = Math.round(ratingN * oneStar);
    const r5 = Math.round(ratingN * fiveStar);
    const negative = Math.round(v * 0.8 * detractorRate);
    const positive = Math.round(v * 0.8 * promoterRate);
    return {
      theme,
      ...cell(day, 'all', 'all', {
        volume: v,
        texts: v,
        sentiment: [positive, negative, Math.max(0, v - positive - negative), 0],
        nps: [promoters, npsN - promoters - detractors, detractors],
        ratings: { 1: r1, 3: ratingN - r1 - r5, 5: r5 },
      }),
    };
  });
}

const SHOWCASE_QUOTES: ThemeQuote[] = [
  {
    day: '2026-11-18',
    theme: 'payment.refund',
    polarity: 'negative',
    score: 0.98,
    text: 'Three weeks since I returned it and still no refund. Support only sends templates.',
    source: 'Help desk',
    fingerprint: 'q1',
  },
  {
    day: '2026-11-20',
    theme: 'delivery.speed',
    polarity: 'negative',
    score: 0.95,
    text: '等了一个小时还没送到，骑手电话也打不通。',
    source: 'App store',
    fingerprint: 'q2',
  },
  {
    day: '2026-11-17',
    theme: 'app.stability',
    polarity: 'negative',
    score: 0.93,
    text: 'The app crashes every time I open my orders.',
    source: 'App store',
    fingerprint: 'q3',
  },
  {
    day: '2026-11-19',
    theme: 'service.attitude',
    polarity: 'positive',
    score: 0.97,
    text: 'Lovely, patient agent on the phone – sorted in five minutes.',
    source: 'Email survey',
    fingerprint: 'q4',
  },
  {
    day: '2026-11-21',
    theme: 'product.quality',
    polarity: 'positive',
    score: 0.96,
    text: '质量很好，做工扎实，和描述一致。',
    source: 'Email survey',
    fingerprint: 'q5',
  },
];
