import { Parser } from 'csv-parse';
import { FileRejectedError } from '../../domain/errors.js';
import type { Diagnostic, RejectReason } from '../../domain/types.js';
import { diagnostic, type ListPart } from '../diagnostic.js';
import { createDecoder, nativeBufferEncoding } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import { LineBreaks } from './line-breaks.js';
import { type QuoteFinding, scanQuotes } from './quote-scan.js';
import type { LineCount, RawRow } from './raw-row.js';

/**
 * Line ends one quoted field may span: 20,000 characters (the longest text kept, and Qualtrics' essay box) at 20
 * characters a line. Multi-line answers in real exports span a handful (airline tweets: at most 8 line breaks, one
 * every 12 characters at the densest); a stray quote that swallowed the rows below it spans as many lines as rows.
 */
export const MAX_QUOTED_LINE_ENDS = 1000;
/** Bytes handed to csv-parse at once, so a record's growth is checked at least this often. */
const SLICE_BYTES = 64 * 1024;

interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { bytes: number };
}

export interface CsvSpec {
  encoding: TextEncoding;
  delimiter: string;
  /** Raw offset of the first byte passed, so row ends are file offsets. */
  startOffset: number;
  /** A cell larger than this (characters) rejects its row; a record may take 4 bytes a character and no more. */
  maxCell: number;
  /** A record of more cells than this is one `TOO_MANY_COLUMNS` row. */
  maxColumns: number;
  /** Physical lines before `startOffset`; undefined when unknown (rows then carry no line number). */
  linesBefore?: number;
  /** Filled in at the end of the input with the file's physical lines. */
  lineCount?: LineCount;
}

/** A row found broken: it ends (and reading resumes) at the first line start after `from`. */
interface Broken {
  from: number;
  reject: RejectReason;
  detail: Diagnostic;
}

/**
 * CSV/TSV records in batches. UTF-8 and UTF-16LE bytes go to csv-parse undecoded, so a record's end is an exact raw
 * offset for resume; other encodings are decoded first (offsets then unknown). Drives csv-parse's synchronous core
 * directly (no Transform stream) so each record's end offset is exact and no stream machinery sits on the hot path.
 *
 * No row is swallowed: a quote that opens a field and is not closed by the end of the file, that is closed only by a
 * quote further down which cannot close it, or that spans more than {@link MAX_QUOTED_LINE_ENDS} lines, makes its row
 * one `MALFORMED_QUOTING` row, and a record that outgrows the byte budget one `CELL_TOO_LARGE` row (`MALFORMED_QUOTING`
 * when it is a quoted field over several lines). Either way reading starts again, with a fresh parser, on the
 * physical line after the one the quote (or the oversized cell) is on, so the rows after it are read as rows.
 */
export async function* csvRows(bytes: AsyncIterable<Uint8Array>, spec: CsvSpec): AsyncGenerator<RawRow[]> {
  const reader = new CsvReader(spec);
  const decoder = reader.exact ? undefined : createDecoder(spec.encoding);
  for await (const chunk of bytes) {
    reader.write(decoder === undefined ? asBuffer(chunk) : Buffer.from(decoder.write(chunk), 'utf8'));
    const batch = reader.take();
    if (batch.length > 0) yield batch;
  }
  if (decoder !== undefined) reader.write(Buffer.from(decoder.end(), 'utf8'));
  reader.end();
  const batch = reader.take();
  if (batch.length > 0) yield batch;
}

class CsvReader {
  /** Whether offsets are raw file offsets (bytes parsed undecoded). */
  readonly exact: boolean;
  private readonly unit: 1 | 2;
  private readonly maxRecordBytes: number;
  private readonly lines: LineBreaks;
  private readonly knowsLines: boolean;
  private batch: RawRow[] = [];
  private api!: CsvApi;
  /** Offset of the current parser's first byte; where the record being read starts; just after the bytes fed. */
  private base = 0;
  private recordStart = 0;
  private fed: number;
  private lastLine = 0;
  /** The bytes from `windowStart` to `fed`: the record being read, kept to read it again when it proves broken. */
  private window: Buffer[] = [];
  private windowStart = 0;
  /** A UTF-16 byte held back until its unit is whole. */
  private oddByte: Buffer | undefined;
  /** Why the current parser must be dropped (set while it runs: it is stopped between two slices). */
  private failure: QuoteFinding | 'unclosed-at-end' | undefined;
  /** A broken row still looking for the line start where it ends. */
  private skipping: Broken | undefined;

  constructor(private readonly spec: CsvSpec) {
    const native = nativeBufferEncoding(spec.encoding);
    this.exact = native !== undefined;
    this.unit = native === 'utf16le' ? 2 : 1;
    this.maxRecordBytes = spec.maxCell * 4 + SLICE_BYTES;
    this.fed = spec.startOffset;
    this.knowsLines = spec.linesBefore !== undefined;
    this.lines = new LineBreaks(this.unit, spec.linesBefore ?? 0, spec.startOffset);
    this.lastLine = spec.linesBefore ?? 0;
    this.restart(spec.startOffset);
  }

  take(): RawRow[] {
    const b = this.batch;
    this.batch = [];
    return b;
  }

  write(chunk: Buffer): void {
    let buf = chunk;
    if (this.unit === 2) {
      if (this.oddByte !== undefined) buf = Buffer.concat([this.oddByte, buf]);
      this.oddByte = buf.length % 2 === 1 ? buf.subarray(buf.length - 1) : undefined;
      if (this.oddByte !== undefined) buf = buf.subarray(0, buf.length - 1);
    }
    for (let i = 0; i < buf.length; i += SLICE_BYTES) this.writeSlice(buf.subarray(i, i + SLICE_BYTES));
  }

  end(): void {
    this.lines.finish();
    if (this.skipping !== undefined) this.emitBroken(this.skipping, this.fed);
    else this.run(undefined, true);
    if (this.spec.lineCount !== undefined && this.knowsLines) this.spec.lineCount.total = this.lines.total();
  }

  private writeSlice(slice: Buffer): void {
    const at = this.fed;
    this.fed += slice.length;
    this.lines.add(slice, at);
    if (this.skipping === undefined) {
      this.window.push(slice);
      this.run(slice, false);
      return;
    }
    const resume = this.lines.nextLineStart(this.skipping.from);
    if (resume === undefined) return;
    this.emitBroken(this.skipping, resume);
    this.skipping = undefined;
    this.restart(resume);
    const rest = slice.subarray(resume - at);
    this.window = [rest];
    this.run(rest, false);
  }

  /** Parses `buf` (with `end`, the end of the input), starting again after each broken record until none is left. */
  private run(buf: Buffer | undefined, end: boolean): void {
    let next = buf;
    for (;;) {
      const err = this.api.parse(next, end, this.push, noop);
      if (err !== undefined) {
        const message = diagnostic`CSV could not be parsed: ${{ message: err.message }}`;
        throw new FileRejectedError('MALFORMED_FILE', message, { cause: err });
      }
      const failure = this.failure ?? (this.overBudget() ? 'budget' : undefined);
      if (failure === undefined) {
        this.trimWindow();
        return;
      }
      const rest = this.recover(failure, end);
      if (rest === undefined) return;
      next = rest;
    }
  }

  /**
   * Whether the record being read has outgrown the byte budget. Blank lines, which csv-parse skips, are no record:
   * a run of them moves the record's start on instead.
   */
  private overBudget(): boolean {
    if (this.fed - this.recordStart <= this.maxRecordBytes) return false;
    const bytes = this.bytesFrom(this.recordStart, this.fed);
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c !== 10 && c !== 13 && c !== 0) return true;
    }
    this.recordStart = this.fed;
    this.lastLine = this.lines.lineAt(this.fed);
    return false;
  }

  private readonly push = (record: string[]): void => {
    if (this.failure !== undefined) return;
    const end = this.base + this.api.info.bytes;
    const line = this.lines.lineAt(end);
    const span = line - this.lastLine;
    if (span > 1 && (span > MAX_QUOTED_LINE_ENDS || relaxedOverLines(record))) {
      // A quoted field may have swallowed rows: read the record's quoting again to see.
      const found = scanQuotes(this.bytesFrom(this.recordStart, end), this.recordStart, true, this.scanOpts());
      if (found.kind === 'runaway') {
        this.failure = found;
        return;
      }
    }
    if (record.length > this.spec.maxColumns) {
      this.emit({
        cells: [],
        end: this.rawEnd(end),
        line: this.lineOf(line),
        reject: 'TOO_MANY_COLUMNS',
        detail: diagnostic`${record.length} cells`,
      });
    } else if (end - this.recordStart > this.spec.maxCell && hasCellOver(record, this.spec.maxCell)) {
      this.emit({
        cells: [],
        end: this.rawEnd(end),
        line: this.lineOf(line),
        reject: 'CELL_TOO_LARGE',
        detail: diagnostic`a cell over ${this.spec.maxCell} characters`,
      });
    } else {
      this.emit({ cells: record, end: this.rawEnd(end), line: this.lineOf(line) });
    }
    this.recordStart = end;
    this.lastLine = line;
  };

  private emit(row: RawRow): void {
    this.batch.push(row);
  }

  /**
   * The record from `recordStart` is broken (`failure`): emits it as one rejected row and starts a fresh parser on
   * the line after its opening quote (or its oversized cell). Returns the bytes already fed from there, to parse
   * again; undefined when that line start is still to come.
   */
  private recover(failure: QuoteFinding | 'unclosed-at-end' | 'budget', atEof: boolean): Buffer | undefined {
    const found =
      typeof failure === 'object'
        ? failure
        : // No line budget here: the record's first quote open at the end is the one to name.
          scanQuotes(this.bytesFrom(this.recordStart, this.fed), this.recordStart, atEof, this.scanOpts(Infinity));
    const broken = this.describe(found, failure === 'budget');
    this.failure = undefined;
    const resume = this.lines.nextLineStart(broken.from) ?? (atEof ? this.fed : undefined);
    if (resume === undefined) {
      this.skipping = broken;
      this.window = [];
      this.windowStart = this.fed;
      return undefined;
    }
    this.emitBroken(broken, resume);
    const rest = this.bytesFrom(resume, this.fed);
    this.restart(resume);
    this.window = [rest];
    return rest;
  }

  /** What is wrong with the record from `recordStart`, and from which byte its last line is looked for. */
  private describe(found: QuoteFinding, overBudget: boolean): Broken {
    if (found.kind === 'closed') {
      // An unquoted cell over the budget (or a record csv-parse found unclosed that reads as closed: its first line).
      const from = overBudget ? this.fed - 1 : this.recordStart;
      const reject = overBudget ? 'CELL_TOO_LARGE' : 'MALFORMED_QUOTING';
      return { from, reject, detail: diagnostic`a record over ${this.maxRecordBytes} bytes${this.onLine(from)}` };
    }
    const q = found.quoteAt;
    if (found.kind === 'open' && found.lineEnds === 0 && overBudget) {
      return {
        from: q,
        reject: 'CELL_TOO_LARGE',
        detail: diagnostic`a quoted cell over ${this.maxRecordBytes} bytes${this.onLine(q)}`,
      };
    }
    const why =
      found.kind === 'runaway'
        ? found.closedBy === 'quote'
          ? `is closed only by a quote ${found.lineEnds} line(s) further down`
          : `spans more than ${MAX_QUOTED_LINE_ENDS} lines`
        : overBudget
          ? `is still open after ${this.maxRecordBytes} bytes`
          : 'is not closed by the end of the file';
    return { from: q, reject: 'MALFORMED_QUOTING', detail: diagnostic`the quote opened${this.onLine(q)} ${why}` };
  }

  private emitBroken(broken: Broken, end: number): void {
    const line = this.lines.lineAt(end);
    this.emit({
      cells: [],
      end: this.rawEnd(end),
      line: this.lineOf(line),
      reject: broken.reject,
      detail: broken.detail,
    });
    this.lastLine = line;
  }

  /** A fresh parser whose first byte is at `at`, the start of a record. */
  private restart(at: number): void {
    const parser = new Parser({
      delimiter: this.spec.delimiter,
      quote: '"',
      escape: '"',
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      encoding: this.unit === 2 ? 'utf16le' : 'utf8',
      bom: false,
      on_skip: (err: { code?: string; message: string } | undefined) => {
        this.skipped(err);
        return undefined;
      },
    });
    this.api = (parser as unknown as { api: CsvApi }).api;
    this.base = at;
    this.recordStart = at;
    this.windowStart = at;
    this.window = [];
  }

  /** csv-parse skipped a record: a quote open at the end of the input is a broken record, anything else one row. */
  private skipped(err: { code?: string; message: string } | undefined): void {
    if (this.failure !== undefined) return;
    if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
      this.failure = 'unclosed-at-end';
      return;
    }
    const end = this.base + this.api.info.bytes;
    const line = this.lines.lineAt(end);
    this.emit({
      cells: [],
      end: this.rawEnd(end),
      line: this.lineOf(line),
      reject: 'MALFORMED_ROW',
      detail: diagnostic`${err?.code ?? 'CSV error'}`,
    });
    this.recordStart = end;
    this.lastLine = line;
  }

  /** Drops the kept bytes before the record being read. */
  private trimWindow(): void {
    const w = this.window;
    let k = 0;
    let start = this.windowStart;
    while (k < w.length - 1 && start + (w[k] as Buffer).length <= this.recordStart) start += (w[k++] as Buffer).length;
    if (k === 0) return;
    this.window = w.slice(k);
    this.windowStart = start;
    this.lines.release(this.recordStart);
  }

  /** The kept bytes from `from` to `to` (absolute offsets inside the window). */
  private bytesFrom(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let at = this.windowStart;
    for (const slice of this.window) {
      const end = at + slice.length;
      if (end > from && at < to) parts.push(slice.subarray(Math.max(0, from - at), Math.min(slice.length, to - at)));
      at = end;
    }
    // Most records lie inside one slice: no copy then.
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private scanOpts(maxLineEnds = MAX_QUOTED_LINE_ENDS) {
    return { unit: this.unit, delimiter: this.spec.delimiter.charCodeAt(0), maxLineEnds };
  }

  private rawEnd(end: number): number | undefined {
    return this.exact ? end : undefined;
  }

  private lineOf(line: number): number | undefined {
    return this.knowsLines ? line : undefined;
  }

  /** ` on line N` for a detail, when line numbers are known. */
  private onLine(pos: number): ListPart {
    return { list: this.knowsLines ? [diagnostic` on line ${this.lines.lineAt(pos + 1)}`] : [], separator: '' };
  }
}

/**
 * Whether a cell starts with a quote and holds a line break. csv-parse keeps the quote of a field closed by a quote that
 * cannot close it (`relax_quotes`) at the field's start, so a stray quote that ran over rows leaves such a cell; a
 * multi-line answer that starts with a doubled quote does too, and the scan then tells them apart.
 */
function relaxedOverLines(record: readonly string[]): boolean {
  for (const c of record) if (c.charCodeAt(0) === 0x22 && (c.includes('\n') || c.includes('\r'))) return true;
  return false;
}

function hasCellOver(record: readonly string[], max: number): boolean {
  for (const c of record) if (c.length > max) return true;
  return false;
}

function noop(): void {}
