import iconv from 'iconv-lite';
import { FileRejectedError } from '../domain/types.js';
import type { TextEncoding } from './types.js';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** Bytes that Windows-1252 leaves undefined: their presence rules it out. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Chooses the encoding from evidence in the file's first bytes: a BOM, the NUL pattern of UTF-16, strict UTF-8
 * validity, then GB18030 structure (double-byte pairs in the GB2312 block or four-byte sequences) against
 * Windows-1252's isolated high bytes. A cp1252 file also decodes as GBK without error, so a clean decode alone is
 * never taken as proof.
 */
export function sniffEncoding(sample: Uint8Array, atEof: boolean): EncodingGuess {
  const b0 = sample[0];
  const b1 = sample[1];
  const b2 = sample[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8-bom', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  const utf16 = utf16WithoutBom(sample);
  if (utf16 !== undefined) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(sample, atEof)) return { encoding: 'utf-8', bomLength: 0 };
  if (looksLikeGb18030(sample, atEof)) return { encoding: 'gb18030', bomLength: 0 };
  if (looksLikeCp1252(sample)) return { encoding: 'windows-1252', bomLength: 0 };
  throw new FileRejectedError(
    'UNKNOWN_ENCODING',
    'The file is not valid UTF-8 or UTF-16, and its high bytes fit neither GB18030 nor Windows-1252.',
  );
}

/** UTF-16 without BOM: most code units of ASCII text have a zero high byte on one side. */
function utf16WithoutBom(sample: Uint8Array): TextEncoding | undefined {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZero++;
    if (sample[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.6 && evenZero / pairs < 0.05) return 'utf-16le';
  if (evenZero / pairs > 0.6 && oddZero / pairs < 0.05) return 'utf-16be';
  return undefined;
}

/** Strict UTF-8 check; a sequence cut by the end of a non-final sample is allowed. */
export function isUtf8(bytes: Uint8Array, atEof: boolean): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return false;
    if (i + need >= n) return !atEof && i + need >= n && tailIsContinuation(bytes, i + 1, n);
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const t = bytes[i + k] as number;
      if ((t & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (t & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function tailIsContinuation(bytes: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) return false;
  return true;
}

/**
 * GB18030 evidence: every high byte belongs to a well-formed two- or four-byte sequence, and most two-byte pairs
 * fall in the GB2312 hanzi/punctuation block (both bytes ≥ 0xA1). Windows-1252 text re-read as GBK yields pairs
 * whose trail byte is ASCII (`’s` → 0x92 0x73), which this rejects.
 */
function looksLikeGb18030(bytes: Uint8Array, atEof: boolean): boolean {
  const n = bytes.length;
  let pairs = 0;
  let gb2312Pairs = 0;
  let fourByte = 0;
  let i = 0;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c === 0x80 || c === 0xff) return false;
    if (i + 1 >= n) return !atEof;
    const t = bytes[i + 1] as number;
    if (t >= 0x30 && t <= 0x39) {
      if (i + 3 >= n) return !atEof;
      const t2 = bytes[i + 2] as number;
      const t3 = bytes[i + 3] as number;
      if (t2 < 0x81 || t2 > 0xfe || t3 < 0x30 || t3 > 0x39) return false;
      fourByte++;
      i += 4;
      continue;
    }
    if (t < 0x40 || t === 0x7f || t === 0xff) return false;
    pairs++;
    if (c >= 0xa1 && t >= 0xa1) gb2312Pairs++;
    i += 2;
  }
  if (pairs + fourByte === 0) return false;
  return gb2312Pairs + fourByte >= 0.6 * (pairs + fourByte);
}

function looksLikeCp1252(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (CP1252_UNDEFINED.has(bytes[i] as number)) return false;
  }
  return true;
}

/** A streaming decoder from raw bytes to text for the chosen encoding. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
    const td = new TextDecoder(label, { ignoreBOM: true });
    return { write: (c) => td.decode(c, { stream: true }), end: () => td.decode() };
  }
  if (encoding === 'windows-1252') {
    const dec = iconv.getDecoder('windows-1252');
    return {
      write: (c) => dec.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)),
      end: () => dec.end() ?? '',
    };
  }
  // iconv-lite's streaming GB18030 decoder drops a character when a chunk ends three bytes into a four-byte
  // sequence (emoji, rare CJK). Hand it only whole sequences and carry an incomplete tail to the next chunk.
  const dec = iconv.getDecoder('gb18030');
  let carry: Uint8Array = new Uint8Array(0);
  return {
    write: (c) => {
      const bytes = carry.length === 0 ? c : concatBytes(carry, c);
      const whole = gb18030WholeLength(bytes);
      carry = bytes.slice(whole);
      return whole === 0 ? '' : dec.write(Buffer.from(bytes.buffer, bytes.byteOffset, whole));
    },
    end: () => {
      const tail = carry.length > 0 ? dec.write(Buffer.from(carry)) : '';
      carry = new Uint8Array(0);
      return tail + (dec.end() ?? '');
    },
  };
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Length of the prefix of `bytes` made of whole GB18030 sequences: one byte below 0x81 (or 0xFF), two bytes after a
 * lead byte 0x81–0xFE, four bytes when the second byte is a digit 0x30–0x39.
 */
export function gb18030WholeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x81 || b === 0xff) {
      i++;
      continue;
    }
    if (i + 1 >= n) return i;
    const b2 = bytes[i + 1] as number;
    const size = b2 >= 0x30 && b2 <= 0x39 ? 4 : 2;
    if (i + size > n) return i;
    i += size;
  }
  return n;
}

/** Node Buffer encoding that csv-parse can consume directly (keeping byte offsets exact), if any. */
export function nativeBufferEncoding(encoding: TextEncoding): 'utf8' | 'utf16le' | undefined {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return 'utf8';
  if (encoding === 'utf-16le') return 'utf16le';
  return undefined;
}
