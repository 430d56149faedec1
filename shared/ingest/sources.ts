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
  private readonly hints = new Map<string, string>();
  index(key: string): number {
    let i = this.map.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.map.set(key, i);
    }
    return i;
  }
  /** Records what the file says a key holds (a Typeform answer's question type), for the column mapping. */
  hint(key: string, kind: string): void {
    if (!this.hints.has(key)) this.hints.set(key, kind);
  }
  hintOf(key: string): string | undefined {
    return this.hints.get(key);
  }
}

/**
 * A Typeform-style answer (`{"field":{"ref":"nps_q","type":"opinion_scale"},"type":"number","number":9}`): the
 * question it answers and the answer's value, so answers are keyed by question rather than by position.
 */
function keyedAnswer(v: unknown): { key: string; kind: string | undefined; value: unknown } | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const a = v as Record<string, unknown>;
  const field = a.field as Record<string, unknown> | null | undefined;
  if (field === null || typeof field !== 'object' || typeof a.type !== 'string') return undefined;
  const key = typeof field.ref === 'string' ? field.ref : typeof field.id === 'string' ? field.id : undefined;
  if (key === undefined) return undefined;
  let value = a[a.type];
  if (a.type === 'choice' && value !== null && typeof value === 'object') {
    const c = value as { label?: unknown; other?: unknown };
    value = c.label ?? c.other;
  } else if (a.type === 'choices' && value !== null && typeof value === 'object') {
    const c = value as { labels?: unknown; other?: unknown };
    value = [...(Array.isArray(c.labels) ? c.labels : []), ...(c.other === undefined ? [] : [c.other])];
  }
  return { key, kind: typeof field.type === 'string' ? field.type : undefined, value };
}

/** Magnitude from which a JSON number may have lost digits in `JSON.parse` (integers beyond 2^53). */
const EXACT_LIMIT = 2 ** 53;
/** Set by {@link flatten} when it meets a number that may have lost digits: the text is then parsed again exactly. */
let inexact = false;

/** Keys naming a reply to the record (Google Play's `developerComment`): never part of the record's own content. */
const REPLY_KEY = /developer|reply|response/i;

function wrapperKey(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  let only: string | undefined;
  for (const k in v as Record<string, unknown>) {
    if (only !== undefined) return undefined;
    only = k;
  }
  if (only === undefined) return undefined;
  const inner = (v as Record<string, unknown>)[only];
  return inner !== null && typeof inner === 'object' ? only : undefined;
}

/**
 * A thread of single-key wrappers (Google Play `comments: [{"userComment":{…}}, {"developerComment":{…}}]`): the
 * wrapped values keyed by wrapper name, replies left out. `undefined` unless every element is such a wrapper.
 */
function threadEntries(value: unknown[]): [string, unknown][] | undefined {
  if (value.length === 0) return undefined;
  const out: [string, unknown][] = [];
  for (const v of value) {
    const k = wrapperKey(v);
    if (k === undefined) return undefined;
    if (!REPLY_KEY.test(k)) out.push([k, (v as Record<string, unknown>)[k]]);
  }
  return out;
}

/** An array of single-key wrappers is one record's thread, never a page of records. */
function isThread(value: unknown[]): boolean {
  return threadEntries(value) !== undefined;
}

function flatten(value: unknown, prefix: string, keys: KeyIndex, cells: string[], depth: number): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      for (const v of value) if (typeof v === 'number' && (v >= EXACT_LIMIT || v <= -EXACT_LIMIT)) inexact = true;
      cells[keys.index(prefix)] = value.filter((v) => v !== null).join(', ');
    } else if (depth < 6) {
      const thread = threadEntries(value);
      if (thread !== undefined) {
        const unique = new Set(thread.map((e) => e[0])).size === thread.length;
        thread.forEach(([k, v], i) => {
          flatten(v, unique ? `${prefix}.${k}` : `${prefix}.${i}.${k}`, keys, cells, depth + 1);
        });
        return;
      }
      // The array holds at least one object here (an all-scalar array was joined above).
      const answers = value.map(keyedAnswer);
      if (answers.every((a) => a !== undefined)) {
        for (const a of answers as NonNullable<(typeof answers)[number]>[]) {
          const key = `${prefix}.${a.key}`;
          if (a.kind !== undefined) keys.hint(key, a.kind);
          flatten(a.value, key, keys, cells, depth + 1);
        }
      } else {
        value.forEach((v, i) => {
          flatten(v, `${prefix}.${i}`, keys, cells, depth + 1);
        });
      }
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
  if (typeof value === 'number' && (value >= EXACT_LIMIT || value <= -EXACT_LIMIT)) inexact = true;
  cells[keys.index(prefix)] = String(value);
}

/** A run of 16 digits: the only way a JSON integer literal can exceed 2^53. */
const LONG_DIGITS = /\d{16}/;
/** JSON string literals (matched whole, so digits inside them are skipped) and number literals. */
const JSON_TOKENS = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?[1-9]\d*$/;

function quoteUnsafeInteger(token: string): string {
  if (token.length < 16 || !INTEGER_LITERAL.test(token) || Number.isSafeInteger(Number(token))) return token;
  return `"${token}"`;
}

/**
 * Rewrites integer literals beyond 2^53 (19-digit Douyin/Weibo/Twitter ids written as JSON numbers) into JSON strings,
 * so `JSON.parse` keeps their exact digits instead of rounding different ids to one. Fractions, exponents and digits
 * inside strings are left alone; so are invalid literals (leading zeros), which still fail to parse. Node 20 has no
 * `JSON.parse` source-text access, hence the rewrite.
 */
export function quoteBigIntegers(text: string): string {
  return LONG_DIGITS.test(text) ? text.replace(JSON_TOKENS, quoteUnsafeInteger) : text;
}

/** Properties (lower-cased) that hold the records of an API response page: JSON:API `data`, `reviews`, `items`… */
const RECORD_ARRAY_KEYS = new Set([
  'data',
  'items',
  'results',
  'records',
  'reviews',
  'comments',
  'entries',
  'entry',
  'responses',
  'feedback',
  'feedbacks',
  'tickets',
  'conversations',
  'ratings',
  'satisfaction_ratings',
  'elements',
  'rows',
  'list',
  'reviewlist',
  'review_list',
  'commentlist',
  'comment_list',
  'customerreviews',
  '评论列表',
  '评价列表',
  '评论',
  '评价',
  '列表',
  '数据',
  '记录',
  '结果',
  '留言',
]);

/** Properties (lower-cased) whose scalar value makes an object a record of its own, not a page around records. */
const CONTENT_KEYS = new Set([
  'text',
  'body',
  'content',
  'comment',
  'review',
  'reviewtext',
  'review_text',
  'message',
  'feedback',
  'title',
  'summary',
  'description',
  'rating',
  'score',
  'stars',
  'star',
  'nps',
  '内容',
  '评论内容',
  '评价内容',
  '评论',
  '评价',
  '评语',
  '留言',
  '标题',
  '评分',
  '星级',
]);

function isRecordObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The records of a page wrapper — an API response saved one page a line (`jq -c`) or several pages slurped into one
 * array: an object with a non-empty array of objects under a records key, and no scalar content of its own (an order
 * with `items` and a `comment` stays one record). `undefined` for an ordinary record. Takes the object's entries, which
 * {@link entriesRow} reuses: an ordinary record costs one array check a property.
 */
function pageRecords(entries: [string, unknown][]): Record<string, unknown>[] | undefined {
  let records: Record<string, unknown>[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as [string, unknown];
    const v = e[1];
    if (!Array.isArray(v) || records !== undefined || v.length === 0) continue;
    if (RECORD_ARRAY_KEYS.has(e[0].toLowerCase()) && v.every(isRecordObject) && !isThread(v)) {
      records = v as Record<string, unknown>[];
    }
  }
  return records === undefined || hasContent(entries) ? undefined : records;
}

/** Whether an object has a scalar content property of its own (`text`, `rating`…): then it is a record, not a page. */
function hasContent(entries: [string, unknown][]): boolean {
  for (const [k, v] of entries)
    if (v !== null && typeof v !== 'object' && CONTENT_KEYS.has(k.toLowerCase())) return true;
  return false;
}

/** A row from an object's entries (what `flatten` does for an object at depth 0). */
function entriesRow(entries: [string, unknown][], keys: KeyIndex, end: number | undefined): RawRow {
  const cells: string[] = [];
  for (const [k, v] of entries) flatten(v, k, keys, cells, 1);
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
  return { cells, end };
}

/** Properties (lower-cased) of a response envelope around a page: Weibo `{"data":{"comments":[…]}}`, iTunes `feed`. */
const ENVELOPE_KEYS = new Set(['data', 'feed', 'result', 'response', 'payload', '数据', '结果']);

/** The records of a page one level down in an envelope with no scalar content of its own (see {@link pageRecords}). */
function envelopeRecords(entries: [string, unknown][]): Record<string, unknown>[] | undefined {
  let records: Record<string, unknown>[] | undefined;
  for (const [k, v] of entries) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && ENVELOPE_KEYS.has(k.toLowerCase())) {
      records = pageRecords(Object.entries(v));
      break;
    }
  }
  // Only an envelope found pays for the content check (most records have none: this runs on every JSON row).
  return records === undefined || hasContent(entries) ? undefined : records;
}

/** Rows of one parsed object: itself, or each record of a page wrapper. Only the last row carries `end`. */
function valueRows(value: object, keys: KeyIndex, end: number | undefined, out: RawRow[]): void {
  const entries = Object.entries(value);
  const records = pageRecords(entries) ?? envelopeRecords(entries);
  if (records === undefined) {
    out.push(entriesRow(entries, keys, end));
    return;
  }
  const last = records.length - 1;
  for (let i = 0; i < records.length; i++) {
    out.push(entriesRow(Object.entries(records[i] as object), keys, i === last ? end : undefined));
  }
}

/**
 * Turns one JSON text (a line or an array element) into rows, appended to `out`: one row for a record or a broken text,
 * one row a record for a page wrapper (see {@link pageRecords}). Only the last row carries `end`: a checkpoint inside
 * a page has no byte offset and resumes by record count. A text holding an integer beyond 2^53 is parsed a second time
 * with such integers quoted (see {@link quoteBigIntegers}); other texts pay one number comparison a numeric cell.
 */
export function jsonRows(text: string, keys: KeyIndex, end: number | undefined, maxSize: number, out: RawRow[]): void {
  if (text.length > maxSize) {
    out.push({ cells: [], end, reject: 'CELL_TOO_LARGE', detail: `${text.length} characters` });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    out.push({
      cells: [],
      end,
      reject: 'MALFORMED_JSON',
      detail: err instanceof Error ? err.message.slice(0, 200) : undefined,
    });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({ cells: [], end, reject: 'NOT_AN_OBJECT', detail: Array.isArray(value) ? 'array' : typeof value });
    return;
  }
  const mark = out.length;
  inexact = false;
  valueRows(value, keys, end, out);
  if (!inexact) return;
  inexact = false;
  const exact = quoteBigIntegers(text);
  if (exact === text) return;
  let exactValue: unknown;
  try {
    exactValue = JSON.parse(exact);
  } catch {
    return; // Not expected (quoting a valid number literal keeps the text valid); keep the rows already read.
  }
  out.length = mark;
  valueRows(exactValue as object, keys, end, out);
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
        if (line.trim().length > 0) jsonRows(line, keys, offset, maxSize, batch);
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
      const tail: RawRow[] = [];
      if (line.trim().length > 0) jsonRows(line, keys, offset, maxSize, tail);
      if (tail.length > 0) yield tail;
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
    for (const p of parts) if (p.trim().length > 0) jsonRows(p, keys, undefined, maxSize, out);
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
 * A JSON document: the records are the elements of the top-level array, or of the first array of objects (in document
 * order) that is a property of the top-level object (`{"data":[…]}` as App Store Connect returns) or of an object
 * under it (`{"data":{"comments":[…]}}` Weibo, `{"feed":{"entry":[…]}}` iTunes RSS). An empty array, or one whose first
 * element is not an object (Trustpilot's `"links":[]`), is skipped whole, arrays inside it included. Scans characters
 * and parses one element at a time, so the document is never held whole.
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
  let arrayDepth = -1; // depth inside the records array (or the candidate being probed)
  let probing = false; // the candidate array's first element is not seen yet
  let abandoned = -1; // depth inside an abandoned array: no candidates until it closes
  let openedAt2 = 0; // the bracket that opened the current depth-2 container
  let sawEmpty = false; // an empty candidate: the document holds no rows rather than no array
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
      if (probing && depth === arrayDepth) {
        probing = false;
        if (ch !== 123) {
          // Empty, or scalars / arrays: not the records. Skip it whole (arrays inside included) and look further.
          arrayDepth = -1;
          if (ch === 93) {
            sawEmpty = true;
            depth--;
            continue;
          }
          abandoned = depth;
        }
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
        if (oversized) out.push(tooLarge());
        else jsonRows(piece, keys, undefined, maxSize, out);
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
        if (depth === 2) openedAt2 = ch;
        // A candidate: an array under the root object, or under an object under it (`{"data":{"comments":[…]}}`).
        if (ch === 91 && arrayDepth === -1 && abandoned === -1 && (depth === 2 || (depth === 3 && openedAt2 === 123))) {
          arrayDepth = depth;
          probing = true;
        }
      } else if (ch === 125 || ch === 93) {
        depth--;
        if (depth < abandoned) abandoned = -1;
      }
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
  if (inElement && element.trim().length > 0) jsonRows(element, keys, undefined, maxSize, b);
  if (b.length > 0) yield b;
  if (arrayDepth === -1 && !sawEmpty) {
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
/**
 * Which worksheet holds the table: a fixed index (a resumed read takes the sheet the first read chose), or a score of
 * a sheet's first non-empty rows (2: a feedback table; 1: usable; 0: not a table), with `chosen` told the index taken.
 */
export type SheetChoice =
  | { index: number }
  | { score(rows: readonly string[][]): 0 | 1 | 2; chosen(index: number): void };

/** A worksheet row's cells as text; `undefined` for a blank row. */
function rowCells(row: ExcelJS.Row): string[] | undefined {
  const values = row.values as ExcelJS.CellValue[];
  const cells: string[] = [];
  for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
  return cells.every((x) => x.trim() === '') ? undefined : cells;
}

async function drain(it: AsyncIterator<unknown>): Promise<void> {
  for (;;) if ((await it.next()).done === true) return;
}

/** Rows looked at to judge a sheet (as many as the column mapping samples). */
const SHEET_SAMPLE_ROWS = 203;

/**
 * XLSX rows of one worksheet, streamed; blank rows skipped. Without a choice: the first sheet with data. With a score:
 * the first sheet scoring 2 (a cover or README sheet before the data is passed over), or a big sheet scoring 1; a small
 * sheet scoring 1 is held whole and taken if no better one follows; else the first sheet's first rows, enough for the
 * mapping to say what is missing.
 */
export async function* xlsxRows(bytes: AsyncIterable<Uint8Array>, choice?: SheetChoice): AsyncGenerator<RawRow[]> {
  const reader = new WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const test = choice !== undefined && 'score' in choice ? choice : undefined;
  const fixed = choice !== undefined && 'index' in choice ? choice.index : undefined;
  let fallback: { index: number; rows: RawRow[] } | undefined;
  let usable: { index: number; rows: RawRow[] } | undefined;
  let index = -1;
  try {
    for await (const sheet of reader) {
      index++;
      const it = (sheet as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
      if (fixed !== undefined && index !== fixed) {
        await drain(it);
        continue;
      }
      const sample: RawRow[] = [];
      let done = false;
      while (sample.length < SHEET_SAMPLE_ROWS) {
        const r = await it.next();
        if (r.done === true) {
          done = true;
          break;
        }
        const cells = rowCells(r.value);
        if (cells !== undefined) sample.push({ cells });
      }
      if (sample.length === 0) continue;
      if (test !== undefined) {
        const score = test.score(sample.map((r) => r.cells));
        if (score === 0 || (score === 1 && done)) {
          if (score === 1) usable ??= { index, rows: sample };
          fallback ??= { index, rows: sample };
          if (!done) await drain(it);
          continue;
        }
        test.chosen(index);
      }
      yield sample;
      let batch: RawRow[] = [];
      while (!done) {
        const r = await it.next();
        if (r.done === true) break;
        const cells = rowCells(r.value);
        if (cells === undefined) continue;
        batch.push({ cells });
        if (batch.length >= 256) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      return;
    }
    const pick = usable ?? fallback;
    if (test !== undefined && pick !== undefined) {
      test.chosen(pick.index);
      yield pick.rows;
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('MALFORMED_FILE', 'The XLSX workbook could not be read.', { cause: err });
  }
}
