import { diagnostic } from '../diagnostic.js';
import { createDecoder } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import { asBuffer } from './bytes.js';
import type { KeyIndex } from './json-flatten.js';
import { jsonRows } from './json-text.js';
import type { RawRow } from './raw-row.js';

/** JSON Lines: one record a line; blank lines are skipped; a broken line is one rejected row. */
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

/** UTF-8 lines split on the raw bytes, so each row's end is an exact byte offset for resume. */
async function* utf8Lines(
  bytes: AsyncIterable<Uint8Array>,
  startOffset: number,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
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
      batch.push({ cells: [], reject: 'CELL_TOO_LARGE', detail: diagnostic`line too long` });
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
