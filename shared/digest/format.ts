/** Number and date formatting shared by the HTML, text and subject renderers (en-US digits and grouping). */
import { roundTo } from '../domain/kpis.js';

export const NO_DATA = 'no data';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** Fixed decimals with grouping; `null` → "no data". */
export function formatNumber(value: number | null, decimals: number): string {
  if (value === null) return NO_DATA;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    roundTo(value, decimals),
  );
}

/** Signed score (`+32.4`, `-5.0`, `0.0`); `null` → "no data". */
export function formatSigned(value: number | null, decimals: number): string {
  if (value === null) return NO_DATA;
  const rounded = roundTo(value, decimals);
  const body = formatNumber(Math.abs(rounded), decimals);
  if (rounded > 0) return `+${body}`;
  if (rounded < 0) return `-${body}`;
  return body;
}

/** Percentage with one decimal (`81.0%`); `null` → "no data". */
export function formatPercent(value: number | null, decimals = 1): string {
  return value === null ? NO_DATA : `${formatNumber(value, decimals)}%`;
}

/** A change with an arrow: `▲4.4`, `▼2.0`, `±0.0`; `null` → null (nothing to compare with). */
export function formatChange(change: number | null, decimals: number, unit = ''): string | null {
  if (change === null) return null;
  const rounded = roundTo(change, decimals);
  const body = `${formatNumber(Math.abs(rounded), decimals)}${unit}`;
  if (rounded > 0) return `▲${body}`;
  if (rounded < 0) return `▼${body}`;
  return `±${body}`;
}

const dayParts = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

function parts(day: string): { weekday: string; day: string; month: string; year: string } {
  const found = dayParts.formatToParts(new Date(`${day}T00:00:00Z`));
  const get = (type: Intl.DateTimeFormatPartTypes): string => found.find((p) => p.type === type)?.value ?? '';
  return { weekday: get('weekday'), day: get('day'), month: get('month'), year: get('year') };
}

/** `Mon 16 Nov`. */
export function formatDay(day: string): string {
  const p = parts(day);
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** `Mon 16 Nov 2026`. */
export function formatDayYear(day: string): string {
  return `${formatDay(day)} ${parts(day).year}`;
}

/** `Mon 16 Nov – Sun 22 Nov 2026`, or one day. */
export function formatRange(from: string, to: string): string {
  if (from === to) return formatDayYear(from);
  const start = from.slice(0, 4) === to.slice(0, 4) ? formatDay(from) : formatDayYear(from);
  return `${start} – ${formatDayYear(to)}`;
}
