import { diagnostic } from '../diagnostic.js';
import { createDecoder } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import type { KeyIndex } from './json-flatten.js';
import { jsonRows } from './json-text.js';
import type { LineCount, RawRow } from './raw-row.js';

export interface JsonLinesSpec {
  encoding: TextEncoding;
  /** Raw offset of the first byte passed, so row ends are file offsets. */
  startOffset: number;
  keys: KeyIndex;
  /** A line longer than this (characters) is one `CELL_TOO_LARGE` row; it is never held whole. */
  maxCell: number;
  /** Physical lines before `startOffset`; undefined when unknown (rows then carry no line number). */
  linesBefore?: number;
  /** Filled in at the end of the input with the file's physical lines. */
  lineCount?: LineCount;
}

/**
 * JSON Lines: one record a line; blank lines are skipped; a broken line is one rejected row, and so is a line over the
 * size limit however long it runs (its bytes are passed over up to its end, not kept).
 */
export function jsonLinesRows(bytes: AsyncIterable<Uint8Array>, spec: JsonLinesSpec): AsyncGenerator<RawRow[]> {
  const exact = spec.encoding === 'utf-8' || spec.encoding === 'utf-8-bom';
  return exact ? utf8Lines(bytes, spec) : decodedLines(bytes, spec);
}

/** A line over the limit, as one rejected row. */
function tooLong(chars: number, end: number | undefined, line: number | undefined): RawRow {
  return {
    cells: [],
    end,
    line,
    reject: 'CELL_TOO_LARGE',
    detail: diagnostic`a line of more than ${chars} characters`,
  };
}

/** UTF-8 lines split on the raw bytes, so each row's end is an exact byte offset for resume. */
async function* utf8Lines(bytes: AsyncIterable<Uint8Array>, spec: JsonLinesSpec): AsyncGenerator<RawRow[]> {
  const { keys, maxCell } = spec;
  const maxBytes = maxCell * 4;
  let line = spec.linesBefore ?? 0;
  const lineOf = (n: number) => (spec.linesBefore === undefined ? undefined : n);
  let carry: Buffer | undefined;
  let offset = spec.startOffset;
  /** Passing over a line too long to keep, up to its end. */
  let overLong = false;
  for await (const chunk of bytes) {
    const buf = carry === undefined ? asBuffer(chunk) : Buffer.concat([carry, asBuffer(chunk)]);
    const batch: RawRow[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      offset += nl + 1 - start;
      line++;
      if (overLong) batch.push(tooLong(maxCell, offset, lineOf(line)));
      else {
        const text = buf.toString('utf8', start, nl);
        if (text.trim().length > 0) jsonRows(text, keys, { end: offset, line: lineOf(line) }, maxCell, batch);
      }
      overLong = false;
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
    if (carry !== undefined && (overLong || carry.length > maxBytes)) {
      overLong = true;
      offset += carry.length;
      carry = undefined;
    }
    if (batch.length > 0) yield batch;
  }
  const tail: RawRow[] = [];
  if (overLong || carry !== undefined) line++;
  if (overLong) tail.push(tooLong(maxCell, offset, lineOf(line)));
  else if (carry !== undefined) {
    offset += carry.length;
    const text = carry.toString('utf8');
    if (text.trim().length > 0) jsonRows(text, keys, { end: offset, line: lineOf(line) }, maxCell, tail);
  }
  if (spec.lineCount !== undefined && spec.linesBefore !== undefined) spec.lineCount.total = line;
  if (tail.length > 0) yield tail;
}

/** Lines of other encodings, split after decoding (byte offsets then unknown). */
async function* decodedLines(bytes: AsyncIterable<Uint8Array>, spec: JsonLinesSpec): AsyncGenerator<RawRow[]> {
  const { keys, maxCell } = spec;
  const decoder = createDecoder(spec.encoding);
  let line = spec.linesBefore ?? 0;
  const lineOf = (n: number) => (spec.linesBefore === undefined ? undefined : n);
  let carry = '';
  /** Passing over a line too long to keep, up to its end. */
  let overLong = false;
  const lines = (input: string, final: boolean): RawRow[] => {
    const out: RawRow[] = [];
    let text = input;
    if (overLong) {
      const nl = text.indexOf('\n');
      if (nl === -1 && !final) return out;
      out.push(tooLong(maxCell, undefined, lineOf(++line)));
      overLong = false;
      text = nl === -1 ? '' : text.slice(nl + 1);
    }
    const parts = (carry + text).split('\n');
    const last = parts.pop() ?? '';
    carry = final ? '' : last;
    if (final && last !== '') parts.push(last);
    for (const p of parts) {
      line++;
      if (p.trim().length > 0) jsonRows(p, keys, { end: undefined, line: lineOf(line) }, maxCell, out);
    }
    if (carry.length > maxCell) {
      overLong = true;
      carry = '';
    }
    return out;
  };
  for await (const chunk of bytes) {
    const b = lines(decoder.write(chunk), false);
    if (b.length > 0) yield b;
  }
  const b = lines(decoder.end(), true);
  if (spec.lineCount !== undefined && spec.linesBefore !== undefined) spec.lineCount.total = line;
  if (b.length > 0) yield b;
}
