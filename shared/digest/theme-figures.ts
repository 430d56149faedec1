/**
 * Theme figures for the digest: each theme's mentions, sentiment and impact on NPS and CSAT this period and the
 * previous one, the drivers of each score (with a representative quote), and the emerging phrases.
 */
import type { CellCounts, ThemeCell, ThemeQuote } from '../domain/cells.js';
import { addCounts, emptyCounts } from '../domain/cells.js';
import { type Impact, type ScoreSplit, themeImpact } from '../domain/impact.js';
import type {
  DriverFigure,
  EmergingFigure,
  ImpactFigure,
  ScoreDrivers,
  ThemeFigure,
  ThemeLabel,
} from './figure-types.js';
import { difference, rawScores, roundOrNull, sentimentFigure } from './kpi-figures.js';

interface Period {
  from: string;
  to: string;
}

export interface ThemeFigureOptions {
  period: Period;
  previous: Period;
  labels: ReadonlyMap<string, ThemeLabel>;
  minThemeN: number;
  topThemes: number;
  drivers: number;
}

const SPLITS = {
  nps: (c: CellCounts): ScoreSplit => ({ n: c.npsN, plus: c.npsPromoters, minus: c.npsDetractors }),
  csat: (c: CellCounts): ScoreSplit => ({ n: c.ratingN, plus: c.rating4 + c.rating5, minus: 0 }),
} as const;

/** Sums theme cells by theme over a period. */
function sumByTheme(cells: readonly ThemeCell[], period: Period): Map<string, CellCounts> {
  const out = new Map<string, CellCounts>();
  for (const c of cells) {
    if (c.day < period.from || c.day > period.to) continue;
    const sum = out.get(c.theme) ?? emptyCounts();
    out.set(c.theme, addCounts(sum, c.counts));
  }
  return out;
}

function impactFigure(now: Impact, before: Impact): ImpactFigure {
  return {
    n: now.n,
    score: roundOrNull(now.score, 1),
    impact: roundOrNull(now.impact, 1),
    ci95: now.ci95 ? { low: roundOrNull(now.ci95.low, 1) ?? 0, high: roundOrNull(now.ci95.high, 1) ?? 0 } : null,
    reliable: now.reliable,
    previousImpact: roundOrNull(before.impact, 1),
    change: roundOrNull(difference(now.impact, before.impact), 1),
  };
}

function labelOf(theme: string, labels: ReadonlyMap<string, ThemeLabel>): ThemeLabel {
  return labels.get(theme) ?? { en: theme, zh: theme, category: theme.split('.')[0] ?? theme };
}

/** Every theme named in the period, most-mentioned first. */
export function themeFigures(
  cells: readonly ThemeCell[],
  totals: { current: CellCounts; previous: CellCounts },
  o: ThemeFigureOptions,
): ThemeFigure[] {
  const now = sumByTheme(cells, o.period);
  const before = sumByTheme(cells, o.previous);
  const figures: ThemeFigure[] = [];
  for (const [theme, c] of now) {
    if (c.volume <= 0) continue;
    const p = before.get(theme) ?? emptyCounts();
    const impact = (metric: keyof typeof SPLITS) =>
      impactFigure(
        themeImpact(SPLITS[metric](totals.current), SPLITS[metric](c), o.minThemeN),
        themeImpact(SPLITS[metric](totals.previous), SPLITS[metric](p), o.minThemeN),
      );
    figures.push({
      theme,
      label: labelOf(theme, o.labels),
      volume: c.volume,
      previousVolume: p.volume,
      negative: c.negative + c.mixed,
      previousNegative: p.negative + p.mixed,
      sentiment: sentimentFigure(c),
      nps: impact('nps'),
      csat: impact('csat'),
    });
  }
  return figures.sort((a, b) => b.volume - a.volume || a.theme.localeCompare(b.theme));
}

/**
 * What drives each score: themes with enough answers on both sides (`minThemeN`), the most negative impacts and the
 * most positive ones. An impact whose interval crosses 0 is still listed, marked not reliable by its figure.
 */
export function scoreDrivers(
  themes: readonly ThemeFigure[],
  totals: CellCounts,
  o: Pick<ThemeFigureOptions, 'minThemeN' | 'drivers'>,
): ScoreDrivers[] {
  const out: ScoreDrivers[] = [];
  for (const metric of ['nps', 'csat'] as const) {
    const all = SPLITS[metric](totals);
    if (all.n === 0) continue;
    const ranked = themes.filter((t) => {
      const f = t[metric];
      return f.impact !== null && f.n >= o.minThemeN && all.n - f.n >= o.minThemeN;
    });
    const driver = (t: ThemeFigure): DriverFigure => ({
      theme: t.theme,
      label: t.label,
      impact: t[metric],
      quote: null,
    });
    const impactOf = (t: ThemeFigure) => t[metric].impact ?? 0;
    out.push({
      metric,
      score: roundOrNull(metric === 'nps' ? rawScores(totals).nps : rawScores(totals).csat, 1),
      n: all.n,
      negative: ranked
        .filter((t) => impactOf(t) < 0)
        .sort((a, b) => impactOf(a) - impactOf(b))
        .slice(0, o.drivers)
        .map(driver),
      positive: ranked
        .filter((t) => impactOf(t) > 0)
        .sort((a, b) => impactOf(b) - impactOf(a))
        .slice(0, o.drivers)
        .map(driver),
    });
  }
  return out;
}

/** The themes whose quotes the drivers need, by polarity. */
export function quotedThemes(drivers: readonly ScoreDrivers[]): string[] {
  return [...new Set(drivers.flatMap((d) => [...d.negative, ...d.positive].map((t) => t.theme)))];
}

/** Gives each driver the best quote of its direction: a negative one for a theme that pulls the score down. */
export function withQuotes(drivers: ScoreDrivers[], quotes: readonly ThemeQuote[]): ScoreDrivers[] {
  const byKey = new Map(quotes.map((q) => [`${q.theme}\u0000${q.polarity}`, q]));
  const attach = (polarity: 'negative' | 'positive') => (d: DriverFigure) => {
    const q = byKey.get(`${d.theme}\u0000${polarity}`);
    return { ...d, quote: q ? { text: q.text, source: q.source, day: q.day } : null };
  };
  return drivers.map((d) => ({
    ...d,
    negative: d.negative.map(attach('negative')),
    positive: d.positive.map(attach('positive')),
  }));
}

/** Emerging phrases of the period, most frequent first. */
export function emergingFigures(current: CellCounts, previous: CellCounts, top: number): EmergingFigure[] {
  return Object.entries(current.phrases)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, top)
    .map(([phrase, count]) => ({ phrase, count, previous: previous.phrases[phrase] ?? 0 }));
}
