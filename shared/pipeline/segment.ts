import { CellDeltas } from '../domain/cell-deltas.js';
import { cellKey, type SegmentDimension } from '../domain/cells.js';
import { type Contribution, presentSegments } from '../domain/contribution.js';
import { addIssue, countAccepted, countReplaced } from '../domain/row-tally.js';
import type { CanonicalRecord } from '../domain/types.js';
import { detractorEvent } from '../events/factories.js';
import { diagnostic } from '../ingest/diagnostic.js';
import type { IngestTarget, OutboxEntry, VerbatimInput } from '../ports/ingest.js';
import { versionOf } from './chunk-analysis.js';
import type { ClaimOutcome } from './claim.js';
import { MAX_LISTED_ISSUES, type ReportState } from './report.js';
import type { Analysis } from './text-analyzer.js';
import { ThemeQuotes } from './theme-quotes.js';

/** Negative verbatims kept for the digest need at least this negative confidence. */
const VERBATIM_MIN_NEGATIVE = 0.6;
/** Day × segment cells remembered for the spike check (bounded so the checkpoint stays small). */
const MAX_TRACKED_CELLS = 5000;

/** A record after its claim: what the ledger said and what the record would contribute. */
export interface ClaimedRecord {
  record: CanonicalRecord;
  outcome: ClaimOutcome;
  contribution: Contribution;
  analysis?: Analysis;
  /** Urgency cues the text names (safety, legal, churn, escalation). */
  urgency?: string[];
}

/** What a claim outcome does to the aggregates and to this file's report. */
export interface Settlement {
  /** Added to the cells and counted as accepted. */
  counted?: Contribution;
  /** Taken back out of the cells (an older version of the record). */
  retract?: Contribution;
  /** The retracted version was counted in this file's report, where it now becomes a duplicate. */
  retractFromReport: boolean;
  superseded: boolean;
  duplicate?: { crossFile: boolean };
}

/**
 * The exactly-once rule on the aggregates, given what the row ledger said about one record. `segmentStartRow` is
 * this file's first uncommitted row: a version counted at or after it was never committed, so never taken out.
 */
export function settle(
  outcome: ClaimOutcome,
  fresh: Contribution,
  fileId: string,
  segmentStartRow: number,
): Settlement {
  switch (outcome.kind) {
    case 'new':
      return { counted: fresh, retractFromReport: false, superseded: false };
    case 'mine': {
      // A crashed attempt superseded an earlier version. Take it back out only if that version was counted in a
      // committed segment; one in the segment being redone is now (again) a duplicate, never counted.
      const r = outcome.retract;
      if (r && (r.fileId !== fileId || r.row < segmentStartRow)) {
        return {
          counted: outcome.contribution,
          retract: r.contribution,
          retractFromReport: r.fileId === fileId,
          superseded: false,
        };
      }
      return { counted: outcome.contribution, retractFromReport: false, superseded: false };
    }
    case 'supersede':
      // Within a file the older version becomes a duplicate; across files it stays in its own file's report.
      return { counted: fresh, retract: outcome.retract, retractFromReport: outcome.sameFile, superseded: true };
    case 'duplicate':
      return { duplicate: { crossFile: !outcome.sameFile }, retractFromReport: false, superseded: false };
  }
}

export interface SegmentContext {
  target: IngestTarget;
  source: string;
  fileId: string;
  /** Segment dimensions that get theme cells. */
  themeDimensions: readonly SegmentDimension[];
}

/**
 * What one segment (one checkpoint) will write: cell deltas, processed record lines, verbatims and outbox events,
 * and the report's running totals. Reset after each commit.
 */
export class SegmentWork {
  deltas: CellDeltas;
  lines: string[] = [];
  verbatims: VerbatimInput[] = [];
  quotes = new ThemeQuotes();
  outbox: OutboxEntry[] = [];

  constructor(
    private readonly ctx: SegmentContext,
    private readonly state: ReportState,
    /** Day × segment cells this file touched, for the spike check after it (persisted with the checkpoint). */
    readonly touched: Set<string>,
  ) {
    this.deltas = new CellDeltas(ctx.themeDimensions);
  }

  apply(claimed: ClaimedRecord, segmentStartRow: number): void {
    const s = settle(claimed.outcome, claimed.contribution, this.ctx.fileId, segmentStartRow);
    if (s.retract) {
      this.deltas.add(s.retract, -1);
      if (s.retractFromReport) retractFromReport(this.state, s.retract);
    }
    if (s.superseded) this.state.superseded++;
    if (s.duplicate) {
      this.state.rows.duplicates++;
      if (s.duplicate.crossFile) this.state.crossFileDuplicates++;
    }
    if (s.counted) this.count(claimed.record, s.counted, claimed.analysis, claimed.urgency ?? []);
  }

  reset(): void {
    this.deltas = new CellDeltas(this.ctx.themeDimensions);
    this.lines = [];
    this.verbatims = [];
    this.quotes = new ThemeQuotes();
    this.outbox = [];
  }

  private count(r: CanonicalRecord, counted: Contribution, analysis: Analysis | undefined, urgency: string[]): void {
    this.deltas.add(counted);
    if (this.touched.size < MAX_TRACKED_CELLS) for (const k of cellKeysOf(counted)) this.touched.add(k);
    countAccepted(this.state, { hasText: Boolean(r.text), nps: r.nps, rating: r.rating });
    countSentiment(this.state, counted.sentiment, 1);
    // A text Comprehend cannot score still counts (volume, scores); the report says why it has no sentiment.
    if (analysis?.warning === 'UNSUPPORTED_LANGUAGE') {
      addIssue(
        this.state,
        'warning',
        { row: r.row, code: 'UNSUPPORTED_LANGUAGE', detail: diagnostic`${r.language ?? 'unknown'}` },
        MAX_LISTED_ISSUES,
      );
    } else if (analysis?.error) {
      addIssue(
        this.state,
        'warning',
        { row: r.row, code: 'SENTIMENT_FAILED', detail: diagnostic`${analysis.error.code}` },
        MAX_LISTED_ISSUES,
      );
    }
    const sentiment = analysis?.sentiment;
    this.lines.push(
      JSON.stringify({
        ...r,
        day: counted.day,
        sentiment: sentiment?.label,
        sentimentScore: sentiment?.score,
        sentimentLanguage: sentiment?.language,
        themes: counted.themes,
        urgency: urgency.length > 0 ? urgency : undefined,
        file: this.ctx.target.key,
      }),
    );
    const urgent = isUrgent(urgency, sentiment?.label);
    if (isDetractor(r) || urgent) this.outbox.push(this.detractor(r, counted, sentiment?.label, urgent ? urgency : []));
    if (r.text && sentiment && counted.themes) this.quotes.offer(r, counted, sentiment.score, this.ctx.source);
    if (r.text && sentiment && sentiment.score.Negative >= VERBATIM_MIN_NEGATIVE) {
      this.verbatims.push({
        day: counted.day,
        negative: sentiment.score.Negative,
        fingerprint: r.fingerprint,
        text: r.text.slice(0, 1000),
        source: this.ctx.source,
        rating: r.rating,
        nps: r.nps,
      });
    }
  }

  private detractor(
    r: CanonicalRecord,
    counted: Contribution,
    label: Contribution['sentiment'],
    urgency: string[],
  ): OutboxEntry {
    const { target } = this.ctx;
    const e = detractorEvent(
      {
        fingerprint: r.fingerprint,
        text: r.text,
        nps: r.nps,
        rating: r.rating,
        sentiment: label,
        submittedAt: r.submittedAt,
        day: counted.day,
        segment: presentSegments(counted.segments),
        customerHash: r.customerHash,
        source: { bucket: target.bucket, key: target.key, row: r.row },
        urgent: urgency.length > 0,
        ...(urgency.length > 0 ? { urgency } : {}),
      },
      versionOf(r),
    );
    return { row: r.row, detailType: e.detailType, detail: e.detail };
  }
}

function isDetractor(r: CanonicalRecord): boolean {
  return (r.nps !== undefined && r.nps <= 6) || (r.rating !== undefined && r.rating <= 2);
}

/**
 * Urgent: the text names an urgency cue and does not read as praise ("never again" in a happy review is a figure of
 * speech, "I'll never order again" in an angry one is churn). Urgent feedback gets a detractor event even when its
 * scores are not a detractor's, flagged so a ticketing flow can route it first.
 */
function isUrgent(urgency: readonly string[], label: Contribution['sentiment']): boolean {
  return urgency.length > 0 && label !== 'POSITIVE';
}

export function countSentiment(state: ReportState, label: Contribution['sentiment'], sign: 1 | -1): void {
  if (label === 'POSITIVE') state.sentiment.positive += sign;
  else if (label === 'NEGATIVE') state.sentiment.negative += sign;
  else if (label === 'NEUTRAL') state.sentiment.neutral += sign;
  else if (label === 'MIXED') state.sentiment.mixed += sign;
  else state.sentiment.none += sign;
}

/** A superseded record no longer counts: move it from accepted to duplicates in this file's report. */
function retractFromReport(state: ReportState, c: Contribution): void {
  countReplaced(state, c);
  countSentiment(state, c.sentiment, -1);
}

/** The cells whose spikes the file may have caused: every segment's, and each theme's overall cell. */
function cellKeysOf(c: Contribution): string[] {
  const out = [cellKey('all', 'all', c.day)];
  for (const [dimension, value] of Object.entries(c.segments)) {
    if (value !== undefined) out.push(cellKey(dimension as SegmentDimension, value, c.day));
  }
  for (const theme of c.themes ?? []) out.push(cellKey('all', 'all', c.day, theme));
  return out;
}
