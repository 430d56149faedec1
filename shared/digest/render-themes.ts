/**
 * The digest's theme sections: "What drives the score" (the themes that move NPS and CSAT most, each with its
 * impact, interval, change and a representative redacted quote) and "Themes in negative feedback" (taxonomy themes by
 * negative mentions, then emerging phrases). Theme labels come from the taxonomy file, quotes from feedback: both are
 * escaped and bidi-isolated.
 */
import type { DigestFigures, DriverFigure, ScoreDrivers } from './figures.js';
import { formatChange, formatDay, formatInteger, formatNumber, formatSigned, NO_DATA } from './format.js';
import { accentTile, attr, COLOR, esc, meter, muted, section, table, userText, WRAP } from './render-blocks.js';
import { impactText } from './render-common.js';
import { cleanText, truncate } from './text-safety.js';

const METRIC_NAMES = { nps: 'NPS', csat: 'CSAT' } as const;
const MAX_QUOTE_CHARS = 220;

function driverDetail(d: DriverFigure, metric: ScoreDrivers['metric']): string {
  const i = d.impact;
  const score = metric === 'nps' ? `NPS ${formatSigned(i.score, 0)}` : `CSAT ${formatNumber(i.score, 0)}%`;
  const parts = [`n ${formatInteger(i.n)}`, `${score} among them`];
  const change = formatChange(i.change, 1, ' pts');
  if (change !== null) parts.push(`${change} vs previous`);
  if (!i.reliable) parts.push('uncertain: interval crosses 0');
  return parts.join(' · ');
}

function driverRow(d: DriverFigure, metric: ScoreDrivers['metric'], color: string): string {
  const quote = d.quote
    ? `<div class="tx" dir="auto"${attr(`font-size:13px;line-height:1.5;color:${COLOR.text};padding-top:6px;font-style:italic;${WRAP}`)}>“${esc(
        truncate(cleanText(d.quote.text), MAX_QUOTE_CHARS),
      )}”</div><div class="mu"${attr(`font-size:11px;color:${COLOR.muted};padding-top:2px;${WRAP}`)}>${esc(
        formatDay(d.quote.day),
      )} · <bdi>${esc(truncate(cleanText(d.quote.source), 60))}</bdi></div>`
    : '';
  const inner = `<div class="tx"${attr(`font-size:14px;line-height:1.4;color:${COLOR.text};${WRAP}`)}><strong>${userText(
    d.label.en,
    60,
  )}</strong> <span${attr(`color:${color};font-weight:700;white-space:nowrap;`)}>${esc(impactText(d.impact))}</span></div><div class="mu"${attr(
    `font-size:12px;line-height:1.5;color:${COLOR.muted};${WRAP}`,
  )}>${esc(driverDetail(d, metric))}</div>${quote}`;
  return `${accentTile(inner, color, '10px 14px')}<tr><td colspan="2" height="8"${attr('height:8px;font-size:0;line-height:0;')}>&nbsp;</td></tr>`;
}

function driversBlock(d: ScoreDrivers): string {
  const name = METRIC_NAMES[d.metric];
  const heading = `<div class="tx"${attr(`font-size:13px;font-weight:700;color:${COLOR.text};padding:4px 0 8px;`)}>${esc(
    `${name} ${d.metric === 'nps' ? formatSigned(d.score, 0) : `${formatNumber(d.score, 0)}%`} · n ${formatInteger(d.n)}`,
  )}</div>`;
  if (d.negative.length + d.positive.length === 0) {
    return `${heading}${muted(esc(`No theme has enough ${name} answers on both sides to rank.`), 'font-size:13px;')}`;
  }
  const rows = [
    ...d.negative.map((t) => driverRow(t, d.metric, COLOR.negative)),
    ...d.positive.map((t) => driverRow(t, d.metric, COLOR.positive)),
  ];
  return `${heading}${table(rows.join(''), 'table-layout:fixed;')}`;
}

export function driversSection(f: DigestFigures): string {
  const title = 'What drives the score';
  if (f.drivers.length === 0) return section(title, muted(`Drivers: ${NO_DATA} (no NPS or CSAT answers).`));
  return section(
    title,
    f.drivers.map(driversBlock).join(`<div${attr('height:10px;')}></div>`),
    esc(
      `Impact = the score of all answers minus the score without the answers naming the theme; negative pulls the score down. Themes with at least ${f.options.minThemeN} answers on each side.`,
    ),
  );
}

export function themesSection(f: DigestFigures, top: number): string {
  const title = 'Themes in negative feedback';
  const themes = f.themes
    .filter((t) => t.negative > 0)
    .sort((a, b) => b.negative - a.negative || a.theme.localeCompare(b.theme))
    .slice(0, top);
  const emerging =
    f.emerging.length > 0
      ? `<div class="mu"${attr(`font-size:12px;line-height:1.6;color:${COLOR.muted};padding-top:10px;${WRAP}`)}>${esc(
          'Emerging (no theme yet): ',
        )}${f.emerging.map((e) => `<bdi>${esc(truncate(cleanText(e.phrase), 40))}</bdi> ${formatInteger(e.count)}`).join(' · ')}</div>`
      : '';
  if (themes.length === 0) return section(title, muted(`Themes: ${NO_DATA}`) + emerging);
  const max = Math.max(...themes.map((t) => t.negative));
  const rows = themes
    .map(
      (t) =>
        `<tr><td class="tx" width="40%"${attr(`width:40%;font-size:14px;color:${COLOR.text};padding:5px 10px 5px 0;${WRAP}`)}>${userText(
          t.label.en,
          60,
        )}</td><td${attr('padding:5px 0;')}>${meter((100 * t.negative) / max, COLOR.negative, 8)}</td><td class="tx" width="80" align="right"${attr(
          `width:80px;font-size:13px;color:${COLOR.text};text-align:right;white-space:nowrap;padding:5px 0 5px 8px;`,
        )}><strong>${formatInteger(t.negative)}</strong> ${muted(esc(`(${formatInteger(t.previousNegative)})`), 'font-size:11px;')}</td></tr>`,
    )
    .join('');
  return section(
    title,
    table(rows, 'table-layout:fixed;') + emerging,
    esc('Negative and mixed feedback naming each theme; previous period in brackets.'),
  );
}
