/**
 * The HTML building blocks of the digest e-mail: palette, escaping, tables, sections and small charts drawn with table
 * cells. Every caller passes untrusted text through `esc` or `userText`.
 */
import { roundTo } from '../domain/kpis.js';
import { cleanText, escapeHtml, truncate } from './text-safety.js';

/* ------------------------------------------------------------------ palette */

// Mid-tone chart colours read on both white and near-black backgrounds; text and surfaces are light by
// default (inline, for clients without <style>) and switched by the dark-mode block where supported.
export const COLOR = {
  page: '#eef0f4',
  card: '#ffffff',
  tile: '#f5f7fa',
  text: '#101828',
  muted: '#5d6778',
  line: '#e2e6ec',
  track: '#e6e9ef',
  up: '#12803c',
  down: '#c8252f',
  accent: '#3b6fd8',
  period: '#4f86f0',
  before: '#b4c8ee',
  positive: '#26a65b',
  negative: '#e0484f',
  neutral: '#9aa3b2',
  mixed: '#eea53a',
} as const;

export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";
export const WRAP = 'overflow-wrap:anywhere;word-wrap:break-word;word-break:break-word;';

/* ------------------------------------------------------------------ HTML building blocks */

export const esc = escapeHtml;

export function attr(style: string): string {
  return ` style="${esc(style)}"`;
}

export function table(inner: string, style = '', extra = ''): string {
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"${extra}${attr(
    `border-collapse:collapse;width:100%;${style}`,
  )}>${inner}</table>`;
}

/** Untrusted text in its own bidi isolate, escaped, wrapping anywhere. */
export function userText(value: string, max = 120): string {
  return `<bdi${attr(WRAP)}>${esc(truncate(cleanText(value), max))}</bdi>`;
}

export function deltaHtml(
  text: string | null,
  direction: 'higher-is-better' | 'neutral',
  suffix = 'vs previous',
): string {
  if (text === null) return `<span class="mu"${attr(`color:${COLOR.muted};`)}>no previous data</span>`;
  let cls = 'mu';
  let color: string = COLOR.muted;
  if (direction === 'higher-is-better' && text.startsWith('▲')) [cls, color] = ['up', COLOR.up];
  if (direction === 'higher-is-better' && text.startsWith('▼')) [cls, color] = ['dn', COLOR.down];
  return `<span class="${cls}"${attr(`color:${color};font-weight:600;`)}>${esc(text)}</span> <span class="mu"${attr(
    `color:${COLOR.muted};`,
  )}>${esc(suffix)}</span>`;
}

/** A horizontal bar of coloured cells; widths in percent of the whole. */
export function stackedBar(parts: { pct: number; color: string }[], height = 12): string {
  const visible = parts.filter((p) => p.pct > 0);
  if (visible.length === 0) {
    return table(
      `<tr><td class="trk" height="${height}"${attr(`height:${height}px;background:${COLOR.track};font-size:0;line-height:0;`)}>&nbsp;</td></tr>`,
      'table-layout:fixed;',
    );
  }
  const cells = visible
    .map(
      (p) =>
        `<td width="${roundTo(p.pct, 1)}%" height="${height}"${attr(
          `width:${roundTo(p.pct, 1)}%;height:${height}px;background:${p.color};font-size:0;line-height:0;`,
        )}>&nbsp;</td>`,
    )
    .join('');
  return table(`<tr>${cells}</tr>`, 'table-layout:fixed;border-radius:3px;overflow:hidden;');
}

/** A single bar on a track: `pct` of the width filled. */
export function meter(pct: number, color: string, height = 8): string {
  const filled = Math.max(0, Math.min(100, roundTo(pct, 1)));
  const cells = [
    filled > 0
      ? `<td width="${filled}%" height="${height}"${attr(`width:${filled}%;height:${height}px;background:${color};font-size:0;line-height:0;`)}>&nbsp;</td>`
      : '',
    filled < 100
      ? `<td class="trk" height="${height}"${attr(`height:${height}px;background:${COLOR.track};font-size:0;line-height:0;`)}>&nbsp;</td>`
      : '',
  ].join('');
  return table(`<tr>${cells}</tr>`, 'table-layout:fixed;');
}

export function legendItem(color: string, label: string, value: string): string {
  return `<span${attr('white-space:nowrap;display:inline-block;margin:0 14px 4px 0;')}><span${attr(
    `color:${color};font-size:14px;`,
  )}>■</span> <span class="tx"${attr(`color:${COLOR.text};`)}>${esc(label)}</span> <span class="mu"${attr(
    `color:${COLOR.muted};`,
  )}>${value}</span></span>`;
}

export function section(title: string, body: string, note = ''): string {
  const noteHtml = note
    ? `<div class="mu"${attr(`color:${COLOR.muted};font-size:13px;line-height:1.45;margin:2px 0 0;`)}>${note}</div>`
    : '';
  return `<tr><td class="card px"${attr(`background:${COLOR.card};padding:22px 32px 6px;`)}>
<div class="ln"${attr(`border-top:1px solid ${COLOR.line};padding-top:20px;`)}>
<h2 class="tx"${attr(`margin:0;font-size:16px;line-height:1.3;font-weight:700;color:${COLOR.text};`)}>${esc(title)}</h2>${noteHtml}
<div${attr('padding-top:12px;')}>${body}</div>
</div></td></tr>`;
}

/**
 * A quote-like tile with a coloured bar on its left, as one table row. The bar is its own cell: the dark-mode rule
 * that recolours `.tile` borders would otherwise hide a coloured left border.
 */
export function accentTile(inner: string, color: string, padding = '12px 16px'): string {
  return `<tr><td width="3"${attr(`width:3px;background:${color};border-radius:4px 0 0 4px;font-size:0;line-height:0;`)}>&nbsp;</td><td class="tile"${attr(
    `background:${COLOR.tile};border-radius:0 4px 4px 0;padding:${padding};`,
  )}>${inner}</td></tr>`;
}

export function muted(text: string, style = ''): string {
  return `<span class="mu"${attr(`color:${COLOR.muted};${style}`)}>${text}</span>`;
}
