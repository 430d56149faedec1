import { FileRejectedError } from '../domain/errors.js';
import { diagnostic } from './diagnostic.js';
import { createDecoder, sniffEncoding } from './encoding.js';
import type { TextEncoding } from './types.js';

/** Bytes looked at to tell the format, encoding and delimiter. */
export const SNIFF_BYTES = 64 * 1024;
const SEP_HINT = /^\ufeff?sep=([^\r\n])[^\S\r\n]*\r?\n/i;

/** What the first bytes of a file say about how to read it. */
export type Sniffed = { format: 'xlsx' } | SniffedText;

export interface SniffedText {
  format: 'csv' | 'tsv' | 'json' | 'jsonl';
  encoding: TextEncoding;
  /** Bytes of the byte order mark, skipped before the rows. */
  bomLength: number;
  /** Only ASCII was seen and the file goes on: the encoding is settled later, at the first non-ASCII byte. */
  settleLate: boolean;
  /** CSV/TSV only. */
  delimiter?: string;
  /** Lines known to precede the header (Excel's `sep=` hint). */
  preambleHint: number;
}

/**
 * Tells from a file's first bytes (`eof`: they are the whole file) whether it is a workbook or text, and for text its
 * encoding, format and delimiter. Throws `FileRejectedError` for empty, binary, compressed and legacy Excel files.
 */
export function sniff(bytes: Uint8Array, eof: boolean): Sniffed {
  if (bytes.length === 0) throw new FileRejectedError('EMPTY_FILE', diagnostic`The file is empty (0 bytes).`);
  const magic = detectBinary(bytes);
  if (magic === 'ole2') {
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      diagnostic`Legacy Excel .xls (OLE2) is not supported: save it as .xlsx or CSV.`,
    );
  }
  if (magic === 'gzip')
    throw new FileRejectedError('UNSUPPORTED_FORMAT', diagnostic`The file is gzip-compressed: upload it uncompressed.`);
  if (magic === 'pdf') throw new FileRejectedError('BINARY_FILE', diagnostic`The file is a PDF, not a table.`);
  if (magic === 'zip') return { format: 'xlsx' };
  return sniffText(bytes, eof);
}

function sniffText(bytes: Uint8Array, eof: boolean): SniffedText {
  const enc = sniffEncoding(bytes, eof);
  const decoder = createDecoder(enc.encoding);
  const text = decoder.write(bytes.subarray(enc.bomLength)) + (eof ? decoder.end() : '');
  if (nulRatio(text) > 0.01 || controlRatio(text) > 0.02) {
    throw new FileRejectedError(
      'BINARY_FILE',
      diagnostic`The file holds binary data (control bytes), not text in ${enc.encoding}.`,
    );
  }
  if (text.replace(/^\ufeff/, '').trim() === '')
    throw new FileRejectedError('EMPTY_FILE', diagnostic`The file holds only whitespace.`);
  const base = {
    encoding: enc.encoding,
    bomLength: enc.bomLength,
    settleLate: enc.undecided === true && !eof,
    preambleHint: 0,
  };
  const kind = detectTextFormat(text);
  if (kind === 'json' || (kind === 'json-lines-or-doc' && !looksLikeJsonLines(text)))
    return { ...base, format: 'json' };
  if (kind === 'json-lines-or-doc') return { ...base, format: 'jsonl' };
  // Excel's hint line (`sep=;`) names the delimiter; it is skipped as a line above the header.
  const hint = SEP_HINT.exec(text);
  const delimiter = hint?.[1] ?? sniffDelimiter(text, eof);
  return { ...base, format: delimiter === '\t' ? 'tsv' : 'csv', delimiter, preambleHint: hint === null ? 0 : 1 };
}

/** Sniffs the delimiter from decoded text: the candidate with the most consistent non-zero count per record. */
export function sniffDelimiter(text: string, atEof: boolean): string {
  const candidates = [',', ';', '\t', '|'];
  const counts: number[][] = candidates.map(() => []);
  const current = candidates.map(() => 0);
  let inQuotes = false;
  let records = 0;
  for (let i = 0; i < text.length && records < 50; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      candidates.forEach((_, k) => {
        counts[k]?.push(current[k] ?? 0);
        current[k] = 0;
      });
      records++;
    } else if (!inQuotes) {
      const k = candidates.indexOf(ch ?? '');
      if (k !== -1) current[k] = (current[k] ?? 0) + 1;
    }
  }
  if (atEof || records === 0) {
    for (let k = 0; k < candidates.length; k++) counts[k]?.push(current[k] ?? 0);
  }
  let best = ',';
  let bestScore = 0;
  candidates.forEach((c, k) => {
    const cs = (counts[k] ?? []).filter((_, i, a) => !(i === a.length - 1 && a.length > 1 && a[i] === 0));
    if (cs.length === 0) return;
    const freq = new Map<number, number>();
    for (const n of cs) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    let modeCount = 0;
    let mode = 0;
    for (const [n, f] of freq) {
      if (f > modeCount || (f === modeCount && n > mode)) {
        modeCount = f;
        mode = n;
      }
    }
    const score = (modeCount / cs.length) * 100 + Math.min(mode, 50) / 100;
    if (mode > 0 && score > bestScore) {
      bestScore = score;
      best = c;
    }
  });
  return best;
}

function detectBinary(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'ole2';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'pdf';
  return undefined;
}

/** Share of NUL characters in the sample: a stray one in a cell is dirt (cleaning removes it), many mean binary. */
function nulRatio(text: string): number {
  let nul = 0;
  for (let at = text.indexOf('\u0000'); at !== -1; at = text.indexOf('\u0000', at + 1)) nul++;
  return text.length === 0 ? 0 : nul / text.length;
}

function controlRatio(text: string): number {
  const n = Math.min(text.length, 16_384);
  if (n === 0) return 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad / n;
}

function detectTextFormat(text: string): 'csv' | 'json' | 'json-lines-or-doc' {
  const t = text.trimStart();
  if (t.startsWith('[')) return 'json';
  if (t.startsWith('{')) return 'json-lines-or-doc';
  return 'csv';
}

/**
 * Whether a line that does not parse on its own opens a JSON document laid out over several lines: it ends outside
 * any string with a structure still open, right after `[`, `{` or `,` (`{"app":"x","reviews":[` then one record a
 * line, or any pretty-printed document). A truncated JSON Lines record ends elsewhere (mostly inside a string).
 */
function opensDocument(line: string): boolean {
  let depth = 0;
  let inString = false;
  let last = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13) continue;
    last = ch;
    if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth < 0) return false;
    }
  }
  return !inString && depth > 0 && (last === 91 || last === 123 || last === 44);
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const first = lines[0]?.trim() ?? '';
  try {
    const v: unknown = JSON.parse(first);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      // One line holding an object with an array of records is a minified document (App Store Connect API).
      if (lines.length === 1)
        return !Object.values(v).some((x) => Array.isArray(x) && x.some((e) => typeof e === 'object'));
      return true;
    }
  } catch {
    // First line is not a whole object: either a document laid out over lines or a broken first line.
    if (opensDocument(first)) return false;
  }
  const objectLines = lines.filter((l) => l.trimStart().startsWith('{')).length;
  return objectLines >= 2 && objectLines >= lines.length * 0.8;
}
