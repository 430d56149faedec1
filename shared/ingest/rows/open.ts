import type { LateEncoding } from '../encoding.js';
import type { ReadLimits } from '../limits.js';
import type { ExportFormat, TextEncoding } from '../types.js';
import { csvRows } from './csv.js';
import { jsonDocumentRows } from './json-document.js';
import { KeyIndex } from './json-flatten.js';
import { jsonLinesRows } from './json-lines.js';
import type { LineCount, RawRow } from './raw-row.js';
import { type SheetChoice, xlsxRows } from './xlsx.js';

/** How to turn a file's bytes into rows: what sniffing found, or what a checkpoint recorded. */
export interface RowSpec {
  format: ExportFormat;
  encoding: TextEncoding;
  /** CSV/TSV only. */
  delimiter?: string;
  /** Raw offset of the first byte passed, so row ends are file offsets. */
  startOffset: number;
  /** The bounds on the file's work: cell size, columns and, for XLSX, inflation and shared strings. */
  limits: ReadLimits;
  /** JSON: the flattened keys, shared with the layout stage (which names the columns after the first rows). */
  keys?: KeyIndex;
  /** XLSX: which worksheet to read. */
  sheet?: SheetChoice;
  /** Physical lines before `startOffset` (a resumed read); undefined when unknown: rows then carry no line. */
  linesBefore?: number;
  /** Line-based formats fill in the file's physical lines once they reach its end. */
  lineCount?: LineCount;
  /** An encoding still open (only ASCII so far): settled at the first non-ASCII byte, and the rows with it. */
  late?: LateEncoding;
}

/** The rows of `bytes` in the spec's format, in batches as the parser produces them. */
export function openRows(bytes: AsyncIterable<Uint8Array>, spec: RowSpec): AsyncGenerator<RawRow[]> {
  const { late } = spec;
  const body = late === undefined ? bytes : late.bytes(bytes);
  const rows = formatRows(body, spec);
  return late === undefined ? rows : late.rows(rows);
}

function formatRows(body: AsyncIterable<Uint8Array>, spec: RowSpec): AsyncGenerator<RawRow[]> {
  switch (spec.format) {
    case 'csv':
    case 'tsv':
      return csvRows(body, {
        ...spec,
        delimiter: spec.delimiter ?? ',',
        maxCell: spec.limits.maxCellSize,
        maxColumns: spec.limits.maxColumns,
      });
    case 'jsonl':
      return jsonLinesRows(body, { ...spec, keys: keysOf(spec), maxCell: spec.limits.maxCellSize });
    case 'json':
      return jsonDocumentRows(body, spec.encoding, keysOf(spec), spec.limits.maxCellSize);
    case 'xlsx':
      return xlsxRows(body, spec.limits, spec.sheet);
  }
}

function keysOf(spec: RowSpec): KeyIndex {
  return spec.keys ?? new KeyIndex([], { max: spec.limits.maxColumns });
}
