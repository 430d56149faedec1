import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../diagnostic.js';
import type { ReadLimits } from '../limits.js';
import type { RawRow } from './raw-row.js';
import { BoundedWorkbookReader } from './xlsx-workbook.js';
import { CUT_MARKER, ZipBudget } from './zip-guard.js';

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    // Excel stores wall time without a zone; exceljs exposes it as if UTC. Keep it as a zone-less wall time.
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d{3}Z$/, '');
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return '';
}

/**
 * Which worksheet holds the table: a fixed index (a resumed read takes the sheet the first read chose), or a score of
 * a sheet's first non-empty rows (2: a feedback table; 1: usable; 0: not a table), with `chosen` told the index taken.
 */
export type SheetChoice =
  | { index: number }
  | { score(rows: readonly string[][]): 0 | 1 | 2; chosen(index: number): void };

/** What turns a worksheet's rows into raw rows: the limits, and the workbook's shared strings and budget. */
interface RowSource {
  limits: ReadLimits;
  book: BoundedWorkbookReader;
  budget: ZipBudget;
}

function isSharedString(v: ExcelJS.CellValue): v is ExcelJS.CellValue & { sharedString: number } {
  return typeof v === 'object' && v !== null && 'sharedString' in v;
}

/**
 * A worksheet row's cells as text; `undefined` for a blank row. A row wider than the column limit, larger than the cell
 * limit, or referring to a shared string the workbook does not have is a rejected row, never a silently blank one.
 */
function rowOf(row: ExcelJS.Row, src: RowSource): RawRow | undefined {
  const { limits, book } = src;
  // Cells are checked before exceljs lists them: `values` is as long as the rightmost column.
  if (row.cellCount > limits.maxColumns)
    return { cells: [], reject: 'TOO_MANY_COLUMNS', detail: diagnostic`${row.cellCount} cells` };
  const values = row.values as ExcelJS.CellValue[];
  const cells: string[] = [];
  let chars = 0;
  let missing: number | undefined;
  for (let c = 1; c < values.length; c++) {
    const v = values[c];
    let text: string;
    if (isSharedString(v)) {
      const s = book.sharedString(v.sharedString);
      if (s === undefined) missing ??= v.sharedString;
      text = s ?? '';
    } else text = cellText(v);
    chars += text.length;
    cells.push(text);
  }
  if (missing !== undefined) {
    const detail = diagnostic`shared string ${missing} is not in the workbook (it has ${book.sharedStringCount})`;
    return { cells: [], reject: 'MALFORMED_ROW', detail };
  }
  if (chars > limits.maxCellSize || (src.budget.cuts > 0 && cells.some((c) => c.includes(CUT_MARKER)))) {
    return {
      cells: [],
      reject: 'CELL_TOO_LARGE',
      detail: diagnostic`row of more than ${limits.maxCellSize} characters`,
    };
  }
  return cells.every((x) => x.trim() === '') ? undefined : { cells };
}

/** A worksheet's rows, blank ones included, ended with `TOO_MANY_ROWS` past the row limit. */
async function* sheetRows(sheet: AsyncIterable<ExcelJS.Row>, max: number): AsyncGenerator<ExcelJS.Row> {
  let n = 0;
  for await (const row of sheet) {
    if (++n > max) throw new FileRejectedError('TOO_MANY_ROWS', diagnostic`A worksheet has more than ${max} rows.`);
    yield row;
  }
}

async function drain(it: AsyncIterator<unknown>): Promise<void> {
  for (;;) if ((await it.next()).done === true) return;
}

/** Rows looked at to judge a sheet (as many as the column mapping samples). */
const SHEET_SAMPLE_ROWS = 203;

/**
 * XLSX rows of one worksheet, streamed through exceljs's streaming reader; blank rows skipped. Without a choice: the
 * first sheet with data. With a score: the first sheet scoring 2 (a cover or README sheet before the data is passed
 * over), or a big sheet scoring 1; a small sheet scoring 1 is held whole and taken if no better one follows; else the
 * first sheet's first rows, enough for the mapping to say what is missing. Memory is bounded by the shared strings'
 * limits, not by rows; the zip's bytes by the {@link ZipBudget} (see xlsx-workbook.ts).
 */
export async function* xlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  limits: ReadLimits,
  choice?: SheetChoice,
): AsyncGenerator<RawRow[]> {
  const budget = new ZipBudget(limits);
  // One chunk read ahead at most, so the compressed bytes counted are close to those inflated so far.
  const book = new BoundedWorkbookReader(Readable.from(budget.count(bytes), { highWaterMark: 1 }), budget, limits);
  const src: RowSource = { limits, book, budget };
  const test = choice !== undefined && 'score' in choice ? choice : undefined;
  const fixed = choice !== undefined && 'index' in choice ? choice.index : undefined;
  let fallback: { index: number; rows: RawRow[] } | undefined;
  let usable: { index: number; rows: RawRow[] } | undefined;
  let index = -1;
  try {
    for await (const sheet of book) {
      index++;
      const it = sheetRows(sheet as AsyncIterable<ExcelJS.Row>, limits.maxRows);
      if (fixed !== undefined && index !== fixed) {
        await drain(it);
        continue;
      }
      const { sample, done } = await sampleSheet(it, src);
      if (sample.length === 0) continue;
      if (test !== undefined) {
        const score = test.score(sample.map((r) => r.cells));
        if (score === 0 || (score === 1 && done)) {
          if (score === 1) usable ??= { index, rows: sample };
          fallback ??= { index, rows: sample };
          if (!done) await drain(it);
          continue;
        }
        test.chosen(index);
      }
      yield sample;
      if (!done) yield* restOfSheet(it, src);
      return;
    }
    const pick = usable ?? fallback;
    if (test !== undefined && pick !== undefined) {
      test.chosen(pick.index);
      yield pick.rows;
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('MALFORMED_FILE', diagnostic`The XLSX workbook could not be read.`, { cause: err });
  }
}

/** A sheet's first non-blank rows (as many as a sheet is judged by), and whether the sheet ended within them. */
async function sampleSheet(
  it: AsyncIterator<ExcelJS.Row>,
  src: RowSource,
): Promise<{ sample: RawRow[]; done: boolean }> {
  const sample: RawRow[] = [];
  while (sample.length < SHEET_SAMPLE_ROWS) {
    const r = await it.next();
    if (r.done === true) return { sample, done: true };
    const raw = rowOf(r.value, src);
    if (raw !== undefined) sample.push(raw);
  }
  return { sample, done: false };
}

/** The sheet's remaining non-blank rows, in batches of 256. */
async function* restOfSheet(it: AsyncIterator<ExcelJS.Row>, src: RowSource): AsyncGenerator<RawRow[]> {
  let batch: RawRow[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done === true) break;
    const raw = rowOf(r.value, src);
    if (raw === undefined) continue;
    batch.push(raw);
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
