/**
 * The digest's quoting sections: the most negative verbatims, and the files whose column mapping is in doubt. Both
 * show text from files (feedback, file names, column names), escaped and bidi-isolated.
 */
import type { Verbatim } from '../domain/cells.js';
import type { DigestFigures } from './figures.js';
import { formatDay } from './format.js';
import { accentTile, attr, COLOR, esc, muted, section, table, WRAP } from './render-blocks.js';
import { MAX_NOTICES_SHOWN } from './render-common.js';
import { cleanText, truncate } from './text-safety.js';

function verbatimMeta(v: Verbatim): string {
  const parts = [esc(formatDay(v.day)), `<bdi>${esc(truncate(cleanText(v.source), 60))}</bdi>`];
  if (v.rating !== undefined) parts.push(esc(`${'★'.repeat(v.rating)}${'☆'.repeat(Math.max(0, 5 - v.rating))}`));
  if (v.nps !== undefined) parts.push(esc(`NPS ${v.nps}`));
  return parts.join(' · ');
}

export function verbatimsSection(f: DigestFigures, maxLength: number): string {
  if (f.verbatims.length === 0) return section('What customers said', muted('No negative verbatims in this period.'));
  const items = f.verbatims
    .map((v) => {
      const text = esc(truncate(cleanText(v.text), maxLength)).replace(/\n+/g, '<br>');
      const inner = `<div class="tx" dir="auto"${attr(`font-size:15px;line-height:1.5;color:${COLOR.text};${WRAP}`)}>${text}</div><div class="mu"${attr(
        `font-size:12px;line-height:1.5;color:${COLOR.muted};padding-top:6px;${WRAP}`,
      )}>${verbatimMeta(v)}</div>`;
      return `${accentTile(inner, COLOR.negative)}<tr><td colspan="2" height="10"${attr('height:10px;font-size:0;line-height:0;')}>&nbsp;</td></tr>`;
    })
    .join('');
  return section(
    'What customers said',
    table(items, 'table-layout:fixed;'),
    esc('The most negative feedback of the period, redacted, as written.'),
  );
}

/** The footnote on files whose column mapping is in doubt: which file, which days, what the doubt is. */
export function mappingNoticesSection(f: DigestFigures): string {
  const notices = f.mappingNotices;
  if (notices.length === 0) return '';
  const items = notices.slice(0, MAX_NOTICES_SHOWN).map((n) => {
    const days =
      n.days.length === 1
        ? formatDay(n.days[0] ?? '')
        : `${formatDay(n.days[0] ?? '')} – ${formatDay(n.days[n.days.length - 1] ?? '')}`;
    const doubts = n.warnings
      .map((w) => `<strong>${esc(w.code)}</strong>: ${esc(truncate(cleanText(w.detail), 240))}`)
      .join('<br>');
    return `<tr><td class="tile"${attr(`background:${COLOR.tile};border-radius:4px;padding:10px 14px;`)}><div class="tx"${attr(
      `font-size:13px;line-height:1.5;color:${COLOR.text};${WRAP}`,
    )}><bdi>${esc(truncate(cleanText(n.file), 120))}</bdi> · ${esc(days)}</div><div class="mu"${attr(
      `font-size:12px;line-height:1.5;color:${COLOR.muted};${WRAP}`,
    )}>${doubts}</div></td></tr><tr><td height="8"${attr('height:8px;font-size:0;line-height:0;')}>&nbsp;</td></tr>`;
  });
  const more =
    notices.length > MAX_NOTICES_SHOWN ? muted(esc(`and ${notices.length - MAX_NOTICES_SHOWN} more file(s)`)) : '';
  return section(
    'Figures in doubt',
    table(items.join(''), 'table-layout:fixed;') + more,
    esc(
      'Files whose columns were read with low confidence counted rows in this period; check them with `feedback check` and, if needed, set a per-source mapping.',
    ),
  );
}
