/**
 * The canonical shapes every stage agrees on: the parser emits `CanonicalRecord`s and a `FileReport`;
 * sentiment fills `SentimentResult`; the aggregator folds records into `CellDelta`s.
 */

/** Comprehend's 12 sentiment languages (wire values). */
export const COMPREHEND_LANGUAGES = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
  'zh-TW',
] as const;
export type ComprehendLanguage = (typeof COMPREHEND_LANGUAGES)[number];

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

export interface SentimentScore {
  Positive: number;
  Negative: number;
  Neutral: number;
  Mixed: number;
}

export interface SentimentResult {
  label: SentimentLabel;
  score: SentimentScore;
  language: ComprehendLanguage;
}

/** One accepted feedback row after mapping, cleaning and redaction. Contains no raw personal data. */
export interface CanonicalRecord {
  /** Deduplication fingerprint: hash of the source record id when the export has one, else of the mapped content. */
  fingerprint: string;
  /** Which kind of key the fingerprint came from. */
  fingerprintKind: 'sourceId' | 'content';
  /** 1-based record number in the file, header rows not counted. */
  row: number;
  /** Source name (first path segment under `incoming/`, or the format's tool name). */
  source: string;
  /** Instant the feedback was given, ISO 8601 UTC. */
  submittedAt: string;
  /** Version instant for sources whose records get edited (Google Play "Last Update"), ISO 8601 UTC. */
  updatedAt?: string;
  /** Cleaned, redacted feedback text; absent when the row only has scores. */
  text?: string;
  /** Language as given by the row (raw tag such as `en`, `zh-Hans`, `DE`), if any. */
  language?: string;
  /** NPS 0–10. */
  nps?: number;
  /** Rating/CSAT 1–5. */
  rating?: number;
  channel?: string;
  product?: string;
  region?: string;
  /** Keyed hash (HMAC-SHA256, hex) of the customer identifier or e-mail. */
  customerHash?: string;
  /** Source record id when it is not personal data (review id, response id), else absent. */
  sourceRecordId?: string;
}

export type RejectReason =
  | 'NO_CONTENT'
  | 'MALFORMED_ROW'
  /** A quote that opens a cell and is never properly closed: the row ends at the line it opened on. */
  | 'MALFORMED_QUOTING'
  | 'MALFORMED_JSON'
  | 'CELL_TOO_LARGE'
  /** More cells than the column limit. */
  | 'TOO_MANY_COLUMNS'
  | 'WRONG_COLUMN_COUNT'
  | 'NOT_AN_OBJECT'
  | 'SUMMARY_ROW'
  /** The header again below the first records (exports pasted one after another). */
  | 'HEADER_REPEATED'
  /** A survey tool's preview or test response (Qualtrics `DistributionChannel`/`Status`). */
  | 'TEST_RESPONSE';

declare const builtByDiagnostic: unique symbol;
/**
 * A user-facing detail (a warning's or rejection's detail, an error message), as `diagnostic` in
 * `shared/ingest/diagnostic.ts` builds it: no raw cell, names only where they read as names, redacted and capped.
 */
export type Diagnostic = string & { readonly [builtByDiagnostic]: true };

export interface RowIssue {
  row: number;
  code: string;
  detail?: Diagnostic;
}

export interface RowCounts {
  total: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  withText: number;
  /**
   * Physical lines read (CSV, TSV, JSON Lines): header, blank lines and the lines of multi-line cells included, so a
   * gap between lines and rows shows where they went. Absent for JSON documents and workbooks.
   */
  lines?: number;
}

export interface KpiSummary {
  nps: { n: number; promoters: number; passives: number; detractors: number; score: number | null };
  csat: { n: number; satisfied: number; score: number | null; average: number | null };
}
