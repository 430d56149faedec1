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
 * Tells a header row found again among the records. Cheap for a record: only a first cell of about the header cell's
 * length is normalised, and only a record whose first cell matches is hashed.
 */
export class RepeatedHeader {
  private readonly marks: readonly HeaderMark[];
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(marks: readonly HeaderMark[]) {
    this.marks = marks;
    const lengths = marks.map((m) => m.first.length);
    // Raw cells may carry more white space, and NFKC may fold a few characters together.
    this.minLength = Math.floor(Math.min(...lengths) / 2);
    this.maxLength = Math.max(...lengths) * 2 + 8;
  }

  /** Whether `cells` are one of the header rows again. */
  matches(cells: readonly string[]): boolean {
    for (const m of this.marks) {
      const raw = cells[m.at];
      if (raw === undefined || raw.length < this.minLength || raw.length > this.maxLength) continue;
      if (normalise(raw) === m.first && normalisedKey(cells) === m.key) return true;
    }
    return false;
  }
}
