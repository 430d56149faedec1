import { Parser } from 'csv-parse';
import { FileRejectedError } from '../../domain/errors.js';
import { createDecoder, nativeBufferEncoding } from '../encoding.js';
import type { ReadLimits } from '../limits.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import type { RawRow } from './raw-row.js';

/** csv-parse's state for the record in progress (internals, read to bound what one record may hold). */
interface RecordState {
  record: string[];
  field: { length: number; reset(): void };
}

interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { bytes: number };
  state: RecordState;
}

/** Bytes handed to csv-parse at a time: how far a record may grow past the limits before it is cut. */
const SLICE = 64 * 1024;

/**
 * What was cut from the record in progress: a record past the size or column limit is emptied while it is read
 * (csv-parse goes on parsing it, so the records after it and their offsets stay exact) and comes out rejected.
 */
class RecordCap {
  private chars = 0;
  private cells = 0;

  constructor(private readonly limits: ReadLimits) {}

  /** Empties the record in progress when it is past a limit, remembering how much it held. */
  bound(st: RecordState): void {
    let size = st.field.length;
    for (const f of st.record) size += f.length;
    if (size <= this.limits.maxCellSize && st.record.length <= this.limits.maxColumns) return;
    this.chars += size;
    this.cells += st.record.length;
    st.field.reset();
    st.record = [];
  }

  /** The row of a record csv-parse ended: rejected when it was cut, or is past a limit itself. */
  row(record: string[], end: number | undefined): RawRow {
    let chars = this.chars;
    for (const f of record) chars += f.length;
    const cells = this.cells + record.length;
    const cut = this.chars > 0;
    this.chars = 0;
    this.cells = 0;
    if (cells > this.limits.maxColumns) return { cells: [], end, reject: 'TOO_MANY_COLUMNS', detail: `${cells} cells` };
    if (cut || chars > this.limits.maxCellSize) {
      return { cells: [], end, reject: 'CELL_TOO_LARGE', detail: `${chars} characters or more` };
    }
    return { cells: record, end };
  }

  /** A record csv-parse skipped as malformed: if it was cut, too large is the better reason. */
  skipped(end: number | undefined, code: string | undefined): RawRow {
    const cut = this.chars > 0;
    this.chars = 0;
    this.cells = 0;
    if (cut) return { cells: [], end, reject: 'CELL_TOO_LARGE', detail: 'record cut at the cell limit' };
    return { cells: [], end, reject: 'MALFORMED_ROW', detail: code ?? 'CSV error' };
  }
}

/**
 * CSV/TSV records in batches. UTF-8 and UTF-16LE bytes go to csv-parse undecoded, so `info.bytes` is an exact raw
 * offset for resume; other encodings are decoded first (offsets then unknown).
 * Drives csv-parse's synchronous core directly (no Transform stream) so each record's end offset is exact and no
 * stream machinery sits on the hot path. Its own record-size limit is off: it drops the rest of the chunk it fires in
 * and splits the record into many; {@link RecordCap} bounds records instead, between slices of input.
 */
export async function* csvRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  delimiter: string,
  startOffset: number,
  limits: ReadLimits,
): AsyncGenerator<RawRow[]> {
  const native = nativeBufferEncoding(encoding);
  const exact = native !== undefined;
  const cap = new RecordCap(limits);
  let batch: RawRow[] = [];
  const endOf = (): number | undefined => (exact ? startOffset + api.info.bytes : undefined);
  const parser = new Parser({
    delimiter,
    quote: '"',
    escape: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    encoding: native ?? 'utf8',
    bom: false,
    on_skip: (err: { code?: string } | undefined) => {
      batch.push(cap.skipped(endOf(), err?.code));
    },
  });
  const api = (parser as unknown as { api: CsvApi }).api;
  const push = (record: string[]) => batch.push(cap.row(record, endOf()));
  const close = () => {};
  const decoder = native === undefined ? createDecoder(encoding) : undefined;
  const feed = (chunk: Buffer | undefined, end: boolean) => {
    const err = api.parse(chunk, end, push, close);
    if (err !== undefined) {
      throw new FileRejectedError('MALFORMED_FILE', `CSV could not be parsed: ${err.message}`, { cause: err });
    }
    cap.bound(api.state);
  };
  const feedSlices = (buf: Buffer) => {
    for (let at = 0; at < buf.length; at += SLICE) feed(buf.subarray(at, at + SLICE), false);
  };
  for await (const chunk of bytes) {
    feedSlices(decoder === undefined ? asBuffer(chunk) : Buffer.from(decoder.write(chunk), 'utf8'));
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (decoder !== undefined) {
    const tail = decoder.end();
    if (tail.length > 0) feedSlices(Buffer.from(tail, 'utf8'));
  }
  feed(undefined, true);
  if (batch.length > 0) yield batch;
}
