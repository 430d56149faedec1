import fc from 'fast-check';
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

describe('a header repeated below the records', () => {
  it('rejects the header again as HEADER_REPEATED, whatever its spacing, case and padding', async () => {
    // Prepare: two exports pasted one under the other.
    const text =
      'Response ID,Comment,Rating\nR_1,Great app,5\nR_2,Slow,2\n response id ,COMMENT,Rating,,\nR_3,Fine,4\n';
    // Act
    const { report, records } = await runBytes(chunks(Buffer.from(text), 9), 'twice.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 4, accepted: 3, rejected: 1, lines: 5 });
    expect(report.rejects).toEqual([{ row: 3, reason: 'HEADER_REPEATED' }]);
    expect(records.map((r) => r.text)).toEqual(['Great app', 'Slow', 'Fine']);
  });

  it("rejects each of a Qualtrics export's three header rows found again, also after a resume", async () => {
    // Prepare
    const head = [
      'StartDate,ResponseId,Q1,Q2_TEXT',
      'Start Date,Response ID,How likely are you to recommend us?,Why?',
      '"{""ImportId"":""startDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"',
    ];
    const part = (from: number) =>
      [1, 2, 3].map((k) => `2024-07-0${k} 08:00:00,R_${from + k},${k + 6},Reason ${from + k}`);
    const bytes = Buffer.from(`${[...head, ...part(0), ...head, ...part(3)].join('\n')}\n`);
    const options = { ...baseOptions, fileName: 'q.csv' };
    // Act
    const whole = await collect(readExport(chunks(bytes, 40), options));
    const reader = readExport(chunks(bytes, 40), options);
    let checkpoint: ResumeState | undefined;
    for await (const batch of reader.batches()) {
      if (batch.some((o) => o.row === 2)) {
        checkpoint = reader.checkpointAfter(2);
        break;
      }
    }
    const from = bytes.subarray(checkpoint?.byteOffset ?? 0);
    const rest = await collect(readExport(chunks(from, 40), { ...options, resume: checkpoint }));
    // Assess
    const rejected = whole.filter((o) => o.kind === 'rejected');
    expect(rejected.map((o) => [o.row, o.kind === 'rejected' && o.reason])).toEqual([
      [4, 'HEADER_REPEATED'],
      [5, 'HEADER_REPEATED'],
      [6, 'HEADER_REPEATED'],
    ]);
    expect(whole.filter((o) => o.kind === 'accepted')).toHaveLength(6);
    expect(rest).toEqual(whole.filter((o) => o.row > 2));
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

/** A response's comment: words only, so a stray quote before it opens a field and nothing else does. */
const word = fc.constantFrom('fast', 'slow', 'crashes', 'love', 'price', 'support', '好用', '太慢');
const response = fc.record({
  words: fc.array(word, { minLength: 1, maxLength: 4 }),
  stray: fc.boolean(),
  multiLine: fc.boolean(),
  rating: fc.integer({ min: 1, max: 5 }),
});

describe('stray quotes (property)', () => {
  it('never swallow a row: counts add up and every response without one is read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(response, { minLength: 3, maxLength: 40 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 97 }),
        async (responses, eol, size) => {
          // Prepare: each comment carries its response number; some are legitimately quoted over two lines.
          const lines = responses.map((r, i) => {
            const text = `${r.words.join(' ')} n${i + 1}`;
            const cell = r.stray ? `"${text}` : r.multiLine ? `"${text}\n""second"" line"` : text;
            return `R_${i + 1},${cell},${r.rating}`;
          });
          const bytes = Buffer.from(`Response ID,Comment,Rating${eol}${lines.join(eol)}${eol}`);
          // Act
          const { report, records } = await runBytes(chunks(bytes, size), 'p.csv');
          // Assess
          const r = report.rows;
          const strays = responses.filter((x) => x.stray).length;
          const multi = responses.filter((x) => x.multiLine && !x.stray).length;
          expect(r.total).toBe(r.accepted + r.rejected + r.duplicates);
          expect(r).toMatchObject({ total: responses.length, rejected: strays, lines: responses.length + 1 + multi });
          expect(report.rejects.every((x) => x.reason === 'MALFORMED_QUOTING')).toBe(true);
          const read = new Set(records.map((x) => /n(\d+)/.exec(x.text ?? '')?.[1]));
          responses.forEach((x, i) => {
            if (!x.stray) expect(read.has(String(i + 1)), `response ${i + 1}`).toBe(true);
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});
