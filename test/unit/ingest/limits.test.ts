import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { DEFAULT_LIMITS, readLimits } from '../../../shared/ingest/limits.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import { KeyIndex } from '../../../shared/ingest/rows/json-flatten.js';
import { jsonLinesRows } from '../../../shared/ingest/rows/json-lines.js';
import type { RawRow } from '../../../shared/ingest/rows/raw-row.js';
import type { ReadExportOptions, RowOutcome } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, runBytes } from './helpers.js';

const HEADER = 'id,date,rating,comment\n';

function records(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++) out += `r${i},2026-01-0${(i % 9) + 1},${(i % 5) + 1},comment number ${i}\n`;
  return out;
}

function csv(body: string): Uint8Array {
  return Buffer.from(HEADER + body);
}

/** Reads until the reader ends or throws: the outcomes handed out, and the error it ended with. */
async function readAll(
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  fileName: string,
  extra: Partial<ReadExportOptions>,
  size = 4096,
): Promise<{ outcomes: RowOutcome[]; error?: FileRejectedError }> {
  const outcomes: RowOutcome[] = [];
  const input = bytes instanceof Uint8Array ? chunks(bytes, size) : bytes;
  try {
    for await (const o of readExport(input, { ...baseOptions, fileName, ...extra })) outcomes.push(o);
  } catch (err) {
    if (err instanceof FileRejectedError) return { outcomes, error: err };
    throw err;
  }
  return { outcomes };
}

const finals = (outcomes: RowOutcome[]) => outcomes.filter((o) => o.kind !== 'warning');

describe('read limits', () => {
  it('resolves the options over the defaults', () => {
    // Prepare / Act
    const limits = readLimits({ maxRows: 10, maxCellSize: undefined });

    // Assess
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxRows: 10 });
  });
});

describe('file size limit', () => {
  it('ends a file larger than maxFileBytes with FILE_TOO_LARGE', async () => {
    const bytes = csv(records(1, 200));

    const { error } = await readAll(bytes, 'big.csv', { maxFileBytes: 4096 });

    expect(error?.code).toBe('FILE_TOO_LARGE');
  });

  it('reads a file of exactly maxFileBytes', async () => {
    const bytes = csv(records(1, 50));

    const { outcomes, error } = await readAll(bytes, 'exact.csv', { maxFileBytes: bytes.length });

    expect(error).toBeUndefined();
    expect(finals(outcomes)).toHaveLength(50);
  });
});

describe('a file rejected by a limit', () => {
  /** The bytes in chunks, noting when the source is closed (as an S3 stream must be); past the 64 KiB sniffed. */
  function source(bytes: Uint8Array): { chunks: AsyncIterable<Uint8Array>; closed: () => boolean } {
    let closed = false;
    async function* read(): AsyncGenerator<Uint8Array> {
      try {
        yield* chunks(bytes, 256);
      } finally {
        closed = true;
      }
    }
    return { chunks: read(), closed: () => closed };
  }

  it('closes its source when its first rows reject it', async () => {
    const header = Array.from({ length: 120 }, (_, i) => `Q${i}`).join(',');
    const src = source(Buffer.from(`${header}\n${records(1, 5000)}`));

    const { error } = await readAll(src.chunks, 'wide.csv', { maxColumns: 100 });

    expect(error?.code).toBe('TOO_MANY_COLUMNS');
    expect(src.closed()).toBe(true);
  });

  it('closes its source when a limit ends it mid-way, or its reader is left', async () => {
    const limited = source(csv(records(1, 5000)));
    const left = source(csv(records(1, 5000)));

    const { error } = await readAll(limited.chunks, 'rows.csv', { maxRows: 20 });
    for await (const o of readExport(left.chunks, { ...baseOptions, fileName: 'rows.csv' })) if (o.row === 20) break;

    expect(error?.code).toBe('TOO_MANY_ROWS');
    expect(limited.closed()).toBe(true);
    expect(left.closed()).toBe(true);
  });
});

describe('row limit', () => {
  it('hands out the records before the limit, then ends the file with TOO_MANY_ROWS', async () => {
    const bytes = csv(records(1, 30));

    const { outcomes, error } = await readAll(bytes, 'rows.csv', { maxRows: 20 }, 64);

    expect(error?.code).toBe('TOO_MANY_ROWS');
    expect(finals(outcomes).map((o) => o.row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('reads a file of exactly maxRows records', async () => {
    const { outcomes, error } = await readAll(csv(records(1, 20)), 'rows.csv', { maxRows: 20 });

    expect(error).toBeUndefined();
    expect(finals(outcomes)).toHaveLength(20);
  });

  it('counts the records of a resumed read from the start of the file', async () => {
    const bytes = csv(records(1, 30));
    const first = readExport(chunks(bytes, 64), { ...baseOptions, fileName: 'rows.csv', maxRows: 20 });
    for await (const o of first) if (o.kind !== 'warning' && o.row === 12) break;
    const resume = first.checkpoint();

    const rest = resume?.byteOffset === undefined ? bytes : bytes.subarray(resume.byteOffset);
    const { outcomes, error } = await readAll(rest, 'rows.csv', { resume, maxRows: 20 });

    expect(error?.code).toBe('TOO_MANY_ROWS');
    expect(finals(outcomes).map((o) => o.row)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('counts JSON records against the limit', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `{"text":"fine ${i}","rating":4}`).join('\n');

    const { error } = await readAll(Buffer.from(lines), 'rows.jsonl', { maxRows: 10 });

    expect(error?.code).toBe('TOO_MANY_ROWS');
  });
});

describe('cell limit', () => {
  const huge = 'x'.repeat(50_000);

  it('rejects a CSV record past the limit once, and reads on from its exact end', async () => {
    const bytes = csv(`${records(1, 1)}r2,2026-01-02,3,"${huge}"\n${records(3, 4)}`);

    const { outcomes } = await readAll(bytes, 'cell.csv', { maxCellSize: 1000 }, 1024);
    const reader = readExport(chunks(bytes, 1024), { ...baseOptions, fileName: 'cell.csv', maxCellSize: 1000 });
    for await (const o of reader) if (o.kind !== 'warning' && o.row === 2) break;
    const resume = reader.checkpoint();
    const after = await readAll(bytes.subarray(resume?.byteOffset ?? 0), 'cell.csv', { resume, maxCellSize: 1000 });

    expect(finals(outcomes).map((o) => [o.row, o.kind === 'rejected' ? o.reason : o.kind])).toEqual([
      [1, 'accepted'],
      [2, 'CELL_TOO_LARGE'],
      [3, 'accepted'],
      [4, 'accepted'],
    ]);
    expect(finals(after.outcomes).map((o) => o.row)).toEqual([3, 4]);
  });

  // Its bytes stay within the record budget (4 bytes a character of the cell limit): no cell is over the limit, and
  // the one row is rejected for its width.
  it('rejects an unquoted CSV record of many small cells as one row', async () => {
    const bytes = csv(`${records(1, 1)}r2,2026-01-02,3,${'y,'.repeat(30_000)}\n${records(3, 3)}`);

    const { report } = await runBytes(chunks(bytes, 1024), 'cells.csv', { maxCellSize: 1000, maxColumns: 100_000 });

    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    expect(report.rejects).toEqual([{ row: 2, reason: 'WRONG_COLUMN_COUNT', detail: expect.any(String) }]);
  });

  it('rejects a JSON line past the limit once, and reads the next line', async () => {
    const text = `{"text":"one","rating":5}\n{"text":"${huge}","rating":1}\n{"text":"three","rating":4}\n`;

    const { report } = await runBytes(chunks(Buffer.from(text), 1024), 'lines.jsonl', { maxCellSize: 1000 });

    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    expect(report.rejects.map((r) => [r.row, r.reason])).toEqual([[2, 'CELL_TOO_LARGE']]);
  });

  it('rejects an over-long UTF-16 JSON line once, without holding it', async () => {
    const text = `{"text":"one","rating":5}\n{"text":"${huge}","rating":1}\n{"text":"three","rating":4}\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    const { report } = await runBytes(chunks(bytes, 1024), 'lines.jsonl', { maxCellSize: 1000 });

    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    // Passed over as it came, never parsed whole.
    expect(report.rejects).toEqual([
      { row: 2, reason: 'CELL_TOO_LARGE', detail: expect.stringMatching(/line of more than/) },
    ]);
  });
});

describe('column limit', () => {
  it('rejects a CSV row with more cells than the limit', async () => {
    const bytes = csv(`${records(1, 3)}r4,2026-01-02,3,${'z,'.repeat(300)}\n${records(5, 6)}`);

    const { report } = await runBytes(chunks(bytes, 512), 'wide.csv', { maxColumns: 100 });

    expect(report.rows).toMatchObject({ total: 6, accepted: 5, rejected: 1 });
    expect(report.rejects).toEqual([{ row: 4, reason: 'TOO_MANY_COLUMNS', detail: '304 cells' }]);
  });

  it('ends a CSV file whose header is wider than the limit with TOO_MANY_COLUMNS', async () => {
    const header = Array.from({ length: 120 }, (_, i) => `Q${i}`).join(',');

    const { error } = await readAll(Buffer.from(`${header}\n1,2,3\n`), 'wide-header.csv', { maxColumns: 100 });

    expect(error?.code).toBe('TOO_MANY_COLUMNS');
  });

  it('rejects a JSON record with more values than the limit, without its keys crowding the others out', async () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    const lines = [
      { text: 'one', rating: 5 },
      { text: 'wide', ...wide },
      { text: 'three', rating: 4, region: 'DE' },
    ];
    const keys = new KeyIndex([], { max: 50 });

    const rows: RawRow[] = [];
    const bytes = Buffer.from(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    for await (const batch of jsonLinesRows(chunks(bytes, 256), {
      encoding: 'utf-8',
      startOffset: 0,
      keys,
      maxCell: 100_000,
    }))
      rows.push(...batch);

    expect(rows.map((r) => r.reject)).toEqual([undefined, 'TOO_MANY_COLUMNS', undefined]);
    expect(keys.keys).toEqual(['text', 'rating', 'region']);
  });

  it('keeps the JSON key index within the limit however many new keys the records bring', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ text: `t${i}`, [`only_${i}`]: i }));
    const keys = new KeyIndex([], { max: 50 });

    const rows: RawRow[] = [];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    for await (const batch of jsonLinesRows(chunks(bytes, 4096), {
      encoding: 'utf-8',
      startOffset: 0,
      keys,
      maxCell: 100_000,
    }))
      rows.push(...batch);

    expect(rows).toHaveLength(500);
    expect(rows.every((r) => r.reject === undefined && r.cells.length <= 50)).toBe(true);
    expect(keys.keys).toHaveLength(50);
  });
});
