import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { incompressible, words } from '../../../scripts/hostile/text.js';
import {
  type CellSpec,
  rowXml,
  sharedStringsXml,
  sheetXml,
  type WorkbookSpec,
  writeWorkbook,
} from '../../../scripts/hostile/workbook.js';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { RATIO_GRACE_BYTES } from '../../../shared/ingest/limits.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import { CUT_MARKER, XmlTextCap } from '../../../shared/ingest/rows/zip-guard.js';
import type { ReadExportOptions } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

const MiB = 1024 * 1024;
const HEADER = rowXml(1, ['Review ID', 'Rating', 'Review Text', 'Notes']);
const STRINGS = ['great app', 'too slow'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function workbook(spec: WorkbookSpec): Promise<Buffer> {
  const path = join(dir, `${n++}.xlsx`);
  await writeWorkbook(path, spec);
  return readFile(path);
}

/** Rows 2… of a feedback table: id, rating, a shared-string text. */
function rows(count: number, from = 2, extra: (r: number) => CellSpec[] = () => []): string[] {
  return Array.from({ length: count }, (_, i) =>
    rowXml(from + i, [`r${from + i}`, ((from + i) % 5) + 1, { s: i % 2 }, ...extra(from + i)]),
  );
}

function table(body: string[], strings: readonly string[] = STRINGS): WorkbookSpec {
  return { sheet: () => sheetXml([HEADER, ...body]), sharedStrings: () => sharedStringsXml(strings) };
}

async function read(bytes: Buffer, extra: Partial<ReadExportOptions> = {}) {
  return runBytes(chunks(bytes, 64 * 1024), 'book.xlsx', extra);
}

async function rejection(bytes: Buffer, extra: Partial<ReadExportOptions> = {}): Promise<FileRejectedError> {
  try {
    await read(bytes, extra);
  } catch (err) {
    if (err instanceof FileRejectedError) return err;
    throw err;
  }
  throw new Error('the workbook was read');
}

/** Identical rows: deflate shrinks them about a thousand times. */
function* bomb(total: number): Generator<string> {
  yield HEADER;
  const row = rowXml(3, ['r', 5, { s: 0 }]);
  for (let size = 0; size < total; size += row.length) yield row;
}

describe('XLSX zip limits', () => {
  it('ends a workbook whose header declares an inflation ratio past the limit, before inflating it', async () => {
    const bytes = await workbook({
      sheet: () => sheetXml(bomb(RATIO_GRACE_BYTES + MiB)),
      sharedStrings: () => sharedStringsXml(STRINGS),
    });

    const err = await rejection(bytes);

    expect(err.code).toBe('ZIP_BOMB');
    expect(err.message).toMatch(/declares/);
  });

  it('ends a streamed workbook (no sizes in its headers) inflating faster than the ratio limit', async () => {
    const bytes = await workbook({
      sheet: () => sheetXml(bomb(RATIO_GRACE_BYTES + MiB)),
      sharedStrings: () => sharedStringsXml(STRINGS),
      sheetEntry: { streamed: true },
    });

    const err = await rejection(bytes);

    expect(err.code).toBe('ZIP_BOMB');
    expect(err.message).toMatch(/more than 100 times/);
  });

  it('ends a workbook whose entry inflates past the size its header declares', async () => {
    const bytes = await workbook({ ...table(rows(500)), sheetEntry: { declaredSize: 2048 } });

    expect((await rejection(bytes)).code).toBe('ZIP_BOMB');
  });

  it('ends a workbook whose header declares more than maxInflatedBytes', async () => {
    const text = words(1);
    const bytes = await workbook(table(rows(200, 2, () => [text(30)])));

    const err = await rejection(bytes, { maxInflatedBytes: 20_000 });

    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toMatch(/declares/);
  });

  it('ends a streamed workbook inflating past maxInflatedBytes', async () => {
    const text = words(2);
    const bytes = await workbook({ ...table(rows(200, 2, () => [text(30)])), sheetEntry: { streamed: true } });

    const err = await rejection(bytes, { maxInflatedBytes: 20_000 });

    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toMatch(/inflates to more than/);
  });

  it('ends a workbook whose styles part, read whole by exceljs, is larger than 16 MiB', async () => {
    const styles = {
      name: 'xl/styles.xml',
      data: () => [`<styleSheet>${incompressible(17 * MiB)}</styleSheet>`],
      level: 0,
      streamed: true,
    };
    const bytes = await workbook({ ...table(rows(5)), extra: [styles] });

    const err = await rejection(bytes);

    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toMatch(/styles part/);
  });
});

describe('XLSX temp directory', () => {
  let tmp: string;
  const saved = process.env.TMPDIR;
  beforeEach(async () => {
    tmp = join(dir, `tmp-${n++}`);
    await mkdir(tmp);
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });

  it('removes a spooled worksheet once the workbook is read', async () => {
    // Excel's order: the worksheet comes before the shared strings, so it is spooled.
    const { report } = await read(await workbook(table(rows(50))));

    expect(report.rows.accepted).toBe(50);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('removes a spooled worksheet when the reader is left mid-way (a hand-off to a continuation)', async () => {
    const reader = readExport(chunks(await workbook(table(rows(300))), 64 * 1024), {
      ...baseOptions,
      fileName: 'book.xlsx',
    });

    await collect(reader, 100);

    expect(reader.checkpoint()?.recordsDone).toBe(100);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('removes a spooled worksheet when the workbook is rejected mid-way', async () => {
    const text = words(3);
    const bytes = await workbook({
      ...table(rows(300, 2, () => [text(30)])),
      sharedStringsEntry: { declaredSize: 10 },
    });

    const err = await rejection(bytes);

    expect(err.code).toBe('ZIP_BOMB');
    expect(await readdir(tmp)).toEqual([]);
  });
});

describe('XLSX shared strings', () => {
  it('ends a workbook with more shared strings than maxSharedStrings', async () => {
    const strings = Array.from({ length: 150 }, (_, i) => `text ${i}`);

    const err = await rejection(await workbook(table(rows(5), strings)), { maxSharedStrings: 100 });

    expect(err.code).toBe('SHARED_STRINGS_TOO_LARGE');
  });

  it('ends a workbook whose shared strings hold more characters than maxSharedStringChars', async () => {
    const strings = Array.from({ length: 50 }, (_, i) => `a longer piece of feedback, number ${i}`);

    const err = await rejection(await workbook(table(rows(5), strings)), { maxSharedStringChars: 1000 });

    expect(err.code).toBe('SHARED_STRINGS_TOO_LARGE');
  });

  it('rejects a row referring to a shared string the workbook does not have, keeping it counted', async () => {
    const body = [...rows(3), rowXml(5, ['r5', 4, { s: 7 }]), rowXml(6, [{ s: 8 }]), ...rows(2, 7)];

    const { report } = await read(await workbook(table(body)));

    expect(report.rows).toMatchObject({ total: 7, accepted: 5, rejected: 2 });
    expect(report.rejects).toEqual([
      { row: 4, reason: 'MALFORMED_ROW', detail: 'shared string 7 is not in the workbook (it has 2)' },
      { row: 5, reason: 'MALFORMED_ROW', detail: 'shared string 8 is not in the workbook (it has 2)' },
    ]);
  });

  it('rejects a row referring to shared strings in a workbook that has none', async () => {
    const body = [rowXml(2, ['r2', 4, 'inline text']), rowXml(3, ['r3', 5, { s: 0 }])];

    const { report } = await read(await workbook({ sheet: () => sheetXml([HEADER, ...body]) }));

    expect(report.rows).toMatchObject({ total: 2, accepted: 1, rejected: 1 });
    expect(report.rejects[0]?.reason).toBe('MALFORMED_ROW');
  });

  it('reads CJK text whose characters straddle inflate chunks whole', async () => {
    const long = '服务很好物流很快'.repeat(2000);

    const { records } = await read(await workbook(table(rows(1), [long, 'x'])), { maxTextLength: 100_000 });

    expect(records[0]?.text).toBe(long);
  });
});

describe('XLSX rows', () => {
  it('rejects a row with a cell past maxColumns (XFD), keeping the others', async () => {
    const wide = '<row r="4"><c r="A4"><v>1</v></c><c r="XFD4"><v>2</v></c></row>';

    const { report } = await read(await workbook(table([...rows(2), wide, ...rows(2, 5)])));

    expect(report.rows).toMatchObject({ total: 5, accepted: 4, rejected: 1 });
    expect(report.rejects).toEqual([{ row: 3, reason: 'TOO_MANY_COLUMNS', detail: '16384 cells' }]);
  });

  it('rejects a row larger than the cell limit, in a column the mapping does not use', async () => {
    const body = [...rows(2), rowXml(4, ['r4', 3, { s: 0 }, 'n'.repeat(2500)]), ...rows(2, 5)];

    const { report } = await read(await workbook(table(body)), { maxCellSize: 2000 });

    expect(report.rows).toMatchObject({ total: 5, accepted: 4, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 3, reason: 'CELL_TOO_LARGE' });
  });

  it('cuts a text run far past the cell limit before the XML parser holds it, and rejects its row', async () => {
    const body = [...rows(2), rowXml(4, ['r4', 3, { s: 0 }, incompressible(200_000)]), ...rows(2, 5)];

    const { report } = await read(await workbook(table(body)), { maxCellSize: 2000 });

    expect(report.rows).toMatchObject({ total: 5, accepted: 4, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 3, reason: 'CELL_TOO_LARGE' });
  });

  it('holds a shared string far past the cell limit as too large, and rejects the rows that use it anywhere', async () => {
    const body = [...rows(2), rowXml(4, ['r4', 3, { s: 0 }, { s: 2 }]), ...rows(2, 5)];

    const { report } = await read(await workbook(table(body, [...STRINGS, incompressible(50_000)])), {
      maxCellSize: 2000,
    });

    expect(report.rows).toMatchObject({ total: 5, accepted: 4, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 3, reason: 'CELL_TOO_LARGE' });
  });

  it('counts blank worksheet rows against the row limit', async () => {
    const blank = Array.from({ length: 30 }, (_, i) => `<row r="${i + 4}"/>`);

    const err = await rejection(await workbook(table([...rows(2), ...blank, ...rows(2, 40)])), { maxRows: 20 });

    expect(err.code).toBe('TOO_MANY_ROWS');
  });
});

describe('XmlTextCap', () => {
  const apply = (cap: number, parts: string[]) => {
    let cuts = 0;
    const c = new XmlTextCap(cap, () => cuts++);
    const out = Buffer.concat(parts.flatMap((p) => c.apply(Buffer.from(p)))).toString();
    return { out, cuts };
  };

  it('passes runs within the cap untouched, whatever the chunks', () => {
    const xml = '<a><t>hello</t><t>world</t></a>';

    expect(apply(10, [xml.slice(0, 7), xml.slice(7)])).toEqual({ out: xml, cuts: 0 });
  });

  it('cuts a run past the cap, across chunks, and goes on at the next tag', () => {
    expect(apply(8, ['<t>abcd', 'efghijkl', 'mnop</t><t>ok</t>'])).toEqual({
      out: `<t>abcdef${CUT_MARKER}</t><t>ok</t>`,
      cuts: 1,
    });
  });

  it('splits neither a UTF-8 character nor a character reference', () => {
    expect(apply(6, ['<t>ab&amp;cd</t>']).out).toBe(`<t>ab${CUT_MARKER}</t>`);
    expect(apply(6, ['<t>a物流</t>']).out).toBe(`<t>a物${CUT_MARKER}</t>`);
  });
});
