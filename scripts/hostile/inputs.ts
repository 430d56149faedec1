/** Building blocks of the hostile cases' inputs: text files written piece by piece, rows, generated content. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { words } from './text.js';
import { pieces, rowXml } from './workbook.js';

const MiB = 1024 * 1024;

export async function writeText(path: string, parts: AsyncIterable<string> | Iterable<string>): Promise<string> {
  const out = createWriteStream(path);
  for await (const p of pieces(parts)) if (!out.write(p)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return path;
}

const CSV_HEADER = 'Review ID,Submitted At,Star Rating,Review Text\n';

/** `n` ordinary CSV records (no header), ids from `from`. */
export function* csvRecords(n: number, seed = 1, from = 1): Generator<string> {
  const text = words(seed);
  for (let i = from; i < from + n; i++) {
    yield `r${i},2026-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 5) + 1},"${text(6)}"\n`;
  }
}

export function* csvRows(n: number): Generator<string> {
  yield CSV_HEADER;
  yield* csvRecords(n);
}

export const HEADER_ROW = rowXml(1, ['Review ID', 'Rating', 'Review Text']);

/** Ordinary feedback rows (id, rating, a shared string): the table around a bomb or an odd row. */
export function* feedbackRows(n: number, from = 2): Generator<string> {
  for (let r = from; r < from + n; r++) yield rowXml(r, [`r${r}`, (r % 5) + 1, { s: r % 2 }]);
}

/** Unique shared-string references (one string a row), for a baseline whose every text differs. */
export function* feedbackRowsUnique(n: number): Generator<string> {
  for (let i = 0; i < n; i++) yield rowXml(i + 2, [`r${i}`, (i % 5) + 1, { s: i }]);
}

/** `n` generated items, after `first`. */
export function* counted(n: number, item: (i: number) => string, first: readonly string[] = []): Generator<string> {
  yield* first;
  for (let i = 0; i < n; i++) yield item(i);
}

export function* sameRows(first: string, row: string, n: number): Generator<string> {
  yield first;
  for (let i = 0; i < n; i++) yield row;
}

/** Strings of a repeated phrase with a few varying characters: deflate shrinks them about 300 times. */
export function* repetitiveStrings(totalChars: number): Generator<string> {
  const phrase = 'the app keeps crashing when I open my orders page. ';
  const body = phrase.repeat(20);
  for (let n = 0, i = 0; n < totalChars; i++) {
    const s = `${body}#${i % 100}`;
    n += s.length;
    yield s;
  }
}

/** `size` characters of `ch`, in pieces. */
export function chunked(size: number, ch: string): string[] {
  const piece = ch.repeat(MiB);
  const out: string[] = [];
  for (let left = size; left > 0; left -= MiB) out.push(left >= MiB ? piece : ch.repeat(left));
  return out;
}

export function* shortCsvRows(n: number): Generator<string> {
  yield 'id,rating,text\n';
  for (let i = 0; i < n; i++) yield `${i},${(i % 5) + 1},ok\n`;
}

export function* keyExplosion(n: number): Generator<string> {
  for (let i = 0; i < 300; i++) yield `{"id":"k${i}","text":"ordinary ${i}","rating":${(i % 5) + 1}}\n`;
  for (let i = 0; i < n; i++) {
    const extra = Array.from({ length: 20 }, (_, k) => `"f${i}_${k}":${k}`).join(',');
    yield `{"id":"x${i}","text":"more ${i}","rating":3,${extra}}\n`;
  }
}
