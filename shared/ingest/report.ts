import { kpiSummary } from '../domain/kpis.js';
import type { CanonicalRecord, KpiSummary, RowCounts, RowIssue } from '../domain/types.js';
import type { ExportMeta, ReplacedRecord, RowOutcome } from './types.js';

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
    rejectCounts: Record<string, number>;
    warningCounts: Record<string, number>;
    /** True when `rejects`/`warnings` were cut to the listing limit (counts above stay complete). */
    listsTruncated: boolean;
  };
}

/** NPS and CSAT accumulators with exact integer sums; rounding happens only in {@link KpiAccumulator.summary}. */
export class KpiAccumulator {
  private npsN = 0;
  private promoters = 0;
  private passives = 0;
  private detractors = 0;
  private csatN = 0;
  private satisfied = 0;
  private ratingSum = 0;

  add(nps: number | undefined, rating: number | undefined, sign: 1 | -1 = 1): void {
    if (nps !== undefined) {
      this.npsN += sign;
      if (nps >= 9) this.promoters += sign;
      else if (nps >= 7) this.passives += sign;
      else this.detractors += sign;
    }
    if (rating !== undefined) {
      this.csatN += sign;
      if (rating >= 4) this.satisfied += sign;
      this.ratingSum += sign * rating;
    }
  }

  summary(): KpiSummary {
    return kpiSummary({
      npsN: this.npsN,
      promoters: this.promoters,
      passives: this.passives,
      detractors: this.detractors,
      ratingN: this.csatN,
      satisfied: this.satisfied,
      ratingSum: this.ratingSum,
    });
  }
}

/**
 * Folds outcomes (after the dedupe stage) into row counts, listed rejects/warnings and KPIs.
 * `total = accepted + rejected + duplicates` holds after every outcome.
 */
export class ReportBuilder {
  readonly counts: RowCounts = { total: 0, accepted: 0, rejected: 0, duplicates: 0, withText: 0 };
  readonly kpis = new KpiAccumulator();
  readonly rejects: CheckReport['rejects'] = [];
  readonly warnings: RowIssue[] = [];
  readonly rejectCounts: Record<string, number> = {};
  readonly warningCounts: Record<string, number> = {};
  private truncated = false;

  constructor(private readonly maxListed = 1000) {}

  add(o: RowOutcome): void {
    switch (o.kind) {
      case 'accepted':
        this.counts.total++;
        this.counts.accepted++;
        if (o.record.text !== undefined) this.counts.withText++;
        this.kpis.add(o.record.nps, o.record.rating);
        if (o.replaces !== undefined) this.retract(o.replaces);
        break;
      case 'rejected':
        this.counts.total++;
        this.counts.rejected++;
        this.rejectCounts[o.reason] = (this.rejectCounts[o.reason] ?? 0) + 1;
        if (this.rejects.length < this.maxListed) {
          const r: CheckReport['rejects'][number] = { row: o.row, reason: o.reason };
          if (o.detail !== undefined) r.detail = o.detail;
          this.rejects.push(r);
        } else this.truncated = true;
        break;
      case 'duplicate':
        this.counts.total++;
        this.counts.duplicates++;
        break;
      case 'warning':
        this.warningCounts[o.code] = (this.warningCounts[o.code] ?? 0) + 1;
        if (this.warnings.length < this.maxListed) {
          const w: RowIssue = { row: o.row, code: o.code };
          if (o.detail !== undefined) w.detail = o.detail;
          this.warnings.push(w);
        } else this.truncated = true;
        break;
    }
  }

  /** An earlier accepted record was replaced by a newer version: it now counts as a duplicate. */
  private retract(r: ReplacedRecord): void {
    this.counts.accepted--;
    this.counts.duplicates++;
    if (r.hasText) this.counts.withText--;
    this.kpis.add(r.nps, r.rating, -1);
  }

  build(file: string, meta: ExportMeta): CheckReport {
    return {
      file,
      format: meta.format,
      encoding: meta.encoding,
      columns: meta.columns,
      rows: { ...this.counts },
      rejects: this.rejects,
      warnings: this.warnings,
      kpis: this.kpis.summary(),
      details: {
        delimiter: meta.delimiter,
        headerRows: meta.headerRows,
        dateOrder: meta.dateOrder,
        timeZone: meta.timeZone,
        seenColumns: meta.seenColumns,
        droppedPersonalColumns: meta.droppedPersonalColumns,
        fileWarnings: meta.fileWarnings,
        rejectCounts: this.rejectCounts,
        warningCounts: this.warningCounts,
        listsTruncated: this.truncated,
      },
    };
  }
}

/** Convenience for callers that only need the accepted records of an outcome stream. */
export function isAccepted(o: RowOutcome): o is RowOutcome & { kind: 'accepted'; record: CanonicalRecord } {
  return o.kind === 'accepted';
}
