import {
  addIssue,
  countAccepted,
  countDuplicate,
  countLines,
  countRead,
  countRejected,
  countReplaced,
  emptyRowTally,
  type RowTally,
  tallyKpis,
} from '../domain/row-tally.js';
import type { CanonicalRecord, Diagnostic, KpiSummary, RowCounts, RowIssue } from '../domain/types.js';
import type { ExportMeta, RowOutcome } from './types.js';

/** The `feedback check` report (design.md contract) plus `details` for people and the ingest function. */
export interface CheckReport {
  file: string;
  format: ExportMeta['format'];
  encoding: ExportMeta['encoding'];
  columns: ExportMeta['columns'];
  rows: RowCounts;
  rejects: { row: number; reason: string; detail?: string }[];
  warnings: RowIssue[];
  kpis: KpiSummary;
  details: {
    delimiter?: string;
    headerRows: number;
    dateOrder?: string;
    timeZone: string;
    seenColumns: string[];
    droppedPersonalColumns: string[];
    fileWarnings: ExportMeta['fileWarnings'];
    /** Each role's column, confidence and evidence (absent on a resumed read). */
    mapping?: ExportMeta['mapping'];
    rejectCounts: Record<string, number>;
    warningCounts: Record<string, number>;
    /** True when `rejects`/`warnings` were cut to the listing limit (counts above stay complete). */
    listsTruncated: boolean;
  };
}

/**
 * Folds outcomes (after the dedupe stage) into the file's {@link RowTally}, the same model the pipeline's report
 * uses. `total = accepted + rejected + duplicates` holds after every outcome.
 */
export class ReportBuilder {
  readonly tally: RowTally = emptyRowTally();

  constructor(private readonly maxListed = 1000) {}

  add(o: RowOutcome): void {
    const t = this.tally;
    switch (o.kind) {
      case 'accepted':
        countRead(t);
        countAccepted(t, { hasText: o.record.text !== undefined, nps: o.record.nps, rating: o.record.rating });
        if (o.replaces !== undefined) countReplaced(t, o.replaces);
        break;
      case 'rejected':
        countRejected(t, issue(o.row, o.reason, o.detail), this.maxListed);
        break;
      case 'duplicate':
        countDuplicate(t);
        break;
      case 'warning':
        addIssue(t, 'warning', issue(o.row, o.code, o.detail), this.maxListed);
        break;
    }
  }

  /** The report; `linesRead` is the reader's count of physical lines (see `ExportReader.linesRead`). */
  build(file: string, meta: ExportMeta, linesRead?: number): CheckReport {
    const t = this.tally;
    countLines(t, linesRead);
    return {
      file,
      format: meta.format,
      encoding: meta.encoding,
      columns: meta.columns,
      rows: { ...t.rows },
      rejects: t.rejects.map((r) =>
        r.detail === undefined ? { row: r.row, reason: r.code } : { row: r.row, reason: r.code, detail: r.detail },
      ),
      warnings: t.warnings,
      kpis: tallyKpis(t),
      details: {
        delimiter: meta.delimiter,
        headerRows: meta.headerRows,
        dateOrder: meta.dateOrder,
        timeZone: meta.timeZone,
        seenColumns: meta.seenColumns,
        droppedPersonalColumns: meta.droppedPersonalColumns,
        fileWarnings: meta.fileWarnings,
        ...(meta.mapping === undefined ? {} : { mapping: meta.mapping }),
        rejectCounts: t.rejectCodes,
        warningCounts: t.warningCodes,
        listsTruncated: t.listsTruncated,
      },
    };
  }
}

function issue(row: number, code: string, detail: Diagnostic | undefined): RowIssue {
  return detail === undefined ? { row, code } : { row, code, detail };
}

/** Convenience for callers that only need the accepted records of an outcome stream. */
export function isAccepted(o: RowOutcome): o is RowOutcome & { kind: 'accepted'; record: CanonicalRecord } {
  return o.kind === 'accepted';
}
