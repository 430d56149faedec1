import { LateEncoding } from './encoding.js';
import type { ReadLimits } from './limits.js';
import { exportMeta, keyConcealer, type ReadStart, settleLater } from './parser-state.js';
import { skipBytes } from './rows/bytes.js';
import { KeyIndex } from './rows/json-flatten.js';
import { openRows } from './rows/open.js';
import type { ResumeState } from './types.js';

/**
 * Continues a read from a checkpoint: the parser state it carries replaces sniffing and mapping. With a byte offset
 * `bytes` starts there (an S3 range read); otherwise it is the whole file and the records done are skipped.
 */
export async function resumeExport(
  bytes: AsyncIterable<Uint8Array>,
  r: ResumeState,
  opts: { limits: ReadLimits; hashKey: string },
): Promise<ReadStart> {
  const s = r.parser;
  const byOffset = r.byteOffset !== undefined;
  const json = s.format === 'json' || s.format === 'jsonl';
  const { limits } = opts;
  const keys = json
    ? new KeyIndex(s.columns, { conceal: keyConcealer(opts.hashKey), max: limits.maxColumns })
    : undefined;
  const bom = s.encoding === 'utf-8-bom' ? 3 : s.encoding === 'utf-16le' || s.encoding === 'utf-16be' ? 2 : 0;
  const start = byOffset ? (r.byteOffset ?? 0) : bom;
  const xlsx = s.format === 'xlsx';
  // A checkpoint taken while the file was ASCII so far: settle the encoding where the first read would have.
  const late = s.encodingUndecided === true && !xlsx ? new LateEncoding(start) : undefined;
  const linesBefore = linesAtStart(r);
  const lineCount = linesBefore === undefined ? undefined : {};
  const rows = openRows(byOffset || xlsx ? bytes : skipBytes(bytes, bom), {
    format: s.format,
    encoding: s.encoding,
    delimiter: s.delimiter,
    startOffset: start,
    limits,
    keys,
    sheet: s.sheet === undefined ? undefined : { index: s.sheet },
    late,
    linesBefore,
    lineCount,
  });
  const meta = exportMeta(s, { dropped: [], fileWarnings: [], resumeMode: byOffset ? 'byte-offset' : 'skip-records' });
  if (late !== undefined) settleLater(late, s, meta);
  return {
    meta,
    state: s,
    rows,
    lookahead: [],
    skip: recordsToSkip(r),
    rowBase: r.recordsDone,
    linesBefore,
    lineCount,
  };
}

/**
 * Line-based formats: the physical lines before the first byte read again, 0 when the whole file is passed again;
 * undefined for other formats and for a byte offset from a checkpoint that did not record its line.
 */
function linesAtStart(r: ResumeState): number | undefined {
  const f = r.parser.format;
  if (f !== 'csv' && f !== 'tsv' && f !== 'jsonl') return undefined;
  return r.byteOffset === undefined ? 0 : r.linesDone;
}

/** Rows to pass over before the next record: none after a byte offset, else the header and the records done. */
function recordsToSkip(r: ResumeState): number {
  const s = r.parser;
  const byOffset = r.byteOffset !== undefined;
  switch (s.format) {
    case 'csv':
    case 'tsv':
      return byOffset ? 0 : s.headerRows + r.recordsDone;
    case 'jsonl':
      return byOffset ? 0 : r.recordsDone;
    case 'json':
      return s.headerRows + r.recordsDone;
    case 'xlsx':
      return s.headerRows + r.recordsDone;
  }
}
