/**
 * Digest figures: KPIs for a period and the previous period of the same length, derived from additive
 * aggregate cells. Counts are summed exactly; scores are derived from the sums and rounded once, here, at
 * the edge of the figures (the JSON contract carries one-decimal scores as design.md specifies). Deltas are
 * computed from the unrounded scores. A figure whose n is 0 is `null`, never 0 or NaN.
 */

import {
  type AggregateReader,
  type CellCounts,
  emptyCounts,
  type MappingNotice,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
} from '../domain/cells.js';
import { addDays, eachDay } from '../domain/days.js';
import { InvalidOptionsError } from '../domain/errors.js';
import { percentOf } from '../domain/kpis.js';
import { detectSpikes, resolveSpikeOptions, type SpikeOptions, type SpikeSeriesPoint } from '../domain/spike.js';
import { CellIndex } from './cell-index.js';
import type {
  CountDelta,
  DailyFigures,
  DigestFigureOptions,
  DigestFigures,
  FileMappingNotice,
  MoverMetric,
  PeriodFigures,
  SegmentBreakdown,
  SegmentMove,
  SegmentRow,
  SegmentSpike,
} from './figure-types.js';
import { csatFigure, difference, npsFigure, rawScores, roundOrNull, sentimentFigure } from './kpi-figures.js';
import { rankMoves, segmentMovers } from './movers.js';
import { customPeriod, previousPeriod } from './period.js';
import { emergingFigures, quotedThemes, scoreDrivers, themeFigures, withQuotes } from './theme-figures.js';

export type * from './figure-types.js';
export type { CsatFigure, NpsFigure, SentimentFigure } from './kpi-figures.js';

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!(Number.isInteger(resolved) && resolved >= 0)) {
    throw new InvalidOptionsError(`${name} must be an integer ≥ 0, got ${resolved}`);
  }
  return resolved;
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

/** Options resolved and validated once. */
interface ResolvedOptions {
  period: ReturnType<typeof customPeriod>;
  previous: ReturnType<typeof previousPeriod>;
  spike: SpikeOptions;
  topThemes: number;
  minThemeN: number;
  driverLimit: number;
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
    minThemeN: nonNegativeInteger(options.minThemeN, 10, 'minThemeN'),
    driverLimit: nonNegativeInteger(options.drivers, 3, 'drivers'),
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
  const [cells, themeCells, verbatims, notices] = await Promise.all([
    reader.readCells({ from: readFrom, to: period.to, dimensions: ['all', ...o.segmentDimensions] }),
    reader.readThemeCells({ from: previous.from, to: period.to, dimensions: ['all'] }),
    o.verbatimLimit > 0
      ? reader.readVerbatims({ from: period.from, to: period.to, limit: o.verbatimLimit })
      : Promise.resolve([]),
    reader.readMappingNotices({ from: period.from, to: period.to }),
  ]);
  const index = new CellIndex(cells.filter((c) => c.day >= readFrom && c.day <= period.to));
  const current = index.sum('all', 'all', period.from, period.to);
  const before = index.sum('all', 'all', previous.from, previous.to);
  const spikes = spikeFigures(index, o, readFrom);
  const spikeDays = new Set(spikes.filter((s) => s.dimension === 'all').map((s) => s.day));
  const themes = themeFigures(
    themeCells,
    { current, previous: before },
    {
      period,
      previous,
      labels: options.themeLabels ?? new Map(),
      minThemeN: o.minThemeN,
      topThemes: o.topThemes,
      drivers: o.driverLimit,
    },
  );
  const unquoted = scoreDrivers(themes, current, { minThemeN: o.minThemeN, drivers: o.driverLimit });
  const quotes = await reader.readThemeQuotes({ from: period.from, to: period.to, themes: quotedThemes(unquoted) });
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
    themes,
    drivers: withQuotes(unquoted, quotes),
    emerging: emergingFigures(current, before, o.topThemes),
    verbatims: [...verbatims]
      .filter((v) => v.day >= period.from && v.day <= period.to)
      .sort((a, b) => b.negative - a.negative || b.day.localeCompare(a.day))
      .slice(0, o.verbatimLimit),
    mappingNotices: noticesByFile(notices),
    options: {
      spike: o.spike,
      minSegmentN: o.minSegmentN,
      minThemeN: o.minThemeN,
      taxonomyVersion: options.taxonomyVersion ?? null,
    },
  };
}

/** One notice per file (its days gathered), by file name. */
function noticesByFile(notices: readonly MappingNotice[]): FileMappingNotice[] {
  const byFile = new Map<string, FileMappingNotice>();
  for (const n of notices) {
    const seen = byFile.get(n.file);
    if (seen) seen.days.push(n.day);
    else byFile.set(n.file, { file: n.file, source: n.source, days: [n.day], warnings: n.warnings });
  }
  return [...byFile.values()]
    .map((f) => ({ ...f, days: [...new Set(f.days)].sort() }))
    .sort((a, b) => a.file.localeCompare(b.file));
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
