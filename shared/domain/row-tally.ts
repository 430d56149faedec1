import { emptyKpiCounts, type KpiCounts, kpiSummary, tallyScores } from './kpis.js';
import type { KpiSummary, RowCounts, RowIssue } from './types.js';

/**
 * The running account of one file's rows: counts, listed issues and score counts. The one model behind both
 * `feedback check` and the pipeline's file report, kept as plain data so the pipeline can persist it with each
 * checkpoint. `total = accepted + rejected + duplicates` holds after every call.
 */
export interface RowTally {
  rows: RowCounts;
  rejects: RowIssue[];
  warnings: RowIssue[];
  rejectCodes: Record<string, number>;
  warningCodes: Record<string, number>;
  scores: KpiCounts;
  /** True once an issue was left off a list for its length (the per-code counts stay complete). */
  listsTruncated: boolean;
}

export function emptyRowTally(): RowTally {
  return {
    rows: { total: 0, accepted: 0, rejected: 0, duplicates: 0, withText: 0 },
    rejects: [],
    warnings: [],
    rejectCodes: {},
    warningCodes: {},
    scores: emptyKpiCounts(),
    listsTruncated: false,
  };
}

/** Counts an issue by code and lists it while the list is shorter than `maxListed`. */
export function addIssue(t: RowTally, kind: 'reject' | 'warning', issue: RowIssue, maxListed: number): void {
  const list = kind === 'reject' ? t.rejects : t.warnings;
  const codes = kind === 'reject' ? t.rejectCodes : t.warningCodes;
  codes[issue.code] = (codes[issue.code] ?? 0) + 1;
  if (list.length < maxListed) list.push(issue);
  else t.listsTruncated = true;
}

export function countRejected(t: RowTally, issue: RowIssue, maxListed: number): void {
  t.rows.total++;
  t.rows.rejected++;
  addIssue(t, 'reject', issue, maxListed);
}

export function countDuplicate(t: RowTally): void {
  t.rows.total++;
  t.rows.duplicates++;
}

/** A row read from the file (its outcome, accepted or duplicate, may be decided later). */
export function countRead(t: RowTally): void {
  t.rows.total++;
}

/** An answer that counts: accepted, with its scores. Does not touch `total` (see {@link countRead}). */
export function countAccepted(t: RowTally, a: { hasText: boolean; nps?: number; rating?: number }): void {
  t.rows.accepted++;
  if (a.hasText) t.rows.withText++;
  tallyScores(t.scores, a.nps, a.rating);
}

/** An accepted answer was replaced by a newer version of the same record: it now counts as a duplicate. */
export function countReplaced(t: RowTally, a: { hasText: boolean; nps?: number; rating?: number }): void {
  t.rows.accepted--;
  t.rows.duplicates++;
  if (a.hasText) t.rows.withText--;
  tallyScores(t.scores, a.nps, a.rating, -1);
}

/**
 * The physical lines read so far, as the reader counts them (from the start of the file, so a continuation sets the
 * figure again rather than adding to it). Undefined (a format without lines) leaves the tally as it is.
 */
export function countLines(t: RowTally, lines: number | undefined): void {
  if (lines !== undefined) t.rows.lines = lines;
}

/** The counts of version 1 of the File Processed event, which carries no line count. */
export function eventRowCounts(r: RowCounts): Omit<RowCounts, 'lines'> {
  return { total: r.total, accepted: r.accepted, rejected: r.rejected, duplicates: r.duplicates, withText: r.withText };
}

export function tallyKpis(t: RowTally): KpiSummary {
  return kpiSummary(t.scores);
}
