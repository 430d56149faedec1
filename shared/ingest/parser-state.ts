import { collapseCells, collapseColumns, findChoiceGroups } from './choice-groups.js';
import { hashIdentifier } from './clean.js';
import { mapColumns } from './column-mapping.js';
import { inferDateOrder } from './dates.js';
import { columnLabels, diagnostic, looksLikeName } from './diagnostic.js';
import type { LateEncoding } from './encoding.js';
import { recordIdentity } from './fingerprint.js';
import { headerMarks, RepeatedHeader } from './header-repeat.js';
import { zoneInHeader } from './header-zones.js';
import { type Layout, preambleWarning } from './layout.js';
import type { KeyIndex } from './rows/json-flatten.js';
import type { LineCount, RawRow } from './rows/raw-row.js';
import { surveyStatusColumns } from './survey-status.js';
import type {
  ColumnMapping,
  ExportFormat,
  ExportMeta,
  FileWarning,
  MappedField,
  ParserState,
  ReadExportOptions,
  TextEncoding,
} from './types.js';

/** A file's rows as opened, with what sniffing found: the input of the layout and columns stages. */
export interface OpenedRows {
  rows: AsyncGenerator<RawRow[]>;
  format: ExportFormat;
  encoding: TextEncoding;
  /** CSV/TSV only. */
  delimiter?: string;
  /** JSON: the flattened keys, which are the columns; undefined for tables. */
  keys?: KeyIndex;
  resumeMode: ExportMeta['resumeMode'];
  /** Lines known to precede the header (Excel's `sep=` hint). */
  preambleHint: number;
  /** Line-based formats: what the row reader fills in with the file's physical lines at its end. */
  lineCount?: LineCount;
}

/** Where the reader starts: the file's state and meta, and the rows still to process. */
export interface ReadStart {
  meta: ExportMeta;
  state: ParserState;
  rows: AsyncIterator<RawRow[]>;
  /** Data rows already read during sniffing, replayed first. */
  lookahead: RawRow[];
  /** Records to skip before the first one to process (resume without byte offset). */
  skip: number;
  /** Records done before the first one read (resume). */
  rowBase: number;
  /** Line-based formats: the physical lines before the first row to process (header, resume point), when known. */
  linesBefore?: number;
  /** Filled in with the file's physical lines once its rows are read to the end. */
  lineCount?: LineCount;
}

/**
 * The columns stage: maps the layout's columns from the sampled records and settles what holds for the whole file
 * (zones named in headers, day/month order, survey identity) as the parser state a checkpoint carries, and the meta.
 * The names read from the file serve the mapping only: the state and the meta hold the names diagnostics may show
 * (see {@link columnLabels}), and JSON keys that are personal data only concealed.
 */
export function describeExport(
  source: OpenedRows,
  head: readonly RawRow[],
  layout: Layout,
  opts: ReadExportOptions,
): { state: ParserState; meta: ExportMeta } {
  const marks = headerMarksOf(layout);
  const again = marks.headerMarks === undefined ? undefined : new RepeatedHeader(marks.headerMarks);
  // The values to profile: neither broken rows nor the header again (exports pasted one after another).
  const collapsed = withChoicesCollapsed(layout, (cells) => again?.matches(cells) === true);
  const { sample, columns: read, aliases } = collapsed;
  // JSON records written as arrays of values are a table: their header names are judged like a table's.
  const json = source.keys !== undefined && layout.positional !== true;
  const labels = layout.headerless === true ? read : columnLabels(read, json);
  const mapping = mapColumns({ columns: read, labels, aliases, sample, overrides: opts.overrides });
  const fileWarnings: FileWarning[] = [...mapping.warnings];
  const shown = layout.headerless === true ? namedByRole(labels, mapping, fileWarnings) : labels;
  const skipped = preambleWarning(head, source.preambleHint, layout.preamble);
  if (skipped !== undefined) fileWarnings.push(skipped);
  const dateOrder = sampledDateOrder(sample, mapping.fieldIndex, fileWarnings);
  const { utcColumns, columnZones } = headerZones(read);
  const state: ParserState = {
    format: source.format,
    encoding: source.encoding,
    delimiter: source.delimiter,
    headerRows: layout.headerRows,
    // A resumed JSON read must find each key at its index again; a table's resume needs only the count.
    columns: json ? read.map(keyConcealer(opts.hashKey)) : shown,
    fieldIndex: mapping.fieldIndex,
    ratingScale: mapping.ratingScale,
    dateOrder,
    timeZone: layout.timeZone ?? opts.defaultTimeZone,
    utcColumns,
    ...(Object.keys(columnZones).length > 0 ? { columnZones } : {}),
    unreliableIdColumns: mapping.unreliableIdColumns,
    ...recordIdentity(read, mapping.fieldIndex.sourceRecordId, sample, mapping.personal),
    ...surveyStatusOf(read),
    ...(collapsed.groups.length > 0 ? { choiceGroups: collapsed.groups } : {}),
    ...(layout.positional ? { positional: true as const } : {}),
    ...marks,
  };
  const idColumn = mapping.fieldIndex.sourceRecordId;
  if (idColumn !== undefined && (layout.headerless === true || labels[idColumn] !== read[idColumn]))
    state.unnamedIdColumn = true;
  const dropped = mapping.personal.map((i) => shown[i] ?? '').filter((c) => c !== '');
  const meta = exportMeta(state, { dropped, fileWarnings, resumeMode: source.resumeMode });
  meta.mapping = mapping.explained;
  return { state, meta };
}

/** The layout's columns, aliases and sampled rows with single-choice questions spread over columns read as one. */
function withChoicesCollapsed(layout: Layout, headerAgain: (cells: readonly string[]) => boolean) {
  const sample = layout.lookahead.filter((r) => r.reject === undefined && !headerAgain(r.cells)).map((r) => r.cells);
  const groups = layout.headerless === true ? [] : findChoiceGroups(layout.columns, sample);
  if (groups.length === 0) return { columns: layout.columns, aliases: layout.aliases, sample, groups };
  return {
    columns: collapseColumns(layout.columns, groups, (g) => g.name),
    aliases: collapseColumns(layout.aliases, groups, () => []),
    sample: sample.map((cells) => collapseCells(cells, groups)),
    groups,
  };
}

/** A headerless file's columns named by the role each was mapped to (`text`, `rating`), the others `column N`. */
function namedByRole(
  columns: readonly string[],
  mapping: ReturnType<typeof mapColumns>,
  fileWarnings: FileWarning[],
): string[] {
  const named = [...columns];
  for (const [field, idx] of Object.entries(mapping.fieldIndex) as [MappedField, number][]) named[idx] = field;
  for (const choice of mapping.explained) {
    const idx = mapping.fieldIndex[choice.field];
    if (idx !== undefined) choice.column = choice.field;
  }
  const roles = mapping.explained.map((c) => c.field);
  fileWarnings.unshift({
    code: 'NO_HEADER',
    detail:
      roles.length > 0
        ? diagnostic`The first line is a record, not a header (its values type like the columns below); columns named by role: ${{ list: roles.map((r) => diagnostic`${r}`), separator: ', ' }}.`
        : diagnostic`The first line is a record, not a header (its values type like the columns below).`,
  });
  return named;
}

/** Columns whose header names a zone (`Submit Date (UTC)`, `Created at (PST)`): UTC ones, and the others by index. */
function headerZones(columns: readonly string[]): { utcColumns: number[]; columnZones: Record<string, string> } {
  const utcColumns: number[] = [];
  const columnZones: Record<string, string> = {};
  columns.forEach((c, i) => {
    const zone = zoneInHeader(c);
    if (zone === 'UTC') utcColumns.push(i);
    else if (zone !== undefined) columnZones[i] = zone;
  });
  return { utcColumns, columnZones };
}

/** Day/month order from the sampled dates; M/D/YYYY with a `DATE_ORDER_AMBIGUOUS` warning when none settles it. */
function sampledDateOrder(
  sample: readonly string[][],
  fieldIndex: ParserState['fieldIndex'],
  fileWarnings: FileWarning[],
): ParserState['dateOrder'] {
  const dateCols = [fieldIndex.submittedAt, fieldIndex.updatedAt].filter((x): x is number => x !== undefined);
  const dateValues = sample.flatMap((cells) => dateCols.map((i) => cells[i] ?? ''));
  const inferred = inferDateOrder(dateValues);
  if (inferred !== 'ambiguous') return inferred;
  fileWarnings.push({
    code: 'DATE_ORDER_AMBIGUOUS',
    detail: diagnostic`No sampled date settles day/month order (all parts ≤ 12); reading as M/D/YYYY.`,
  });
  return 'MDY';
}

/** The meta of a read from its state: what the first read found, or (resumed) what its checkpoint carries. */
export function exportMeta(
  state: ParserState,
  found: { dropped: string[]; fileWarnings: FileWarning[]; resumeMode: ExportMeta['resumeMode'] },
): ExportMeta {
  return {
    format: state.format,
    encoding: state.encoding,
    delimiter: state.delimiter,
    headerRows: state.headerRows,
    columns: mappingNames(state),
    seenColumns: shownColumns(state).filter((c) => c !== ''),
    droppedPersonalColumns: found.dropped,
    ratingScale: state.ratingScale,
    dateOrder: state.dateOrder,
    timeZone: state.timeZone,
    fileWarnings: found.fileWarnings,
    resumeMode: found.resumeMode,
  };
}

/** Marks a JSON key kept in a checkpoint as its keyed hash (it read as a value: an e-mail, a customer id). */
const CONCEALED = '\u0000';

/** A JSON key as a checkpoint keeps it: as read when it reads as a name, else its keyed hash. */
export function keyConcealer(hashKey: string): (key: string) => string {
  return (key) => (looksLikeName(key) ? key : `${CONCEALED}${hashIdentifier(hashKey, key, 'id').slice(0, 32)}`);
}

/** The state's column names as diagnostics show them: a concealed key is `column N`. */
function shownColumns(state: ParserState): string[] {
  return state.columns.map((c, i) => (c.startsWith(CONCEALED) ? `column ${i + 1}` : c));
}

function mappingNames(state: ParserState): ColumnMapping {
  const out: ColumnMapping = {};
  const names = shownColumns(state);
  for (const [field, idx] of Object.entries(state.fieldIndex) as [MappedField, number][]) {
    const name = names[idx];
    if (name !== undefined) out[field] = name;
  }
  return out;
}

/**
 * Records in the parser state (which checkpoints carry) and the meta that the encoding is open until `late` settles
 * it, then what it settled on: after a switch away from UTF-8, byte offsets are gone and resumes skip records.
 */
export function settleLater(late: LateEncoding, state: ParserState, meta: ExportMeta): void {
  state.encodingUndecided = true;
  late.onSettle((encoding) => {
    delete state.encodingUndecided;
    if (encoding === 'utf-8') return;
    state.encoding = encoding;
    meta.encoding = encoding;
    meta.resumeMode = 'skip-records';
  });
}

function headerMarksOf(layout: Layout): Pick<ParserState, 'headerMarks'> {
  const marks = headerMarks(layout.headerCells ?? []);
  return marks.length === 0 ? {} : { headerMarks: marks };
}

function surveyStatusOf(columns: readonly string[]): Pick<ParserState, 'surveyStatus'> {
  const surveyStatus = surveyStatusColumns(columns);
  return surveyStatus === undefined ? {} : { surveyStatus };
}
