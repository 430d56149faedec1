/** The digest's figures: the JSON the renderers, the archive and the event read. */
import type { SegmentDimension, Verbatim } from '../domain/cells.js';
import type { Spike, SpikeOptions } from '../domain/spike.js';
import type { CsatFigure, NpsFigure, SentimentFigure } from './kpi-figures.js';
import type { PeriodKind } from './period.js';

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
  /** How many themes and emerging phrases to list. @default 5 */
  topThemes?: number;
  /** Labels of theme ids (from the taxonomy); an unknown id is shown as itself. */
  themeLabels?: ReadonlyMap<string, ThemeLabel>;
  /** Minimum n (responses naming a theme, and not naming it) for its impact to be ranked. @default 10 */
  minThemeN?: number;
  /** Themes listed per direction in "What drives the score". @default 3 */
  drivers?: number;
  /** How many representative negative verbatims to include. @default 3 */
  verbatims?: number;
  /** Minimum n (in each period) for a segment to be ranked as a mover. @default 10 */
  minSegmentN?: number;
  /** Version of the taxonomy the theme labels come from, carried into the figures. */
  taxonomyVersion?: string;
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

export interface ThemeLabel {
  en: string;
  zh: string;
  category: string;
}

/** A theme's impact on one score (see domain/impact.ts), rounded to one decimal. */
export interface ImpactFigure {
  /** Responses naming the theme that have this score. */
  n: number;
  /** The score among them; null when n = 0. */
  score: number | null;
  /** score(all) − score(without the theme); null when n = 0 or the theme is in every response. */
  impact: number | null;
  ci95: { low: number; high: number } | null;
  /** n and the rest's n are at least `minThemeN` and the interval excludes 0. */
  reliable: boolean;
  /** The impact in the previous period, and the change; null where either is null. */
  previousImpact: number | null;
  change: number | null;
}

export interface ThemeFigure {
  theme: string;
  label: ThemeLabel;
  /** Responses naming the theme, this period and the previous one. */
  volume: number;
  previousVolume: number;
  /** Of them, negative or mixed. */
  negative: number;
  previousNegative: number;
  sentiment: SentimentFigure;
  nps: ImpactFigure;
  csat: ImpactFigure;
}

/** A theme that moves a score, with a representative redacted quote of the same polarity. */
export interface DriverFigure {
  theme: string;
  label: ThemeLabel;
  impact: ImpactFigure;
  quote: { text: string; source: string; day: string } | null;
}

/** What drives one score: the themes that pull it down most and those that lift it most. */
export interface ScoreDrivers {
  metric: 'nps' | 'csat';
  /** The score of all responses in the period and its n. */
  score: number | null;
  n: number;
  negative: DriverFigure[];
  positive: DriverFigure[];
}

/** A key phrase of negative feedback that named no theme: a candidate for the taxonomy. */
export interface EmergingFigure {
  phrase: string;
  count: number;
  previous: number;
}

export interface FileMappingNotice {
  file: string;
  source: string;
  days: string[];
  warnings: { code: string; detail: string }[];
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
  /** Every theme named in the period, most-mentioned first. */
  themes: ThemeFigure[];
  /** What drives NPS and CSAT (each only when the period has answers). */
  drivers: ScoreDrivers[];
  /** Emerging themes, most frequent first. */
  emerging: EmergingFigure[];
  verbatims: Verbatim[];
  /**
   * Files whose column mapping is in doubt that counted rows in the period, by file name, with the days they counted
   * for and their warnings: the footnote that keeps a doubtful figure from being silent.
   */
  mappingNotices: FileMappingNotice[];
  options: { spike: SpikeOptions; minSegmentN: number; minThemeN: number; taxonomyVersion: string | null };
}
