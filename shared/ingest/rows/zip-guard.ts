/**
 * Bounds on what a zip (an XLSX workbook) may inflate to, checked as it streams: from each entry's local header before
 * anything is inflated, then on every inflated chunk before it reaches a parser, memory or the temp directory.
 */

import { FileRejectedError } from '../../domain/errors.js';
import type { Diagnostic } from '../../domain/types.js';
import { diagnostic } from '../diagnostic.js';
import { MAX_ZIP_ENTRIES, RATIO_GRACE_BYTES, type ReadLimits } from '../limits.js';
import { formatBytes } from './bytes.js';

/** What unzipper's streaming parser tells of an entry from its local header. */
export interface ZipEntryHeader {
  path: string;
  vars: { flags: number; compressedSize: number; uncompressedSize: number };
}

/** Replaces the rest of an XML text run cut at the cell limit; a row holding it is rejected (`CELL_TOO_LARGE`). */
export const CUT_MARKER = '\uE000CUT\uE000';
const CUT_MARKER_BYTES = Buffer.from(CUT_MARKER, 'utf8');
/** Bit 3 of the general-purpose flags: sizes follow the data (a data descriptor), the header's are zero. */
const DATA_DESCRIPTOR = 0x08;
const LESS_THAN = 0x3c;
const AMPERSAND = 0x26;
const SEMICOLON = 0x3b;
/** Longest XML character reference worth keeping whole when a run is cut (`&#x10FFFF;` and some zero padding). */
const ENTITY_LOOKBACK = 32;

/** One entry's inflation, as the budget follows it. */
interface EntryMeter {
  /** How messages name the entry (never its raw name: that is the file's content). */
  label: string;
  declaredSize?: number;
  declaredCompressed?: number;
  inflated: number;
  /** Inflated bytes allowed for a part read whole into memory. */
  cap?: number;
}

/** Counts a workbook's bytes as they stream, compressed in and inflated out, against the limits. */
export class ZipBudget {
  private compressed = 0;
  private inflated = 0;
  private entries = 0;
  /** XML text runs cut at the cell limit so far (see {@link XmlTextCap}): only then do rows look for the marker. */
  cuts = 0;

  constructor(private readonly limits: ReadLimits) {}

  /** The compressed input, counted: the inflation ratio of an entry without declared sizes is judged against it. */
  async *count(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const c of bytes) {
      this.compressed += c.byteLength;
      yield c;
    }
  }

  /**
   * An entry's inflated bytes, checked as they stream (at once, from its header, when it already declares too much).
   * `cap` bounds a part read whole; `xmlText` cuts XML text runs at the cell limit. Lazy, and its errors are thrown to
   * whoever reads it: nothing is inflated before a consumer asks, and no error is emitted with no one listening.
   */
  async *metered(
    entry: ZipEntryHeader & AsyncIterable<Buffer>,
    label: string,
    options: { cap?: number; xmlText?: boolean } = {},
  ): AsyncGenerator<Buffer> {
    const meter = this.admit(entry, label, options.cap);
    const cap = options.xmlText === true ? new XmlTextCap(this.limits.maxCellSize * 3, () => this.cuts++) : undefined;
    for await (const chunk of entry) {
      const err = this.take(meter, chunk.byteLength);
      if (err !== undefined) throw err;
      if (cap === undefined) yield chunk;
      else yield* cap.apply(chunk);
    }
  }

  /** Checks an entry's local header before anything is inflated. */
  private admit(entry: ZipEntryHeader, label: string, cap: number | undefined): EntryMeter {
    const max = this.limits.maxInflationRatio;
    if (++this.entries > MAX_ZIP_ENTRIES)
      throw zipBomb(diagnostic`The workbook has more than ${MAX_ZIP_ENTRIES} zip entries.`);
    const meter: EntryMeter = { label, inflated: 0, cap };
    const { flags, compressedSize, uncompressedSize } = entry.vars;
    if ((flags & DATA_DESCRIPTOR) !== 0) return meter;
    meter.declaredSize = uncompressedSize;
    meter.declaredCompressed = compressedSize;
    if (uncompressedSize > RATIO_GRACE_BYTES && uncompressedSize > max * Math.max(1, compressedSize)) {
      throw zipBomb(diagnostic`${label} declares an inflation ratio above ${max}.`);
    }
    if (uncompressedSize > this.limits.maxInflatedBytes || (cap !== undefined && uncompressedSize > cap)) {
      throw tooLarge(diagnostic`${label} declares ${formatBytes(uncompressedSize)} inflated.`);
    }
    return meter;
  }

  /** Counts `n` more inflated bytes of an entry; the error that ends the file when they pass a limit. */
  private take(m: EntryMeter, n: number): FileRejectedError | undefined {
    m.inflated += n;
    this.inflated += n;
    if (this.inflated > this.limits.maxInflatedBytes) {
      return tooLarge(diagnostic`The workbook inflates to more than ${formatBytes(this.limits.maxInflatedBytes)}.`);
    }
    if (m.cap !== undefined && m.inflated > m.cap)
      return tooLarge(diagnostic`${m.label} inflates to more than ${formatBytes(m.cap)}.`);
    if (m.declaredSize !== undefined && m.inflated > m.declaredSize) {
      return zipBomb(diagnostic`${m.label} inflates past the ${formatBytes(m.declaredSize)} its zip header declares.`);
    }
    if (m.inflated <= RATIO_GRACE_BYTES) return undefined;
    // Without declared sizes (a data descriptor), the whole file so far is the measure.
    const ratio =
      m.declaredCompressed === undefined ? this.inflated / this.compressed : m.inflated / m.declaredCompressed;
    const max = this.limits.maxInflationRatio;
    return ratio > max
      ? zipBomb(diagnostic`${m.label} inflates more than ${max} times its compressed size.`)
      : undefined;
  }
}

function tooLarge(message: Diagnostic): FileRejectedError {
  return new FileRejectedError('FILE_TOO_LARGE', message);
}

function zipBomb(message: Diagnostic): FileRejectedError {
  return new FileRejectedError('ZIP_BOMB', message);
}

/**
 * Cuts every run of XML bytes between two `<` that is longer than `cap` (a text node far past the cell limit, which
 * the XML parser would otherwise accumulate whole) to `cap` bytes followed by {@link CUT_MARKER}. A chunk that cannot
 * hold such a run (nearly all of them) passes untouched after one `lastIndexOf`.
 */
export class XmlTextCap {
  /** Bytes since the last `<`. */
  private since = 0;
  /** Inside a cut run: bytes are dropped until the next `<`. */
  private skipping = false;

  constructor(
    private readonly cap: number,
    private readonly onCut: () => void,
  ) {}

  apply(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let rest = chunk;
    if (this.skipping) {
      const lt = rest.indexOf(LESS_THAN);
      if (lt === -1) return out;
      this.skipping = false;
      this.since = 0;
      out.push(CUT_MARKER_BYTES);
      rest = rest.subarray(lt);
    }
    if (this.since + rest.length <= this.cap) {
      const last = rest.lastIndexOf(LESS_THAN);
      this.since = last === -1 ? this.since + rest.length : rest.length - 1 - last;
      out.push(rest);
      return out;
    }
    return this.cutRuns(rest, out);
  }

  /** The slow path: walks the chunk's `<` one by one and cuts the runs past the cap. */
  private cutRuns(chunk: Buffer, out: Buffer[]): Buffer[] {
    let pos = 0;
    let emitFrom = 0;
    for (;;) {
      const lt = chunk.indexOf(LESS_THAN, pos);
      const runEnd = lt === -1 ? chunk.length : lt;
      if (this.since + runEnd - pos > this.cap) {
        const cut = safeCut(chunk, pos + this.cap - this.since, pos);
        out.push(chunk.subarray(emitFrom, cut));
        this.onCut();
        if (lt === -1) {
          this.skipping = true;
          return out;
        }
        out.push(CUT_MARKER_BYTES);
        emitFrom = lt;
      }
      if (lt === -1) {
        this.since += runEnd - pos;
        break;
      }
      this.since = 0;
      pos = lt + 1;
    }
    out.push(chunk.subarray(emitFrom));
    return out;
  }
}

/** A cut at or before `at` (not before `min`) that splits neither a UTF-8 character nor a character reference. */
function safeCut(buf: Buffer, at: number, min: number): number {
  let cut = at;
  while (cut > min && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--;
  const from = Math.max(min, cut - ENTITY_LOOKBACK);
  const amp = buf.subarray(from, cut).lastIndexOf(AMPERSAND);
  if (amp !== -1 && buf.subarray(from + amp, cut).indexOf(SEMICOLON) === -1) cut = from + amp;
  return cut;
}
