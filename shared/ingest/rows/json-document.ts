import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../diagnostic.js';
import { createDecoder } from '../encoding.js';
import type { TextEncoding } from '../types.js';
import type { KeyIndex } from './json-flatten.js';
import { jsonRows, type RowEnd } from './json-text.js';
import type { RawRow } from './raw-row.js';

/** Elements of a document have no byte offset of their own (a resumed read counts records) and no line. */
const NO_END: RowEnd = { end: undefined };

/**
 * A JSON document: the records are the elements of the top-level array, or of the first array of objects (in document
 * order) that is a property of the top-level object (`{"data":[…]}` as App Store Connect returns) or of an object
 * under it (`{"data":{"comments":[…]}}` Weibo, `{"feed":{"entry":[…]}}` iTunes RSS). An empty array, or one whose first
 * element is not an object (Trustpilot's `"links":[]`), is skipped whole, arrays inside it included. Scans characters
 * and parses one element at a time, so the document is never held whole.
 */
export async function* jsonDocumentRows(
  bytes: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  keys: KeyIndex,
  maxSize: number,
): AsyncGenerator<RawRow[]> {
  const decoder = createDecoder(encoding);
  const scanner = new DocumentScanner(keys, maxSize);
  for await (const chunk of bytes) {
    const b = scanner.scan(decoder.write(chunk));
    if (b.length > 0) yield b;
    if (scanner.finished) return;
  }
  const b = scanner.scan(decoder.end());
  scanner.flush(b);
  if (b.length > 0) yield b;
  if (!scanner.foundArray) {
    throw new FileRejectedError('UNSUPPORTED_FORMAT', diagnostic`JSON document holds no array of records.`);
  }
}

const SPACE = 32;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Finds the records array of a JSON document in decoded text, chunk by chunk, and parses its elements one by one. */
class DocumentScanner {
  /** The records array has closed: nothing more to read. */
  finished = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private rootSeen = false;
  /** Depth inside the records array (or the candidate being probed); -1 while none. */
  private arrayDepth = -1;
  /** The candidate array's first element is not seen yet. */
  private probing = false;
  /** Depth inside an abandoned array: no candidates until it closes. */
  private abandoned = -1;
  /** The bracket that opened the current depth-2 container. */
  private openedAt2 = 0;
  /** An empty candidate: the document holds no rows rather than no array. */
  private sawEmpty = false;
  /** Text of the element being read, from earlier chunks. */
  private element = '';
  private inElement = false;
  private oversized = false;
  /** Start of the current element in the chunk being scanned; -1 outside an element. */
  private segStart = -1;

  constructor(
    private readonly keys: KeyIndex,
    private readonly maxSize: number,
  ) {}

  /** Whether the document held a records array (possibly empty). */
  get foundArray(): boolean {
    return this.arrayDepth !== -1 || this.sawEmpty;
  }

  /** Rows of the elements that end in this chunk of text. */
  scan(text: string): RawRow[] {
    const out: RawRow[] = [];
    this.segStart = this.inElement ? 0 : -1;
    for (let i = 0; i < text.length && !this.finished; i++) {
      const ch = text.charCodeAt(i);
      if (this.inString) {
        this.stringChar(ch);
        continue;
      }
      if (ch === SPACE || ch === LINE_FEED || ch === CARRIAGE_RETURN || ch === TAB) continue;
      if (!this.rootSeen) {
        this.root(ch);
        continue;
      }
      if (this.probing && this.depth === this.arrayDepth && this.probe(ch)) continue;
      if (this.arrayDepth !== -1 && this.depth === this.arrayDepth) {
        if (!this.inElement) {
          if (ch === COMMA) continue;
          if (ch === CLOSE_BRACKET) {
            this.finished = true;
            break;
          }
          this.inElement = true;
          this.segStart = i;
        } else if (ch === COMMA || ch === CLOSE_BRACKET) {
          this.endElement(text.slice(this.segStart, i), out);
          if (ch === CLOSE_BRACKET) this.finished = true;
          continue;
        }
      }
      this.structure(ch);
    }
    this.holdElement(text);
    return out;
  }

  /** At the end of the input: the element left open (a truncated document) as a row. */
  flush(out: RawRow[]): void {
    if (this.inElement && this.element.trim().length > 0) jsonRows(this.element, this.keys, NO_END, this.maxSize, out);
  }

  private stringChar(ch: number): void {
    if (this.escaped) this.escaped = false;
    else if (ch === BACKSLASH) this.escaped = true;
    else if (ch === QUOTE) this.inString = false;
  }

  private root(ch: number): void {
    this.rootSeen = true;
    if (ch === OPEN_BRACKET) {
      this.depth = 1;
      this.arrayDepth = 1;
      return;
    }
    if (ch === OPEN_BRACE) {
      this.depth = 1;
      return;
    }
    throw new FileRejectedError('UNSUPPORTED_FORMAT', diagnostic`JSON document is neither an array nor an object.`);
  }

  /**
   * The first character in a candidate array: an object makes it the records array. Empty, or scalars / arrays: not the
   * records; skip it whole (arrays inside included) and look further. True when the character is consumed.
   */
  private probe(ch: number): boolean {
    this.probing = false;
    if (ch === OPEN_BRACE) return false;
    this.arrayDepth = -1;
    if (ch === CLOSE_BRACKET) {
      this.sawEmpty = true;
      this.depth--;
      return true;
    }
    this.abandoned = this.depth;
    return false;
  }

  private structure(ch: number): void {
    if (ch === QUOTE) this.inString = true;
    else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) {
      this.depth++;
      if (this.depth === 2) this.openedAt2 = ch;
      // A candidate: an array under the root object, or under an object under it (`{"data":{"comments":[…]}}`).
      if (
        ch === OPEN_BRACKET &&
        this.arrayDepth === -1 &&
        this.abandoned === -1 &&
        (this.depth === 2 || (this.depth === 3 && this.openedAt2 === OPEN_BRACE))
      ) {
        this.arrayDepth = this.depth;
        this.probing = true;
      }
    } else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth < this.abandoned) this.abandoned = -1;
    }
  }

  private endElement(tail: string, out: RawRow[]): void {
    const piece = this.element + tail;
    if (this.oversized) out.push({ cells: [], reject: 'CELL_TOO_LARGE', detail: diagnostic`JSON record too large` });
    else jsonRows(piece, this.keys, NO_END, this.maxSize, out);
    this.element = '';
    this.inElement = false;
    this.oversized = false;
    this.segStart = -1;
  }

  /** Keeps the open element's text for the next chunk, or only the fact that it is too large. */
  private holdElement(text: string): void {
    if (!this.inElement || this.segStart === -1) return;
    if (!this.oversized) this.element += text.slice(this.segStart);
    if (this.element.length > this.maxSize) {
      this.oversized = true;
      this.element = '';
    }
  }
}
