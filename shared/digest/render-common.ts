/** What the HTML and the plain-text renderings share: labels, headline scores and the subject line. */
import type { SegmentDimension } from '../domain/cells.js';
import { csatScore, netSentimentScore, npsScore, percentOf } from '../domain/kpis.js';
import type { DigestFigures, ImpactFigure, MoverMetric } from './figures.js';
import { formatChange, formatInteger, formatPercent, formatSigned } from './format.js';
import { difference } from './kpi-figures.js';
import { periodLabel } from './period.js';

export interface RenderOptions {
  /** Shown above the period in the header. @default 'Customer feedback' */
  title?: string;
  /** When the digest was built; shown in the footer. */
  generatedAt?: Date;
  /** Longest verbatim shown, in characters. @default 600 */
  maxVerbatimLength?: number;
}

export const DIMENSION_LABELS: Record<SegmentDimension, string> = {
  all: 'All',
  channel: 'Channel',
  source: 'Source',
  product: 'Product',
  region: 'Region',
  language: 'Language',
};

export const METRIC_LABELS: Record<MoverMetric, string> = {
  share: 'Share',
  netSentiment: 'Net sentiment',
  nps: 'NPS',
};

export const MAX_SPIKES_SHOWN = 6;
/** Files listed under "Figures in doubt" before "and N more", in both parts. */
export const MAX_NOTICES_SHOWN = 8;
/** Themes listed in "Themes in negative feedback". */
export const MAX_THEMES_SHOWN = 6;

export const KIND_LABELS = { daily: 'daily', weekly: 'weekly', custom: 'digest' } as const;

/* ------------------------------------------------------------------ raw scores (headline rounding) */

export function rawNps(p: DigestFigures['period']): number | null {
  return npsScore(p.nps);
}

export function rawNet(p: DigestFigures['period']): number | null {
  return netSentimentScore(p.sentiment);
}

export function rawCsat(p: DigestFigures['period']): number | null {
  return csatScore(p.csat);
}

export const change = difference;

export function share(count: number, n: number): number | null {
  return percentOf(count, n);
}

/* ------------------------------------------------------------------ subject */

/**
 * `Feedback weekly 2026-11-16–22: 1,234 responses · NPS +32 (▲4) · CSAT 81.0% · net sentiment +12`.
 * NPS and net sentiment as integers (as NPS is usually reported), rounded from the unrounded scores; the
 * NPS change is shown when the previous period has NPS answers.
 */
export function digestSubject(figures: DigestFigures): string {
  const { period, previous } = figures;
  const nps = rawNps(period);
  const npsChange = formatChange(change(nps, rawNps(previous)), 0);
  const parts = [
    `${formatInteger(period.volume)} ${period.volume === 1 ? 'response' : 'responses'}`,
    `NPS ${formatSigned(nps, 0)}${npsChange === null || nps === null ? '' : ` (${npsChange})`}`,
    `CSAT ${formatPercent(rawCsat(period))}`,
    `net sentiment ${formatSigned(rawNet(period), 0)}`,
  ];
  return `Feedback ${KIND_LABELS[figures.kind]} ${periodLabel(period.from, period.to)}: ${parts.join(' · ')}`;
}

/** A theme's impact with its interval: `-7.0 pts (95% -9.8 to -4.2)`. */
export function impactText(impact: ImpactFigure): string {
  const ci = impact.ci95 ? ` (95% ${formatSigned(impact.ci95.low, 1)} to ${formatSigned(impact.ci95.high, 1)})` : '';
  return `${formatSigned(impact.impact, 1)} pts${ci}`;
}
