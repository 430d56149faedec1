import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { chunks, runBytes } from './helpers.js';

/** Any input ends in a FileRejectedError or a report whose numbers add up; nothing else escapes. */
async function holds(bytes: Uint8Array, name: string, chunkSize: number): Promise<void> {
  try {
    const { report } = await runBytes(chunks(bytes, chunkSize), name);
    const r = report.rows;
    expect(r.total).toBe(r.accepted + r.rejected + r.duplicates);
    expect(r.withText).toBeLessThanOrEqual(r.accepted);
    expect(report.rejects.length).toBe(r.rejected);
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
  }
}

const cell = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '"',
    '""',
    '","',
    '\n',
    '\r\n',
    ';',
    '|',
    '\t',
    'N/A',
    '(空)',
    '10',
    '5',
    '0',
    'Very satisfied',
    '1/13/2024',
  ),
  fc.string({ minLength: 2000, maxLength: 5000 }),
);

describe('readExport properties', () => {
  it('ends in a file error or balanced counts for arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (bytes, size) =>
        holds(bytes, 'any.bin', size),
      ),
      { numRuns: 60 },
    );
  });

  it('ends in a file error or balanced counts for arbitrary CSV cells and invalid UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.uint8Array({ maxLength: 6 }),
        fc.integer({ min: 1, max: 97 }),
        async (rows, sep, junk, size) => {
          const body = rows.map((r) => r.join(sep)).join('\n');
          const text = `Comment${sep}Rating${sep}NPS\n${body}`;
          const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(junk)]);
          await holds(bytes, 'cells.csv', size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ends in a file error or balanced counts for arbitrary JSON lines', async () => {
    const line = fc.oneof(
      fc.json().map((j) => j),
      fc
        .record({ text: fc.string(), rating: fc.oneof(fc.integer(), fc.string()), nps: fc.integer() })
        .map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 10 }), fc.integer({ min: 1, max: 50 }), (lines, size) =>
        holds(Buffer.from(`{"text":"start","rating":4}\n${lines.join('\n')}`, 'utf8'), 'lines.jsonl', size),
      ),
      { numRuns: 60 },
    );
  });
});
