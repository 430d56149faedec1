import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

const HEADER = 'Response ID,Comment,Rating';

/** A survey export of `n` responses, each with its own comment; `edit` may change a row's line. */
function survey(n: number, edit: (i: number, line: string) => string = (_i, l) => l, eol = '\n'): string {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) rows.push(edit(i, `R_${i},Comment number ${i} about the app,${(i % 5) + 1}`));
  return `${rows.join(eol)}${eol}`;
}

/** Row 2's comment opens a quote that nothing closes (a comment that began with a quote, written unquoted). */
const strayIn2 = (i: number, line: string) => (i === 2 ? line.replace(',Comment', ',"Comment') : line);

describe('a stray quote (readExport, CSV)', () => {
  it.each([
    ['64 KiB chunks', 65_536],
    ['7-byte chunks', 7],
  ])('rejects row 2 of 1,998 as MALFORMED_QUOTING and reads the 1,997 after it (%s)', async (_name, size) => {
    // Prepare: 1,999 lines, the header and 1,998 responses.
    const text = survey(1998, strayIn2);
    // Act
    const { report, records } = await runBytes(chunks(Buffer.from(text), size), 'stray.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 1998, accepted: 1997, rejected: 1, duplicates: 0, lines: 1999 });
    expect(report.rejects).toEqual([
      {
        row: 2,
        reason: 'MALFORMED_QUOTING',
        detail: 'the quote opened on line 3 is not closed by the end of the file',
      },
    ]);
    expect(records[1]).toMatchObject({ row: 3, text: 'Comment number 3 about the app' });
    expect(records.at(-1)).toMatchObject({ row: 1998, text: 'Comment number 1998 about the app' });
  });

  it('reads the rows between two stray quotes, the second closing nothing', async () => {
    // Prepare: the quote of row 5 would close row 2's runaway field and swallow rows 3 and 4.
    const text = survey(8, (i, l) => (i === 2 || i === 5 ? l.replace(',Comment', ',"Comment') : l));
    // Act
    const { report } = await runBytes(chunks(Buffer.from(text), 11), 'two.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 8, accepted: 6, rejected: 2, lines: 9 });
    expect(report.rejects.map((r) => [r.row, r.reason])).toEqual([
      [2, 'MALFORMED_QUOTING'],
      [5, 'MALFORMED_QUOTING'],
    ]);
    expect(report.rejects[0]?.detail).toBe(
      'the quote opened on line 3 is closed only by a quote 3 line(s) further down',
    );
  });

  it('ends a quoted field that runs over 1,000 lines, even one closed cleanly', async () => {
    // Prepare: row 2's quote is closed by a quote at the end of a cell 1,200 rows down.
    const text = survey(1300, (i, l) =>
      i === 2 ? l.replace(',Comment', ',"Comment') : i === 1202 ? l.replace('app,', 'app",') : l,
    );
    // Act
    const { report } = await runBytes(chunks(Buffer.from(text), 4096), 'long.csv');
    // Assess: row 2 is broken; every other row (1202 with a stray quote inside its cell) is read.
    expect(report.rows).toMatchObject({ total: 1300, accepted: 1299, rejected: 1, lines: 1301 });
    expect(report.rejects[0]).toMatchObject({ row: 2, reason: 'MALFORMED_QUOTING' });
    expect(report.rejects[0]?.detail).toContain('spans more than 1000 lines');
  });

  it('reads UTF-16LE (undecoded) and GB18030 (decoded) files the same way', async () => {
    // Prepare
    const text = survey(300, (i, l) => (i === 2 ? l.replace(',Comment', ',"评论') : l.replace('Comment', '评论')));
    const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le');
    const gb = iconv.encode(text, 'gb18030');
    for (const [name, bytes] of [
      ['utf16.csv', utf16],
      ['gb.csv', gb],
    ] as const) {
      // Act
      const { report } = await runBytes(chunks(bytes, 333), name);
      // Assess
      expect(report.rows, name).toMatchObject({ total: 300, accepted: 299, rejected: 1, lines: 301 });
      expect(report.rejects[0], name).toMatchObject({ row: 2, reason: 'MALFORMED_QUOTING' });
    }
  });

  it('keeps legitimate multi-line comments, doubled quotes, commas and blank lines inside them', async () => {
    // Prepare: CRLF records with bare LF inside cells (Zendesk), CRLF inside a cell (Excel), a Chinese answer.
    const text = [
      HEADER,
      'R_1,"First line of my answer,\nsecond line with ""quotes"", and commas\n\nafter a blank line",4',
      'R_2,单行评论,5',
      'R_3,"多行评论\r\n第二行\r\n第三行",2',
      `R_4,"${Array.from({ length: 40 }, (_, k) => `point ${k + 1}`).join('\n')}",3`,
      'R_5,Last one,1',
    ].join('\r\n');
    // Act
    const { report, records } = await runBytes(chunks(Buffer.from(text), 5), 'multi.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 5, accepted: 5, rejected: 0, lines: 50 });
    expect(records[0]?.text).toContain('second line with "quotes", and commas');
    expect(records[2]?.text).toContain('第三行');
    expect(records[3]?.text).toContain('point 40');
  });
});

describe('an oversized cell (readExport, CSV)', () => {
  it.each([
    ['quoted', (cell: string) => `"${cell}"`],
    ['unquoted', (cell: string) => cell],
  ])('makes one CELL_TOO_LARGE row of a %s cell and keeps the row after it', async (_name, wrap) => {
    // Prepare: a 50 KB cell against a 1,000-character limit (4 KB of record budget).
    const text = `${HEADER}\nR_1,hello there,4\nR_2,${wrap('x'.repeat(50_000))},3\nR_3,valid row after,5\n`;
    // Act
    const { report, records } = await runBytes(chunks(Buffer.from(text), 1000), 'big.csv', { maxCellSize: 1000 });
    // Assess
    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1, lines: 4 });
    expect(report.rejects[0]).toMatchObject({ row: 2, reason: 'CELL_TOO_LARGE' });
    expect(records.map((r) => r.text)).toEqual(['hello there', 'valid row after']);
  });

  it('makes one CELL_TOO_LARGE row of a 50 MB cell at the default limit', async () => {
    // Prepare
    const big = Buffer.alloc(50 * 1024 * 1024, 'x');
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\nR_1,hello there,4\nR_2,"`),
      big,
      Buffer.from('",3\nR_3,kept,5\n'),
    ]);
    // Act
    const { report, records } = await runBytes(chunks(bytes, 65_536), 'huge.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1, lines: 4 });
    expect(report.rejects[0]).toMatchObject({ row: 2, reason: 'CELL_TOO_LARGE' });
    expect(records.at(-1)?.text).toBe('kept');
  });

  it('rejects a record under the byte budget whose cell is over the limit, in any column', async () => {
    const text = `${HEADER},Notes\nR_1,fine,4,\nR_2,fine too,3,${'n'.repeat(1500)}\nR_3,kept,5,\n`;
    const { report } = await runBytes(chunks(Buffer.from(text), 64), 'notes.csv', { maxCellSize: 1000 });
    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 2, reason: 'CELL_TOO_LARGE' });
  });
});

describe('resuming after a broken row', () => {
  it('continues from a checkpoint at or after a MALFORMED_QUOTING row where a whole read goes on', async () => {
    // Prepare
    const bytes = Buffer.from(survey(40, (i, l) => (i === 5 || i === 20 ? l.replace(',Comment', ',"Comment') : l)));
    const options = { ...baseOptions, fileName: 'r.csv' };
    const wholeReader = readExport(chunks(bytes, 50), options);
    const whole = await collect(wholeReader);
    for (const cut of [4, 5, 6, 20, 33]) {
      // Act: read in batches up to record `cut`, take the checkpoint, resume from its byte offset.
      const reader = readExport(chunks(bytes, 50), options);
      let checkpoint: ResumeState | undefined;
      for await (const batch of reader.batches()) {
        if (batch.some((o) => o.row === cut)) {
          checkpoint = reader.checkpointAfter(cut);
          break;
        }
      }
      const resumed = readExport(chunks(bytes.subarray(checkpoint?.byteOffset ?? 0), 50), {
        ...options,
        resume: checkpoint,
      });
      const rest = await collect(resumed);
      // Assess
      expect(checkpoint?.byteOffset, `cut ${cut}`).toBeDefined();
      expect(rest, `cut ${cut}`).toEqual(whole.filter((o) => o.row > cut));
      expect(checkpoint?.linesDone, `cut ${cut}`).toBe(cut + 1);
      expect(resumed.linesRead(), `cut ${cut}`).toBe(41);
    }
    expect(whole.filter((o) => o.kind === 'rejected').map((o) => o.row)).toEqual([5, 20]);
    expect(wholeReader.linesRead()).toBe(41);
  });
});
