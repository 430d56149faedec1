import { diagnostic } from '../diagnostic.js';
import { flatten, type KeyIndex, quoteBigIntegers } from './json-flatten.js';
import { envelopeRecords, pageRecords } from './json-pages.js';
import type { RawRow } from './raw-row.js';

/**
 * Appends the row of an object's entries (what `flatten` does for an object at depth 0). Returns whether a number in it
 * may have lost digits.
 */
function entriesRow(entries: [string, unknown][], keys: KeyIndex, end: number | undefined, out: RawRow[]): boolean {
  const cells: string[] = [];
  let inexact = false;
  for (const [k, v] of entries) if (flatten(v, k, keys, cells, 1)) inexact = true;
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
  out.push({ cells, end });
  return inexact;
}

/**
 * Appends the rows of one parsed object: itself, or each record of a page wrapper. Only the last row carries `end`.
 * Returns whether a number in them may have lost digits.
 */
function valueRows(value: object, keys: KeyIndex, end: number | undefined, out: RawRow[]): boolean {
  const entries = Object.entries(value);
  const records = pageRecords(entries) ?? envelopeRecords(entries);
  if (records === undefined) return entriesRow(entries, keys, end, out);
  let inexact = false;
  const last = records.length - 1;
  for (let i = 0; i < records.length; i++) {
    if (entriesRow(Object.entries(records[i] as object), keys, i === last ? end : undefined, out)) inexact = true;
  }
  return inexact;
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A record written as an array of values (pandas' `orient="values"`, a sheet's rows): cells by position. */
function tupleRow(values: readonly unknown[], end: number | undefined): RawRow {
  return { cells: values.map((v) => (v === null ? '' : String(v))), end, positional: true };
}

/** The array parsed again with integers beyond 2^53 quoted, when it holds any (ids keep every digit). */
function exactTuple(text: string, values: unknown[]): unknown[] {
  if (!values.some((v) => typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v))) return values;
  try {
    return JSON.parse(quoteBigIntegers(text)) as unknown[];
  } catch {
    return values;
  }
}

/**
 * Turns one JSON text (a line or an array element) into rows, appended to `out`: one row for a record or a broken text,
 * one row a record for a page wrapper (see {@link pageRecords}). Only the last row carries `end`: a checkpoint inside
 * a page has no byte offset and resumes by record count. A text holding an integer beyond 2^53 is parsed a second time
 * with such integers quoted (see {@link quoteBigIntegers}); other texts pay one number comparison a numeric cell.
 */
export function jsonRows(text: string, keys: KeyIndex, end: number | undefined, maxSize: number, out: RawRow[]): void {
  if (text.length > maxSize) {
    out.push({ cells: [], end, reject: 'CELL_TOO_LARGE', detail: diagnostic`${text.length} characters` });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    out.push({
      cells: [],
      end,
      reject: 'MALFORMED_JSON',
      detail: err instanceof Error ? diagnostic`${{ message: err.message }}` : undefined,
    });
    return;
  }
  if (Array.isArray(value) && value.every(isScalar)) {
    out.push(tupleRow(Array.isArray(value) && text.length > 15 ? exactTuple(text, value) : value, end));
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({
      cells: [],
      end,
      reject: 'NOT_AN_OBJECT',
      detail: diagnostic`${Array.isArray(value) ? 'array' : typeof value}`,
    });
    return;
  }
  const mark = out.length;
  if (!valueRows(value, keys, end, out)) return;
  const exact = quoteBigIntegers(text);
  if (exact === text) return;
  let exactValue: unknown;
  try {
    exactValue = JSON.parse(exact);
  } catch {
    return; // Not expected (quoting a valid number literal keeps the text valid); keep the rows already read.
  }
  out.length = mark;
  valueRows(exactValue as object, keys, end, out);
}
