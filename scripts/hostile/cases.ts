/**
 * The hostile-input cases: one entry each, a name, a generator and the outcome the read must end in. Generators size
 * their input against the limits in force, so the same case runs small in `npm test` (tiny limits, see SMALL_LIMITS)
 * and full size in `npm run test:hostile` (the defaults, and the tester's shapes). To add a case, add an entry.
 */
import { join } from 'node:path';
import type { FileErrorCode } from '../../shared/domain/errors.js';
import type { RejectReason } from '../../shared/domain/types.js';
import { DEFAULT_LIMITS, RATIO_GRACE_BYTES, type ReadLimits } from '../../shared/ingest/limits.js';
import {
  chunked,
  counted,
  csvRecords,
  csvRows,
  feedbackRows,
  feedbackRowsUnique,
  HEADER_ROW,
  keyExplosion,
  repetitiveStrings,
  sameRows,
  shortCsvRows,
  writeText,
} from './inputs.js';
import type { Outcome } from './read.js';
import { chinese, incompressible, words } from './text.js';
import { rowXml, sharedStringsXml, sheetXml, writeWorkbook } from './workbook.js';

/** What a read must end in: a clean read (`OK`), a file-level code, or rows with this reject among them. */
export type Expected = 'OK' | FileErrorCode | `row:${RejectReason}`;

export interface CaseContext {
  /** Where to write the input. */
  dir: string;
  /** The limits the read runs with. */
  limits: ReadLimits;
  /** Full size: the shapes seen in the wild (3–4 MB workbooks inflating to a gigabyte), not just past a limit. */
  full: boolean;
}

export interface HostileCase {
  name: string;
  /** What the input is, in a line. */
  shape: string;
  expect: Expected;
  /** Writes the input and returns its path. */
  generate(ctx: CaseContext): Promise<string>;
  /** Limits of this case's small run, over SMALL_LIMITS (where a tiny limit would stop it before what it tests). */
  smallLimits?: Partial<ReadLimits>;
  /** Limits lowered for the full run only, where the default would take minutes to reach (said in `shape`). */
  fullLimits?: Partial<ReadLimits>;
}

const MiB = 1024 * 1024;

/** The limits of the small run (`npm test`): the bombs still pass the ratio's grace size, everything else is tiny. */
export const SMALL_LIMITS: ReadLimits = {
  ...DEFAULT_LIMITS,
  maxCellSize: 10_000,
  maxFileBytes: 16 * MiB,
  maxInflatedBytes: RATIO_GRACE_BYTES + 4 * MiB,
  maxRows: 2_000,
  maxColumns: 256,
  maxSharedStrings: 3_000,
  maxSharedStringChars: 200_000,
};

export const CASES: readonly HostileCase[] = [
  {
    name: 'csv-baseline',
    shape: 'a normal CSV export (2k rows small, 200k full)',
    expect: 'OK',
    generate: ({ dir, full }) => writeText(join(dir, 'baseline.csv'), csvRows(full ? 200_000 : 1_500)),
  },
  {
    name: 'xlsx-baseline',
    shape: 'a normal workbook, worksheet before shared strings as Excel writes it',
    expect: 'OK',
    generate: async ({ dir, full }) => {
      const n = full ? 100_000 : 1_500;
      const text = words(2);
      const path = join(dir, 'baseline.xlsx');
      await writeWorkbook(path, {
        sheet: () => sheetXml([HEADER_ROW, ...feedbackRowsUnique(n)]),
        sharedStrings: () => sharedStringsXml(Array.from({ length: n }, () => text(8))),
      });
      return path;
    },
  },
  {
    name: 'xlsx-shared-strings-bomb',
    shape: "streamed shared strings (no sizes in the header) inflating ~300× (full: → 1.1 GB, the tester's shape)",
    expect: 'ZIP_BOMB',
    smallLimits: { maxSharedStrings: DEFAULT_LIMITS.maxSharedStrings, maxSharedStringChars: MiB * 64 },
    generate: async ({ dir, full }) => {
      const target = full ? 1100 * MiB : RATIO_GRACE_BYTES + 2 * MiB;
      const path = join(dir, 'shared-strings-bomb.xlsx');
      await writeWorkbook(path, {
        sheet: () => sheetXml([HEADER_ROW, ...feedbackRows(10)]),
        sharedStrings: () => sharedStringsXml(repetitiveStrings(target)),
        sharedStringsEntry: { streamed: true },
      });
      return path;
    },
  },
  {
    name: 'xlsx-sheet-bomb',
    shape: "a streamed worksheet of tiny identical rows (full: 13.6M rows, the tester's 104 s file)",
    expect: 'ZIP_BOMB',
    generate: async ({ dir, full }) => {
      const rows = full ? 13_600_000 : 170_000;
      const path = join(dir, 'sheet-bomb.xlsx');
      const same = rowXml(3, ['r', 5, { s: 0 }]);
      await writeWorkbook(path, {
        sheet: () => sheetXml(sameRows(HEADER_ROW, same, rows)),
        sharedStrings: () => sharedStringsXml(['great app', 'slow']),
        sheetEntry: { level: 9, streamed: true },
      });
      return path;
    },
  },
  {
    name: 'xlsx-at-limits',
    shape:
      'Chinese shared strings just under both shared-string limits, used by rows: the most a readable workbook holds',
    expect: 'OK',
    generate: async ({ dir, limits }) => {
      const count = limits.maxSharedStrings - 1;
      const length = Math.floor((limits.maxSharedStringChars - 1) / count);
      const text = chinese(6);
      const path = join(dir, 'at-limits.xlsx');
      const rows = Math.min(count, limits.maxRows - 1);
      await writeWorkbook(path, {
        sheet: () => sheetXml(counted(rows, (i) => rowXml(i + 2, [`r${i}`, (i % 5) + 1, { s: i }]), [HEADER_ROW])),
        // A running number keeps every string distinct, as the limit on their count assumes.
        sharedStrings: () => sharedStringsXml(counted(count, (i) => `${i}${text(length)}`.slice(0, length))),
        sheetEntry: { level: 1 },
        sharedStringsEntry: { level: 1 },
      });
      return path;
    },
  },
  {
    name: 'xlsx-shared-strings-count',
    shape: 'more distinct shared strings than the limit, at an ordinary compression ratio',
    expect: 'SHARED_STRINGS_TOO_LARGE',
    generate: async ({ dir, limits }) => {
      const text = words(3);
      const path = join(dir, 'shared-strings-count.xlsx');
      await writeWorkbook(path, {
        sheet: () => sheetXml([HEADER_ROW, ...feedbackRows(10)]),
        sharedStrings: () => sharedStringsXml(counted(limits.maxSharedStrings + 1, () => text(2))),
      });
      return path;
    },
  },
  {
    name: 'xlsx-shared-strings-chars',
    shape: 'shared strings holding more characters than the limit, at an ordinary compression ratio',
    expect: 'SHARED_STRINGS_TOO_LARGE',
    generate: async ({ dir, limits }) => {
      const text = words(4);
      const path = join(dir, 'shared-strings-chars.xlsx');
      const n = Math.ceil(limits.maxSharedStringChars / 1000) + 10;
      await writeWorkbook(path, {
        sheet: () => sheetXml([HEADER_ROW, ...feedbackRows(10)]),
        sharedStrings: () => sharedStringsXml(counted(n, () => text(200).slice(0, 2000))),
      });
      return path;
    },
  },
  {
    name: 'xlsx-inflated-size',
    shape: 'two worksheets, each within the size limit, past it together at an ordinary ratio (both spooled)',
    expect: 'FILE_TOO_LARGE',
    smallLimits: { maxInflatedBytes: 2 * MiB },
    generate: async ({ dir, limits }) => {
      const text = words(5);
      const path = join(dir, 'inflated-size.xlsx');
      const row = (i: number) => rowXml(i + 2, [`r${i}`, 4, text(200)]);
      // Sizes in the headers (unzipper can cut a streamed entry short at a stray descriptor signature).
      const rows = Math.ceil((0.6 * limits.maxInflatedBytes) / row(0).length);
      const sheet = () => sheetXml(counted(rows, row, [HEADER_ROW]));
      await writeWorkbook(path, {
        sheet,
        sharedStrings: () => sharedStringsXml(['x']),
        sheetEntry: { level: 1 },
        extra: [{ name: 'xl/worksheets/sheet2.xml', data: sheet, level: 1 }],
      });
      return path;
    },
  },
  {
    name: 'xlsx-declared-size-lie',
    shape: 'a worksheet entry whose zip header declares 1 KiB and which inflates to 100 KiB',
    expect: 'ZIP_BOMB',
    generate: async ({ dir }) => {
      const path = join(dir, 'declared-size-lie.xlsx');
      await writeWorkbook(path, {
        sheet: () => sheetXml([HEADER_ROW, ...feedbackRows(1500)]),
        sharedStrings: () => sharedStringsXml(['great app', 'slow']),
        sheetEntry: { declaredSize: 1024 },
      });
      return path;
    },
  },
  {
    name: 'xlsx-missing-shared-string',
    shape: 'rows referring to shared strings the workbook does not have',
    expect: 'row:MALFORMED_ROW',
    generate: async ({ dir }) => {
      const path = join(dir, 'missing-shared-string.xlsx');
      const rows = [HEADER_ROW, ...feedbackRows(20), rowXml(22, ['r22', 3, { s: 999 }]), rowXml(23, [{ s: 1000 }])];
      await writeWorkbook(path, {
        sheet: () => sheetXml(rows),
        sharedStrings: () => sharedStringsXml(['great', 'slow']),
      });
      return path;
    },
  },
  {
    name: 'xlsx-huge-cell',
    shape: 'an inline-string cell far past the cell limit (full: 20 MB), not compressible',
    expect: 'row:CELL_TOO_LARGE',
    generate: async ({ dir, full, limits }) => {
      const path = join(dir, 'huge-cell.xlsx');
      const big = rowXml(22, ['r22', 3, incompressible(full ? 20 * MiB : limits.maxCellSize * 4)]);
      const rows = [HEADER_ROW, ...feedbackRows(20), big, ...feedbackRows(5, 23)];
      await writeWorkbook(path, {
        sheet: () => sheetXml(rows),
        sharedStrings: () => sharedStringsXml(['great', 'slow']),
      });
      return path;
    },
  },
  {
    name: 'xlsx-wide-row',
    shape: 'a row with a cell in the last column Excel has (XFD, 16,384)',
    expect: 'row:TOO_MANY_COLUMNS',
    generate: async ({ dir }) => {
      const path = join(dir, 'wide-row.xlsx');
      const wide = '<row r="22"><c r="A22"><v>1</v></c><c r="XFD22"><v>2</v></c></row>';
      const rows = [HEADER_ROW, ...feedbackRows(20), wide, ...feedbackRows(5, 23)];
      await writeWorkbook(path, {
        sheet: () => sheetXml(rows),
        sharedStrings: () => sharedStringsXml(['great', 'slow']),
      });
      return path;
    },
  },
  {
    name: 'csv-many-rows',
    shape: 'more records than the row limit (full: 5M + 1,000 rows)',
    expect: 'TOO_MANY_ROWS',
    generate: ({ dir, limits }) => writeText(join(dir, 'many-rows.csv'), shortCsvRows(limits.maxRows + 1_000)),
  },
  {
    name: 'csv-wide-row',
    shape: 'one record with four times the column limit in cells',
    expect: 'row:TOO_MANY_COLUMNS',
    generate: ({ dir, limits }) =>
      writeText(join(dir, 'wide-row.csv'), [
        ...csvRows(20),
        `wide,2026-01-01,3,${'x,'.repeat(limits.maxColumns * 4)}\n`,
        ...csvRecords(5, 9, 100),
      ]),
  },
  {
    name: 'csv-wide-header',
    shape: 'a header wider than the column limit',
    expect: 'TOO_MANY_COLUMNS',
    generate: ({ dir, limits }) => {
      const header = Array.from({ length: limits.maxColumns + 1 }, (_, i) => `Question ${i + 1}`).join(',');
      return writeText(join(dir, 'wide-header.csv'), [`${header}\n`, '1,2,3\n']);
    },
  },
  {
    name: 'csv-huge-cell',
    shape: 'a quoted cell far past the cell limit (full: 200 MB) between ordinary records',
    expect: 'row:CELL_TOO_LARGE',
    generate: ({ dir, full, limits }) => {
      const size = full ? 200 * MiB : limits.maxCellSize * 5;
      const huge = chunked(size, 'y');
      return writeText(join(dir, 'huge-cell.csv'), [
        ...csvRows(20),
        'big,2026-01-01,3,"',
        ...huge,
        '"\n',
        ...csvRecords(5, 9, 100),
      ]);
    },
  },
  {
    name: 'csv-file-size',
    shape: 'a file past the size limit (full run: limit lowered to 64 MiB to keep it short)',
    expect: 'FILE_TOO_LARGE',
    smallLimits: { maxRows: DEFAULT_LIMITS.maxRows, maxFileBytes: MiB },
    fullLimits: { maxFileBytes: 64 * MiB },
    generate: ({ dir, limits }) =>
      writeText(join(dir, 'file-size.csv'), csvRows(Math.ceil(limits.maxFileBytes / 60) + 1_000)),
  },
  {
    name: 'jsonl-huge-line',
    shape: 'a JSON line far past the cell limit (full: 50 MB) between ordinary lines',
    expect: 'row:CELL_TOO_LARGE',
    generate: ({ dir, full, limits }) => {
      const size = full ? 50 * MiB : limits.maxCellSize * 5;
      const lines = (from: number) =>
        Array.from({ length: 10 }, (_, i) => `{"id":"j${from + i}","text":"fine ${i}","rating":4}\n`);
      return writeText(join(dir, 'huge-line.jsonl'), [
        ...lines(0),
        '{"id":"big","text":"',
        ...chunked(size, 'z'),
        '"}\n',
        ...lines(10),
      ]);
    },
  },
  {
    name: 'json-huge-element',
    shape: 'a JSON document whose records array holds one element far past the cell limit (full: 100 MB)',
    expect: 'row:CELL_TOO_LARGE',
    generate: ({ dir, full, limits }) => {
      const size = full ? 100 * MiB : limits.maxCellSize * 5;
      const records = (from: number) =>
        Array.from({ length: 10 }, (_, i) => `{"id":"d${from + i}","text":"ok ${i}","rating":5},`);
      const parts = [
        '{"data":[',
        ...records(0),
        '{"id":"big","text":"',
        ...chunked(size, 'w'),
        '"},',
        ...records(10),
        '{"id":"last","text":"end","rating":1}]}',
      ];
      return writeText(join(dir, 'huge-element.json'), parts);
    },
  },
  {
    name: 'json-deep-nesting',
    shape: 'a JSON document with a record nested 200,000 levels deep (within the cell limit)',
    expect: 'OK',
    smallLimits: { maxCellSize: DEFAULT_LIMITS.maxCellSize },
    generate: ({ dir }) => {
      const depth = 200_000;
      const deep = `{"id":"deep","text":"nested","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const records = Array.from({ length: 10 }, (_, i) => `{"id":"n${i}","text":"ok ${i}","rating":5}`);
      return writeText(join(dir, 'deep.json'), [`[${records.join(',')},`, deep, ']']);
    },
  },
  {
    name: 'jsonl-key-explosion',
    shape: 'JSON lines each with 20 keys never seen before, after ordinary ones (full: 4M distinct keys)',
    expect: 'OK',
    generate: ({ dir, full }) => {
      const n = full ? 200_000 : 1_500;
      return writeText(join(dir, 'key-explosion.jsonl'), keyExplosion(n));
    },
  },
];

/** Whether an outcome is what a case expects (rows must add up, and a row-level case keep its other rows). */
export function matches(expect: Expected, o: Outcome): boolean {
  if (expect === 'OK' || expect.startsWith('row:')) {
    if (o.kind !== 'rows') return false;
    const { total, accepted, rejected, duplicates } = o.rows;
    if (total !== accepted + rejected + duplicates || accepted === 0) return false;
    return expect === 'OK' ? rejected === 0 : (o.rejects[expect.slice(4)] ?? 0) > 0;
  }
  return o.kind === 'file' && o.code === expect;
}

/** The limits a case runs with: the defaults (full run) or SMALL_LIMITS, with the case's own over them. */
export function limitsFor(c: HostileCase, full: boolean): ReadLimits {
  return full ? { ...DEFAULT_LIMITS, ...c.fullLimits } : { ...SMALL_LIMITS, ...c.smallLimits };
}
