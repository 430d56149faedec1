import { describe, expect, it } from 'vitest';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

describe('an over-long JSON line (readExport, JSON Lines)', () => {
  it.each([
    ['10 MB at the default limit', 10 * 1024 * 1024, undefined],
    ['50 KB against a 1,000-character limit', 50_000, 1000],
  ])('makes one CELL_TOO_LARGE row of a line of %s and keeps the line after it', async (_name, size, maxCellSize) => {
    // Prepare
    const long = JSON.stringify({ text: 'y'.repeat(size), rating: 3 });
    const text = `{"text":"hi there","rating":4}\n${long}\n\n{"text":"after","rating":5}\n`;
    // Act
    const { report, records } = await runBytes(chunks(Buffer.from(text), 65_536), 'long.jsonl', { maxCellSize });
    // Assess
    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1, lines: 4 });
    expect(report.rejects[0]).toMatchObject({ row: 2, reason: 'CELL_TOO_LARGE' });
    expect(records.map((r) => r.text)).toEqual(['hi there', 'after']);
  });

  it('resumes after the over-long line at its end', async () => {
    // Prepare
    const bytes = Buffer.from(`{"text":"a","rating":4}\n{"text":"${'z'.repeat(9000)}"}\n{"text":"b","rating":5}\n`);
    const options = { ...baseOptions, fileName: 'l.jsonl', maxCellSize: 1000 };
    const reader = readExport(chunks(bytes, 256), options);
    let checkpoint: ResumeState | undefined;
    for await (const batch of reader.batches()) {
      if (batch.some((o) => o.row === 2)) {
        checkpoint = reader.checkpointAfter(2);
        break;
      }
    }
    // Act
    const from = bytes.subarray(checkpoint?.byteOffset ?? 0);
    const rest = await collect(readExport(chunks(from, 256), { ...options, resume: checkpoint }));
    // Assess
    expect(checkpoint).toMatchObject({ recordsDone: 2, linesDone: 2 });
    expect(rest.filter((o) => o.kind !== 'warning').map((o) => [o.row, o.kind])).toEqual([[3, 'accepted']]);
  });
});

describe('the line count', () => {
  it('counts header, blank and multi-line cell lines of CSV, and every line of JSON Lines', async () => {
    const csv = 'Comment,Rating\r\n\r\nGood,5\r\n"two\nlines",4\r\n\r\nlast,3\r\n\r\n';
    const jsonl = '{"text":"a","rating":1}\n\n  \n{"text":"b","rating":2}';
    expect((await runBytes(chunks(Buffer.from(csv), 3), 'l.csv')).report.rows).toMatchObject({ total: 3, lines: 8 });
    expect((await runBytes(chunks(Buffer.from(jsonl), 3), 'l.jsonl')).report.rows).toMatchObject({ lines: 4 });
  });

  it('is absent for a JSON document', async () => {
    const { report } = await runBytes(chunks(Buffer.from('[{"text":"a","rating":1}]'), 5), 'd.json');
    expect(report.rows.lines).toBeUndefined();
  });
});
