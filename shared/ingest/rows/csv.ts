import { Parser } from 'csv-parse';
import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../diagnostic.js';
import { createDecoder, nativeBufferEncoding } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import type { RawRow } from './raw-row.js';

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
        detail: diagnostic`${err?.code ?? 'CSV error'}`,
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
      const message = diagnostic`CSV could not be parsed: ${{ message: err.message }}`;
      throw new FileRejectedError('MALFORMED_FILE', message, { cause: err });
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
