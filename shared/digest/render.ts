/**
 * Renders digest figures as an e-mail: a subject with the headline figures, an HTML part built for real mail
 * clients (nested tables, inline CSS, charts drawn with table cells, no SVG, scripts, web fonts or images;
 * a `prefers-color-scheme` block and a phone breakpoint as progressive enhancement) and a plain-text part.
 *
 * Every string that comes from feedback data (verbatims, themes, segment values, sources) goes through
 * `escapeHtml`, sits in a `dir="auto"` or `<bdi>` element so right-to-left text cannot reorder the layout,
 * and wraps anywhere so a 500-character "word" cannot widen it.
 */
import type { SegmentDimension } from '../domain/cells.js';
import type { DailyFigures, DigestFigures, SegmentMove, SegmentSpike } from './figures.js';
import {
  formatChange,
  formatDay,
  formatInteger,
  formatNumber,
  formatPercent,
  formatRange,
  formatSigned,
  NO_DATA,
} from './format.js';
import {
  attr,
  COLOR,
  deltaHtml,
  esc,
  FONT,
  legendItem,
  meter,
  muted,
  section,
  stackedBar,
  table,
  userText,
  WRAP,
} from './render-blocks.js';
import {
  DIMENSION_LABELS,
  digestSubject,
  MAX_SPIKES_SHOWN,
  MAX_THEMES_SHOWN,
  METRIC_LABELS,
  type RenderOptions,
  share,
} from './render-common.js';
import { mappingNoticesSection, verbatimsSection } from './render-quotes.js';
import { renderText } from './render-text.js';
import { driversSection, themesSection } from './render-themes.js';

export type { RenderOptions } from './render-common.js';
export { digestSubject } from './render-common.js';
export { renderText } from './render-text.js';

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

/* ------------------------------------------------------------------ sections */

function tile(label: string, value: string | null, delta: string, foot: string): string {
  const valueHtml =
    value === null
      ? `<div class="mu big"${attr(`font-size:22px;line-height:34px;font-weight:600;color:${COLOR.muted};`)}>${NO_DATA}</div>`
      : `<div class="tx big"${attr(`font-size:30px;line-height:34px;font-weight:700;color:${COLOR.text};letter-spacing:-0.5px;`)}>${esc(value)}</div>`;
  return `<td class="tile" width="50%" valign="top"${attr(
    `width:50%;background:${COLOR.tile};border:4px solid ${COLOR.card};border-radius:10px;padding:14px 16px;`,
  )}>
<div class="mu"${attr(`font-size:11px;letter-spacing:0.8px;text-transform:uppercase;font-weight:700;color:${COLOR.muted};`)}>${esc(label)}</div>
${valueHtml}
<div${attr('font-size:13px;line-height:1.5;margin-top:2px;')}>${delta}</div>
<div class="mu"${attr(`font-size:12px;line-height:1.5;color:${COLOR.muted};`)}>${foot}</div>
</td>`;
}

function headlineTiles(f: DigestFigures): string {
  const { period: p, previous: q, deltas: d } = f;
  const volumeChange = d.volume.pct === null ? null : formatChange(d.volume.pct, 1, '%');
  const responses = tile(
    'Responses',
    formatInteger(p.volume),
    deltaHtml(volumeChange, 'neutral'),
    `${formatInteger(p.texts)} with text · previous ${formatInteger(q.volume)}`,
  );
  const nps = tile(
    'NPS',
    p.nps.score === null ? null : formatSigned(p.nps.score, 1),
    deltaHtml(formatChange(d.nps, 1, ' pts'), 'higher-is-better'),
    p.nps.n > 0
      ? `n ${formatInteger(p.nps.n)} · ${formatInteger(p.nps.promoters)} promoters · ${formatInteger(p.nps.detractors)} detractors`
      : 'no NPS answers',
  );
  const csat = tile(
    'CSAT',
    p.csat.score === null ? null : formatPercent(p.csat.score),
    deltaHtml(formatChange(d.csat, 1, ' pts'), 'higher-is-better'),
    p.csat.n > 0 ? `n ${formatInteger(p.csat.n)} · average ${formatNumber(p.csat.average, 2)} / 5` : 'no ratings',
  );
  const net = tile(
    'Net sentiment',
    p.sentiment.net === null ? null : formatSigned(p.sentiment.net, 1),
    deltaHtml(formatChange(d.netSentiment, 1, ' pts'), 'higher-is-better'),
    p.sentiment.n > 0 ? `n ${formatInteger(p.sentiment.n)} with a sentiment` : 'no texts with a sentiment',
  );
  return `<tr><td class="card px2"${attr(`background:${COLOR.card};padding:8px 28px 4px;`)}>${table(
    `<tr>${responses}${nps}</tr><tr>${csat}${net}</tr>`,
    'table-layout:fixed;border-collapse:separate;',
  )}</td></tr>`;
}

/** Sums consecutive days so a long period still fits in `max` columns. */
function bucketSeries(series: readonly DailyFigures[], max: number): DailyFigures[] {
  if (series.length <= max) return [...series];
  const size = Math.ceil(series.length / max);
  const buckets: DailyFigures[] = [];
  for (let i = 0; i < series.length; i += size) {
    const chunk = series.slice(i, i + size);
    const first = chunk[0];
    if (first === undefined) continue;
    buckets.push({
      ...first,
      inPeriod: chunk.some((c) => c.inPeriod),
      volume: chunk.reduce((s, c) => s + c.volume, 0),
      negative: chunk.reduce((s, c) => s + c.negative, 0),
      spike: chunk.some((c) => c.spike),
    });
  }
  return buckets;
}

function trendSection(f: DigestFigures): string {
  const points = bucketSeries(f.series, 62);
  const max = Math.max(0, ...points.map((p) => p.volume));
  const height = 64;
  const columns = points
    .map((p) => {
      const total = max > 0 ? Math.round((p.volume / max) * height) : 0;
      const barTotal = p.volume > 0 ? Math.max(2, total) : 0;
      const neg = p.negative > 0 ? Math.min(barTotal, Math.max(1, Math.round((p.negative / max) * height))) : 0;
      const rest = barTotal - neg;
      const restColor = p.inPeriod ? COLOR.period : COLOR.before;
      const marker = p.spike
        ? `<div${attr(`color:${COLOR.negative};font-size:9px;line-height:10px;text-align:center;`)}>▼</div>`
        : '';
      const bars = [
        rest > 0
          ? `<tr><td height="${rest}"${attr(`height:${rest}px;background:${restColor};font-size:0;line-height:0;`)}>&nbsp;</td></tr>`
          : '',
        neg > 0
          ? `<tr><td height="${neg}"${attr(`height:${neg}px;background:${COLOR.negative};font-size:0;line-height:0;`)}>&nbsp;</td></tr>`
          : '',
        `<tr><td class="trk" height="1"${attr(`height:1px;background:${COLOR.line};font-size:0;line-height:0;`)}>&nbsp;</td></tr>`,
      ].join('');
      const title = `${p.day}: ${formatInteger(p.volume)} responses, ${formatInteger(p.negative)} negative`;
      return `<td valign="bottom" title="${esc(title)}"${attr(`padding:0 1px;height:${height + 10}px;vertical-align:bottom;`)}>${marker}${table(bars)}</td>`;
    })
    .join('');
  const first = points[0];
  const last = points[points.length - 1];
  const axis =
    first && last
      ? table(
          `<tr><td${attr(`font-size:11px;color:${COLOR.muted};padding-top:4px;`)} class="mu">${esc(formatDay(first.day))}</td><td align="right"${attr(
            `font-size:11px;color:${COLOR.muted};padding-top:4px;text-align:right;`,
          )} class="mu">${esc(formatDay(last.day))}</td></tr>`,
        )
      : '';
  const spikeCount = f.series.filter((p) => p.spike && p.inPeriod).length;
  const legend = [
    legendItem(COLOR.before, 'Previous period', ''),
    legendItem(COLOR.period, 'This period', ''),
    legendItem(COLOR.negative, 'Negative', spikeCount > 0 ? '· ▼ spike' : ''),
  ].join('');
  const note = `Responses per day, peak ${formatInteger(max)}${points.length < f.series.length ? ' (days grouped)' : ''}.`;
  return section(
    'Daily responses',
    `${table(`<tr>${columns}</tr>`, 'table-layout:fixed;')}${axis}<div${attr('font-size:12px;padding-top:8px;')}>${legend}</div>`,
    esc(note),
  );
}

function mixSection(f: DigestFigures): string {
  const s = f.period.sentiment;
  const nps = f.period.nps;
  const pct = (count: number, n: number): string => formatPercent(share(count, n));
  const sentimentBody =
    s.n === 0
      ? muted(`Sentiment: ${NO_DATA}`)
      : `${stackedBar([
          { pct: share(s.positive, s.n) ?? 0, color: COLOR.positive },
          { pct: share(s.neutral, s.n) ?? 0, color: COLOR.neutral },
          { pct: share(s.mixed, s.n) ?? 0, color: COLOR.mixed },
          { pct: share(s.negative, s.n) ?? 0, color: COLOR.negative },
        ])}<div${attr('font-size:13px;padding-top:8px;')}>${[
          legendItem(COLOR.positive, 'Positive', `${pct(s.positive, s.n)} · ${formatInteger(s.positive)}`),
          legendItem(COLOR.neutral, 'Neutral', `${pct(s.neutral, s.n)} · ${formatInteger(s.neutral)}`),
          legendItem(COLOR.mixed, 'Mixed', `${pct(s.mixed, s.n)} · ${formatInteger(s.mixed)}`),
          legendItem(COLOR.negative, 'Negative', `${pct(s.negative, s.n)} · ${formatInteger(s.negative)}`),
        ].join('')}</div>`;
  const npsBody =
    nps.n === 0
      ? muted(`NPS: ${NO_DATA}`)
      : `<div class="tx"${attr(`font-size:13px;font-weight:600;color:${COLOR.text};padding:14px 0 6px;`)}>NPS answers</div>${stackedBar(
          [
            { pct: share(nps.promoters, nps.n) ?? 0, color: COLOR.positive },
            { pct: share(nps.passives, nps.n) ?? 0, color: COLOR.neutral },
            { pct: share(nps.detractors, nps.n) ?? 0, color: COLOR.negative },
          ],
        )}<div${attr('font-size:13px;padding-top:8px;')}>${[
          legendItem(
            COLOR.positive,
            'Promoters 9–10',
            `${pct(nps.promoters, nps.n)} · ${formatInteger(nps.promoters)}`,
          ),
          legendItem(COLOR.neutral, 'Passives 7–8', `${pct(nps.passives, nps.n)} · ${formatInteger(nps.passives)}`),
          legendItem(
            COLOR.negative,
            'Detractors 0–6',
            `${pct(nps.detractors, nps.n)} · ${formatInteger(nps.detractors)}`,
          ),
        ].join('')}</div>`;
  const csat = f.period.csat;
  const maxStars = Math.max(0, ...f.period.ratings.map((r) => r.count));
  const starRows = [...f.period.ratings]
    .reverse()
    .map(
      (r) =>
        `<tr><td class="tx" width="34"${attr(`width:34px;font-size:13px;color:${COLOR.text};padding:3px 0;white-space:nowrap;`)}>${r.stars}★</td><td${attr(
          'padding:3px 8px;',
        )}>${meter(share(r.count, maxStars) ?? 0, r.stars >= 4 ? COLOR.positive : r.stars === 3 ? COLOR.neutral : COLOR.negative)}</td><td class="mu" width="92" align="right"${attr(
          `width:92px;font-size:12px;color:${COLOR.muted};text-align:right;white-space:nowrap;`,
        )}>${formatInteger(r.count)} · ${formatPercent(share(r.count, csat.n), 0)}</td></tr>`,
    )
    .join('');
  const csatBody =
    csat.n === 0
      ? muted(`Ratings: ${NO_DATA}`)
      : `<div class="tx"${attr(`font-size:13px;font-weight:600;color:${COLOR.text};padding:14px 0 4px;`)}>Ratings</div>${table(starRows, 'table-layout:fixed;')}`;
  return section('Sentiment, NPS and ratings', `${sentimentBody}${npsBody}${csatBody}`);
}

function segmentLabel(dimension: SegmentDimension, value: string): string {
  if (dimension === 'all') return esc('All feedback');
  return `${muted(esc(DIMENSION_LABELS[dimension]))} ${userText(value, 80)}`;
}

function spikesSection(f: DigestFigures): string {
  const { ratio, minVolume, trailingDays } = f.options.spike;
  const note = esc(
    `A day with at least ${formatInteger(minVolume)} negative responses and more than ${formatNumber(ratio, 1)}× the mean of the ${trailingDays} days before.`,
  );
  if (f.spikes.length === 0) return section('Negative spikes', muted('No spikes in this period.'), note);
  // Overall spikes first (as computed), then the segment spikes with the most negative responses.
  const overall = f.spikes.filter((s) => s.dimension === 'all');
  const bySegment = f.spikes.filter((s) => s.dimension !== 'all').sort((a, b) => b.negative - a.negative);
  const shown = [...overall, ...bySegment].slice(0, MAX_SPIKES_SHOWN);
  const rows = shown
    .map((s: SegmentSpike) => {
      const times = s.ratio === null ? 'up from none' : `${formatNumber(s.ratio, 1)}× the ${trailingDays}-day mean`;
      return `<tr><td valign="top" width="18"${attr(`width:18px;color:${COLOR.negative};font-size:13px;padding:4px 0;`)}>▼</td><td class="tx"${attr(
        `font-size:14px;line-height:1.45;color:${COLOR.text};padding:4px 0;${WRAP}`,
      )}><strong>${esc(formatDay(s.day))}</strong> · ${segmentLabel(s.dimension, s.value)}<br>${muted(
        esc(`${formatInteger(s.negative)} negative, ${times} (${formatNumber(s.baseline, 1)} a day)`),
        'font-size:13px;',
      )}</td></tr>`;
    })
    .join('');
  const more = f.spikes.length > shown.length ? muted(esc(`and ${f.spikes.length - shown.length} more`)) : '';
  return section('Negative spikes', `${table(rows)}${more}`, note);
}

function moversSection(f: DigestFigures): string {
  const moves: SegmentMove[] = [...f.movers.share, ...f.movers.netSentiment, ...f.movers.nps];
  const note = esc(`Compared with the previous period; segments with at least ${f.options.minSegmentN} answers.`);
  if (moves.length === 0) return section('Segments that moved most', muted('No segment moved.'), note);
  const head = `<tr>${['Segment', 'Metric', 'Now', 'Change']
    .map(
      (h, i) =>
        `<th class="mu ln" align="${i >= 2 ? 'right' : 'left'}"${attr(
          `font-size:11px;text-transform:uppercase;letter-spacing:0.6px;color:${COLOR.muted};font-weight:700;padding:0 0 6px;border-bottom:1px solid ${COLOR.line};text-align:${i >= 2 ? 'right' : 'left'};`,
        )}>${h}</th>`,
    )
    .join('')}</tr>`;
  const rows = moves
    .map((m) => {
      const percentLike = m.metric === 'share';
      const now = percentLike ? formatPercent(m.current) : formatSigned(m.current, 1);
      const previous = percentLike ? formatPercent(m.previous) : formatSigned(m.previous, 1);
      const delta = formatChange(m.change, 1, ' pts');
      return `<tr><td class="tx ln"${attr(`font-size:13px;color:${COLOR.text};padding:7px 8px 7px 0;border-bottom:1px solid ${COLOR.line};${WRAP}`)}>${segmentLabel(
        m.dimension,
        m.value,
      )}<br>${muted(esc(`n ${formatInteger(m.n)} (previous ${formatInteger(m.previousN)})`), 'font-size:11px;')}</td><td class="tx ln"${attr(
        `font-size:13px;color:${COLOR.text};padding:7px 8px 7px 0;border-bottom:1px solid ${COLOR.line};`,
      )}>${esc(METRIC_LABELS[m.metric])}</td><td class="tx ln" align="right"${attr(
        `font-size:13px;color:${COLOR.text};padding:7px 0;border-bottom:1px solid ${COLOR.line};text-align:right;white-space:nowrap;`,
      )}>${esc(now)}<br>${muted(esc(`was ${previous}`), 'font-size:11px;')}</td><td class="ln" align="right"${attr(
        `font-size:13px;padding:7px 0 7px 8px;border-bottom:1px solid ${COLOR.line};text-align:right;white-space:nowrap;`,
      )}>${deltaHtml(delta, percentLike ? 'neutral' : 'higher-is-better', '')}</td></tr>`;
    })
    .join('');
  return section('Segments that moved most', table(`${head}${rows}`), note);
}

function breakdownSection(f: DigestFigures): string {
  if (f.breakdown.length === 0) return '';
  const blocks = f.breakdown
    .map((b) => {
      const head = `<tr>${[DIMENSION_LABELS[b.dimension], 'Responses', 'Net', 'NPS', 'CSAT']
        .map(
          (h, i) =>
            `<th class="mu ln" align="${i === 0 ? 'left' : 'right'}"${attr(
              `font-size:11px;text-transform:uppercase;letter-spacing:0.6px;color:${COLOR.muted};font-weight:700;padding:0 0 6px;border-bottom:1px solid ${COLOR.line};text-align:${i === 0 ? 'left' : 'right'};${i === 0 ? '' : 'width:16%;'}`,
            )}>${esc(h)}</th>`,
        )
        .join('')}</tr>`;
      const cell = (value: string, extra = ''): string =>
        `<td class="tx ln" align="right"${attr(
          `font-size:13px;color:${COLOR.text};padding:7px 0 7px 6px;border-bottom:1px solid ${COLOR.line};text-align:right;white-space:nowrap;${extra}`,
        )}>${value}</td>`;
      const score = (value: string): string => (value === NO_DATA ? muted('–', 'font-size:13px;') : esc(value));
      const rows = b.rows
        .map(
          (r) =>
            `<tr><td class="tx ln"${attr(`font-size:13px;color:${COLOR.text};padding:7px 8px 7px 0;border-bottom:1px solid ${COLOR.line};${WRAP}`)}>${userText(
              r.value,
              60,
            )}<div${attr('padding-top:4px;')}>${meter(r.share ?? 0, COLOR.accent, 4)}</div></td>${cell(
              `${formatInteger(r.volume)}<br>${muted(esc(formatPercent(r.share)), 'font-size:11px;')}`,
            )}${cell(score(formatSigned(r.netSentiment, 0)))}${cell(score(formatSigned(r.nps, 0)))}${cell(
              score(formatPercent(r.csat, 0)),
            )}</tr>`,
        )
        .join('');
      const others = b.others
        ? `<tr><td class="mu"${attr(`font-size:12px;color:${COLOR.muted};padding:7px 0;`)} colspan="5">${esc(
            `${b.others.values} more ${b.others.values === 1 ? 'value' : 'values'} · ${formatInteger(b.others.volume)} responses`,
          )}</td></tr>`
        : '';
      return `<div${attr('padding-bottom:14px;')}>${table(`${head}${rows}${others}`, 'table-layout:fixed;')}</div>`;
    })
    .join('');
  return section('By segment', blocks, esc('Net sentiment, NPS and CSAT in the period; – where there are no answers.'));
}

const STYLE_BLOCK = `
:root{color-scheme:light dark;supported-color-schemes:light dark;}
body{margin:0;padding:0;-webkit-text-size-adjust:100%;}
@media (prefers-color-scheme: dark){
.bg{background:#0e1117 !important;}
.card{background:#171b23 !important;}
.tile{background:#202633 !important;border-color:#171b23 !important;}
.tx{color:#eef1f6 !important;}
.mu{color:#a3acbb !important;}
.ln{border-color:#2c3340 !important;}
.trk{background:#2c3340 !important;}
.up{color:#5fd38d !important;}
.dn{color:#ff7b80 !important;}
}
[data-ogsc] .tx{color:#eef1f6 !important;}
[data-ogsc] .mu{color:#a3acbb !important;}
@media (max-width:620px){
.px{padding-left:16px !important;padding-right:16px !important;}
.px2{padding-left:12px !important;padding-right:12px !important;}
.big{font-size:24px !important;}
.tile{padding:12px !important;}
}`;

/** The HTML part. */
export function renderHtml(figures: DigestFigures, subject: string, options: RenderOptions = {}): string {
  const title = options.title ?? 'Customer feedback';
  const { period: p, previous: q } = figures;
  const kind = figures.kind === 'custom' ? 'Digest' : `${figures.kind === 'daily' ? 'Daily' : 'Weekly'} digest`;
  const zone = figures.timeZone ? ` · ${figures.timeZone}` : '';
  const header = `<tr><td class="card px"${attr(`background:${COLOR.card};padding:28px 32px 10px;border-radius:12px 12px 0 0;`)}>
<div${attr(`font-size:12px;letter-spacing:1px;text-transform:uppercase;font-weight:700;color:${COLOR.accent};`)}>${esc(`${title} · ${kind}`)}</div>
<h1 class="tx"${attr(`margin:6px 0 4px;font-size:24px;line-height:1.25;font-weight:700;color:${COLOR.text};`)}>${esc(formatRange(p.from, p.to))}</h1>
<div class="mu"${attr(`font-size:13px;line-height:1.5;color:${COLOR.muted};`)}>${esc(`Compared with ${formatRange(q.from, q.to)}${zone}`)}</div>
</td></tr>`;
  const { spike } = figures.options;
  const generated = options.generatedAt
    ? ` Generated ${options.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}.`
    : '';
  const footer = `<tr><td class="card px"${attr(`background:${COLOR.card};padding:18px 32px 28px;border-radius:0 0 12px 12px;`)}>
<div class="mu ln"${attr(`border-top:1px solid ${COLOR.line};padding-top:16px;font-size:12px;line-height:1.6;color:${COLOR.muted};`)}>
NPS = % promoters (9–10) − % detractors (0–6). CSAT = % of ratings 4 or 5 out of 5. Net sentiment = % positive − % negative of feedback with a sentiment.
A figure without answers shows as “${NO_DATA}”. Spike: at least ${formatInteger(spike.minVolume)} negative and above ${esc(formatNumber(spike.ratio, 1))}× the ${spike.trailingDays}-day mean.
Days are business days${esc(zone ? ` in ${figures.timeZone}` : '')}.${esc(generated)}
</div></td></tr>`;
  const preheader = esc(subject.replace(/^[^:]*:\s*/, ''));
  const body = [
    header,
    headlineTiles(figures),
    trendSection(figures),
    mixSection(figures),
    spikesSection(figures),
    moversSection(figures),
    breakdownSection(figures),
    driversSection(figures),
    themesSection(figures, MAX_THEMES_SHOWN),
    verbatimsSection(figures, options.maxVerbatimLength ?? 600),
    mappingNoticesSection(figures),
    footer,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<meta name="x-apple-disable-message-reformatting">
<title>${esc(subject)}</title>
<style>${STYLE_BLOCK}</style>
</head>
<body class="bg"${attr(`margin:0;padding:0;background:${COLOR.page};font-family:${FONT};`)}>
<div${attr('display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;')}>${preheader}&#8199;&#847;&#8199;&#847;&#8199;&#847;</div>
${table(
  `<tr><td align="center"${attr('padding:24px 10px;')}>
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
${table(body, `max-width:600px;margin:0 auto;font-family:${FONT};`, ' class="digest" align="center"')}
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>`,
  `background:${COLOR.page};`,
  ' class="bg"',
)}
</body>
</html>`;
}

export function renderDigest(figures: DigestFigures, options: RenderOptions = {}): RenderedDigest {
  const subject = digestSubject(figures);
  return { subject, html: renderHtml(figures, subject, options), text: renderText(figures, subject, options) };
}
