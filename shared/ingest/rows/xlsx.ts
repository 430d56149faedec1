import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
// Only the streaming reader: the package entry pulls in the whole workbook model and writers (≈ 400 KiB bundled).
import WorkbookReader from 'exceljs/lib/stream/xlsx/workbook-reader.js';
import { FileRejectedError } from '../../domain/errors.js';
import type { ReadLimits } from '../limits.js';
import type { RawRow } from './raw-row.js';

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

/** A worksheet row's cells as text; `undefined` for a blank row. */
function rowCells(row: ExcelJS.Row): string[] | undefined {
  const values = row.values as ExcelJS.CellValue[];
  const cells: string[] = [];
  for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
  return cells.every((x) => x.trim() === '') ? undefined : cells;
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
 * first sheet's first rows, enough for the mapping to say what is missing. The zip's central directory is at its end,
 * so the library may spool entries; memory is bounded by the sheet's shared strings, not by rows.
 */
export async function* xlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  _limits: ReadLimits,
  choice?: SheetChoice,
): AsyncGenerator<RawRow[]> {
  const reader = new WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const test = choice !== undefined && 'score' in choice ? choice : undefined;
  const fixed = choice !== undefined && 'index' in choice ? choice.index : undefined;
  let fallback: { index: number; rows: RawRow[] } | undefined;
  let usable: { index: number; rows: RawRow[] } | undefined;
  let index = -1;
  try {
    for await (const sheet of reader) {
      index++;
      const it = (sheet as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
      if (fixed !== undefined && index !== fixed) {
        await drain(it);
        continue;
      }
      const { sample, done } = await sampleSheet(it);
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
      if (!done) yield* restOfSheet(it);
      return;
    }
    const pick = usable ?? fallback;
    if (test !== undefined && pick !== undefined) {
      test.chosen(pick.index);
      yield pick.rows;
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('MALFORMED_FILE', 'The XLSX workbook could not be read.', { cause: err });
  }
}

/** A sheet's first non-blank rows (as many as a sheet is judged by), and whether the sheet ended within them. */
async function sampleSheet(it: AsyncIterator<ExcelJS.Row>): Promise<{ sample: RawRow[]; done: boolean }> {
  const sample: RawRow[] = [];
  while (sample.length < SHEET_SAMPLE_ROWS) {
    const r = await it.next();
    if (r.done === true) return { sample, done: true };
    const cells = rowCells(r.value);
    if (cells !== undefined) sample.push({ cells });
  }
  return { sample, done: false };
}

/** The sheet's remaining non-blank rows, in batches of 256. */
async function* restOfSheet(it: AsyncIterator<ExcelJS.Row>): AsyncGenerator<RawRow[]> {
  let batch: RawRow[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done === true) break;
    const cells = rowCells(r.value);
    if (cells === undefined) continue;
    batch.push({ cells });
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
