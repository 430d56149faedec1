import { isValidTimeZone } from '../domain/days.js';
import { FileRejectedError } from '../domain/errors.js';
import { mapColumns } from './column-mapping.js';
import { cellKind, columnIsOfKind, profileColumn } from './column-profile.js';
import { diagnostic, looksLikeName } from './diagnostic.js';
import { detectHeader } from './headers.js';
import type { KeyIndex } from './rows/json-flatten.js';
import type { RawRow } from './rows/raw-row.js';
import type { ColumnOverrides, FileWarning } from './types.js';

/** Rows read ahead to sample values for the column mapping (tables read 3 more: a header may span 3 rows). */
const SAMPLE_ROWS = 200;
/** Title lines (report name, export date, blank padded lines) looked for above a table's header. */
const MAX_PREAMBLE = 6;
/** Keys that only wrap a value (iTunes RSS JSON's `label`, XML-to-JSON's `$t` and `#text`, a protobuf Timestamp's `seconds`). */
const WRAPPED_VALUE = new Set(['label', '$t', '#text', '_text', 'value', 'seconds']);
const NUMBER_CELL = /^[+-]?\d+(?:[.,]\d+)?$/;

/** Where a file's columns and first record are: the output of the layout stage. */
export interface Layout {
  /** Column names (merged header rows; for JSON, flattened keys in discovery order). */
  columns: string[];
  /** Extra names per column (other header rows, Qualtrics ImportIds, JSON leaf keys). */
  aliases: string[][];
  /** Rows above the first record: title lines and header rows. */
  headerRows: number;
  /** Title lines above the header. */
  preamble: number;
  /** Zone the header states (Qualtrics ImportId row), when it is an IANA zone. */
  timeZone?: string;
  /** Records read with the head, handed out before the rest. */
  lookahead: RawRow[];
  /** No header row: the first line is a record; columns are named by role once mapped. */
  headerless?: boolean;
  /** JSON whose records are arrays of values: a table, cells by position. */
  positional?: true;
  /** The header rows as read (under the title lines). */
  headerCells?: string[][];
}

/** The first rows of a file, enough for the layout and the mapping sample. Throws `EMPTY_FILE` when there are none. */
export async function readHead(rows: AsyncIterator<RawRow[]>, tabular: boolean): Promise<RawRow[]> {
  const head: RawRow[] = [];
  const wanted = SAMPLE_ROWS + (tabular ? 3 : 0);
  while (head.length < wanted) {
    const next = await rows.next();
    if (next.done) break;
    head.push(...next.value);
  }
  if (head.length === 0) throw new FileRejectedError('EMPTY_FILE', diagnostic`The file has no rows.`);
  return head;
}

/**
 * A table's layout: title lines (`preambleHint` of them known, Excel's `sep=` line), then one to three header rows.
 * Throws when the header cannot be parsed or names nothing.
 */
export function tableLayout(head: RawRow[], preambleHint: number): Layout {
  const firstGood = head.findIndex((r) => r.reject === undefined);
  if (firstGood !== 0) throw headerRejected(head[0]);
  const preamble = leadingPreamble(head, preambleHint);
  const header = detectHeader(head.slice(preamble, preamble + 3).map((r) => r.cells));
  const rows = head.slice(preamble).filter((r) => r.reject === undefined);
  if (header.kind === 'plain' && firstRowIsData(rows.map((r) => r.cells))) {
    const width = Math.max(...rows.slice(0, 20).map((r) => r.cells.length));
    const columns = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
    const aliases = columns.map(() => []);
    return { columns, aliases, headerRows: preamble, preamble, lookahead: head.slice(preamble), headerless: true };
  }
  const headerRows = preamble + header.headerRows;
  const tz = header.timeZone === 'Z' ? 'UTC' : header.timeZone;
  const layout: Layout = {
    columns: header.columns,
    aliases: header.aliases,
    headerRows,
    preamble,
    lookahead: head.slice(headerRows),
    headerCells: head.slice(preamble, headerRows).map((r) => r.cells),
  };
  if (tz !== undefined && isValidTimeZone(tz)) layout.timeZone = tz;
  if (layout.columns.every((c) => c === ''))
    throw new FileRejectedError('NO_USABLE_COLUMNS', diagnostic`The header row is empty.`);
  return layout;
}

/** Why a table's first row (its header) could not be read. */
function headerRejected(first: RawRow | undefined): FileRejectedError {
  switch (first?.reject) {
    case 'TOO_MANY_COLUMNS':
      return new FileRejectedError(
        'TOO_MANY_COLUMNS',
        diagnostic`The header row is wider than the column limit (${{ list: first.detail ? [first.detail] : [] }}).`,
      );
    case 'CELL_TOO_LARGE':
      return new FileRejectedError(
        'MALFORMED_FILE',
        diagnostic`The header row is larger than the cell limit (${{ list: first.detail ? [first.detail] : [] }}).`,
      );
    default:
      return new FileRejectedError(
        'MALFORMED_FILE',
        diagnostic`The header row could not be parsed (malformed quoting).`,
      );
  }
}

/**
 * Whether a table's first line is already a record (scraper dumps without a header): none of its cells is a name,
 * every filled cell types like the values below it (a prose cell over a text column, a number over a score column,
 * an e-mail address, phone number or customer id over a column of such values), and at least one does.
 */
export function firstRowIsData(rows: readonly (readonly string[])[]): boolean {
  const [first, ...rest] = rows;
  if (first === undefined || rest.length < 2) return false;
  let matches = 0;
  for (let i = 0; i < first.length; i++) {
    const cell = first[i] ?? '';
    if (cell.trim() === '') continue;
    if (!looksLikeName(cell) && mostlyValues(rest.map((r) => r[i] ?? ''))) {
      matches++;
      continue;
    }
    const kind = cellKind(cell);
    if (kind === 'name') {
      // A category the column below repeats (`positive` over positive/negative labels) is a value, not a name.
      if (!rest.some((r) => (r[i] ?? '').trim() === cell.trim())) return false;
      matches++;
      continue;
    }
    if (
      !columnIsOfKind(
        profileColumn(
          i,
          rest.map((r) => r[i] ?? ''),
        ),
        kind,
      )
    )
      return false;
    matches++;
  }
  return matches > 0;
}

/** Whether most filled cells read as values rather than names (personal data, ids): a column of them. */
function mostlyValues(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.filter((c) => !looksLikeName(c)).length * 2 >= filled.length;
}

/** A JSON file's layout: the flattened keys seen in the first records are the columns; every row is a record. */
export function jsonLayout(head: RawRow[], keys: KeyIndex): Layout {
  if (head.every((r) => r.reject !== undefined)) {
    throw new FileRejectedError(
      'MALFORMED_FILE',
      diagnostic`No record could be parsed as a JSON object (${head[0]?.reject ?? 'unknown'}: ${{ list: [head[0]?.detail ?? diagnostic`no detail`] }}).`,
    );
  }
  const columns = [...keys.keys];
  return { columns, aliases: columns.map((k) => keyAliases(k, keys)), headerRows: 0, preamble: 0, lookahead: head };
}

/** Other names of a flattened key: its leaf, the path without JSON:API's `attributes`/`data`, its wrapper, its hint. */
function keyAliases(k: string, keys: KeyIndex): string[] {
  const parts = k.split('.');
  const leaf = parts[parts.length - 1] ?? k;
  const withoutAttr = parts.filter((p) => p !== 'attributes' && p !== 'data').join('.');
  const hint = keys.hintOf(k);
  // Feeds that wrap each value (`"content":{"label":"…"}` in iTunes RSS JSON, `$t`, `#text`) are named by the wrapper.
  const parent = WRAPPED_VALUE.has(leaf) && parts.length > 1 ? parts[parts.length - 2] : undefined;
  return [leaf, withoutAttr, ...(parent === undefined ? [] : [parent]), ...(hint === undefined ? [] : [hint])].filter(
    (x) => x !== k,
  );
}

/** The `LINES_ABOVE_HEADER` warning quoting the title lines skipped (beyond the `preambleHint` known ones). */
export function preambleWarning(
  head: readonly RawRow[],
  preambleHint: number,
  preamble: number,
): FileWarning | undefined {
  if (preamble <= preambleHint) return undefined;
  const lines = head
    .slice(preambleHint, preamble)
    .map((r) => r.cells.filter((c) => c.trim() !== '').join(' '))
    .filter((l) => l !== '');
  const skipped = preamble - preambleHint;
  return {
    code: 'LINES_ABOVE_HEADER',
    detail:
      lines.length > 0
        ? diagnostic`Skipped ${skipped} line(s) above the header: ${{ names: lines }}.`
        : diagnostic`Skipped ${skipped} line(s) above the header.`,
  };
}

/**
 * How much a worksheet's first rows look like a feedback table: 2 when the mapping finds feedback (text, title or a
 * score) and a date, an id or a second kind of feedback; 1 when it finds feedback alone (a README sheet's lines can
 * pass for a text column); 0 when nothing usable.
 */
export function sheetScore(rows: readonly string[][], overrides: ColumnOverrides | undefined): 0 | 1 | 2 {
  try {
    const raw = rows.map((cells) => ({ cells }));
    const preamble = leadingPreamble(raw, 0);
    const header = detectHeader(rows.slice(preamble, preamble + 3));
    const f = mapColumns({
      columns: header.columns,
      aliases: header.aliases,
      sample: rows.slice(preamble + header.headerRows),
      overrides,
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
