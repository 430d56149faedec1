const LF = 10;
const CR = 13;
/** Released terminators are dropped from the front of the list once there are this many. */
const COMPACT_AT = 4096;

/**
 * Where the physical lines of a byte stream end (LF, CRLF or a lone CR: the record delimiters the CSV reader
 * accepts), in code units of 1 byte (UTF-8) or 2 (UTF-16LE, chunks fed whole units), so that a record's end offset
 * tells the number of the line it ends on. Offsets are absolute (as the reader counts them); line numbers count the
 * `linesBefore` lines that precede the stream (a resumed read).
 */
export class LineBreaks {
  /** Offsets just after each terminator, in order, from the first not yet released. */
  private ends: number[] = [];
  /** Where the last {@link lineAt} left off in `ends`. */
  private head = 0;
  /** Terminators forgotten by {@link release}. */
  private dropped = 0;
  /** Offset just after a CR that ended the last chunk: whether an LF follows is known with the next one. */
  private pendingCr = -1;
  /** Offset just after the last byte added, and just after the last terminator found. */
  private fed: number;
  private lastEnd: number;

  constructor(
    private readonly unit: 1 | 2,
    private readonly linesBefore: number,
    private readonly start: number,
  ) {
    this.fed = start;
    this.lastEnd = start;
  }

  private push(end: number): void {
    this.ends.push(end);
    this.lastEnd = end;
  }

  /** Records the terminators of `chunk`, which starts at absolute offset `at` (just after the previous one). */
  add(chunk: Uint8Array, at: number): void {
    this.fed = at + chunk.length;
    if (chunk.length === 0) return;
    if (this.pendingCr >= 0) {
      // A CR then an LF across the chunk boundary: the LF ends the line (and is found below).
      if (!(chunk[0] === LF && (this.unit === 1 || chunk[1] === 0))) this.push(this.pendingCr);
      this.pendingCr = -1;
    }
    if (this.unit === 1) this.addBytes(chunk, at);
    else this.addUnits(chunk, at);
  }

  /** Terminators of a UTF-8 chunk, found with `indexOf` (memchr), LFs and CRs merged in order. */
  private addBytes(chunk: Uint8Array, at: number): void {
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        this.push(at + lf + 1);
        lf = chunk.indexOf(LF, lf + 1);
        continue;
      }
      if (cr + 1 === chunk.length) this.pendingCr = at + cr + 1;
      else if (chunk[cr + 1] !== LF) this.push(at + cr + 1);
      cr = chunk.indexOf(CR, cr + 1);
    }
  }

  /** Terminators of a UTF-16LE chunk (whole units), in order; a CR at its end waits for the next chunk. */
  private addUnits(chunk: Uint8Array, at: number): void {
    const w = this.unit;
    for (let i = 0; i + w <= chunk.length; i += w) {
      const c = chunk[i];
      if ((c !== LF && c !== CR) || (w === 2 && chunk[i + 1] !== 0)) continue;
      if (c === LF) this.push(at + i + w);
      else if (i + w === chunk.length) this.pendingCr = at + i + w;
      else if (!(chunk[i + w] === LF && (w === 1 || chunk[i + w + 1] === 0))) this.push(at + i + w);
    }
  }

  /**
   * The number of the physical line that a record ending at `end` ends on (its terminator included in it). Fast for
   * offsets close to the previous call's, as record ends are.
   */
  lineAt(end: number): number {
    const ends = this.ends;
    let k = this.head;
    while (k < ends.length && (ends[k] as number) < end) k++;
    while (k > 0 && (ends[k - 1] as number) >= end) k--;
    this.head = k;
    return this.linesBefore + this.dropped + k + (end > this.start ? 1 : 0);
  }

  /** Forgets terminators before `offset`: no later call asks about an offset before it. */
  release(offset: number): void {
    const n = this.countBefore(offset);
    if (n < COMPACT_AT) return;
    this.ends = this.ends.slice(n);
    this.dropped += n;
    this.head = Math.max(0, this.head - n);
  }

  /** Physical lines of the stream so far, the last one counted even without a terminator. */
  total(): number {
    const pending = this.pendingCr >= 0 ? 1 : 0;
    const last = this.pendingCr >= 0 ? this.pendingCr : this.lastEnd;
    return this.linesBefore + this.dropped + this.ends.length + pending + (this.fed > last ? 1 : 0);
  }

  /**
   * The offset just after the first terminator after `from`, among those added, or undefined when none is known yet
   * (a CR at the very end counts only once the next chunk or the end of the input says so).
   */
  nextLineStart(from: number): number | undefined {
    return this.ends[this.countBefore(from + 1)];
  }

  /** How many of the terminators kept end before `offset` (binary search: they are in order). */
  private countBefore(offset: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ends[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** At the end of the input: a CR that ended the last chunk ends a line. */
  finish(): void {
    if (this.pendingCr < 0) return;
    this.push(this.pendingCr);
    this.pendingCr = -1;
  }
}
