/**
 * Digest figures: KPIs for a period and the previous period of the same length, derived from additive
 * aggregate cells. Counts are summed exactly; scores are derived from the sums and rounded once, here, at
 * the edge of the figures (the JSON contract carries one-decimal scores as design.md specifies). Deltas are
 * computed from the unrounded scores. A figure whose n is 0 is `null`, never 0 or NaN.
 */

import {
  type AggregateCell,
  type AggregateReader,
  addCounts,
  type CellCounts,
  emptyCounts,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
  type Verbatim,
} from '../domain/cells.js';
import { addDays, eachDay } from '../domain/days.js';
import { InvalidOptionsError } from '../domain/errors.js';
import { csatScore, kpiSummary, netSentimentScore, npsScore, percentOf, roundTo } from '../domain/kpis.js';
import {
  detectSpikes,
  resolveSpikeOptions,
  type Spike,
  type SpikeOptions,
  type SpikeSeriesPoint,
} from '../domain/spike.js';
import { customPeriod, type PeriodKind, previousPeriod } from './period.js';

/* ------------------------------------------------------------------ numbers */

function roundOrNull(value: number | null, decimals: number): number | null {
  return value === null ? null : roundTo(value, decimals);
}

function difference(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : current - previous;
}

/* ------------------------------------------------------------------ KPI definitions (design.md) */

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

/* ------------------------------------------------------------------ counts */

/* ------------------------------------------------------------------ figures */

export interface DigestFigureOptions {
  /** First business day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last business day, inclusive (YYYY-MM-DD). */
  to: string;
  /** How the period was chosen; carried into the figures for the subject and archive keys. @default 'custom' */
  kind?: PeriodKind;
  /** Business time zone the days are in (informational: cells are already bucketed). */
  timeZone?: string;
  /** Dimensions for segment movers, breakdowns and segment spikes (`all` is always read). */
  segments: readonly SegmentDimension[];
  /** Spike rule. @default { ratio: 1.5, minVolume: 5, trailingDays: 7 } */
  spike?: Partial<SpikeOptions>;
  /** How many negative themes to list. @default 5 */
  topThemes?: number;
  /** How many representative negative verbatims to include. @default 3 */
  verbatims?: number;
  /** Minimum n (in each period) for a segment to be ranked as a mover. @default 10 */
  minSegmentN?: number;
  /** Movers listed per metric. @default 3 */
  movers?: number;
  /** Segment values listed per dimension in the breakdown (the rest are summed as "others"). @default 6 */
  breakdownRows?: number;
  /** Minimum number of days in the daily series (for a daily digest's sparkline). @default 14 */
  seriesDays?: number;
}

export interface PeriodFigures {
  from: string;
  to: string;
  days: number;
  /** Accepted rows. */
  volume: number;
  /** Accepted rows with text. */
  texts: number;
  sentiment: SentimentFigure;
  nps: NpsFigure;
  csat: CsatFigure;
  /** Ratings per star, 1 to 5. */
  ratings: { stars: 1 | 2 | 3 | 4 | 5; count: number }[];
}

export interface CountDelta {
  change: number;
  /** Relative change in percent, one decimal; null when the previous value is 0. */
  pct: number | null;
}

export interface DigestDeltas {
  volume: CountDelta;
  texts: CountDelta;
  /** Points, one decimal; null when either period has no NPS answers. */
  nps: number | null;
  /** CSAT points, one decimal; null when either period has no ratings. */
  csat: number | null;
  /** Two decimals. */
  csatAverage: number | null;
  /** Points, one decimal. */
  netSentiment: number | null;
}

export interface DailyFigures {
  day: string;
  /** True for days of the reported period (the series also covers the days before, for context). */
  inPeriod: boolean;
  volume: number;
  texts: number;
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
  netSentiment: number | null;
  nps: number | null;
  csat: number | null;
  /** The overall negative count that day is a spike. */
  spike: boolean;
}

export interface SegmentSpike extends Spike {
  dimension: SegmentDimension;
  value: string;
}

export type MoverMetric = 'share' | 'netSentiment' | 'nps';

export interface SegmentMove {
  dimension: SegmentDimension;
  value: string;
  metric: MoverMetric;
  /** Share of all responses (%), net sentiment or NPS in the period, one decimal. */
  current: number;
  previous: number;
  /** current − previous in points, from unrounded values, one decimal. */
  change: number;
  /** n behind the metric (volume for share, rows with a sentiment, NPS answers). */
  n: number;
  previousN: number;
}

export interface SegmentRow {
  value: string;
  volume: number;
  previousVolume: number;
  /** Share of all responses in the period (%), one decimal; null when the period is empty. */
  share: number | null;
  netSentiment: number | null;
  nps: number | null;
  csat: number | null;
}

export interface SegmentBreakdown {
  dimension: Exclude<SegmentDimension, 'all'>;
  rows: SegmentRow[];
  /** Values beyond `breakdownRows`, summed. */
  others: { values: number; volume: number } | null;
}

export interface ThemeFigure {
  theme: string;
  count: number;
  previous: number;
}

export interface DigestFigures {
  version: '1';
  kind: PeriodKind;
  timeZone: string | null;
  period: PeriodFigures;
  previous: PeriodFigures;
  deltas: DigestDeltas;
  series: DailyFigures[];
  /** Overall spikes first, then segment spikes; each group by day. */
  spikes: SegmentSpike[];
  movers: Record<MoverMetric, SegmentMove[]>;
  breakdown: SegmentBreakdown[];
  themes: ThemeFigure[];
  verbatims: Verbatim[];
  options: { spike: SpikeOptions; minSegmentN: number };
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!(Number.isInteger(resolved) && resolved >= 0)) {
    throw new InvalidOptionsError(`${name} must be an integer ≥ 0, got ${resolved}`);
  }
  return resolved;
}

const segmentKey = (dimension: SegmentDimension, value: string): string => `${dimension}\u0000${value}`;

/** Cells indexed by segment and day; cells for the same segment and day are summed (they are additive). */
class CellIndex {
  private readonly bySegment = new Map<
    string,
    { dimension: SegmentDimension; value: string; days: Map<string, CellCounts> }
  >();

  constructor(cells: readonly AggregateCell[]) {
    for (const cell of cells) {
      const key = segmentKey(cell.dimension, cell.value);
      let entry = this.bySegment.get(key);
      if (entry === undefined) {
        entry = { dimension: cell.dimension, value: cell.value, days: new Map() };
        this.bySegment.set(key, entry);
      }
      const sum = entry.days.get(cell.day) ?? emptyCounts();
      entry.days.set(cell.day, addCounts(sum, cell.counts));
    }
  }

  segments(dimension: SegmentDimension): { value: string; days: Map<string, CellCounts> }[] {
    return [...this.bySegment.values()].filter((s) => s.dimension === dimension);
  }

  day(dimension: SegmentDimension, value: string, day: string): CellCounts | undefined {
    return this.bySegment.get(segmentKey(dimension, value))?.days.get(day);
  }

  sum(dimension: SegmentDimension, value: string, from: string, to: string): CellCounts {
    const total = emptyCounts();
    const days = this.bySegment.get(segmentKey(dimension, value))?.days;
    if (days === undefined) return total;
    for (const [day, counts] of days) {
      if (day >= from && day <= to) addCounts(total, counts);
    }
    return total;
  }
}

function periodFigures(counts: CellCounts, from: string, to: string, days: number): PeriodFigures {
  return {
    from,
    to,
    days,
    volume: counts.volume,
    texts: counts.texts,
    sentiment: sentimentFigure(counts),
    nps: npsFigure(counts),
    csat: csatFigure(counts),
    ratings: [
      { stars: 1, count: counts.rating1 },
      { stars: 2, count: counts.rating2 },
      { stars: 3, count: counts.rating3 },
      { stars: 4, count: counts.rating4 },
      { stars: 5, count: counts.rating5 },
    ],
  };
}

function countDelta(current: number, previous: number): CountDelta {
  return { change: current - previous, pct: roundOrNull(percentOf(current - previous, previous), 1) };
}

function segmentMovers(
  index: CellIndex,
  dimension: SegmentDimension,
  current: { from: string; to: string; total: number },
  previous: { from: string; to: string; total: number },
  minN: number,
): SegmentMove[] {
  const moves: SegmentMove[] = [];
  for (const { value } of index.segments(dimension)) {
    const cur = index.sum(dimension, value, current.from, current.to);
    const prev = index.sum(dimension, value, previous.from, previous.to);
    const curRaw = rawScores(cur);
    const prevRaw = rawScores(prev);
    const candidates: { metric: MoverMetric; c: number | null; p: number | null; n: number; pn: number }[] = [
      {
        metric: 'share',
        c: percentOf(cur.volume, current.total),
        p: percentOf(prev.volume, previous.total),
        n: cur.volume,
        pn: prev.volume,
      },
      {
        metric: 'netSentiment',
        c: curRaw.netSentiment,
        p: prevRaw.netSentiment,
        n: sentimentFigure(cur).n,
        pn: sentimentFigure(prev).n,
      },
      { metric: 'nps', c: curRaw.nps, p: prevRaw.nps, n: cur.npsN, pn: prev.npsN },
    ];
    for (const { metric, c, p, n, pn } of candidates) {
      // Share compares a segment with the whole, so one side may be small; scores need n on both sides.
      const enough = metric === 'share' ? Math.max(n, pn) >= minN : n >= minN && pn >= minN;
      const change = difference(c, p);
      if (!enough || c === null || p === null || change === null || roundTo(change, 1) === 0) continue;
      moves.push({
        dimension,
        value,
        metric,
        current: roundTo(c, 1),
        previous: roundTo(p, 1),
        change: roundTo(change, 1),
        n,
        previousN: pn,
      });
    }
  }
  return moves;
}

function rankMoves(moves: SegmentMove[], limit: number): SegmentMove[] {
  return moves
    .sort(
      (a, b) =>
        Math.abs(b.change) - Math.abs(a.change) ||
        b.n - a.n ||
        a.dimension.localeCompare(b.dimension) ||
        a.value.localeCompare(b.value),
    )
    .slice(0, limit);
}

/** Options resolved and validated once. */
interface ResolvedOptions {
  period: ReturnType<typeof customPeriod>;
  previous: ReturnType<typeof previousPeriod>;
  spike: SpikeOptions;
  topThemes: number;
  verbatimLimit: number;
  minSegmentN: number;
  moverLimit: number;
  breakdownRows: number;
  seriesDays: number;
  segmentDimensions: Exclude<SegmentDimension, 'all'>[];
}

function resolveOptions(options: DigestFigureOptions): ResolvedOptions {
  const period = customPeriod(options.from, options.to);
  for (const segment of options.segments) {
    if (!SEGMENT_DIMENSIONS.includes(segment)) throw new InvalidOptionsError(`Unknown segment dimension "${segment}"`);
  }
  return {
    period,
    previous: previousPeriod(period),
    spike: resolveSpikeOptions(options.spike),
    topThemes: nonNegativeInteger(options.topThemes, 5, 'topThemes'),
    verbatimLimit: nonNegativeInteger(options.verbatims, 3, 'verbatims'),
    minSegmentN: nonNegativeInteger(options.minSegmentN, 10, 'minSegmentN'),
    moverLimit: nonNegativeInteger(options.movers, 3, 'movers'),
    breakdownRows: nonNegativeInteger(options.breakdownRows, 6, 'breakdownRows'),
    seriesDays: nonNegativeInteger(options.seriesDays, 14, 'seriesDays'),
    segmentDimensions: [...new Set(options.segments)].filter((d): d is Exclude<SegmentDimension, 'all'> => d !== 'all'),
  };
}

/**
 * Reads the aggregates for the period, the previous period of the same length and the trailing spike
 * window, and derives every figure the digest shows.
 */
export async function computeDigestFigures(
  reader: AggregateReader,
  options: DigestFigureOptions,
): Promise<DigestFigures> {
  const o = resolveOptions(options);
  const { period, previous } = o;
  const seriesFrom = [previous.from, addDays(period.to, 1 - Math.max(1, o.seriesDays))].sort()[0] ?? previous.from;
  const readFrom = [seriesFrom, addDays(period.from, -o.spike.trailingDays)].sort()[0] ?? seriesFrom;
  const [cells, verbatims] = await Promise.all([
    reader.readCells({ from: readFrom, to: period.to, dimensions: ['all', ...o.segmentDimensions] }),
    o.verbatimLimit > 0
      ? reader.readVerbatims({ from: period.from, to: period.to, limit: o.verbatimLimit })
      : Promise.resolve([]),
  ]);
  const index = new CellIndex(cells.filter((c) => c.day >= readFrom && c.day <= period.to));
  const current = index.sum('all', 'all', period.from, period.to);
  const before = index.sum('all', 'all', previous.from, previous.to);
  const spikes = spikeFigures(index, o, readFrom);
  const spikeDays = new Set(spikes.filter((s) => s.dimension === 'all').map((s) => s.day));
  return {
    version: '1',
    kind: options.kind ?? 'custom',
    timeZone: options.timeZone ?? null,
    period: periodFigures(current, period.from, period.to, period.days),
    previous: periodFigures(before, previous.from, previous.to, previous.days),
    deltas: deltaFigures(current, before),
    series: eachDay(seriesFrom, period.to).map((day) => dailyFigures(index, day, period.from, spikeDays)),
    spikes,
    movers: moverFigures(index, o, current, before),
    breakdown: o.segmentDimensions.map((dimension) => breakdownOf(index, dimension, o, current)),
    themes: Object.entries(current.themes)
      .filter(([, count]) => count > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, o.topThemes)
      .map(([theme, count]) => ({ theme, count, previous: before.themes[theme] ?? 0 })),
    verbatims: [...verbatims]
      .filter((v) => v.day >= period.from && v.day <= period.to)
      .sort((a, b) => b.negative - a.negative || b.day.localeCompare(a.day))
      .slice(0, o.verbatimLimit),
    options: { spike: o.spike, minSegmentN: o.minSegmentN },
  };
}

function deltaFigures(current: CellCounts, before: CellCounts): DigestFigures['deltas'] {
  const curRaw = rawScores(current);
  const prevRaw = rawScores(before);
  return {
    volume: countDelta(current.volume, before.volume),
    texts: countDelta(current.texts, before.texts),
    nps: roundOrNull(difference(curRaw.nps, prevRaw.nps), 1),
    csat: roundOrNull(difference(curRaw.csat, prevRaw.csat), 1),
    csatAverage: roundOrNull(difference(curRaw.csatAverage, prevRaw.csatAverage), 2),
    netSentiment: roundOrNull(difference(curRaw.netSentiment, prevRaw.netSentiment), 1),
  };
}

/** Spikes in the period, overall first, then per segment by day and ratio. */
function spikeFigures(index: CellIndex, o: ResolvedOptions, readFrom: string): SegmentSpike[] {
  const spikeSeries = (dimension: SegmentDimension, value: string): SpikeSeriesPoint[] =>
    eachDay(readFrom, o.period.to).map((day) => {
      const counts = index.day(dimension, value, day);
      return { day, volume: counts?.volume ?? 0, negative: counts?.negative ?? 0 };
    });
  const spikeWindow = { ...o.spike, from: o.period.from, to: o.period.to };
  const overallSpikes = detectSpikes(spikeSeries('all', 'all'), spikeWindow).map((s) => ({
    ...s,
    dimension: 'all' as const,
    value: 'all',
  }));
  const segmentSpikes = o.segmentDimensions
    .flatMap((dimension) =>
      index
        .segments(dimension)
        .flatMap(({ value }) =>
          detectSpikes(spikeSeries(dimension, value), spikeWindow).map((s) => ({ ...s, dimension, value })),
        ),
    )
    .sort((a, b) => a.day.localeCompare(b.day) || (b.ratio ?? Infinity) - (a.ratio ?? Infinity));
  return [...overallSpikes, ...segmentSpikes];
}

function dailyFigures(index: CellIndex, day: string, periodFrom: string, spikeDays: ReadonlySet<string>): DailyFigures {
  const counts = index.day('all', 'all', day) ?? emptyCounts();
  const raw = rawScores(counts);
  return {
    day,
    inPeriod: day >= periodFrom,
    volume: counts.volume,
    texts: counts.texts,
    positive: counts.positive,
    negative: counts.negative,
    neutral: counts.neutral,
    mixed: counts.mixed,
    netSentiment: roundOrNull(raw.netSentiment, 1),
    nps: roundOrNull(raw.nps, 1),
    csat: roundOrNull(raw.csat, 1),
    spike: spikeDays.has(day),
  };
}

function moverFigures(
  index: CellIndex,
  o: ResolvedOptions,
  current: CellCounts,
  before: CellCounts,
): Record<MoverMetric, SegmentMove[]> {
  const allMoves = o.segmentDimensions.flatMap((dimension) =>
    segmentMovers(
      index,
      dimension,
      { ...o.period, total: current.volume },
      { ...o.previous, total: before.volume },
      o.minSegmentN,
    ),
  );
  const ranked = (metric: MoverMetric) =>
    rankMoves(
      allMoves.filter((m) => m.metric === metric),
      o.moverLimit,
    );
  return { share: ranked('share'), netSentiment: ranked('netSentiment'), nps: ranked('nps') };
}

function breakdownOf(
  index: CellIndex,
  dimension: Exclude<SegmentDimension, 'all'>,
  o: ResolvedOptions,
  current: CellCounts,
): SegmentBreakdown {
  const { period, previous } = o;
  const rows = index
    .segments(dimension)
    .map(({ value }): SegmentRow => {
      const counts = index.sum(dimension, value, period.from, period.to);
      const raw = rawScores(counts);
      return {
        value,
        volume: counts.volume,
        previousVolume: index.sum(dimension, value, previous.from, previous.to).volume,
        share: roundOrNull(percentOf(counts.volume, current.volume), 1),
        netSentiment: roundOrNull(raw.netSentiment, 1),
        nps: roundOrNull(raw.nps, 1),
        csat: roundOrNull(raw.csat, 1),
      };
    })
    .filter((row) => row.volume > 0)
    .sort((a, b) => b.volume - a.volume || a.value.localeCompare(b.value));
  const rest = rows.slice(o.breakdownRows);
  return {
    dimension,
    rows: rows.slice(0, o.breakdownRows),
    others: rest.length > 0 ? { values: rest.length, volume: rest.reduce((sum, r) => sum + r.volume, 0) } : null,
  };
}
