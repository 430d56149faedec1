/** The digest's plain-text part: the same figures as the HTML, for clients that show text only. */
import type { DigestFigures } from './figures.js';
import {
  formatChange,
  formatInteger,
  formatNumber,
  formatPercent,
  formatRange,
  formatSigned,
  NO_DATA,
} from './format.js';
import {
  impactText,
  MAX_NOTICES_SHOWN,
  MAX_THEMES_SHOWN,
  METRIC_LABELS,
  type RenderOptions,
  share,
} from './render-common.js';
import { cleanText, isolateBidi, neutraliseFormula, truncate } from './text-safety.js';

const SPARK = '▁▂▃▄▅▆▇█';

function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 ? SPARK[0] : SPARK[Math.round((v / max) * (SPARK.length - 1))])).join('');
}

/** Untrusted text for the plain-text part: cleaned, formula-neutralised, bidi-isolated, on one line. */
function plain(value: string, max: number): string {
  return isolateBidi(neutraliseFormula(truncate(cleanText(value), max).replace(/\s*\n\s*/g, ' ')));
}

/** The plain-text part. */
export function renderText(figures: DigestFigures, subject: string, options: RenderOptions = {}): string {
  const { period: p, previous: q, deltas: d } = figures;
  const lines: string[] = [];
  const zone = figures.timeZone ? ` (${figures.timeZone})` : '';
  const withChange = (value: string, delta: string | null): string =>
    delta === null ? `${value}  (no previous data)` : `${value}  ${delta} vs previous`;
  lines.push(subject, '');
  lines.push(`${options.title ?? 'Customer feedback'}: ${formatRange(p.from, p.to)}${zone}`);
  lines.push(`Compared with ${formatRange(q.from, q.to)}`, '');
  lines.push(
    `Responses      ${withChange(formatInteger(p.volume), d.volume.pct === null ? null : formatChange(d.volume.pct, 1, '%'))}; ${formatInteger(p.texts)} with text`,
  );
  lines.push(
    `NPS            ${withChange(formatSigned(p.nps.score, 1), formatChange(d.nps, 1, ' pts'))}; n ${formatInteger(p.nps.n)}: ${formatInteger(p.nps.promoters)} promoters, ${formatInteger(p.nps.passives)} passives, ${formatInteger(p.nps.detractors)} detractors`,
  );
  lines.push(
    `CSAT           ${withChange(formatPercent(p.csat.score), formatChange(d.csat, 1, ' pts'))}; n ${formatInteger(p.csat.n)}, average ${formatNumber(p.csat.average, 2)}`,
  );
  lines.push(
    `Net sentiment  ${withChange(formatSigned(p.sentiment.net, 1), formatChange(d.netSentiment, 1, ' pts'))}; n ${formatInteger(p.sentiment.n)}`,
  );
  const s = p.sentiment;
  lines.push(
    '',
    s.n === 0
      ? `Sentiment mix: ${NO_DATA}`
      : `Sentiment mix: positive ${formatPercent(share(s.positive, s.n))} (${formatInteger(s.positive)}), neutral ${formatPercent(share(s.neutral, s.n))} (${formatInteger(s.neutral)}), mixed ${formatPercent(share(s.mixed, s.n))} (${formatInteger(s.mixed)}), negative ${formatPercent(share(s.negative, s.n))} (${formatInteger(s.negative)})`,
  );
  const first = figures.series[0];
  const last = figures.series[figures.series.length - 1];
  if (first && last) {
    lines.push(`Responses per day ${first.day} to ${last.day}: ${sparkline(figures.series.map((x) => x.volume))}`);
  }
  lines.push('', 'NEGATIVE SPIKES');
  if (figures.spikes.length === 0) lines.push('- none');
  for (const spike of figures.spikes.slice(0, 20)) {
    const where = spike.dimension === 'all' ? 'all feedback' : `${spike.dimension} ${plain(spike.value, 80)}`;
    const times = spike.ratio === null ? 'up from none' : `${formatNumber(spike.ratio, 1)}x the trailing mean`;
    lines.push(
      `- ${spike.day} ${where}: ${formatInteger(spike.negative)} negative, ${times} (${formatNumber(spike.baseline, 1)} a day)`,
    );
  }
  const moves = [...figures.movers.share, ...figures.movers.netSentiment, ...figures.movers.nps];
  lines.push('', 'SEGMENTS THAT MOVED MOST');
  if (moves.length === 0) lines.push('- none');
  for (const m of moves) {
    const now = m.metric === 'share' ? formatPercent(m.current) : formatSigned(m.current, 1);
    lines.push(
      `- ${m.dimension} ${plain(m.value, 80)}: ${METRIC_LABELS[m.metric]} ${now} (${formatChange(m.change, 1, ' pts')}), n ${formatInteger(m.n)}`,
    );
  }
  lines.push('', ...driverLines(figures), '', ...themeLines(figures));
  lines.push('', 'WHAT CUSTOMERS SAID');
  if (figures.verbatims.length === 0) lines.push('- no negative verbatims');
  for (const v of figures.verbatims) {
    const meta = [v.day, plain(v.source, 60), v.rating === undefined ? '' : `rating ${v.rating}/5`]
      .concat(v.nps === undefined ? [] : [`NPS ${v.nps}`])
      .filter(Boolean)
      .join(', ');
    lines.push(`- ${plain(v.text, options.maxVerbatimLength ?? 600)}`, `  (${meta})`);
  }
  if (figures.mappingNotices.length > 0) {
    lines.push('', 'FIGURES IN DOUBT (column mapping read with low confidence; check with `feedback check`)');
    for (const n of figures.mappingNotices.slice(0, MAX_NOTICES_SHOWN)) {
      const days = n.days.length === 1 ? n.days[0] : `${n.days[0]} to ${n.days[n.days.length - 1]}`;
      lines.push(`- ${plain(n.file, 120)} (${days})`);
      for (const w of n.warnings) lines.push(`  ${w.code}: ${plain(w.detail, 240)}`);
    }
    if (figures.mappingNotices.length > MAX_NOTICES_SHOWN)
      lines.push(`- and ${figures.mappingNotices.length - MAX_NOTICES_SHOWN} more file(s)`);
  }
  const { spike } = figures.options;
  lines.push(
    '',
    '--',
    'NPS = % promoters (9-10) - % detractors (0-6). CSAT = % of ratings 4 or 5. Net sentiment = % positive - % negative.',
    `A figure without answers shows as "${NO_DATA}". Spike: at least ${spike.minVolume} negative and above ${spike.ratio}x the ${spike.trailingDays}-day mean.`,
  );
  if (options.generatedAt) lines.push(`Generated ${options.generatedAt.toISOString()}.`);
  return `${lines.join('\n')}\n`;
}

function driverLines(figures: DigestFigures): string[] {
  const lines = ['WHAT DRIVES THE SCORE'];
  if (figures.drivers.length === 0) lines.push(`- ${NO_DATA} (no NPS or CSAT answers)`);
  for (const d of figures.drivers) {
    const score = d.metric === 'nps' ? `NPS ${formatSigned(d.score, 0)}` : `CSAT ${formatPercent(d.score, 0)}`;
    lines.push(`${score}, n ${formatInteger(d.n)}:`);
    const listed = [...d.negative, ...d.positive];
    if (listed.length === 0) lines.push(`- no theme has ${figures.options.minThemeN}+ answers on both sides`);
    for (const t of listed) {
      const i = t.impact;
      const change = formatChange(i.change, 1, ' pts');
      const notes = [`n ${formatInteger(i.n)}`, change ? `${change} vs previous` : '', i.reliable ? '' : 'uncertain']
        .filter(Boolean)
        .join(', ');
      lines.push(`- ${plain(t.label.en, 60)}: ${impactText(i)}; ${notes}`);
      if (t.quote) lines.push(`  "${plain(t.quote.text, 220)}"`);
    }
  }
  return lines;
}

function themeLines(figures: DigestFigures): string[] {
  const lines = ['THEMES IN NEGATIVE FEEDBACK'];
  const themes = figures.themes.filter((t) => t.negative > 0).sort((a, b) => b.negative - a.negative);
  if (themes.length === 0) lines.push(`- ${NO_DATA}`);
  for (const t of themes.slice(0, MAX_THEMES_SHOWN)) {
    lines.push(
      `- ${plain(t.label.en, 60)}: ${formatInteger(t.negative)} (previous ${formatInteger(t.previousNegative)})`,
    );
  }
  if (figures.emerging.length > 0) {
    lines.push(
      `Emerging: ${figures.emerging.map((e) => `${plain(e.phrase, 40)} ${formatInteger(e.count)}`).join(', ')}`,
    );
  }
  return lines;
}

/** Subject, HTML and text parts of the digest. */
