/**
 * Minimal XLSX workbooks for the hostile cases, written part by part in Excel's order (the worksheet before the shared
 * strings, so a reader must spool it), with generated sheet XML and shared strings.
 */
import { writeZip, type ZipEntrySource, type ZipWritten } from './zip.js';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="Feedback" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;

/** XML text, escaped. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Column letters of a 1-based index (1 → A, 27 → AA). */
export function columnName(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** A cell: a number, a shared-string reference (`{ s: index }`) or an inline string. */
export type CellSpec = number | { s: number } | string;

export function cellXml(ref: string, v: CellSpec): string {
  if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
  if (typeof v === 'object') return `<c r="${ref}" t="s"><v>${v.s}</v></c>`;
  return `<c r="${ref}" t="inlineStr"><is><t>${xmlText(v)}</t></is></c>`;
}

/** A row of cells from column A. */
export function rowXml(r: number, cells: readonly CellSpec[]): string {
  return `<row r="${r}">${cells.map((v, i) => cellXml(`${columnName(i + 1)}${r}`, v)).join('')}</row>`;
}

/** Gathers small strings into pieces of about 64 KiB (generating a gigabyte a row at a time is slow to deflate). */
export async function* pieces(parts: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let buf: string[] = [];
  let size = 0;
  for await (const p of parts) {
    buf.push(p);
    size += p.length;
    if (size >= 65536) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/** Sheet XML around generated rows (row XML strings). */
export async function* sheetXml(rows: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  yield `${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetData>`;
  yield* pieces(rows);
  yield '</sheetData></worksheet>';
}

/** Shared-strings XML around generated strings (plain text, escaped here). */
export async function* sharedStringsXml(strings: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  yield `${XML_HEAD}<sst xmlns="${MAIN_NS}">`;
  async function* items(): AsyncGenerator<string> {
    for await (const s of strings) yield `<si><t>${xmlText(s)}</t></si>`;
  }
  yield* pieces(items());
  yield '</sst>';
}

export interface WorkbookSpec {
  /** Sheet XML (see {@link sheetXml}). */
  sheet: () => AsyncIterable<string>;
  /** Shared-strings XML (see {@link sharedStringsXml}); none when absent. */
  sharedStrings?: () => AsyncIterable<string>;
  /** Overrides for the worksheet's zip entry (level, a lying declared size). */
  sheetEntry?: Partial<ZipEntrySource>;
  sharedStringsEntry?: Partial<ZipEntrySource>;
  /** More entries, written after the workbook's relationships (a styles part, an image…). */
  extra?: ZipEntrySource[];
}

/** Writes a one-sheet workbook at `path`. */
export function writeWorkbook(path: string, spec: WorkbookSpec): Promise<ZipWritten> {
  const entries: ZipEntrySource[] = [
    { name: '[Content_Types].xml', data: () => [CONTENT_TYPES] },
    { name: '_rels/.rels', data: () => [ROOT_RELS] },
    { name: 'xl/workbook.xml', data: () => [WORKBOOK] },
    { name: 'xl/_rels/workbook.xml.rels', data: () => [WORKBOOK_RELS] },
    ...(spec.extra ?? []),
    { name: 'xl/worksheets/sheet1.xml', data: spec.sheet, ...spec.sheetEntry },
  ];
  const strings = spec.sharedStrings;
  if (strings !== undefined) entries.push({ name: 'xl/sharedStrings.xml', data: strings, ...spec.sharedStringsEntry });
  return writeZip(path, entries);
}
