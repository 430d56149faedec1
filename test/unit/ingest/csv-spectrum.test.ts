import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRows } from '../../../shared/ingest/rows/csv.js';
import type { RawRow } from '../../../shared/ingest/rows/raw-row.js';
import { chunks } from './helpers.js';

/** The csv-spectrum conformance cases, from the npm package (csv-spectrum 1.0.0, BSD-2-Clause). */
const SPECTRUM = new URL('../../../node_modules/csv-spectrum/', import.meta.url);
const CASES = readdirSync(new URL('csvs/', SPECTRUM))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => f.slice(0, -'.csv'.length))
  .sort();

async function rowsOf(bytes: Buffer, chunkSize: number, startOffset = 0): Promise<RawRow[]> {
  const spec = { encoding: 'utf-8', delimiter: ',', startOffset, maxCell: 20_000, maxColumns: 500 } as const;
  const out: RawRow[] = [];
  for await (const batch of csvRows(chunks(bytes, chunkSize), spec)) out.push(...batch);
  return out;
}

/** Records as csv-spectrum's JSON writes them: one object a record, keyed by the header's cells. */
function asObjects(rows: readonly RawRow[]): Record<string, string>[] {
  const [header, ...records] = rows.map((r) => r.cells);
  return records.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? ''])));
}

describe('csv-spectrum conformance (CSV reader)', () => {
  it('has the eleven cases', () => {
    expect(CASES).toHaveLength(11);
  });

  describe.each(CASES)('%s', (name) => {
    const csv = readFileSync(new URL(`csvs/${name}.csv`, SPECTRUM));
    const expected = JSON.parse(readFileSync(new URL(`json/${name}.json`, SPECTRUM), 'utf8'));

    it.each([
      ['the whole file at once', 1 << 16],
      ['one byte at a time', 1],
    ])('parses to the expected records (%s)', async (_how, size) => {
      // Act
      const rows = await rowsOf(csv, size);
      // Assess
      expect(rows.every((r) => r.reject === undefined)).toBe(true);
      expect(asObjects(rows)).toEqual(expected);
    });

    it('ends each row at an exact byte offset: reading again from it gives the rows after it', async () => {
      // Prepare
      const rows = await rowsOf(csv, 5);
      // Act: resume after each row, as a checkpoint's byte offset would.
      const resumed = await Promise.all(
        rows.map((r) => rowsOf(csv.subarray(r.end ?? 0), 3, r.end ?? 0).then((rest) => rest.map((x) => x.cells))),
      );
      // Assess
      expect(rows.at(-1)?.end).toBe(csv.length);
      rows.forEach((_r, i) => {
        expect(resumed[i]).toEqual(rows.slice(i + 1).map((x) => x.cells));
      });
    });
  });
});
