const QUOTE = 0x22;
const LF = 10;
const CR = 13;

/**
 * What the quoting of one record's bytes shows:
 * - `runaway`: a quoted field that went on over a line end and was then closed by a quote that cannot close it (one
 *   followed by text, the opening quote of a field further down), or that spans more than the line budget: a stray
 *   quote that swallowed the lines after it;
 * - `open`: a quoted field still open where the bytes end (`lineEnds`: line ends inside it so far);
 * - `closed`: no field open where the bytes end.
 * `quoteAt` is the absolute offset of the field's opening quote.
 */
export type QuoteFinding =
  | { kind: 'runaway'; quoteAt: number; lineEnds: number; closedBy: 'quote' | 'line-budget' }
  | { kind: 'open'; quoteAt: number; lineEnds: number }
  | { kind: 'closed' };

export interface QuoteScan {
  /** 1 for UTF-8, 2 for UTF-16LE (whole units, `at` even). */
  unit: 1 | 2;
  /** The field delimiter, a single character. */
  delimiter: number;
  /** Line ends one quoted field may span before it counts as a runaway. */
  maxLineEnds: number;
}

/**
 * Reads `buf` (starting at absolute offset `at`, at the start of a record) as the CSV reader's csv-parse does with
 * `relax_quotes`: a quote opens a field only at its start, `""` inside is a quote, a quote followed by a delimiter, a
 * line end or the end of the input closes it, and a quote followed by anything else ends the quoting with the quote
 * kept as text. Only used once a record looks wrong (several lines, too many bytes, a quote open at the end), so it
 * favours plainness over speed.
 */
export function scanQuotes(buf: Uint8Array, at: number, atEof: boolean, opts: QuoteScan): QuoteFinding {
  const w = opts.unit;
  const unitAt = (i: number): number => (i + w > buf.length ? -1 : w === 1 ? (buf[i] as number) : readUnit(buf, i));
  let fieldStart = true;
  let quoteAt = -1;
  let lineEnds = 0;
  for (let i = 0; i + w <= buf.length; i += w) {
    const c = unitAt(i);
    if (quoteAt < 0) {
      if (c === QUOTE && fieldStart) {
        quoteAt = i;
        lineEnds = 0;
      }
      fieldStart = c === opts.delimiter || c === LF || c === CR;
      continue;
    }
    if (c === LF || (c === CR && unitAt(i + w) !== LF)) {
      if (++lineEnds > opts.maxLineEnds)
        return { kind: 'runaway', quoteAt: at + quoteAt, lineEnds, closedBy: 'line-budget' };
      continue;
    }
    if (c !== QUOTE) continue;
    const next = unitAt(i + w);
    if (next === -1 && !atEof) break;
    if (next === QUOTE) {
      i += w;
      continue;
    }
    const closes = next === -1 || next === opts.delimiter || next === LF || next === CR;
    if (!closes && lineEnds > 0) return { kind: 'runaway', quoteAt: at + quoteAt, lineEnds, closedBy: 'quote' };
    quoteAt = -1;
    fieldStart = false;
  }
  return quoteAt < 0 ? { kind: 'closed' } : { kind: 'open', quoteAt: at + quoteAt, lineEnds };
}

function readUnit(buf: Uint8Array, i: number): number {
  return (buf[i] as number) | ((buf[i + 1] as number) << 8);
}
