import { isValidTimeZone } from '../domain/days.js';
import { FileRejectedError } from '../domain/errors.js';
import { RowContext } from './canonical.js';
import { diagnostic } from './diagnostic.js';
import { LateEncoding } from './encoding.js';
import { jsonLayout, readHead, sheetScore, tableLayout } from './layout.js';
import { type ReadLimits, readLimits } from './limits.js';
import { describeExport, type OpenedRows, type ReadStart, settleLater } from './parser-state.js';
import { resumeExport } from './resume.js';
import { limitBytes, PeekableBytes, skipBytes } from './rows/bytes.js';
import { KeyIndex } from './rows/json-flatten.js';
import { openRows } from './rows/open.js';
import type { LineCount, RawRow } from './rows/raw-row.js';
import { SNIFF_BYTES, type SniffedText, sniff } from './sniff.js';
import type { ExportReader, ParserState, ReadExportOptions, ResumeState, RowOutcome } from './types.js';

/*
 * A file's journey: bytes → sniff (sniff.ts) → rows (rows/) → layout (layout.ts) → columns (parser-state.ts,
 * column-mapping.ts) → canonical record (canonical.ts) → outcomes. A resumed read (resume.ts) takes the state its
 * checkpoint carries instead of sniffing and mapping again.
 */

type ByteInput = AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>);

function resolveInput(input: ByteInput): AsyncIterable<Uint8Array> {
  return typeof input === 'function' ? input() : input;
}

/**
 * Streams an export: sniffs encoding and format from its first bytes, maps columns from its first rows, then yields
 * one outcome per record in order (warnings for a record come before its `accepted`/`rejected`). Throws
 * `FileRejectedError` when the file cannot be read at all.
 */
export function readExport(input: ByteInput, opts: ReadExportOptions): ExportReader {
  const limits = readLimits(opts);
  // Every byte passes the size limit first, whichever stage asks for it.
  const bytes = () => limitBytes(resolveInput(input), opts.resume?.byteOffset ?? 0, limits.maxFileBytes);
  let prepared: Promise<ReadStart> | undefined;
  let started = false;
  let currentState: ParserState | undefined;
  let ctx: RowContext | undefined;
  const handedOut = new HandedOut();

  const prepare = (): Promise<ReadStart> => {
    prepared ??= (
      opts.resume === undefined
        ? firstRead(bytes(), opts, limits)
        : resumeExport(bytes(), opts.resume, { limits, hashKey: opts.hashKey })
    ).then((p) => {
      currentState = p.state;
      handedOut.lineCount = p.lineCount;
      return p;
    });
    return prepared;
  };

  /** The last record whose final outcome the per-record iterator handed out. */
  let lastYielded = 0;

  async function* iterateBatches(): AsyncGenerator<RowOutcome[]> {
    if (started) throw new Error('An ExportReader can be iterated once.');
    started = true;
    const p = await prepare();
    ctx = new RowContext(p.state, opts, limits.maxTextLength, limits.maxCellSize);
    yield* recordBatches(p, ctx, { opts, limits, handedOut });
  }

  /** The outcomes one by one (a record's warnings before its final outcome), over {@link iterateBatches}. */
  async function* iterate(): AsyncGenerator<RowOutcome> {
    for await (const batch of iterateBatches()) {
      for (const o of batch) {
        if (o.kind !== 'warning') lastYielded = o.row;
        yield o;
      }
    }
  }

  const checkpointAfter = (row: number): ResumeState | undefined =>
    currentState === undefined
      ? undefined
      : handedOut.checkpointAfter(row, currentState, ctx?.countsOccurrences === true);

  return {
    meta: async () => (await prepare()).meta,
    batches: () => iterateBatches(),
    checkpointAfter,
    checkpoint: () => checkpointAfter(lastYielded),
    linesRead: () => handedOut.linesRead(),
    [Symbol.asyncIterator]: () => iterate(),
  };
}

/**
 * The records from where the read starts, in the batches the rows come in: rows before a checkpoint are passed over
 * (read again only to count occurrences when the checkpoint asks), each record becomes its outcomes, and the ends and
 * lines of what was handed out are noted for checkpoints. Past the row limit the file ends, after the records before
 * it; a consumer that stops early closes the source.
 */
async function* recordBatches(
  p: ReadStart,
  rows: RowContext,
  { opts, limits, handedOut }: { opts: ReadExportOptions; limits: ReadLimits; handedOut: HandedOut },
): AsyncGenerator<RowOutcome[]> {
  let row = p.rowBase;
  let toSkip = p.skip;
  // Records before the checkpoint that are read again only to count occurrences (see RowContext.fingerprint).
  const recount = opts.resume?.recountOccurrences === true && opts.resume.byteOffset === undefined;
  const headerRows = p.skip - p.rowBase;
  let skipped = 0;
  const scratch: RowOutcome[] = [];
  let batch: RawRow[] = p.lookahead;
  handedOut.linesSoFar = p.linesBefore;
  try {
    for (;;) {
      const out: RowOutcome[] = [];
      const ends: (number | undefined)[] = [];
      const lines: (number | undefined)[] = [];
      const firstRow = row + 1;
      let full = false;
      for (const raw of batch) {
        if (raw.line !== undefined && handedOut.linesSoFar !== undefined) handedOut.linesSoFar = raw.line;
        if (toSkip > 0) {
          toSkip--;
          skipped++;
          if (recount && skipped > headerRows) {
            rows.process(raw, skipped - headerRows, scratch);
            scratch.length = 0;
          }
          continue;
        }
        if (row >= limits.maxRows) {
          full = true;
          break;
        }
        row++;
        rows.process(raw, row, out);
        ends.push(raw.end);
        lines.push(raw.line);
      }
      if (out.length > 0) {
        handedOut.batch(firstRow, ends, lines);
        yield out;
      }
      // The records before the limit went out first: what a consumer counted is what was read.
      if (full) throw tooManyRows(limits.maxRows);
      if (batch === p.lookahead) p.lookahead.length = 0;
      const next = await p.rows.next();
      if (next.done) break;
      batch = next.value;
    }
  } finally {
    // A consumer that stops early (a hand-off, a limit) must not leave the source open: a workbook's spooled
    // worksheets, an S3 stream. After the last batch this is a no-op.
    await p.rows.return?.(undefined);
  }
}

/** Where the records handed out so far end (raw byte offsets, lines), for exact checkpoints and the line count. */
class HandedOut {
  /** Physical lines up to the last record read; undefined when the format (or the checkpoint) does not count them. */
  linesSoFar: number | undefined;
  /** The file's lines, filled in by its row reader at its end. */
  lineCount: LineCount | undefined;
  private firstRow = 0;
  private ends: (number | undefined)[] = [];
  private lines: (number | undefined)[] = [];

  /** The ends and lines, by row from `firstRow`, of the batch handed out last. */
  batch(firstRow: number, ends: (number | undefined)[], lines: (number | undefined)[]): void {
    this.firstRow = firstRow;
    this.ends = ends;
    this.lines = lines;
  }

  /** State to resume after record `row`, one of the batch handed out last (undefined for any other). */
  checkpointAfter(row: number, parser: ParserState, countsOccurrences: boolean): ResumeState | undefined {
    const at = row - this.firstRow;
    if (row < 1 || at < 0 || at >= this.ends.length) return undefined;
    const cp: ResumeState = { version: 1, recordsDone: row, parser };
    // Occurrence numbers of textless records need every record before the checkpoint: no byte offset then.
    const end = this.ends[at];
    const line = this.lines[at];
    if (countsOccurrences) cp.recountOccurrences = true;
    else if (end !== undefined) cp.byteOffset = end;
    if (line !== undefined && this.linesSoFar !== undefined) cp.linesDone = line;
    return cp;
  }

  linesRead(): number | undefined {
    return this.linesSoFar === undefined ? undefined : (this.lineCount?.total ?? this.linesSoFar);
  }
}

/** sniff → rows → layout → columns, from the first bytes of the file. */
async function firstRead(
  bytes: AsyncIterable<Uint8Array>,
  opts: ReadExportOptions,
  limits: ReadLimits,
): Promise<ReadStart> {
  if (!isValidTimeZone(opts.defaultTimeZone)) {
    throw new FileRejectedError(
      'MALFORMED_FILE',
      diagnostic`Default time zone "${opts.defaultTimeZone}" is not an IANA zone.`,
    );
  }
  const src = new PeekableBytes(bytes);
  const peeked = await src.peek(SNIFF_BYTES);
  const sniffed = sniff(peeked.bytes, peeked.eof);
  return sniffed.format === 'xlsx' ? readWorkbook(src, opts, limits) : readText(src, sniffed, opts, limits);
}

/** A workbook: the first sheet that scores as a feedback table (see {@link sheetScore}). */
async function readWorkbook(src: PeekableBytes, opts: ReadExportOptions, limits: ReadLimits): Promise<ReadStart> {
  let sheet = 0;
  const choice = {
    score: (rows: readonly string[][]) => sheetScore(rows, opts.overrides),
    chosen: (i: number) => (sheet = i),
  };
  const rows = openRows(src.replay(), { format: 'xlsx', encoding: 'utf-8', startOffset: 0, limits, sheet: choice });
  const start = await settleLayout(
    { rows, format: 'xlsx', encoding: 'utf-8', resumeMode: 'skip-records', preambleHint: 0 },
    opts,
  );
  start.state.sheet = sheet;
  return start;
}

/** CSV, TSV, JSON Lines or a JSON document, in the encoding sniffed (or settled later, at the first non-ASCII byte). */
async function readText(
  src: PeekableBytes,
  sniffed: SniffedText,
  opts: ReadExportOptions,
  limits: ReadLimits,
): Promise<ReadStart> {
  const { format, encoding, bomLength, delimiter, preambleHint } = sniffed;
  const late = sniffed.settleLate ? new LateEncoding(bomLength) : undefined;
  const keys = format === 'json' || format === 'jsonl' ? new KeyIndex([], { max: limits.maxColumns }) : undefined;
  const lineCount = format === 'json' ? undefined : {};
  const linesBefore = lineCount === undefined ? undefined : 0;
  const spec = { format, encoding, delimiter, startOffset: bomLength, limits, keys, late, linesBefore, lineCount };
  const rows = openRows(skipBytes(src.replay(), bomLength), spec);
  const resumeMode = exactOffsets(sniffed) ? 'byte-offset' : 'skip-records';
  const opened = { rows, format, encoding, delimiter, keys, resumeMode, preambleHint, lineCount } as const;
  const start = await settleLayout(opened, opts);
  if (late !== undefined) settleLater(late, start.state, start.meta);
  return start;
}

function tooManyRows(max: number): FileRejectedError {
  return new FileRejectedError(
    'TOO_MANY_ROWS',
    diagnostic`The file has more than ${max} records; the first ${max} were read.`,
  );
}

/** Whether row ends are raw byte offsets: CSV in UTF-8 or UTF-16LE (parsed undecoded), JSON Lines in UTF-8. */
function exactOffsets({ format, encoding }: SniffedText): boolean {
  const utf8 = encoding === 'utf-8' || encoding === 'utf-8-bom';
  if (format === 'csv' || format === 'tsv') return utf8 || encoding === 'utf-16le';
  return format === 'jsonl' && utf8;
}

/** layout → columns: the first rows settle the header, the mapping and what holds for the whole file. */
async function settleLayout(opened: OpenedRows, opts: ReadExportOptions): Promise<ReadStart> {
  try {
    const head = await readHead(opened.rows, opened.keys === undefined);
    // JSON records written as arrays of values have no keys: a table, whose first record may be its header.
    const tuples =
      opened.keys !== undefined && opened.keys.keys.length === 0 && head.some((r) => r.positional === true);
    const layout =
      opened.keys === undefined || tuples ? tableLayout(head, opened.preambleHint) : jsonLayout(head, opened.keys);
    if (tuples) layout.positional = true;
    const { state, meta } = describeExport(opened, head, layout, opts);
    const { lookahead, headerRows } = layout;
    // Lines of the title and header rows, which are never records: the first record's own line numbers follow them.
    const linesBefore = opened.lineCount === undefined ? undefined : headerRows > 0 ? head[headerRows - 1]?.line : 0;
    const start: ReadStart = { meta, state, rows: opened.rows, lookahead, skip: 0, rowBase: 0 };
    return linesBefore === undefined ? start : { ...start, linesBefore, lineCount: opened.lineCount };
  } catch (err) {
    // A file rejected from its first rows closes its source too (a workbook's spooled worksheets).
    await opened.rows.return(undefined);
    throw err;
  }
}
