import type { IngestConfig } from '../config/env.js';
import { SEGMENT_DIMENSIONS } from '../domain/cells.js';
import { toContribution } from '../domain/contribution.js';
import { addIssue, countDuplicate, countLines, countRead, countRejected } from '../domain/row-tally.js';
import type { CanonicalRecord } from '../domain/types.js';
import type { ExportReader, RowOutcome } from '../ingest/types.js';
import type { FileLedgerEntry, IngestPorts, IngestTarget, RowClaim } from '../ports/ingest.js';
import { MAX_THEMES_PER_RESPONSE, type ThemeMatcher } from '../themes/matcher.js';
import { forEachLimited } from '../util/concurrency.js';
import { ChunkAnalyser, textKey, versionOf } from './chunk-analysis.js';
import { claimRow } from './claim.js';
import { cloneReportState, MAX_LISTED_ISSUES, mergeUsage, type ReportState } from './report.js';
import { type ClaimedRecord, SegmentWork } from './segment.js';
import type { Analysis, TextAnalyzer } from './text-analyzer.js';

/** Rows read and claimed together at most; a segment (one checkpoint) is made of many chunks. */
const MAX_CHUNK_ROWS = 500;
const MIN_CHUNK_ROWS = 50;

/**
 * Rows per chunk such that one chunk cannot add more than a third of the cells a commit may write: a record adds to
 * its cell in each segment dimension, and to a theme cell per dimension for each theme it names.
 */
export function chunkRowsFor(maxSegmentCells: number, themeDimensions: number): number {
  const rows = Math.floor(maxSegmentCells / 3 / cellsPerRow(themeDimensions));
  return Math.max(MIN_CHUNK_ROWS, Math.min(MAX_CHUNK_ROWS, rows));
}

/** The most cells one row can add to: one per segment dimension, and a theme cell per theme dimension and theme. */
function cellsPerRow(themeDimensions: number): number {
  return SEGMENT_DIMENSIONS.length + themeDimensions * MAX_THEMES_PER_RESPONSE;
}
const CLAIM_CONCURRENCY = 16;

export interface RunContext {
  target: IngestTarget;
  fileId: string;
  /** This worker's lease token. */
  token: string;
  source: string;
  recordsPrefix: string;
  ports: IngestPorts;
  analyzer: TextAnalyzer;
  config: IngestConfig;
  /** The taxonomy's matcher; absent when themes are off. */
  themes?: ThemeMatcher;
  /** Test hook: called after each committed segment (fault injection kills the worker here). */
  afterSegment?: (segment: number) => Promise<void> | void;
}

/**
 * One invocation's work on one file, from its checkpoint on: reader outcomes are counted, accepted records are
 * analysed and claimed chunk by chunk, and each segment commits its deltas with the checkpoint in one step.
 */
export class FileRun {
  private segment: number;
  private segmentStart: number;
  private lastRow: number;
  private rowsInSegment = 0;
  private chunk: CanonicalRecord[] = [];
  private carriedRows = 0;
  /** The report as of the last commit: what a rejection mid-file reports. */
  private committed: ReportState;
  private readonly work: SegmentWork;
  private readonly analyser: ChunkAnalyser;
  private readonly chunkRows: number;
  private readonly cellsPerChunk: number;

  constructor(
    private readonly ctx: RunContext,
    entry: FileLedgerEntry,
    readonly state: ReportState,
    /** The reader: its resume state after a record it handed out, and the physical lines it has read. */
    private readonly reader: Pick<ExportReader, 'checkpointAfter' | 'linesRead'>,
  ) {
    this.segment = entry.segment;
    this.segmentStart = entry.nextRow;
    this.lastRow = entry.nextRow - 1;
    this.committed = cloneReportState(state);
    const touched = new Set<string>((entry.state?.touched as string[] | undefined) ?? []);
    const themeDimensions = ctx.themes ? ctx.config.themeDimensions : [];
    this.work = new SegmentWork(
      { target: ctx.target, source: ctx.source, fileId: ctx.fileId, themeDimensions },
      state,
      touched,
    );
    this.analyser = new ChunkAnalyser(ctx.analyzer, ctx.fileId);
    this.chunkRows = chunkRowsFor(ctx.ports.files.maxSegmentCells, themeDimensions.length);
    this.cellsPerChunk = this.chunkRows * cellsPerRow(themeDimensions.length);
  }

  /** First row not yet committed: rows before it were counted by an earlier invocation. */
  get segmentStartRow(): number {
    return this.segmentStart;
  }

  get lastCommitted(): ReportState {
    return this.committed;
  }

  get touched(): ReadonlySet<string> {
    return this.work.touched;
  }

  /** Counts one reader outcome; accepted records wait in the chunk. */
  async add(outcome: RowOutcome): Promise<void> {
    const limit = MAX_LISTED_ISSUES;
    switch (outcome.kind) {
      case 'warning':
        addIssue(this.state, 'warning', { row: outcome.row, code: outcome.code, detail: outcome.detail }, limit);
        return;
      case 'rejected':
        countRejected(this.state, { row: outcome.row, code: outcome.reason, detail: outcome.detail }, limit);
        break;
      case 'duplicate':
        countDuplicate(this.state);
        break;
      case 'accepted':
        countRead(this.state);
        this.chunk.push(outcome.record);
        break;
    }
    this.lastRow = outcome.row;
    this.rowsInSegment++;
    if (this.chunk.length - this.carriedRows >= this.chunkRows) await this.processChunk(false);
  }

  /** Whether the segment is as large as it may grow (rows, or cells one commit can write). */
  segmentFull(): boolean {
    const cellsNearLimit = this.work.deltas.size > this.ctx.ports.files.maxSegmentCells - this.cellsPerChunk;
    return this.rowsInSegment >= this.ctx.config.segmentRows || cellsNearLimit;
  }

  /** Commits the segment: records, verbatims and outbox first, then deltas + checkpoint in one transaction. */
  async commit(final: boolean): Promise<void> {
    await this.processChunk(true);
    const checkpoint = this.reader.checkpointAfter(this.lastRow);
    const nextRow = this.lastRow + 1;
    if (nextRow === this.segmentStart && !final) return;
    // Lines up to the checkpoint, so that a continuation from it counts on from there; the whole file at its end.
    countLines(this.state, final ? this.reader.linesRead() : checkpoint?.linesDone);
    const { ports, target, fileId, token } = this.ctx;
    const work = this.work;
    if (work.lines.length > 0) {
      const key = `${this.ctx.recordsPrefix}part-${String(this.segment).padStart(5, '0')}.jsonl`;
      await ports.objects.put(target.bucket, key, `${work.lines.join('\n')}\n`, 'application/x-ndjson');
    }
    if (work.verbatims.length > 0) await ports.digestNotes.putVerbatims(work.verbatims);
    if (work.quotes.size > 0) await ports.digestNotes.putThemeQuotes(work.quotes.list());
    if (work.outbox.length > 0) await ports.outbox.putOutbox(fileId, work.outbox);
    this.state.segments++;
    // The writes this commit makes, saved with the checkpoint so a resumed run reports the same total.
    const cells = work.deltas.nonZeroCells();
    const persisted = { ...this.state, cellWrites: this.state.cellWrites + cells.length, touched: [...work.touched] };
    const { cellWrites } = await ports.files.commitSegment({
      fileId,
      token,
      segmentStartRow: this.segmentStart,
      nextRow,
      segment: this.segment + 1,
      resume: checkpoint ?? null,
      state: persisted as unknown as Record<string, unknown>,
      cells,
    });
    this.state.cellWrites += cellWrites;
    this.segment++;
    this.segmentStart = nextRow;
    this.committed = cloneReportState(this.state);
    work.reset();
    this.rowsInSegment = 0;
    await flushOutbox(ports, fileId, nextRow);
    await this.ctx.afterSegment?.(this.segment);
  }

  /** Analyses and claims the pending records, then settles each against the aggregates. */
  private async processChunk(flush: boolean): Promise<void> {
    if (this.chunk.length === 0) return;
    const records = this.chunk;
    this.chunk = [];
    const claims = await this.ctx.ports.rows.getClaims(records.map((r) => r.fingerprint));
    const analysed = await this.analyser.analyse(records, claims, flush);
    if (analysed.usage) mergeUsage(this.state, analysed.usage);
    this.chunk = analysed.carried;
    this.carriedRows = analysed.carried.length;
    const claimed = await this.claimAll(analysed.ready, claims, analysed.results);
    for (const r of analysed.ready) {
      const c = claimed.get(r.row);
      if (c) this.work.apply(c, this.segmentStart);
    }
  }

  /** Claims of one fingerprint run in row order; different fingerprints in parallel. */
  private async claimAll(
    records: readonly CanonicalRecord[],
    claims: ReadonlyMap<string, RowClaim>,
    results: ReadonlyMap<string, Analysis>,
  ): Promise<Map<number, ClaimedRecord>> {
    const { ports, fileId, config, themes } = this.ctx;
    const groups = new Map<string, CanonicalRecord[]>();
    for (const r of records) {
      const g = groups.get(r.fingerprint);
      if (g) g.push(r);
      else groups.set(r.fingerprint, [r]);
    }
    const out = new Map<number, ClaimedRecord>();
    await forEachLimited([...groups.values()], CLAIM_CONCURRENCY, async (group) => {
      let known: RowClaim | undefined = claims.get(group[0]?.fingerprint ?? '');
      for (const record of group) {
        const analysis = record.text ? results.get(textKey(record.text)) : undefined;
        const match = themes && record.text ? themes.match(record.text) : undefined;
        const contribution = toContribution(
          record,
          {
            label: analysis?.sentiment?.label,
            language: analysis?.sentiment?.language,
            themes: match?.themes,
            phrases: themes && analysis?.keyPhrases ? themes.emerging(analysis.keyPhrases) : undefined,
          },
          config.timeZone,
        );
        const outcome = await claimRow(ports.rows, {
          fingerprint: record.fingerprint,
          fileId,
          row: record.row,
          version: versionOf(record),
          contribution,
          known,
          segmentStartRow: this.segmentStart,
        });
        out.set(record.row, { record, outcome, contribution, analysis, urgency: match?.urgency });
        // Re-read before the next record of the group: this claim may have changed it.
        known =
          group.length > 1 ? (await ports.rows.getClaims([record.fingerprint])).get(record.fingerprint) : undefined;
      }
    });
    return out;
  }
}

/** Publishes the outbox events of committed rows, then deletes them (a crash in between re-sends: ids dedupe). */
export async function flushOutbox(ports: IngestPorts, fileId: string, nextRow: number): Promise<void> {
  const pending = await ports.outbox.readCommittedOutbox(fileId, nextRow);
  if (pending.length === 0) return;
  await ports.events.publish(pending.map((p) => ({ detailType: p.detailType, detail: p.detail })));
  await ports.outbox.deleteOutbox(
    fileId,
    pending.map((p) => p.sk),
  );
}
