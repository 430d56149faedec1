/**
 * Single-table layout. Access patterns (see docs/data-model.md):
 * - aggregate cells by dimension and day range: Query pk = AGG#<dimension>, sk BETWEEN <from> AND <to>~
 * - theme cells by dimension and day range: Query pk = THEME#<dimension>, sk BETWEEN <from> AND <to>~
 * - the most negative / positive quote of a theme on a day: Query pk = QUOTE#<day>, begins_with(sk, <theme>#N#), Limit 1
 * - row ledger by fingerprint: GetItem / conditional PutItem pk = ROW#<fingerprint>
 * - file ledger, staged deltas and event outbox of one file: Query pk = FILE#<fileId>
 * - negative verbatims of a day, most negative first: Query pk = VERB#<day>, Limit n
 * - mapping notices of a day (files whose column mapping is in doubt): Query pk = NOTE#<day>
 * - sentiment cache by text hash: BatchGetItem pk = TXT#<hash>
 * - spike ledger: conditional PutItem pk = SPIKE#<day>, sk = <dimension>#<value>
 * - Comprehend budget (store/cost-ledger.ts): BUDGET#<month>, COST#<fileId>, HELD (see its `costKeys`)
 */
import type { SegmentDimension } from '../domain/cells.js';

/** Sort-key prefix of one theme's quotes of one polarity: the best one sorts first. */
export function themeQuotePrefix(theme: string, polarity: 'negative' | 'positive'): string {
  return `${theme}#${polarity === 'negative' ? 'N' : 'P'}#`;
}

export const keys = {
  cell: (dimension: SegmentDimension, day: string, value: string) => ({
    pk: `AGG#${dimension}`,
    sk: `${day}#${value}`,
  }),
  themeCell: (dimension: SegmentDimension, day: string, value: string, theme: string) => ({
    pk: `THEME#${dimension}`,
    sk: `${day}#${theme}#${value}`,
  }),
  themeQuote: (day: string, theme: string, polarity: 'negative' | 'positive', score: number, fingerprint: string) => ({
    pk: `QUOTE#${day}`,
    sk: `${themeQuotePrefix(theme, polarity)}${String(999 - Math.round(score * 999)).padStart(3, '0')}#${fingerprint}`,
  }),
  row: (fingerprint: string) => ({ pk: `ROW#${fingerprint}`, sk: 'ROW' }),
  file: (fileId: string) => ({ pk: `FILE#${fileId}`, sk: 'FILE' }),
  stage: (fileId: string, segment: number, part: number) => ({
    pk: `FILE#${fileId}`,
    sk: `STAGE#${String(segment).padStart(6, '0')}#${String(part).padStart(3, '0')}`,
  }),
  outbox: (fileId: string, row: number, n = 0) => ({
    pk: `FILE#${fileId}`,
    sk: `OUTBOX#${String(row).padStart(10, '0')}#${n}`,
  }),
  verbatim: (day: string, negative: number, fingerprint: string) => ({
    pk: `VERB#${day}`,
    sk: `${String(999 - Math.round(negative * 999)).padStart(3, '0')}#${fingerprint}`,
  }),
  notice: (day: string, fileId: string) => ({ pk: `NOTE#${day}`, sk: fileId }),
  text: (hash: string) => ({ pk: `TXT#${hash}`, sk: 'SENT' }),
  spike: (day: string, dimension: SegmentDimension, value: string) => ({
    pk: `SPIKE#${day}`,
    sk: `${dimension}#${value}`,
  }),
} as const;

/**
 * Numeric counters are top-level attributes of a cell item; emerging-theme phrases are stored as `t:<phrase>` (the
 * prefix dates from when they were the only themes).
 */
export const PHRASE_ATTRIBUTE_PREFIX = 't:';

/** Epoch seconds `days` from `now`, for the TTL attribute. */
export function ttlAfterDays(now: Date, days: number): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}
