import type { CanonicalRecord, Diagnostic, RejectReason } from '../domain/types.js';
import type { ChoiceGroup } from './choice-groups.js';

/**
 * Canonical fields a column can be mapped to. `title` is joined in front of `text` when both exist, and `followUp` (the
 * customer's own later addition, e.g. Taobao's 追加评论) after it.
 */
export const MAPPED_FIELDS = [
  'text',
  'title',
  'followUp',
  'submittedAt',
  'updatedAt',
  'nps',
  'rating',
  'channel',
  'product',
  'region',
  'language',
  'customerId',
  'email',
  'sourceRecordId',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Per-source overrides: field → exact column name as it appears in the file (after header merging). `null` disables a field. */
export type ColumnOverrides = Partial<Record<MappedField, string | null>>;

export type ExportFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'xlsx';
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252';
export type DateOrder = 'DMY' | 'MDY';

export type WarningCode =
  | 'SCORE_OUT_OF_RANGE'
  | 'SCORE_UNPARSEABLE'
  | 'DATE_MISSING'
  | 'DATE_UNPARSEABLE'
  | 'DATE_ORDER_CONFLICT'
  | 'UNRELIABLE_ID'
  | 'WRONG_COLUMN_COUNT'
  | 'INVALID_BYTES'
  | 'TEXT_TRUNCATED'
  /** The survey tool marks the response unfinished; it is kept because it holds a score or text. */
  | 'PARTIAL_RESPONSE';

export type FileWarningCode =
  | 'DATE_ORDER_AMBIGUOUS'
  | 'TEXT_COLUMN_INFERRED'
  | 'SCORE_KIND_INFERRED'
  | 'NO_DATE_COLUMN'
  | 'UNRELIABLE_ID_COLUMN'
  | 'LINES_ABOVE_HEADER'
  | 'MAPPING_UNCERTAIN'
  | 'NO_HEADER'
  | 'ROW_NUMBER_NOT_ID';

export interface FileWarning {
  code: FileWarningCode;
  detail: Diagnostic;
}

/** What the column mapping used: canonical field → column name as seen in the file. */
export type ColumnMapping = Partial<Record<MappedField, string>>;

/** How the rating column's labels are read. */
export type RatingScale = 'numeric' | 'good-bad';

/** Everything needed to read rows the same way again; part of {@link ResumeState}. */
/** Where a survey tool marks test and unfinished responses: column indexes (see survey-status.ts). */
export interface SurveyStatusColumns {
  channel?: number;
  status?: number;
  finished?: number;
}

export interface ParserState {
  format: ExportFormat;
  encoding: TextEncoding;
  /** CSV/TSV only. */
  delimiter?: string;
  headerRows: number;
  /** Merged column names in file order (for JSON: flattened keys in discovery order). */
  columns: string[];
  /** Canonical field → column index in `columns`. */
  fieldIndex: Partial<Record<MappedField, number>>;
  ratingScale: RatingScale;
  dateOrder?: DateOrder;
  /** Zone the export states (Qualtrics ImportId row), else the default zone. */
  timeZone: string;
  /** Columns whose header says they are UTC (e.g. `Submit Date (UTC)`). */
  utcColumns: number[];
  /** Other columns whose header states a zone: column index → IANA zone. */
  columnZones?: Record<string, string>;
  unreliableIdColumns: number[];
  /**
   * Everything read so far was ASCII, so `encoding` (utf-8) is a placeholder: a resumed read settles it at the first
   * non-ASCII byte, as the first read would have.
   */
  encodingUndecided?: boolean;
  /** XLSX: the worksheet read (0-based), so a resumed read takes the same one. */
  sheet?: number;
  /** Survey identity that a per-export row number (问卷星's 序号) needs to name a response; see recordIdentity. */
  idScope?: string;
  /** The id column counts the export's rows (1, 2, 3…): no id, records are known by their content. */
  idIsRowNumber?: true;
  /**
   * The id column was chosen by its values, with no name to say it holds response ids (a headerless file's): it may
   * hold customer ids, so its ids make fingerprints but are not copied into records.
   */
  unnamedIdColumn?: true;
  /** Personal columns (author name, IP…), keyed-hashed into the content fingerprint and never copied. */
  authorColumns?: number[];
  /** Where the survey tool marks test and unfinished responses. */
  surveyStatus?: SurveyStatusColumns;
  /** Single-choice questions spread over one column per answer, read as one column each (`columns` is collapsed). */
  choiceGroups?: ChoiceGroup[];
  /** JSON records written as arrays of values (a table): records written as objects do not fit it, and vice versa. */
  positional?: true;
  /** The header rows, to reject them when they come again below the records (absent: headerless, JSON, old checkpoint). */
  headerMarks?: HeaderMark[];
}

/**
 * A header row as it would look again below the first records (exports pasted one after another, a sheet copied
 * twice): its first filled cell, normalised, and a hash of all its cells, normalised (see header-repeat.ts). Small
 * enough for the parser state a checkpoint carries, whatever the width of the header.
 */
export interface HeaderMark {
  /** Column of the first filled cell. */
  at: number;
  first: string;
  key: string;
}

/**
 * JSON-serialisable checkpoint. With `byteOffset` set, the next invocation passes only the bytes from that offset
 * (S3 Range `bytes=<byteOffset>-`); without it, the whole file is passed again and `recordsDone` records are skipped.
 */
export interface ResumeState {
  version: 1;
  /** Records (rows after the header) completed so far; the next record is `recordsDone + 1`. */
  recordsDone: number;
  /** Offset in the raw file just after record `recordsDone`, when the format allows it. */
  byteOffset?: number;
  /**
   * Line-based formats: the physical lines up to `byteOffset` (the line record `recordsDone` ends on), so a read from
   * that offset numbers lines as the first read did. Absent in checkpoints written before lines were counted: the
   * lines of such a continuation are not reported.
   */
  linesDone?: number;
  /**
   * Records without text were counted before this checkpoint: their occurrence numbers (see RowContext) need the
   * records before it, so the resumed read passes the whole file again and counts them without yielding them.
   */
  recountOccurrences?: true;
  parser: ParserState;
}

/** One role's column as the columns stage chose it, for `feedback check` and file reports. */
export interface RoleChoice {
  field: MappedField;
  column: string;
  /** 0–1, from the name prior and how well the values fit the role (1 when an override names it). */
  confidence: number;
  /** The values' evidence in words (shares and counts, never values). */
  evidence: string;
  runnerUp?: { column: string; evidence: string };
}

export interface ExportMeta {
  format: ExportFormat;
  encoding: TextEncoding;
  delimiter?: string;
  headerRows: number;
  columns: ColumnMapping;
  /** Every column name seen (merged headers), for reports and errors. */
  seenColumns: string[];
  /** Personal columns present in the file and never copied into records (names, e-mails, IPs…). */
  droppedPersonalColumns: string[];
  ratingScale: RatingScale;
  dateOrder?: DateOrder;
  timeZone: string;
  fileWarnings: FileWarning[];
  /** Each role's column, confidence and evidence (first read only: a resumed read does not profile again). */
  mapping?: RoleChoice[];
  /** Whether {@link ExportReader.checkpoint} gives byte offsets (`byte-offset`) or needs a full re-read (`skip-records`). */
  resumeMode: 'byte-offset' | 'skip-records';
}

export interface AcceptedOutcome {
  kind: 'accepted';
  row: number;
  record: CanonicalRecord;
  /** Set by a dedupe stage when this record is a newer version of an earlier accepted one (which becomes a duplicate). */
  replaces?: ReplacedRecord;
}
export interface RejectedOutcome {
  kind: 'rejected';
  row: number;
  reason: RejectReason;
  detail?: Diagnostic;
}
export interface WarningOutcome {
  kind: 'warning';
  row: number;
  code: WarningCode;
  detail?: Diagnostic;
}
export interface DuplicateOutcome {
  kind: 'duplicate';
  row: number;
  fingerprint: string;
  /** Row of the record kept, when known (in-file). */
  keptRow?: number;
}
export type RowOutcome = AcceptedOutcome | RejectedOutcome | WarningOutcome | DuplicateOutcome;

/** Summary of an earlier accepted record that a newer version replaced, so counts and KPIs can be moved. */
export interface ReplacedRecord {
  row: number;
  hasText: boolean;
  nps?: number;
  rating?: number;
}

export interface ReadExportOptions {
  /** Object key or path; the extension is a hint only, the content is sniffed. */
  fileName: string;
  /** Source name (e.g. `google-play`, from `incoming/<source>/…`). */
  source: string;
  /** HMAC-SHA256 key for customer ids and e-mails. */
  hashKey: string;
  /** IANA zone used when the export states none. */
  defaultTimeZone: string;
  /** Fallback instant for rows without a usable date (with a `DATE_MISSING` warning). */
  uploadTime: Date;
  overrides?: ColumnOverrides;
  resume?: ResumeState;
  /*
   * Bounds on the work one file may cause, whatever its format (defaults: DEFAULT_LIMITS in limits.ts). A file past a
   * file-level bound ends with a `FileRejectedError` of the code named; a row past a row-level bound is rejected.
   */
  /**
   * Longest cleaned text kept; longer text is cut with a `TEXT_TRUNCATED` warning.
   * @default 20000
   */
  maxTextLength?: number;
  /**
   * A record larger than this (characters; a CSV record's raw bytes, a JSON line or element, an XLSX row's cells)
   * rejects the row with `CELL_TOO_LARGE`.
   * @default 1000000
   */
  maxCellSize?: number;
  /**
   * Bytes of the file read, compressed or not: past it, `FILE_TOO_LARGE`.
   * @default 2 GiB
   */
  maxFileBytes?: number;
  /**
   * XLSX: bytes the workbook's zip entries inflate to, all together: past it, `FILE_TOO_LARGE` (also what worksheets
   * spooled to the temp directory can take there).
   * @default 1 GiB
   */
  maxInflatedBytes?: number;
  /**
   * XLSX: inflated bytes per compressed byte of a zip entry, judged once the entry has inflated 8 MiB: past it,
   * `ZIP_BOMB` (as is an entry inflating past the size its header declares).
   * @default 100
   */
  maxInflationRatio?: number;
  /**
   * Records (and XLSX worksheet rows, blank ones included): past it, `TOO_MANY_ROWS`; the records before it count.
   * @default 5000000
   */
  maxRows?: number;
  /**
   * Cells in a row (or keys in a JSON record): a wider row is rejected with `TOO_MANY_COLUMNS`, a wider header ends
   * the file with `TOO_MANY_COLUMNS`.
   * @default 4096
   */
  maxColumns?: number;
  /**
   * XLSX: shared strings held in memory: more, `SHARED_STRINGS_TOO_LARGE`.
   * @default 2000000
   */
  maxSharedStrings?: number;
  /**
   * XLSX: characters of all shared strings together: more, `SHARED_STRINGS_TOO_LARGE`.
   * @default 64 Mi (67108864)
   */
  maxSharedStringChars?: number;
}

export interface ExportReader extends AsyncIterable<RowOutcome> {
  /** Sniffs the file (reading only its beginning) and resolves to its metadata; rejects with `FileRejectedError`. */
  meta(): Promise<ExportMeta>;
  /** State to resume after the last completed record yielded so far (undefined before the first). */
  checkpoint(): ResumeState | undefined;
  /**
   * Physical lines read (CSV, TSV, JSON Lines): up to the end of the last record handed out, and every line of the file
   * once it has been read to its end. Counted from the start of the file, a resumed read included. Undefined for
   * JSON documents and workbooks, and for a continuation of a checkpoint that did not record them.
   */
  linesRead(): number | undefined;
  /**
   * The outcomes in batches (one per chunk of the file, a record's warnings before its final outcome): what a consumer
   * that commits between records uses, with {@link checkpointAfter}, to skip one generator step per outcome.
   */
  batches(): AsyncIterable<RowOutcome[]>;
  /** State to resume after record `row` of the batch handed out last; undefined for a row outside it. */
  checkpointAfter(row: number): ResumeState | undefined;
}
