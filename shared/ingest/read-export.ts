import crypto, { createHash } from 'node:crypto';
import { type CanonicalRecord, FileRejectedError } from '../domain/types.js';
import { cleanLabel, cleanText, hashIdentifier, isMangledNumber, redact } from './clean.js';
import { mapColumns, normaliseName } from './column-mapping.js';
import { LateEncoding } from './encoding.js';
import { zoneInHeader } from './header-zones.js';
import { detectHeader } from './headers.js';
import { PeekableBytes, skipBytes } from './rows/bytes.js';
import { KeyIndex } from './rows/json-flatten.js';
import { openRows } from './rows/open.js';
import type { RawRow } from './rows/raw-row.js';
import type { SheetChoice } from './rows/xlsx.js';
import { SNIFF_BYTES, sniff } from './sniff.js';
import type {
  ColumnMapping,
  ExportFormat,
  ExportMeta,
  ExportReader,
  FileWarning,
  MappedField,
  ParserState,
  ReadExportOptions,
  ResumeState,
  RowOutcome,
} from './types.js';
import { inferDateOrder, isoString, isValidTimeZone, parseDate, parseNps, parseRating } from './values.js';

/** Keys that only wrap a value (iTunes RSS JSON's `label`, XML-to-JSON's `$t` and `#text`, a protobuf Timestamp's `seconds`). */
const WRAPPED_VALUE = new Set(['label', '$t', '#text', '_text', 'value', 'seconds']);
/** Title lines (report name, export date, blank padded lines) looked for above a table's header. */
const MAX_PREAMBLE = 6;
const SAMPLE_ROWS = 200;
const DEFAULT_MAX_TEXT = 20_000;
const DEFAULT_MAX_CELL = 1_000_000;

type ByteInput = AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>);

interface Prepared {
  meta: ExportMeta;
  state: ParserState;
  rows: AsyncIterator<RawRow[]>;
  /** Data rows already read during sniffing, replayed first. */
  lookahead: RawRow[];
  /** Records to skip before the first one to process (resume without byte offset). */
  skip: number;
  rowBase: number;
  /** Raw offset of the first data byte, for checkpoints taken before any record. */
  keys?: KeyIndex;
}

function resolveInput(input: ByteInput): AsyncIterable<Uint8Array> {
  return typeof input === 'function' ? input() : input;
}

function mappingNames(state: ParserState): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [field, idx] of Object.entries(state.fieldIndex) as [MappedField, number][]) {
    const name = state.columns[idx];
    if (name !== undefined) out[field] = name;
  }
  return out;
}

function sha(text: string): string {
  // One-shot hashing (Node ≥ 20.12) skips building a Hash object per record.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex').slice(0, 32);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const REVIEW_ID_IN_LINK = /[?&#]review[iI]d=([^&#]+)/;

/** Google Play review links (old `…#ReviewDetailsPlace:…&reviewid=gp:…`, new `…review-details?reviewId=gp%3A…`) → id. */
export function normaliseSourceId(value: string): string {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v)) return v;
  const m = REVIEW_ID_IN_LINK.exec(v);
  if (m?.[1] !== undefined) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
  return v;
}

/**
 * Streams an export: sniffs encoding and format from its first bytes, maps columns from its first rows, then yields
 * one outcome per record in order (warnings for a record come before its `accepted`/`rejected`). Throws
 * `FileRejectedError` when the file cannot be read at all.
 */
export function readExport(input: ByteInput, opts: ReadExportOptions): ExportReader {
  const maxText = opts.maxTextLength ?? DEFAULT_MAX_TEXT;
  const maxCell = opts.maxCellSize ?? DEFAULT_MAX_CELL;
  let prepared: Promise<Prepared> | undefined;
  let lastRow = 0;
  let lastEnd: number | undefined;
  let started = false;
  let currentState: ParserState | undefined;

  const prepare = (): Promise<Prepared> => {
    prepared ??= (
      opts.resume === undefined
        ? sniffExport(resolveInput(input), opts, maxCell)
        : resumeExport(resolveInput(input), opts.resume, maxCell)
    ).then((p) => {
      currentState = p.state;
      return p;
    });
    return prepared;
  };

  async function* iterate(): AsyncGenerator<RowOutcome> {
    if (started) throw new Error('An ExportReader can be iterated once.');
    started = true;
    const p = await prepare();
    const ctx = new RowContext(p.state, opts, maxText, maxCell);
    let row = p.rowBase;
    let toSkip = p.skip;
    const out: RowOutcome[] = [];
    let batch: RawRow[] = p.lookahead;
    for (;;) {
      for (const raw of batch) {
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        row++;
        ctx.process(raw, row, out);
        // The record's final outcome comes last: the checkpoint moves just before it is handed out. (Inlined rather
        // than a nested generator: this runs once per record.)
        const last = out.length - 1;
        if (last < 0) continue;
        for (let i = 0; i < last; i++) yield out[i] as RowOutcome;
        const final = out[last] as RowOutcome;
        out.length = 0;
        lastRow = row;
        lastEnd = raw.end;
        yield final;
      }
      if (batch === p.lookahead) p.lookahead.length = 0;
      const next = await p.rows.next();
      if (next.done) break;
      batch = next.value;
    }
  }

  async function* iterateBatches(): AsyncGenerator<RowOutcome[]> {
    if (started) throw new Error('An ExportReader can be iterated once.');
    started = true;
    const p = await prepare();
    const ctx = new RowContext(p.state, opts, maxText, maxCell);
    let row = p.rowBase;
    let toSkip = p.skip;
    let batch: RawRow[] = p.lookahead;
    for (;;) {
      const out: RowOutcome[] = [];
      let end: number | undefined;
      for (const raw of batch) {
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        row++;
        ctx.process(raw, row, out);
        end = raw.end;
      }
      if (out.length > 0) {
        lastRow = row;
        lastEnd = end;
        yield out;
      }
      if (batch === p.lookahead) p.lookahead.length = 0;
      const next = await p.rows.next();
      if (next.done) break;
      batch = next.value;
    }
  }

  return {
    meta: async () => (await prepare()).meta,
    batches: () => iterateBatches(),
    checkpoint: (): ResumeState | undefined => {
      if (prepared === undefined || lastRow === 0) return undefined;
      if (currentState === undefined) return undefined;
      const cp: ResumeState = { version: 1, recordsDone: lastRow, parser: currentState };
      if (lastEnd !== undefined) cp.byteOffset = lastEnd;
      return cp;
    },
    [Symbol.asyncIterator]: () => iterate(),
  };
}

async function sniffExport(
  bytesIn: AsyncIterable<Uint8Array>,
  opts: ReadExportOptions,
  maxCell: number,
): Promise<Prepared> {
  if (!isValidTimeZone(opts.defaultTimeZone)) {
    throw new FileRejectedError('MALFORMED_FILE', `Default time zone "${opts.defaultTimeZone}" is not an IANA zone.`);
  }
  const src = new PeekableBytes(bytesIn);
  const { bytes, eof } = await src.peek(SNIFF_BYTES);
  const sniffed = sniff(bytes, eof);
  if (sniffed.format === 'xlsx') {
    let sheet = 0;
    const choice: SheetChoice = { score: (rows) => sheetScore(rows, opts), chosen: (i) => (sheet = i) };
    const spec = { format: 'xlsx' as const, encoding: 'utf-8' as const, startOffset: 0, maxCell, sheet: choice };
    return prepareRows(openRows(src.replay(), spec), 'xlsx', 'utf-8', undefined, opts, undefined, 'skip-records').then(
      (p) => {
        p.state.sheet = sheet;
        return p;
      },
    );
  }
  const { format, encoding, bomLength, delimiter } = sniffed;
  // Only ASCII sniffed: no evidence for any encoding yet. Read on as UTF-8 and settle it at the first non-ASCII byte.
  const late = sniffed.settleLate ? new LateEncoding(bomLength) : undefined;
  const json = format === 'json' || format === 'jsonl';
  const keys = json ? new KeyIndex() : undefined;
  const rows = openRows(skipBytes(src.replay(), bomLength), {
    format,
    encoding,
    delimiter,
    startOffset: bomLength,
    maxCell,
    keys,
    late,
  });
  const exact =
    encoding === 'utf-8' ||
    encoding === 'utf-8-bom' ||
    (encoding === 'utf-16le' && (format === 'csv' || format === 'tsv'));
  const resumeMode = format !== 'json' && exact ? 'byte-offset' : 'skip-records';
  const p = await prepareRows(rows, format, encoding, delimiter, opts, keys, resumeMode, sniffed.preambleHint);
  if (late !== undefined) settleLater(late, p.state, p.meta);
  return p;
}

/**
 * Records in the parser state (which checkpoints carry) and the meta that the encoding is open until `late` settles
 * it, then what it settled on: after a switch away from UTF-8, byte offsets are gone and resumes skip records.
 */
function settleLater(late: LateEncoding, state: ParserState, meta: ExportMeta): void {
  state.encodingUndecided = true;
  late.onSettle((encoding) => {
    delete state.encodingUndecided;
    if (encoding === 'utf-8') return;
    state.encoding = encoding;
    meta.encoding = encoding;
    meta.resumeMode = 'skip-records';
  });
}

async function prepareRows(
  rows: AsyncGenerator<RawRow[]>,
  format: ExportFormat,
  encoding: ParserState['encoding'],
  delimiter: string | undefined,
  opts: ReadExportOptions,
  keys: KeyIndex | undefined,
  resumeMode: ExportMeta['resumeMode'],
  /** Lines known to precede the header (Excel's `sep=` hint). */
  preambleHint = 0,
): Promise<Prepared> {
  const tabular = keys === undefined;
  const head: RawRow[] = [];
  const wanted = SAMPLE_ROWS + (tabular ? 3 : 0);
  while (head.length < wanted) {
    const next = await rows.next();
    if (next.done) break;
    head.push(...next.value);
  }
  const good = head.filter((r) => r.reject === undefined);
  if (good.length === 0 && head.length === 0) throw new FileRejectedError('EMPTY_FILE', 'The file has no rows.');

  let columns: string[];
  let aliases: string[][];
  let headerRows = 0;
  let preamble = 0;
  let timeZone = opts.defaultTimeZone;
  let lookahead: RawRow[];
  if (tabular) {
    const firstGood = head.findIndex((r) => r.reject === undefined);
    if (firstGood !== 0) {
      throw new FileRejectedError('MALFORMED_FILE', 'The header row could not be parsed (malformed quoting).');
    }
    preamble = leadingPreamble(head, preambleHint);
    const layout = detectHeader(head.slice(preamble, preamble + 3).map((r) => r.cells));
    headerRows = preamble + layout.headerRows;
    columns = layout.columns;
    aliases = layout.aliases;
    if (layout.timeZone !== undefined) {
      const tz = layout.timeZone === 'Z' ? 'UTC' : layout.timeZone;
      if (isValidTimeZone(tz)) timeZone = tz;
    }
    lookahead = head.slice(headerRows);
    if (columns.every((c) => c === '')) throw new FileRejectedError('NO_USABLE_COLUMNS', 'The header row is empty.');
  } else {
    if (good.length === 0) {
      throw new FileRejectedError(
        'MALFORMED_FILE',
        `No record could be parsed as a JSON object (${head[0]?.reject ?? 'unknown'}: ${head[0]?.detail ?? ''}).`,
      );
    }
    columns = [...keys.keys];
    aliases = columns.map((k) => {
      const parts = k.split('.');
      const leaf = parts[parts.length - 1] ?? k;
      const withoutAttr = parts.filter((p) => p !== 'attributes' && p !== 'data').join('.');
      const hint = keys.hintOf(k);
      // Feeds that wrap each value (`"content":{"label":"…"}` in iTunes RSS JSON, `$t`, `#text`) are named by the wrapper.
      const parent = WRAPPED_VALUE.has(leaf) && parts.length > 1 ? parts[parts.length - 2] : undefined;
      return [
        leaf,
        withoutAttr,
        ...(parent === undefined ? [] : [parent]),
        ...(hint === undefined ? [] : [hint]),
      ].filter((x) => x !== k);
    });
    lookahead = head;
  }

  const sample = lookahead.filter((r) => r.reject === undefined).map((r) => r.cells);
  const mapping = mapColumns({ columns, aliases, sample, overrides: opts.overrides });
  const utcColumns: number[] = [];
  const columnZones: Record<string, string> = {};
  columns.forEach((c, i) => {
    const zone = zoneInHeader(c);
    if (zone === 'UTC') utcColumns.push(i);
    else if (zone !== undefined) columnZones[i] = zone;
  });
  const fileWarnings: FileWarning[] = [...mapping.warnings];
  if (preamble > preambleHint) {
    const lines = head
      .slice(preambleHint, preamble)
      .map((r) => r.cells.filter((c) => c.trim() !== '').join(' '))
      .filter((l) => l !== '')
      .map((l) => JSON.stringify(l.slice(0, 60)));
    fileWarnings.push({
      code: 'LINES_ABOVE_HEADER',
      detail: `Skipped ${preamble - preambleHint} line(s) above the header${lines.length > 0 ? `: ${lines.join(', ')}` : ''}.`,
    });
  }
  let dateOrder: ParserState['dateOrder'];
  const dateCols = [mapping.fieldIndex.submittedAt, mapping.fieldIndex.updatedAt].filter(
    (x): x is number => x !== undefined,
  );
  const dateValues = sample.flatMap((cells) => dateCols.map((i) => cells[i] ?? ''));
  const inferred = inferDateOrder(dateValues);
  if (inferred === 'ambiguous') {
    dateOrder = 'MDY';
    fileWarnings.push({
      code: 'DATE_ORDER_AMBIGUOUS',
      detail: 'No sampled date settles day/month order (all parts ≤ 12); reading as M/D/YYYY.',
    });
  } else dateOrder = inferred;

  const state: ParserState = {
    format,
    encoding,
    delimiter,
    headerRows,
    columns,
    fieldIndex: mapping.fieldIndex,
    ratingScale: mapping.ratingScale,
    dateOrder,
    timeZone,
    utcColumns,
    ...(Object.keys(columnZones).length > 0 ? { columnZones } : {}),
    unreliableIdColumns: mapping.unreliableIdColumns,
    idScope: idScopeOf(columns, mapping.fieldIndex.sourceRecordId),
  };
  const meta: ExportMeta = {
    format,
    encoding,
    delimiter,
    headerRows,
    columns: mappingNames(state),
    seenColumns: columns.filter((c) => c !== ''),
    droppedPersonalColumns: mapping.personal.map((i) => columns[i] ?? '').filter((c) => c !== ''),
    ratingScale: mapping.ratingScale,
    dateOrder,
    timeZone,
    fileWarnings,
    resumeMode,
  };
  return { meta, state, rows, lookahead, skip: 0, rowBase: 0, keys };
}

async function resumeExport(bytesIn: AsyncIterable<Uint8Array>, r: ResumeState, maxCell: number): Promise<Prepared> {
  const s = r.parser;
  const byOffset = r.byteOffset !== undefined;
  const keys = s.format === 'json' || s.format === 'jsonl' ? new KeyIndex(s.columns) : undefined;
  const bom = s.encoding === 'utf-8-bom' ? 3 : s.encoding === 'utf-16le' || s.encoding === 'utf-16be' ? 2 : 0;
  const start = byOffset ? (r.byteOffset ?? 0) : bom;
  // A checkpoint taken while the file was ASCII so far: settle the encoding where the first read would have.
  const late = s.encodingUndecided === true && s.format !== 'xlsx' ? new LateEncoding(start) : undefined;
  const xlsx = s.format === 'xlsx';
  const raw = byOffset || xlsx ? bytesIn : skipBytes(bytesIn, bom);
  const rows = openRows(raw, {
    format: s.format,
    encoding: s.encoding,
    delimiter: s.delimiter,
    startOffset: start,
    maxCell,
    keys,
    sheet: s.sheet === undefined ? undefined : { index: s.sheet },
    late,
  });
  const skip = recordsToSkip(r);
  const meta: ExportMeta = {
    format: s.format,
    encoding: s.encoding,
    delimiter: s.delimiter,
    headerRows: s.headerRows,
    columns: mappingNames(s),
    seenColumns: s.columns.filter((c) => c !== ''),
    droppedPersonalColumns: [],
    ratingScale: s.ratingScale,
    dateOrder: s.dateOrder,
    timeZone: s.timeZone,
    fileWarnings: [],
    resumeMode: byOffset ? 'byte-offset' : 'skip-records',
  };
  if (late !== undefined) settleLater(late, s, meta);
  return { meta, state: s, rows, lookahead: [], skip, rowBase: r.recordsDone, keys };
}

/** Rows to pass over before the next record: none after a byte offset, else the header and the records done. */
function recordsToSkip(r: ResumeState): number {
  const s = r.parser;
  const byOffset = r.byteOffset !== undefined;
  switch (s.format) {
    case 'csv':
    case 'tsv':
      return byOffset ? 0 : s.headerRows + r.recordsDone;
    case 'jsonl':
      return byOffset ? 0 : r.recordsDone;
    case 'json':
      return r.recordsDone;
    case 'xlsx':
      return s.headerRows + r.recordsDone;
  }
}

const ENDS_SENTENCE = /[.!?。！？…]$/;
const ENDS_CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/;

/** `a` and `b` as consecutive sentences: a full stop between them unless `a` ends one (`。` after Chinese). */
export function joinSentences(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (ENDS_SENTENCE.test(a)) return ENDS_CJK.test(a) ? `${a}${b}` : `${a} ${b}`;
  return ENDS_CJK.test(a) ? `${a}。${b}` : `${a}. ${b}`;
}

/**
 * Id columns that number the rows of one survey's export (问卷星's 序号, Hotjar's Number): 1, 2, 3… again in every
 * other survey of the same source, so such an id names a response only together with the survey, known here by its
 * set of columns (exports of one survey share them; another survey has other questions).
 */
const SEQUENCE_ID_NAMES = new Set(['序号', 'number', 'no', 'rownumber', 'rowno', 'responsenumber']);

function idScopeOf(columns: readonly string[], idColumn: number | undefined): string | undefined {
  if (idColumn === undefined || !SEQUENCE_ID_NAMES.has(normaliseName(columns[idColumn] ?? ''))) return undefined;
  const names = columns.map(normaliseName).filter((n) => n !== '');
  return sha([...new Set(names)].sort().join('\u0000')).slice(0, 16);
}

/**
 * How much a worksheet's first rows look like a feedback table: 2 when the mapping finds feedback (text, title or a
 * score) and a date, an id or a second kind of feedback; 1 when it finds feedback alone (a README sheet's lines can
 * pass for a text column); 0 when nothing usable.
 */
function sheetScore(rows: readonly string[][], opts: ReadExportOptions): 0 | 1 | 2 {
  try {
    const raw = rows.map((cells) => ({ cells }));
    const preamble = leadingPreamble(raw, 0);
    const layout = detectHeader(rows.slice(preamble, preamble + 3));
    const f = mapColumns({
      columns: layout.columns,
      aliases: layout.aliases,
      sample: rows.slice(preamble + layout.headerRows),
      overrides: opts.overrides,
    }).fieldIndex;
    const feedback = [f.text, f.title, f.nps, f.rating].filter((x) => x !== undefined).length;
    if (feedback === 0) return 0;
    return feedback >= 2 || f.submittedAt !== undefined || f.sourceRecordId !== undefined ? 2 : 1;
  } catch {
    return 0;
  }
}

function filledCells(r: RawRow): number {
  let n = 0;
  for (const c of r.cells) if (c.trim() !== '') n++;
  return n;
}

const NUMBER_CELL = /^[+-]?\d+(?:[.,]\d+)?$/;

/**
 * Lines above a table's header (`Report generated 2024-05-01`, a title padded with commas by Excel, blank lines):
 * rows of at most one filled cell before the first row that looks like a header (two or more distinct, non-numeric
 * names) and is followed by rows at least as wide. `hint` lines are known to be above it. 0 when the first row is the
 * header, as in almost every export.
 */
export function leadingPreamble(head: readonly RawRow[], hint: number): number {
  const first = head[hint];
  if (first === undefined || filledCells(first) >= 2) return hint;
  for (let k = hint + 1; k <= hint + MAX_PREAMBLE && k < head.length - 1; k++) {
    const row = head[k] as RawRow;
    if (row.reject !== undefined) return hint;
    const names = row.cells.map((c) => c.trim()).filter((c) => c !== '');
    const width = names.length;
    if (width <= 1) continue;
    if (names.some((n) => NUMBER_CELL.test(n)) || new Set(names).size < names.length) return hint;
    const next = head.slice(k + 1, k + 6).filter((r) => r.reject === undefined);
    return next.length > 0 && next.every((r) => r.cells.length >= width) ? k : hint;
  }
  return hint;
}

const SUMMARY_LABEL =
  /^(?:grand\s+)?(?:totals?|sum|average|avg|mean|合计|总计|平均值?|汇总|總計|合計)(?:$|[\s:：(（])/i;

/** Marks a cached label cell that cleans to nothing. */
const NO_LABEL = Symbol('no label');
const MAX_CACHED_LABELS = 4096;

/** Per-file row processing: mapping, cleaning, scores, dates, privacy and fingerprint. Allocation-light. */
class RowContext {
  private readonly columnCount: number;
  private readonly uploadMs: number;
  private readonly uploadIso: string;
  private readonly nowMs: number;
  private readonly unreliable: Set<number>;
  /** Columns whose header names their time zone (`Submit Date (UTC)`, `Created at (PST)`, `提交时间(北京时间)`). */
  private readonly zones: Map<number, string>;
  /** Whether the first column may hold a totals label: it holds neither the text nor a label (see isSummary). */
  private readonly firstColumnMayBeSummary: boolean;
  /** Column of each mapped field, -1 when unmapped (numbers: no keyed lookup per cell). */
  private readonly iText: number;
  private readonly iTitle: number;
  private readonly iFollowUp: number;
  private readonly iNps: number;
  private readonly iRating: number;
  private readonly iSubmitted: number;
  private readonly iUpdated: number;
  private readonly iSourceId: number;
  private readonly iCustomer: number;
  private readonly iEmail: number;
  private readonly iLanguage: number;
  private readonly iChannel: number;
  private readonly iProduct: number;
  private readonly iRegion: number;
  /** Raw label cell → cleaned, redacted label (or {@link NO_LABEL}). */
  private readonly labels = new Map<string, string | typeof NO_LABEL>();

  constructor(
    private readonly s: ParserState,
    private readonly opts: ReadExportOptions,
    private readonly maxText: number,
    private readonly maxCell: number,
  ) {
    this.columnCount = s.columns.length;
    this.uploadMs = opts.uploadTime.getTime();
    this.uploadIso = opts.uploadTime.toISOString();
    this.nowMs = Math.max(Date.now(), this.uploadMs);
    this.zones = new Map(Object.entries(s.columnZones ?? {}).map(([k, z]) => [Number(k), z]));
    for (const i of s.utcColumns) this.zones.set(i, 'UTC');
    this.unreliable = new Set(s.unreliableIdColumns);
    this.iText = s.fieldIndex.text ?? -1;
    this.iTitle = s.fieldIndex.title ?? -1;
    this.iFollowUp = s.fieldIndex.followUp ?? -1;
    this.iNps = s.fieldIndex.nps ?? -1;
    this.iRating = s.fieldIndex.rating ?? -1;
    this.iSubmitted = s.fieldIndex.submittedAt ?? -1;
    this.iUpdated = s.fieldIndex.updatedAt ?? -1;
    this.iSourceId = s.fieldIndex.sourceRecordId ?? -1;
    this.iCustomer = s.fieldIndex.customerId ?? -1;
    this.iEmail = s.fieldIndex.email ?? -1;
    this.iLanguage = s.fieldIndex.language ?? -1;
    this.iChannel = s.fieldIndex.channel ?? -1;
    this.iProduct = s.fieldIndex.product ?? -1;
    this.iRegion = s.fieldIndex.region ?? -1;
    this.firstColumnMayBeSummary = ![
      this.iText,
      this.iTitle,
      this.iFollowUp,
      this.iProduct,
      this.iChannel,
      this.iRegion,
      this.iLanguage,
    ].includes(0);
  }

  /** The non-empty cell at column `i` (-1: unmapped). */
  private cell(cells: readonly string[], i: number): string | undefined {
    if (i < 0) return undefined;
    const v = cells[i];
    return v === undefined || v.length === 0 ? undefined : v;
  }

  private date(
    cells: readonly string[],
    field: 'submittedAt' | 'updatedAt',
    idx: number,
    row: number,
    out: RowOutcome[],
  ): number | undefined {
    const raw = this.cell(cells, idx);
    if (raw === undefined || raw.trim() === '' || cleanText(raw) === undefined) return undefined;
    const zone = this.zones.get(idx) ?? this.s.timeZone;
    const r = parseDate(raw, zone, this.s.dateOrder, this.nowMs);
    if ('problem' in r) {
      out.push({ kind: 'warning', row, code: 'DATE_UNPARSEABLE', detail: `${field}: ${raw.slice(0, 40)}` });
      return undefined;
    }
    if ('conflict' in r) out.push({ kind: 'warning', row, code: 'DATE_ORDER_CONFLICT', detail: raw.slice(0, 40) });
    return r.ms;
  }

  process(raw: RawRow, row: number, out: RowOutcome[]): void {
    if (raw.reject !== undefined) {
      out.push({ kind: 'rejected', row, reason: raw.reject, detail: raw.detail });
      return;
    }
    const cells = raw.cells;
    if (this.s.format === 'csv' || this.s.format === 'tsv') {
      if (cells.length > this.columnCount) {
        for (let i = this.columnCount; i < cells.length; i++) {
          if ((cells[i] ?? '').trim() !== '') {
            out.push({
              kind: 'rejected',
              row,
              reason: 'WRONG_COLUMN_COUNT',
              detail: `${cells.length} cells, header has ${this.columnCount}`,
            });
            return;
          }
        }
      } else if (cells.length < this.columnCount && cells.length > 1) {
        out.push({
          kind: 'warning',
          row,
          code: 'WRONG_COLUMN_COUNT',
          detail: `${cells.length} of ${this.columnCount} cells`,
        });
      }
    }
    if (this.iSubmitted >= 0 && this.cell(cells, this.iSubmitted) === undefined && this.isSummary(cells)) {
      out.push({ kind: 'rejected', row, reason: 'SUMMARY_ROW', detail: (cells[0] ?? '').trim().slice(0, 40) });
      return;
    }
    const bodyRaw = this.cell(cells, this.iText);
    const titleRaw = this.cell(cells, this.iTitle);
    const followRaw = this.cell(cells, this.iFollowUp);
    if (bodyRaw !== undefined && bodyRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `text: ${bodyRaw.length} characters` });
      return;
    }
    if (titleRaw !== undefined && titleRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `title: ${titleRaw.length} characters` });
      return;
    }
    if (followRaw !== undefined && followRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `followUp: ${followRaw.length} characters` });
      return;
    }

    // Text: title, body and the customer's follow-up, joined as sentences.
    const title = titleRaw === undefined ? undefined : cleanText(titleRaw);
    const body = bodyRaw === undefined ? undefined : cleanText(bodyRaw);
    let text = joinSentences(title, body);
    if (followRaw !== undefined) text = joinSentences(text, cleanText(followRaw));
    if (text !== undefined) {
      if (text.includes('\ufffd')) out.push({ kind: 'warning', row, code: 'INVALID_BYTES' });
      if (text.length > this.maxText) {
        text = text.slice(0, this.maxText);
        out.push({ kind: 'warning', row, code: 'TEXT_TRUNCATED', detail: `cut to ${this.maxText} characters` });
      }
      text = redact(text);
    }

    let nps: number | undefined;
    const npsRaw = this.cell(cells, this.iNps);
    if (npsRaw !== undefined) {
      const r = parseNps(npsRaw);
      if (r !== undefined) {
        if ('value' in r) nps = r.value;
        else out.push({ kind: 'warning', row, code: r.problem, detail: `nps: ${npsRaw.slice(0, 20)}` });
      }
    }
    let rating: number | undefined;
    const ratingRaw = this.cell(cells, this.iRating);
    if (ratingRaw !== undefined) {
      const r = parseRating(ratingRaw, this.s.ratingScale);
      if (r !== undefined) {
        if ('value' in r) rating = r.value;
        else out.push({ kind: 'warning', row, code: r.problem, detail: `rating: ${ratingRaw.slice(0, 20)}` });
      }
    }
    if (text === undefined && nps === undefined && rating === undefined) {
      out.push({ kind: 'rejected', row, reason: 'NO_CONTENT' });
      return;
    }

    let submittedMs = this.date(cells, 'submittedAt', this.iSubmitted, row, out);
    const updatedMs = this.date(cells, 'updatedAt', this.iUpdated, row, out);
    let submittedFromFile = true;
    if (submittedMs === undefined && updatedMs !== undefined && this.iSubmitted < 0) submittedMs = updatedMs;
    if (submittedMs === undefined) {
      submittedFromFile = false;
      out.push({ kind: 'warning', row, code: 'DATE_MISSING', detail: 'upload time used' });
    }

    let sourceRecordId: string | undefined;
    const idRaw = this.cell(cells, this.iSourceId);
    if (idRaw !== undefined && idRaw.trim() !== '') {
      if (this.unreliable.has(this.iSourceId) && isMangledNumber(idRaw)) {
        out.push({ kind: 'warning', row, code: 'UNRELIABLE_ID', detail: `sourceRecordId ${idRaw.trim()}` });
      } else sourceRecordId = normaliseSourceId(idRaw).slice(0, 500);
    }
    let customerHash: string | undefined;
    const custRaw = this.cell(cells, this.iCustomer);
    if (custRaw !== undefined && custRaw.trim() !== '' && cleanText(custRaw) !== undefined) {
      if (isMangledNumber(custRaw)) {
        out.push({ kind: 'warning', row, code: 'UNRELIABLE_ID', detail: 'customerId in scientific notation' });
      } else customerHash = hashIdentifier(this.opts.hashKey, custRaw, 'id');
    }
    if (customerHash === undefined) {
      const email = this.cell(cells, this.iEmail);
      if (email?.includes('@')) customerHash = hashIdentifier(this.opts.hashKey, email, 'email');
    }
    const language = this.label(cells, this.iLanguage);
    const channel = this.label(cells, this.iChannel);
    const product = this.label(cells, this.iProduct);
    const region = this.label(cells, this.iRegion);

    const submittedAt = submittedMs === undefined ? this.uploadIso : isoString(submittedMs);
    const source = this.opts.source;
    let fingerprint: string;
    let fingerprintKind: CanonicalRecord['fingerprintKind'];
    if (sourceRecordId !== undefined) {
      fingerprint =
        this.s.idScope === undefined
          ? sha(`${source}\u0000id\u0000${sourceRecordId}`)
          : sha(`${source}\u0000id\u0000${this.s.idScope}\u0000${sourceRecordId}`);
      fingerprintKind = 'sourceId';
    } else {
      fingerprint = sha(
        `${source}\u0000c\u0000${text ?? ''}\u0000${submittedFromFile ? submittedAt : ''}\u0000${nps ?? ''}\u0000${rating ?? ''}\u0000${customerHash ?? ''}\u0000${channel ?? ''}\u0000${product ?? ''}\u0000${region ?? ''}\u0000${language ?? ''}`,
      );
      fingerprintKind = 'content';
    }
    // Every field present (undefined when absent), always in this order: all records share one shape, so the stages
    // after this one read their fields through monomorphic inline caches.
    const record: CanonicalRecord = {
      fingerprint,
      fingerprintKind,
      row,
      source,
      submittedAt,
      updatedAt: updatedMs === undefined ? undefined : isoString(updatedMs),
      text,
      language,
      nps,
      rating,
      channel,
      product,
      region,
      customerHash,
      sourceRecordId,
    };
    out.push({ kind: 'accepted', row, record });
  }

  /**
   * A spreadsheet's totals line under the table (`Total,,3.4,8 responses`, `Average CSAT`, `合计`): its first cell, in a
   * column that holds neither text nor a label (a product called "Total Wireless"), is such a word (and, checked by the
   * caller, its date is empty).
   */
  private isSummary(cells: readonly string[]): boolean {
    if (!this.firstColumnMayBeSummary) return false;
    const first = cells[0];
    return first !== undefined && SUMMARY_LABEL.test(first.trim());
  }

  private label(cells: readonly string[], idx: number): string | undefined {
    const v = this.cell(cells, idx);
    if (v === undefined) return undefined;
    // Labels (channel, product, region, language) take few distinct values: clean and redact each once.
    const known = this.labels.get(v);
    if (known !== undefined) return known === NO_LABEL ? undefined : known;
    const c = cleanLabel(v);
    const label = c === undefined ? undefined : redact(c);
    if (this.labels.size >= MAX_CACHED_LABELS) this.labels.clear();
    this.labels.set(v, label ?? NO_LABEL);
    return label;
  }
}

/** Exposed for tests and the CLI: normalised column name. */
export { normaliseName };
