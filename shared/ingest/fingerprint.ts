import crypto, { createHash } from 'node:crypto';
import { normaliseName } from './column-mapping.js';
import { FingerprintTable } from './fingerprint-table.js';

/** The first 128 bits of SHA-256 of `text`, in hex. */
export function sha(text: string): string {
  // One-shot hashing (Node ≥ 20.12) skips building a Hash object per record.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex').slice(0, 32);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const REVIEW_ID_IN_LINK = /[?&#]review[iI]d=([^&#]+)/;

/** Google Play review links (old `…#ReviewDetailsPlace:…&reviewid=gp:…`, new `…review-details?reviewId=gp%3A…`) → id. */
export function normaliseSourceId(value: string): string {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v)) return v;
  const m = REVIEW_ID_IN_LINK.exec(v);
  if (m?.[1] !== undefined) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
  return v;
}

/**
 * Id columns that number the rows of one survey's export (问卷星's 序号, Hotjar's Number). Where such a column is not a
 * consecutive sequence in the file (a filtered export keeps each response's own number), the number names a response
 * only together with the survey, known here by its set of columns (exports of one survey share them; another survey
 * has other questions).
 */
const SEQUENCE_ID_NAMES = new Set(['序号', 'number', 'no', 'rownumber', 'rowno', 'responsenumber']);

const WHOLE_NUMBER = /^\d{1,12}(?:\.0+)?$/;

/**
 * Whether the sampled values of an id column count the export's rows: whole numbers from 0 or 1 going up by one from
 * cell to cell. Every export numbers its rows again, so such an "id" names no response: two exports each numbering
 * 1, 2, 3 would collide, and which one counted would depend on the order they came in. A sequence that starts
 * elsewhere (Microsoft Forms' Id 44, 45… in an export of later responses) is the tool's own response number, an id.
 */
export function isRowNumberSequence(values: readonly string[]): boolean {
  const cells = values.map((v) => v.trim()).filter((v) => v !== '');
  if (cells.length === 0 || !cells.every((v) => WHOLE_NUMBER.test(v))) return false;
  const n = cells.map(Number);
  if ((n[0] as number) > 1) return false;
  for (let i = 1; i < n.length; i++) if ((n[i] as number) - (n[i - 1] as number) !== 1) return false;
  return true;
}

/** How records of a file are identified, beyond their mapped fields; part of the parser state. */
export interface RecordIdentity {
  /** Survey identity a per-export row number (问卷星's 序号) needs to name a response. */
  idScope?: string;
  /** The id column counts rows (see {@link isRowNumberSequence}): it is no id, records are known by their content. */
  idIsRowNumber?: true;
  /** Personal columns (author name, nickname, IP…): never copied, but keyed-hashed into the content fingerprint. */
  authorColumns?: number[];
}

/**
 * What identifies a record of this file: the id column as an id, as a survey-scoped row number or as no id at all
 * (a consecutive sequence in the sample), and the author columns that tell apart two people writing the same words.
 */
export function recordIdentity(
  columns: readonly string[],
  idColumn: number | undefined,
  sample: readonly (readonly string[])[],
  personal: readonly number[],
): RecordIdentity {
  const out: RecordIdentity = {};
  if (personal.length > 0) out.authorColumns = [...personal];
  if (idColumn === undefined) return out;
  if (isRowNumberSequence(sample.map((cells) => cells[idColumn] ?? ''))) {
    out.idIsRowNumber = true;
    return out;
  }
  if (SEQUENCE_ID_NAMES.has(normaliseName(columns[idColumn] ?? ''))) {
    const names = columns.map(normaliseName).filter((n) => n !== '');
    out.idScope = sha([...new Set(names)].sort().join('\u0000')).slice(0, 16);
  }
  return out;
}

/** Counts how often each content fingerprint has occurred so far in one file, in flat memory. */
export class OccurrenceCounter {
  private readonly table = new FingerprintTable();

  /** Records `fingerprint` once more and returns its occurrence number in the file (1 for the first). */
  next(fingerprint: string): number {
    return this.table.increment(fingerprint);
  }

  /** Whether anything was counted (a resumed read must then count the records before its checkpoint again). */
  get empty(): boolean {
    return this.table.size === 0;
  }
}
