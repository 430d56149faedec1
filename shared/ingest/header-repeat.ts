import { sha } from './fingerprint.js';
import type { HeaderMark } from './types.js';

/** For matching only: compatibility forms folded, white space collapsed, case ignored. */
function normalise(cell: string): string {
  return cell
    .normalize('NFKC')
    .replace(/^\ufeff/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The cells normalised, without the empty ones Excel pads a short row with. */
function normalisedKey(cells: readonly string[]): string {
  const out = cells.map(normalise);
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return sha(out.join('\u0001'));
}

/** Marks of a table's header rows (one to three); none for a row with no filled cell. */
export function headerMarks(rows: readonly (readonly string[])[]): HeaderMark[] {
  const marks: HeaderMark[] = [];
  for (const cells of rows) {
    const at = cells.findIndex((c) => normalise(c) !== '');
    if (at === -1) continue;
    marks.push({ at, first: normalise(cells[at] as string), key: normalisedKey(cells) });
  }
  return marks;
}

/**
 * Tells a header row found again among the records. Cheap for a record: its first cell is normalised only when it is
 * of about the header cell's length and starts with the same letter (ASCII compared as is, anything else normalised),
 * and only a record whose first cell matches is hashed.
 */
export class RepeatedHeader {
  private readonly marks: readonly HeaderMark[];
  /** Each mark's first character, the character an ASCII first cell must start with. */
  private readonly initials: readonly number[];
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(marks: readonly HeaderMark[]) {
    this.marks = marks;
    this.initials = marks.map((m) => m.first.charCodeAt(0));
    const lengths = marks.map((m) => m.first.length);
    // Raw cells may carry more white space, and NFKC may fold a few characters together.
    this.minLength = Math.floor(Math.min(...lengths) / 2);
    this.maxLength = Math.max(...lengths) * 2 + 8;
  }

  /** Whether `cells` are one of the header rows again. */
  matches(cells: readonly string[]): boolean {
    for (let k = 0; k < this.marks.length; k++) {
      const m = this.marks[k] as HeaderMark;
      const raw = cells[m.at];
      if (raw === undefined || raw.length < this.minLength || raw.length > this.maxLength) continue;
      const initial = initialOf(raw);
      if (initial < 0x80 && initial !== this.initials[k]) continue;
      if (normalise(raw) === m.first && normalisedKey(cells) === m.key) return true;
    }
    return false;
  }
}

/** The first character after white space, lower-cased when an ASCII letter (a non-ASCII one as is). */
function initialOf(cell: string): number {
  let i = 0;
  while (i < cell.length && (cell.charCodeAt(i) <= 0x20 || cell.charCodeAt(i) === 0xfeff)) i++;
  const c = cell.charCodeAt(i);
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}
