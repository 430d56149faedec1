import { kpiSummary } from '../domain/kpis.js';
import type { KpiSummary, RowCounts, RowIssue } from '../domain/types.js';
import { type AnalysisUsage, addUsage, emptyUsage } from './text-analyzer.js';

/** Issues kept verbatim in a report; beyond this only the per-code counts grow. */
const MAX_LISTED_ISSUES = 500;

/**
 * Running totals of one file, persisted with each checkpoint so a continuation or a retry after a crash
 * resumes them exactly. Bounded in size whatever the file's length.
 */
export interface ReportState {
  rows: RowCounts;
  rejects: RowIssue[];
  warnings: RowIssue[];
  rejectCodes: Record<string, number>;
  warningCodes: Record<string, number>;
  nps: { n: number; promoters: number; passives: number; detractors: number };
  csat: { n: number; satisfied: number; sum: number };
  sentiment: { positive: number; negative: number; neutral: number; mixed: number; none: number };
  superseded: number;
  crossFileDuplicates: number;
  usage: AnalysisUsage;
  cellWrites: number;
  segments: number;
  invocations: number;
}

export function emptyReportState(): ReportState {
  return {
    rows: { total: 0, accepted: 0, rejected: 0, duplicates: 0, withText: 0 },
    rejects: [],
    warnings: [],
    rejectCodes: {},
    warningCodes: {},
    nps: { n: 0, promoters: 0, passives: 0, detractors: 0 },
    csat: { n: 0, satisfied: 0, sum: 0 },
    sentiment: { positive: 0, negative: 0, neutral: 0, mixed: 0, none: 0 },
    superseded: 0,
    crossFileDuplicates: 0,
    usage: emptyUsage(),
    cellWrites: 0,
    segments: 0,
    invocations: 0,
  };
}

/** Re-hydrates a persisted state, tolerating states written by older versions. */
export function restoreReportState(raw: unknown): ReportState {
  const base = emptyReportState();
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Partial<ReportState>;
  return {
    ...base,
    ...r,
    rows: { ...base.rows, ...r.rows },
    nps: { ...base.nps, ...r.nps },
    csat: { ...base.csat, ...r.csat },
    sentiment: { ...base.sentiment, ...r.sentiment },
    usage: { ...base.usage, ...r.usage, calls: { ...base.usage.calls, ...r.usage?.calls } },
  };
}

export function cloneReportState(s: ReportState): ReportState {
  return structuredClone(s);
}

export function addIssue(state: ReportState, kind: 'reject' | 'warning', issue: RowIssue): void {
  const list = kind === 'reject' ? state.rejects : state.warnings;
  const codes = kind === 'reject' ? state.rejectCodes : state.warningCodes;
  codes[issue.code] = (codes[issue.code] ?? 0) + 1;
  if (list.length < MAX_LISTED_ISSUES) list.push(issue);
}

export function countScores(state: ReportState, nps: number | undefined, rating: number | undefined, sign: 1 | -1 = 1) {
  if (nps !== undefined) {
    state.nps.n += sign;
    if (nps >= 9) state.nps.promoters += sign;
    else if (nps >= 7) state.nps.passives += sign;
    else state.nps.detractors += sign;
  }
  if (rating !== undefined) {
    state.csat.n += sign;
    state.csat.sum += sign * rating;
    if (rating >= 4) state.csat.satisfied += sign;
  }
}

export function mergeUsage(state: ReportState, usage: AnalysisUsage): void {
  addUsage(state.usage, usage);
}

/** KPIs as design.md defines them; `score` is null when n is 0, rounding only here. */
export function kpis(state: ReportState): KpiSummary {
  const { nps, csat } = state;
  return kpiSummary({ ...nps, npsN: nps.n, ratingN: csat.n, satisfied: csat.satisfied, ratingSum: csat.sum });
}
