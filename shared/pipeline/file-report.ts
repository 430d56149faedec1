import { PREFIXES } from '../config/resources.js';
import { tallyKpis } from '../domain/row-tally.js';
import type { ExportMeta } from '../ingest/types.js';
import type { IngestTarget } from '../ports/ingest.js';
import type { CostEstimate } from '../sentiment/cost.js';
import type { BudgetStanding } from './budget-guard.js';
import type { ReportState } from './report.js';
import { totalCalls } from './text-analyzer.js';

/** The file report written to `reports/…report.json`: what was read, kept, rejected and why. */
export interface FileReport {
  file: string;
  bucket: string;
  /** The version this report describes. */
  etag: string;
  versionId?: string;
  fileId: string;
  /** `held`: not processed, its estimate exceeding what is left of the month's Comprehend budget. */
  status: 'processed' | 'failed' | 'held';
  format?: string;
  encoding?: string;
  delimiter?: string;
  columns?: Record<string, string>;
  droppedPersonalColumns?: string[];
  dateOrder?: string;
  timeZone?: string;
  fileWarnings?: { code: string; detail: string }[];
  rows: ReportState['rows'];
  rejects: ReportState['rejects'];
  warnings: ReportState['warnings'];
  rejectCodes: Record<string, number>;
  warningCodes: Record<string, number>;
  kpis: ReturnType<typeof tallyKpis>;
  sentiment: ReportState['sentiment'];
  duplicates: { inFileOrSuperseded: number; crossFile: number; superseded: number };
  comprehend: {
    calls: number;
    byOperation: { sentiment: number; keyPhrases: number; dominantLanguage: number };
    units: number;
    estimatedCostUsd: number;
    cacheHits: number;
    failed: number;
    /** Estimated before any call, per operation, from the configured prices (absent in reports of older runs). */
    estimate?: CostEstimate;
  };
  /** Where the file stood against the month's budget when it was held or admitted (absent without a budget). */
  budget?: BudgetStanding & { release?: string };
  aggregateWrites: number;
  segments: number;
  invocations: number;
  recordsPrefix: string;
  error?: { code: string; message: string };
}

/**
 * Where the report of one version of an upload goes: `reports/<key under incoming/>/<etag>.report.json`. One key per
 * version, so a report can never describe one version under another's name (an overwrite mid-file leaves the old
 * version's `OBJECT_REPLACED` report beside the new version's own).
 */
export function reportKeyOf(key: string, etag: string): string {
  const rest = key.startsWith(PREFIXES.incoming) ? key.slice(PREFIXES.incoming.length) : key;
  return `${PREFIXES.reports}${rest}/${etag || 'unknown'}.report.json`;
}

/** Dollars rounded to a millionth, as reports and events carry them. */
export function roundedCost(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

export function buildReport(
  target: IngestTarget,
  fileId: string,
  status: FileReport['status'],
  state: ReportState,
  meta: ExportMeta | undefined,
  recordsPrefix: string,
): FileReport {
  return {
    file: target.key,
    bucket: target.bucket,
    etag: target.etag,
    ...(target.versionId ? { versionId: target.versionId } : {}),
    fileId,
    status,
    format: meta?.format,
    encoding: meta?.encoding,
    delimiter: meta?.delimiter,
    columns: meta?.columns as Record<string, string> | undefined,
    droppedPersonalColumns: meta?.droppedPersonalColumns,
    dateOrder: meta?.dateOrder,
    timeZone: meta?.timeZone,
    fileWarnings: meta?.fileWarnings,
    rows: state.rows,
    rejects: state.rejects,
    warnings: state.warnings,
    rejectCodes: state.rejectCodes,
    warningCodes: state.warningCodes,
    kpis: tallyKpis(state),
    sentiment: state.sentiment,
    duplicates: {
      inFileOrSuperseded: state.rows.duplicates - state.crossFileDuplicates,
      crossFile: state.crossFileDuplicates,
      superseded: state.superseded,
    },
    comprehend: {
      calls: totalCalls(state.usage),
      byOperation: { ...state.usage.calls },
      units: state.usage.units,
      estimatedCostUsd: roundedCost(state.usage.estimatedCostUsd),
      cacheHits: state.usage.cacheHits,
      failed: state.usage.failed,
      ...(state.estimate ? { estimate: state.estimate } : {}),
    },
    aggregateWrites: state.cellWrites,
    segments: state.segments,
    invocations: state.invocations,
    recordsPrefix,
  };
}
