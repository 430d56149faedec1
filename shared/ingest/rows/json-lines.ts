import { createDecoder } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import type { KeyIndex } from './json-flatten.js';
import { jsonRows } from './json-text.js';
import type { RawRow } from './raw-row.js';

/**
 * JSON Lines: one record a line; blank lines are skipped; a broken line is one rejected row, and so is a line longer
 * than the cell limit, which is passed over to its end without being held.
 */
export function jsonLinesRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  startOffset: number,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  const exact = encoding === 'utf-8' || encoding === 'utf-8-bom';
  return exact ? utf8Lines(bytes, startOffset, keys, maxSize) : decodedLines(bytes, encoding, keys, maxSize);
}

function tooLong(length: number, end: number | undefined): RawRow {
  return { cells: [], end, reject: 'CELL_TOO_LARGE', detail: `line of ${length} characters or more` };
}

/** UTF-8 lines split on the raw bytes, so each row's end is an exact byte offset for resume. */
async function* utf8Lines(
  bytes: AsyncIterable<Uint8Array>,
  startOffset: number,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  // A UTF-8 character is at most 4 bytes: a line of more bytes than this has more characters than the limit.
  const maxBytes = maxSize * 4;
  let carry: Buffer | undefined;
  /** Bytes of an over-long line passed over so far (0: none). */
  let skipping = 0;
  let offset = startOffset;
  for await (const chunk of bytes) {
    let buf = asBuffer(chunk);
    const batch: RawRow[] = [];
    if (skipping > 0) {
      const nl = buf.indexOf(10);
      if (nl === -1) {
        skipping += buf.length;
        offset += buf.length;
        continue;
      }
      offset += nl + 1;
      batch.push(tooLong(skipping + nl, offset));
      skipping = 0;
      buf = buf.subarray(nl + 1);
    }
    if (carry !== undefined) buf = Buffer.concat([carry, buf]);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const line = buf.toString('utf8', start, nl);
      offset += nl + 1 - start;
      start = nl + 1;
      if (line.trim().length > 0) jsonRows(line, keys, offset, maxSize, batch);
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
    if (carry !== undefined && carry.length > maxBytes) {
      skipping = carry.length;
      offset += carry.length;
      carry = undefined;
    }
    if (batch.length > 0) yield batch;
  }
  if (skipping > 0) yield [tooLong(skipping, offset)];
  if (carry !== undefined) {
    const line = carry.toString('utf8');
    offset += carry.length;
    const tail: RawRow[] = [];
    if (line.trim().length > 0) jsonRows(line, keys, offset, maxSize, tail);
    if (tail.length > 0) yield tail;
  }
}

/** Lines of other encodings, split after decoding (byte offsets then unknown). */
async function* decodedLines(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  const decoder = createDecoder(encoding);
  let carry = '';
  /** Characters of an over-long line passed over so far (0: none). */
  let skipping = 0;
  const lines = (text: string, final: boolean): RawRow[] => {
    const out: RawRow[] = [];
    let all = text;
    if (skipping > 0) {
      const nl = text.indexOf('\n');
      if (nl === -1 && !final) {
        skipping += text.length;
        return out;
      }
      out.push(tooLong(skipping + (nl === -1 ? text.length : nl), undefined));
      skipping = 0;
      all = nl === -1 ? '' : text.slice(nl + 1);
    }
    const parts = (carry + all).split('\n');
    carry = final ? '' : (parts.pop() ?? '');
    if (carry.length > maxSize) {
      skipping = carry.length;
      carry = '';
    }
    for (const p of parts) if (p.trim().length > 0) jsonRows(p, keys, undefined, maxSize, out);
    return out;
  };
  for await (const chunk of bytes) {
    const b = lines(decoder.write(chunk), false);
    if (b.length > 0) yield b;
  }
  const b = lines(decoder.end(), true);
  if (skipping > 0) b.push(tooLong(skipping, undefined));
  if (b.length > 0) yield b;
}
