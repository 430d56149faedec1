import { Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import type ExcelJS from 'exceljs';
// Only the streaming reader: the package entry pulls in the whole workbook model and writers (≈ 400 KiB bundled).
import WorkbookReader from 'exceljs/lib/stream/xlsx/workbook-reader.js';
import { FileRejectedError, type RejectReason } from '../domain/types.js';
import { createDecoder, nativeBufferEncoding } from './encoding.js';
import type { TextEncoding } from './types.js';

/** One physical record from any format, before mapping. */
export interface RawRow {
  cells: string[];
  /** Raw byte offset just after this record, when exact (UTF-8/UTF-16LE CSV and JSON Lines). */
  end?: number;
  reject?: RejectReason;
  detail?: string;
}

/** Byte input that lets the sniffer look at the beginning and then replays it. */
export class PeekableBytes {
  private readonly held: Uint8Array[] = [];
  private heldBytes = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(input: AsyncIterable<Uint8Array>) {
    this.it = input[Symbol.asyncIterator]();
  }

  /** Reads until at least `n` bytes are held or the input ends. */
  async peek(n: number): Promise<{ bytes: Uint8Array; eof: boolean }> {
    while (this.heldBytes < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.byteLength > 0) {
        this.held.push(r.value);
        this.heldBytes += r.value.byteLength;
      }
    }
    return { bytes: Buffer.concat(this.held), eof: this.done };
  }

  async *replay(): AsyncGenerator<Uint8Array> {
    const held = this.held.splice(0);
    for (const c of held) yield c;
    if (this.done) return;
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

function asBuffer(c: Uint8Array): Buffer {
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { bytes: number };
}

/**
 * CSV/TSV records in batches. UTF-8 and UTF-16LE bytes go to csv-parse undecoded, so `info.bytes` is an exact raw
 * offset for resume; other encodings are decoded first (offsets then unknown).
 * Drives csv-parse's synchronous core directly (no Transform stream) so each record's end offset is exact and no
 * stream machinery sits on the hot path.
 */
export async function* csvRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  delimiter: string,
  startOffset: number,
  maxRecordSize: number,
): AsyncGenerator<RawRow[]> {
  const native = nativeBufferEncoding(encoding);
  let batch: RawRow[] = [];
  const parser = new Parser({
    delimiter,
    quote: '"',
    escape: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordSize,
    encoding: native ?? 'utf8',
    bom: false,
    on_skip: (err: { code?: string; message: string } | undefined) => {
      const tooLarge = err?.code === 'CSV_MAX_RECORD_SIZE';
      batch.push({
        cells: [],
        end: exact ? startOffset + api.info.bytes : undefined,
        reject: tooLarge ? 'CELL_TOO_LARGE' : 'MALFORMED_ROW',
        detail: err?.code ?? 'CSV error',
      });
    },
  });
  const api = (parser as unknown as { api: CsvApi }).api;
  const exact = native !== undefined;
  const push = (record: string[]) => {
    batch.push({ cells: record, end: exact ? startOffset + api.info.bytes : undefined });
  };
  const close = () => {};
  const decoder = native === undefined ? createDecoder(encoding) : undefined;
  const feed = (chunk: Buffer | undefined, end: boolean) => {
    const err = api.parse(chunk, end, push, close);
    if (err !== undefined) {
      throw new FileRejectedError('MALFORMED_FILE', `CSV could not be parsed: ${err.message}`, { cause: err });
    }
  };
  for await (const chunk of bytes) {
    if (decoder === undefined) feed(asBuffer(chunk), false);
    else feed(Buffer.from(decoder.write(chunk), 'utf8'), false);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (decoder !== undefined) {
    const tail = decoder.end();
    if (tail.length > 0) feed(Buffer.from(tail, 'utf8'), false);
  }
  feed(undefined, true);
  if (batch.length > 0) yield batch;
}

/** A growing dictionary of flattened JSON keys → column index. */
export class KeyIndex {
  readonly keys: string[] = [];
  private readonly map = new Map<string, number>();
  constructor(initial: readonly string[] = []) {
    for (const k of initial) this.index(k);
  }
  index(key: string): number {
    let i = this.map.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.map.set(key, i);
    }
    return i;
  }
}

function flatten(value: unknown, prefix: string, keys: KeyIndex, cells: string[], depth: number): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      cells[keys.index(prefix)] = value.filter((v) => v !== null).join(', ');
    } else if (depth < 6) {
      value.forEach((v, i) => {
        flatten(v, `${prefix}.${i}`, keys, cells, depth + 1);
      });
    }
    return;
  }
  if (typeof value === 'object') {
    if (depth >= 6) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, keys, cells, depth + 1);
    }
    return;
  }
  cells[keys.index(prefix)] = String(value);
}

/** Turns one JSON text (a line or an array element) into a row. */
export function jsonRow(text: string, keys: KeyIndex, end: number | undefined, maxSize: number): RawRow {
  if (text.length > maxSize) return { cells: [], end, reject: 'CELL_TOO_LARGE', detail: `${text.length} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      cells: [],
      end,
      reject: 'MALFORMED_JSON',
      detail: err instanceof Error ? err.message.slice(0, 200) : undefined,
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { cells: [], end, reject: 'NOT_AN_OBJECT', detail: Array.isArray(value) ? 'array' : typeof value };
  }
  const cells: string[] = [];
  flatten(value, '', keys, cells, 0);
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
  return { cells, end };
}

/** JSON Lines: one record a line; blank lines are skipped; a broken line is one rejected row. */
export async function* jsonLinesRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  startOffset: number,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  const exact = encoding === 'utf-8' || encoding === 'utf-8-bom';
  if (exact) {
    let carry: Buffer | undefined;
    let offset = startOffset;
    for await (const chunk of bytes) {
      const buf = carry === undefined ? asBuffer(chunk) : Buffer.concat([carry, asBuffer(chunk)]);
      const batch: RawRow[] = [];
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        const line = buf.toString('utf8', start, nl);
        offset += nl + 1 - start;
        start = nl + 1;
        if (line.trim().length > 0) batch.push(jsonRow(line, keys, offset, maxSize));
      }
      carry = start < buf.length ? buf.subarray(start) : undefined;
      if (carry !== undefined && carry.length > maxSize * 4) {
        batch.push({ cells: [], reject: 'CELL_TOO_LARGE', detail: 'line too long' });
        offset += carry.length;
        carry = undefined;
      }
      if (batch.length > 0) yield batch;
    }
    if (carry !== undefined) {
      const line = carry.toString('utf8');
      offset += carry.length;
      if (line.trim().length > 0) yield [jsonRow(line, keys, offset, maxSize)];
    }
    return;
  }
  const decoder = createDecoder(encoding);
  let carry = '';
  const lines = (text: string, final: boolean): RawRow[] => {
    const all = carry + text;
    const parts = all.split('\n');
    carry = final ? '' : (parts.pop() ?? '');
    const out: RawRow[] = [];
    for (const p of parts) if (p.trim().length > 0) out.push(jsonRow(p, keys, undefined, maxSize));
    return out;
  };
  for await (const chunk of bytes) {
    const b = lines(decoder.write(chunk), false);
    if (b.length > 0) yield b;
  }
  const b = lines(decoder.end(), true);
  if (b.length > 0) yield b;
}

/**
 * A JSON document: the records are the elements of the top-level array, or of the first array-valued property of the
 * top-level object (`{"data":[…]}` as App Store Connect returns). Scans characters and parses one element at a time,
 * so the document is never held whole.
 */
export async function* jsonDocumentRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  const decoder = createDecoder(encoding);
  let depth = 0;
  let inString = false;
  let escaped = false;
  let rootSeen = false;
  let arrayDepth = -1; // depth inside the records array
  let finished = false;
  let element = '';
  let inElement = false;
  let oversized = false;
  const scan = (text: string): RawRow[] => {
    const out: RawRow[] = [];
    let segStart = inElement ? 0 : -1;
    for (let i = 0; i < text.length && !finished; i++) {
      const ch = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) inString = false;
        continue;
      }
      if (ch === 32 || ch === 10 || ch === 13 || ch === 9) continue;
      if (!rootSeen) {
        rootSeen = true;
        if (ch === 91) {
          depth = 1;
          arrayDepth = 1;
          continue;
        }
        if (ch === 123) {
          depth = 1;
          continue;
        }
        throw new FileRejectedError('UNSUPPORTED_FORMAT', 'JSON document is neither an array nor an object.');
      }
      if (arrayDepth !== -1 && depth === arrayDepth && !inElement) {
        if (ch === 44) continue;
        if (ch === 93) {
          finished = true;
          break;
        }
        inElement = true;
        segStart = i;
      }
      if (inElement && depth === arrayDepth && (ch === 44 || ch === 93)) {
        const piece = element + text.slice(segStart, i);
        out.push(oversized ? tooLarge() : jsonRow(piece, keys, undefined, maxSize));
        element = '';
        inElement = false;
        oversized = false;
        segStart = -1;
        if (ch === 93) finished = true;
        continue;
      }
      if (ch === 34) inString = true;
      else if (ch === 123 || ch === 91) {
        depth++;
        if (arrayDepth === -1 && ch === 91 && depth === 2) arrayDepth = 2;
      } else if (ch === 125 || ch === 93) depth--;
    }
    if (inElement && segStart !== -1) {
      if (!oversized) element += text.slice(segStart);
      if (element.length > maxSize) {
        oversized = true;
        element = '';
      }
    }
    return out;
  };
  for await (const chunk of bytes) {
    const b = scan(decoder.write(chunk));
    if (b.length > 0) yield b;
    if (finished) return;
  }
  const b = scan(decoder.end());
  if (inElement && element.trim().length > 0) b.push(jsonRow(element, keys, undefined, maxSize));
  if (b.length > 0) yield b;
  if (arrayDepth === -1) {
    throw new FileRejectedError('UNSUPPORTED_FORMAT', 'JSON document holds no array of records.');
  }
}

function tooLarge(): RawRow {
  return { cells: [], reject: 'CELL_TOO_LARGE', detail: 'JSON record too large' };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    // Excel stores wall time without a zone; exceljs exposes it as if UTC. Keep it as a zone-less wall time.
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d{3}Z$/, '');
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return '';
}

/**
 * XLSX rows of the first sheet with data, through exceljs's streaming reader. The zip's central directory is at
 * its end, so the library may spool entries; memory is bounded by the sheet's shared strings, not by rows.
 */
export async function* xlsxRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<RawRow[]> {
  const reader = new WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let found = false;
  try {
    for await (const sheet of reader) {
      if (found) break;
      let batch: RawRow[] = [];
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
        if (cells.every((x) => x.trim() === '')) continue;
        found = true;
        batch.push({ cells });
        if (batch.length >= 256) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('MALFORMED_FILE', 'The XLSX workbook could not be read.', { cause: err });
  }
}
