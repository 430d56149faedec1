import { emptyRowTally, type RowTally } from '../domain/row-tally.js';
import type { CostEstimate } from '../sentiment/cost.js';
import { type AnalysisUsage, addUsage, emptyUsage } from './text-analyzer.js';

/** Issues kept verbatim in a file report; beyond this only the per-code counts grow. */
export const MAX_LISTED_ISSUES = 500;

/**
 * Running totals of one file, persisted with each checkpoint so a continuation or a retry after a crash
 * resumes them exactly. Bounded in size whatever the file's length. The row account is the same
 * {@link RowTally} `feedback check` keeps; the rest is what only the pipeline knows.
 */
export interface ReportState extends RowTally {
  sentiment: { positive: number; negative: number; neutral: number; mixed: number; none: number };
  superseded: number;
  crossFileDuplicates: number;
  usage: AnalysisUsage;
  cellWrites: number;
  segments: number;
  invocations: number;
  /** The file's Comprehend cost as estimated before the first call (persisted so continuations report it too). */
  estimate?: CostEstimate;
}

export function emptyReportState(): ReportState {
  return {
    ...emptyRowTally(),
    sentiment: { positive: 0, negative: 0, neutral: 0, mixed: 0, none: 0 },
    superseded: 0,
    crossFileDuplicates: 0,
    usage: emptyUsage(),
    cellWrites: 0,
    segments: 0,
    invocations: 0,
  };
}

/** Checkpoint states written before the row tally kept its scores as KPI counts. */
interface LegacyScores {
  nps?: { n: number; promoters: number; passives: number; detractors: number };
  csat?: { n: number; satisfied: number; sum: number };
}

/** Re-hydrates a persisted state, tolerating states written by older versions. */
export function restoreReportState(raw: unknown): ReportState {
  const base = emptyReportState();
  if (!raw || typeof raw !== 'object') return base;
  const { nps, csat, ...r } = raw as Partial<ReportState> & LegacyScores;
  const legacy = nps || csat ? legacyScores(nps, csat) : undefined;
  return {
    ...base,
    ...r,
    rows: { ...base.rows, ...r.rows },
    scores: { ...base.scores, ...legacy, ...r.scores },
    sentiment: { ...base.sentiment, ...r.sentiment },
    usage: { ...base.usage, ...r.usage, calls: { ...base.usage.calls, ...r.usage?.calls } },
  };
}

function legacyScores(nps: LegacyScores['nps'], csat: LegacyScores['csat']): ReportState['scores'] {
  return {
    npsN: nps?.n ?? 0,
    promoters: nps?.promoters ?? 0,
    passives: nps?.passives ?? 0,
    detractors: nps?.detractors ?? 0,
    ratingN: csat?.n ?? 0,
    satisfied: csat?.satisfied ?? 0,
    ratingSum: csat?.sum ?? 0,
  };
}

export function cloneReportState(s: ReportState): ReportState {
  return structuredClone(s);
}

export function mergeUsage(state: ReportState, usage: AnalysisUsage): void {
  addUsage(state.usage, usage);
}
