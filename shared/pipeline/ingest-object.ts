import { createHash, randomUUID } from 'node:crypto';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IngestConfig } from '../config/env.js';
import { EVENTS, PREFIXES } from '../config/resources.js';
import { CellDeltas } from '../domain/cell-deltas.js';
import { cellKey, parseCellKey, type SegmentDimension } from '../domain/cells.js';
import { type Contribution, presentSegments, toContribution } from '../domain/contribution.js';
import { addDays } from '../domain/days.js';
import { FileRejectedError } from '../domain/errors.js';
import {
  addIssue,
  countAccepted,
  countDuplicate,
  countRead,
  countRejected,
  countReplaced,
  tallyKpis,
} from '../domain/row-tally.js';
import { detectSpikes } from '../domain/spike.js';
import type { CanonicalRecord } from '../domain/types.js';
import { type PendingEvent, publishEvents } from '../events/publisher.js';
import { readExport } from '../ingest/read-export.js';
import type { ExportMeta, ResumeState } from '../ingest/types.js';
import type { DeferredAnalysis } from '../sentiment/comprehend-adapter.js';
import { DynamoAggregateReader } from '../store/aggregate-reader.js';
import { type ClaimOutcome, LedgerStore, MAX_SEGMENT_CELLS, type RowClaim } from '../store/ledger-store.js';
import { cloneReportState, MAX_LISTED_ISSUES, mergeUsage, type ReportState, restoreReportState } from './report.js';
import { type Analysis, type AnalysisRequest, type TextAnalyzer, totalCalls } from './text-analyzer.js';

/** The object an S3 notification (or a continuation message) points at. */
export interface IngestTarget {
  bucket: string;
  /** Decoded object key. */
  key: string;
  etag: string;
  size?: number;
}

export interface IngestDeps {
  s3: S3Client;
  db: DynamoDBDocumentClient;
  events: EventBridgeClient;
  sqs: SQSClient;
  analyzer: TextAnalyzer;
  config: IngestConfig;
  hashKey: string;
  /** Milliseconds left in this invocation (Lambda's context); unlimited when absent. */
  remainingMs?: () => number;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Test hook: called after each committed segment (fault injection kills the worker here). */
  afterSegment?: (segment: number) => Promise<void> | void;
}

export type IngestStatus = 'processed' | 'failed' | 'already-done' | 'continued' | 'replaced';

export interface IngestResult {
  status: IngestStatus;
  fileId: string;
  reportKey?: string;
  report?: FileReport;
}

export interface FileReport {
  file: string;
  bucket: string;
  fileId: string;
  status: 'processed' | 'failed';
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
  };
  aggregateWrites: number;
  segments: number;
  invocations: number;
  recordsPrefix: string;
  error?: { code: string; message: string };
}

/** Rows read and claimed together; a segment (one checkpoint) is made of many chunks. */
const CHUNK_ROWS = 500;
/** Hand off to a continuation when less than this is left in the invocation. */
const HANDOFF_MARGIN_MS = 60_000;
const CLAIM_CONCURRENCY = 16;
/** Records kept pending while held-back texts wait for a full batch; beyond this a partial batch is sent. */
const MAX_PENDING_ROWS = 5_000;
/** Negative verbatims kept for the digest need at least this negative confidence. */
const VERBATIM_MIN_NEGATIVE = 0.6;
const SPIKE_TRAILING_DAYS = 7;
/** Day × segment cells remembered for the spike check (bounded so the checkpoint stays small). */
const MAX_TRACKED_CELLS = 5000;

type VerbatimInput = Parameters<LedgerStore['putVerbatims']>[0][number];

export function fileIdOf(target: IngestTarget): string {
  return createHash('sha256').update(`${target.bucket}\n${target.key}\n${target.etag}`).digest('hex').slice(0, 32);
}

/** `incoming/<source>/…` → `<source>`; files directly under `incoming/` are from source `default`. */
export function sourceOf(key: string): string {
  const rest = key.startsWith(PREFIXES.incoming) ? key.slice(PREFIXES.incoming.length) : key;
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : 'default';
}

export function reportKeyOf(key: string): string {
  const rest = key.startsWith(PREFIXES.incoming) ? key.slice(PREFIXES.incoming.length) : key;
  return `${PREFIXES.reports}${rest}.report.json`;
}

function textKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

function isDetractor(r: CanonicalRecord): boolean {
  return (r.nps !== undefined && r.nps <= 6) || (r.rating !== undefined && r.rating <= 2);
}

/**
 * Ingests one S3 object exactly once into the aggregates, whatever happens around it: redelivery, a crash
 * after any write, a concurrent duplicate delivery, a continuation in another invocation.
 *
 * How: a lease on the file ledger serialises workers of one object; each record claims its fingerprint in the
 * row ledger (so cross-file duplicates and re-uploads count once); cell deltas are committed per segment in one
 * transaction with the checkpoint, conditioned on the lease and the segment's start row; events wait in an
 * outbox until their segment commits.
 */
export async function ingestObject(target: IngestTarget, deps: IngestDeps): Promise<IngestResult> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const store = new LedgerStore(deps.db, deps.config.table, { ledgerTtlDays: deps.config.ledgerTtlDays, now });
  const fileId = fileIdOf(target);
  const token = randomUUID();
  const entry = await store.acquireFile({ fileId, ...target }, token, deps.config.leaseSeconds * 1000);
  const publish = (events: PendingEvent[]) =>
    publishEvents(events, { client: deps.events, busName: deps.config.eventBus, source: deps.config.eventSource });

  if (entry.status !== 'processing') {
    // Redelivery of a finished file: only make sure its file event went out.
    if (!entry.eventsPublished && entry.summary?.event) {
      await publish([entry.summary.event as PendingEvent]);
      await store.markEventsPublished(fileId);
    }
    return { status: 'already-done', fileId, reportKey: reportKeyOf(target.key) };
  }

  // Finish what a crashed worker left: staged cell parts, then events of committed rows.
  await store.applyStaged(fileId);
  await flushOutbox(store, fileId, entry.nextRow, publish);

  const state = restoreReportState(entry.state);
  state.invocations++;
  const resume = entry.resume as ResumeState | undefined;
  const source = sourceOf(target.key);
  const recordsPrefix = `${PREFIXES.processed}dt=${now().toISOString().slice(0, 10)}/${source}/${fileId}/`;

  const reader = readExport(() => objectBytes(deps.s3, target, resume), {
    fileName: target.key,
    source,
    hashKey: deps.hashKey,
    defaultTimeZone: deps.config.timeZone,
    uploadTime: now(),
    resume,
  });

  let meta: ExportMeta;
  try {
    meta = await reader.meta();
  } catch (err) {
    if (err instanceof FileRejectedError) {
      return rejectFile({ target, fileId, token, deps, store, publish }, err, state, recordsPrefix);
    }
    if (isPreconditionFailed(err)) {
      // The key now holds newer content (its own notification will process it); this version is gone.
      await store.completeFile(fileId, token, 'failed', {
        error: { code: 'OBJECT_REPLACED', message: 'Overwritten before it was read' },
      });
      log('warn', 'object replaced before it was read', { key: target.key });
      return { status: 'replaced', fileId };
    }
    throw err;
  }

  let segment = entry.segment;
  let segmentStartRow = entry.nextRow;
  let committed = cloneReportState(state);
  let deltas = new CellDeltas();
  let outbox: { row: number; detailType: string; detail: Record<string, unknown> }[] = [];
  let processedLines: string[] = [];
  let verbatims: VerbatimInput[] = [];
  let chunk: CanonicalRecord[] = [];
  let lastRow = entry.nextRow - 1;
  let rowsInSegment = 0;
  const touched = new Set<string>((entry.state?.touched as string[] | undefined) ?? []);

  /** Languages of held-back texts (detection is paid), so the next call does not detect them again. */
  const deferredAnalysis = new Map<string, DeferredAnalysis>();
  /** Results already paid for whose records were carried to the next chunk behind a held-back text. */
  let carriedResults = new Map<string, Analysis>();
  let carriedRows = 0;

  /**
   * Claims, analyses and counts the pending records. Unless `flush`, Comprehend gets only full sentiment batches
   * of 25: records from the first one whose text was held back stay pending for the next chunk, so a file costs
   * ceil(texts / 25) sentiment calls per language and segment instead of a partial batch per chunk.
   */
  const processChunk = async (flush: boolean) => {
    if (chunk.length === 0) return;
    let records = chunk;
    chunk = [];
    const prior = carriedResults;
    carriedResults = new Map();
    const claims = await store.getClaims(records.map((r) => r.fingerprint));
    const requests = new Map<string, AnalysisRequest>();
    const analysedRows = new Set<number>();
    for (const r of records) {
      const known = claims.get(r.fingerprint);
      const ver = versionOf(r);
      const needsAnalysis =
        !known ||
        (known.fileId !== fileId && ver > known.ver) ||
        (known.fileId === fileId && known.row !== r.row && ver > known.ver);
      if (r.text && needsAnalysis) {
        const key = textKey(r.text);
        analysedRows.add(r.row);
        if (!requests.has(key) && !prior.has(key)) {
          requests.set(key, { key, text: r.text, languageHint: r.language, known: deferredAnalysis.get(key) });
        }
      }
    }
    const holdBack = !flush && records.length < MAX_PENDING_ROWS;
    const analysed = requests.size > 0 ? await deps.analyzer.analyze([...requests.values()], { holdBack }) : undefined;
    if (analysed) mergeUsage(state, analysed.usage);
    const results = new Map<string, Analysis>([...prior, ...(analysed?.results ?? [])]);
    for (const key of requests.keys()) if (results.has(key)) deferredAnalysis.delete(key);
    carriedRows = 0;
    if (analysed && analysed.deferred.size > 0) {
      for (const [key, value] of analysed.deferred) deferredAnalysis.set(key, value);
      const cut = records.findIndex((r) => analysedRows.has(r.row) && r.text && analysed.deferred.has(textKey(r.text)));
      if (cut >= 0) {
        chunk = records.slice(cut);
        records = records.slice(0, cut);
        carriedRows = chunk.length;
        for (const r of chunk) {
          const result = r.text ? results.get(textKey(r.text)) : undefined;
          if (r.text && result) carriedResults.set(textKey(r.text), result);
        }
      }
    }

    // Claims of one fingerprint run in row order; different fingerprints in parallel.
    const groups = new Map<string, CanonicalRecord[]>();
    for (const r of records) {
      const g = groups.get(r.fingerprint);
      if (g) g.push(r);
      else groups.set(r.fingerprint, [r]);
    }
    const outcomes = new Map<
      number,
      { record: CanonicalRecord; outcome: ClaimOutcome; contribution: Contribution; analysis?: Analysis }
    >();
    await forEachLimited([...groups.values()], CLAIM_CONCURRENCY, async (group) => {
      let known: RowClaim | undefined = claims.get(group[0]?.fingerprint ?? '');
      for (const r of group) {
        const analysis = r.text ? results.get(textKey(r.text)) : undefined;
        const contribution = toContribution(
          r,
          {
            label: analysis?.sentiment?.label,
            language: analysis?.sentiment?.language,
            themes: deps.config.themes ? analysis?.keyPhrases : undefined,
          },
          deps.config.timeZone,
        );
        const outcome = await store.claim(
          r.fingerprint,
          fileId,
          r.row,
          versionOf(r),
          contribution,
          known,
          segmentStartRow,
        );
        outcomes.set(r.row, { record: r, outcome, contribution, analysis });
        known = undefined; // re-read on the next record of the group: the claim may have changed
        if (group.length > 1) known = (await store.getClaims([r.fingerprint])).get(r.fingerprint);
      }
    });

    for (const r of records) {
      const o = outcomes.get(r.row);
      if (!o) continue;
      const { outcome, analysis } = o;
      let counted: Contribution | undefined;
      switch (outcome.kind) {
        case 'new':
          counted = o.contribution;
          break;
        case 'mine':
          counted = outcome.contribution;
          // A crashed attempt superseded an earlier version. Take it back out only if that version was counted
          // in a committed segment; one in the segment being redone is now (again) a duplicate, never counted.
          if (outcome.retract && (outcome.retract.fileId !== fileId || outcome.retract.row < segmentStartRow)) {
            deltas.add(outcome.retract.contribution, -1);
            if (outcome.retract.fileId === fileId) retractFromState(state, outcome.retract.contribution);
          }
          break;
        case 'supersede':
          counted = o.contribution;
          deltas.add(outcome.retract, -1);
          // Within a file the older version becomes a duplicate; across files it stays in its own file's report.
          if (outcome.sameFile) retractFromState(state, outcome.retract);
          state.superseded++;
          break;
        case 'duplicate':
          state.rows.duplicates++;
          if (!outcome.sameFile) state.crossFileDuplicates++;
          break;
      }
      if (!counted) continue;
      deltas.add(counted);
      if (touched.size < MAX_TRACKED_CELLS) for (const k of cellKeysOf(counted)) touched.add(k);
      countAccepted(state, { hasText: Boolean(r.text), nps: r.nps, rating: r.rating });
      countSentiment(state, counted.sentiment, 1);
      const sentiment = analysis?.sentiment;
      // A text Comprehend cannot score still counts (volume, scores); the report says why it has no sentiment.
      if (analysis?.warning === 'UNSUPPORTED_LANGUAGE') {
        addIssue(state, 'warning', { row: r.row, code: 'UNSUPPORTED_LANGUAGE', detail: r.language }, MAX_LISTED_ISSUES);
      } else if (analysis?.error) {
        addIssue(
          state,
          'warning',
          { row: r.row, code: 'SENTIMENT_FAILED', detail: analysis.error.code },
          MAX_LISTED_ISSUES,
        );
      }
      processedLines.push(
        JSON.stringify({
          ...r,
          day: counted.day,
          sentiment: sentiment?.label,
          sentimentScore: sentiment?.score,
          sentimentLanguage: sentiment?.language,
          themes: counted.themes,
          file: target.key,
        }),
      );
      if (isDetractor(r)) {
        outbox.push({
          row: r.row,
          detailType: EVENTS.detailTypes.detractor,
          detail: {
            version: EVENTS.version,
            eventId: `detractor-${r.fingerprint}-${versionOf(r)}`,
            fingerprint: r.fingerprint,
            text: r.text,
            nps: r.nps,
            rating: r.rating,
            sentiment: sentiment?.label,
            submittedAt: r.submittedAt,
            day: counted.day,
            segment: presentSegments(counted.segments),
            customerHash: r.customerHash,
            source: { bucket: target.bucket, key: target.key, row: r.row },
          },
        });
      }
      if (r.text && sentiment && sentiment.score.Negative >= VERBATIM_MIN_NEGATIVE) {
        verbatims.push({
          day: counted.day,
          negative: sentiment.score.Negative,
          fingerprint: r.fingerprint,
          text: r.text.slice(0, 1000),
          source,
          rating: r.rating,
          nps: r.nps,
        });
      }
    }
  };

  const commit = async (final: boolean) => {
    await processChunk(true);
    const checkpoint = reader.checkpoint();
    const nextRow = lastRow + 1;
    if (nextRow === segmentStartRow && !final) return;
    if (processedLines.length > 0) {
      await deps.s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: `${recordsPrefix}part-${String(segment).padStart(5, '0')}.jsonl`,
          Body: `${processedLines.join('\n')}\n`,
          ContentType: 'application/x-ndjson',
        }),
      );
    }
    if (verbatims.length > 0) await store.putVerbatims(verbatims);
    if (outbox.length > 0) await store.putOutbox(fileId, outbox);
    state.segments++;
    // The writes this commit makes, saved with the checkpoint so a resumed run reports the same total.
    const cells = deltas.nonZeroCells();
    const { cellWrites } = await store.commitSegment({
      fileId,
      token,
      segmentStartRow,
      nextRow,
      segment: segment + 1,
      resume: checkpoint ?? null,
      state: { ...state, cellWrites: state.cellWrites + cells.length, touched: [...touched] } as unknown as Record<
        string,
        unknown
      >,
      cells,
    });
    state.cellWrites += cellWrites;
    segment++;
    segmentStartRow = nextRow;
    committed = cloneReportState(state);
    deltas = new CellDeltas();
    processedLines = [];
    verbatims = [];
    rowsInSegment = 0;
    outbox = [];
    await flushOutbox(store, fileId, nextRow, publish);
    await deps.afterSegment?.(segment);
  };

  try {
    for await (const outcome of reader) {
      if (outcome.row < segmentStartRow) continue;
      switch (outcome.kind) {
        case 'warning':
          addIssue(
            state,
            'warning',
            { row: outcome.row, code: outcome.code, detail: outcome.detail },
            MAX_LISTED_ISSUES,
          );
          continue;
        case 'rejected':
          countRejected(state, { row: outcome.row, code: outcome.reason, detail: outcome.detail }, MAX_LISTED_ISSUES);
          break;
        case 'duplicate':
          countDuplicate(state);
          break;
        case 'accepted':
          countRead(state);
          chunk.push(outcome.record);
          break;
      }
      lastRow = outcome.row;
      rowsInSegment++;
      if (chunk.length - carriedRows >= CHUNK_ROWS) await processChunk(false);
      const cellsNearLimit = deltas.size > MAX_SEGMENT_CELLS - CHUNK_ROWS * 6;
      const timeLow = deps.remainingMs !== undefined && deps.remainingMs() < HANDOFF_MARGIN_MS;
      if (rowsInSegment >= deps.config.segmentRows || cellsNearLimit || timeLow) {
        await commit(false);
        if (timeLow) {
          await handOff(target, fileId, token, deps, store);
          log('info', 'handed off to a continuation', { key: target.key, nextRow: segmentStartRow });
          return { status: 'continued', fileId };
        }
      }
    }
    await commit(true);
  } catch (err) {
    if (err instanceof FileRejectedError) {
      return rejectFile({ target, fileId, token, deps, store, publish }, err, committed, recordsPrefix);
    }
    throw err;
  }

  const report = buildReport(target, fileId, 'processed', state, meta, recordsPrefix);
  const reportKey = reportKeyOf(target.key);
  const fileEvent: PendingEvent = {
    detailType: EVENTS.detailTypes.fileProcessed,
    detail: {
      version: EVENTS.version,
      eventId: `file-processed-${fileId}`,
      file: { bucket: target.bucket, key: target.key, etag: target.etag, fileId },
      format: meta.format,
      encoding: meta.encoding,
      rows: state.rows,
      sentiment: {
        positive: state.sentiment.positive,
        negative: state.sentiment.negative,
        neutral: state.sentiment.neutral,
        mixed: state.sentiment.mixed,
      },
      comprehend: {
        calls: totalCalls(state.usage),
        units: state.usage.units,
        estimatedCostUsd: Math.round(state.usage.estimatedCostUsd * 1e6) / 1e6,
      },
      reportKey,
      recordsPrefix,
    },
  };
  await finishFile({ target, fileId, token, deps, store, publish }, report, fileEvent, () =>
    raiseSpikes(deps, store, publish, touched),
  );
  log('info', 'file processed', { key: target.key, rows: state.rows });
  return { status: 'processed', fileId, reportKey, report };
}

/** What every step that ends a file needs: the object, its ledger id and lease, and the collaborators. */
interface FileContext {
  target: IngestTarget;
  fileId: string;
  token: string;
  deps: IngestDeps;
  store: LedgerStore;
  publish: (e: PendingEvent[]) => Promise<number>;
}

/**
 * The end of every file, processed or rejected: the report to S3, the ledger marked done (with the file event, so
 * a redelivery can still send it), then the events, then the mark that they went out.
 */
async function finishFile(
  ctx: FileContext,
  report: FileReport,
  event: PendingEvent,
  beforeFileEvent?: () => Promise<void>,
): Promise<void> {
  const reportKey = reportKeyOf(ctx.target.key);
  await putJson(ctx.deps.s3, ctx.target.bucket, reportKey, report);
  await ctx.store.completeFile(ctx.fileId, ctx.token, report.status, {
    rows: report.rows,
    error: report.error,
    reportKey,
    event,
  });
  await beforeFileEvent?.();
  await ctx.publish([event]);
  await ctx.store.markEventsPublished(ctx.fileId);
}

function isPreconditionFailed(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}

function versionOf(r: CanonicalRecord): number {
  return r.updatedAt ? Date.parse(r.updatedAt) || 0 : 0;
}

function countSentiment(state: ReportState, label: Contribution['sentiment'], sign: 1 | -1): void {
  if (label === 'POSITIVE') state.sentiment.positive += sign;
  else if (label === 'NEGATIVE') state.sentiment.negative += sign;
  else if (label === 'NEUTRAL') state.sentiment.neutral += sign;
  else if (label === 'MIXED') state.sentiment.mixed += sign;
  else state.sentiment.none += sign;
}

/** A superseded record no longer counts: move it from accepted to duplicates in this file's report. */
function retractFromState(state: ReportState, c: Contribution): void {
  countReplaced(state, c);
  countSentiment(state, c.sentiment, -1);
}

async function flushOutbox(
  store: LedgerStore,
  fileId: string,
  nextRow: number,
  publish: (e: PendingEvent[]) => Promise<number>,
): Promise<void> {
  const pending = await store.readCommittedOutbox(fileId, nextRow);
  if (pending.length === 0) return;
  await publish(pending.map((p) => ({ detailType: p.detailType as PendingEvent['detailType'], detail: p.detail })));
  await store.deleteOutbox(
    fileId,
    pending.map((p) => p.sk),
  );
}

async function handOff(target: IngestTarget, fileId: string, token: string, deps: IngestDeps, store: LedgerStore) {
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.config.queueUrl,
      MessageBody: JSON.stringify({ continuation: { ...target, fileId } }),
    }),
  );
  await store.releaseFile(fileId, token);
}

async function rejectFile(
  ctx: FileContext,
  err: FileRejectedError,
  state: ReportState,
  recordsPrefix: string,
): Promise<IngestResult> {
  const { target, fileId, deps } = ctx;
  const report = buildReport(target, fileId, 'failed', state, undefined, recordsPrefix);
  report.error = { code: err.code, message: err.message };
  const reportKey = reportKeyOf(target.key);
  const event: PendingEvent = {
    detailType: EVENTS.detailTypes.fileRejected,
    detail: {
      version: EVENTS.version,
      eventId: `file-rejected-${fileId}`,
      file: { bucket: target.bucket, key: target.key, etag: target.etag, fileId },
      error: report.error,
      reportKey,
    },
  };
  await finishFile(ctx, report, event);
  deps.log?.('warn', 'file rejected', { key: target.key, code: err.code });
  return { status: 'failed', fileId, reportKey, report };
}

function buildReport(
  target: IngestTarget,
  fileId: string,
  status: 'processed' | 'failed',
  state: ReportState,
  meta: ExportMeta | undefined,
  recordsPrefix: string,
): FileReport {
  return {
    file: target.key,
    bucket: target.bucket,
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
      estimatedCostUsd: Math.round(state.usage.estimatedCostUsd * 1e6) / 1e6,
      cacheHits: state.usage.cacheHits,
      failed: state.usage.failed,
    },
    aggregateWrites: state.cellWrites,
    segments: state.segments,
    invocations: state.invocations,
    recordsPrefix,
  };
}

async function putJson(s3: S3Client, bucket: string, key: string, body: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(body, null, 2),
      ContentType: 'application/json',
    }),
  );
}

/** The object's bytes, from the checkpoint's byte offset when there is one (S3 Range read). */
async function* objectBytes(s3: S3Client, target: IngestTarget, resume?: ResumeState): AsyncIterable<Uint8Array> {
  const range = resume?.byteOffset !== undefined ? `bytes=${resume.byteOffset}-` : undefined;
  const out = await s3.send(
    new GetObjectCommand({ Bucket: target.bucket, Key: target.key, Range: range, IfMatch: target.etag || undefined }),
  );
  const body = out.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) return;
  yield* body;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * After a file commits, checks every day × segment it touched against the trailing window and raises each
 * spike once (the spike ledger's conditional put makes a second file or a redelivery skip it).
 */
async function raiseSpikes(
  deps: IngestDeps,
  store: LedgerStore,
  publish: (e: PendingEvent[]) => Promise<number>,
  touched: ReadonlySet<string>,
): Promise<void> {
  if (touched.size === 0) return;
  const candidates = [...touched].map(parseCellKey);
  const days = candidates.map((c) => c.day).sort();
  const from = addDays(days[0] ?? '', -SPIKE_TRAILING_DAYS);
  const to = days[days.length - 1] ?? from;
  const dimensions = [...new Set(candidates.map((c) => c.dimension))];
  const cells = await new DynamoAggregateReader(deps.db, deps.config.table).readCells({ from, to, dimensions });
  const series = new Map<string, { day: string; volume: number; negative: number }[]>();
  for (const c of cells) {
    const key = `${c.dimension}\u0000${c.value}`;
    const list = series.get(key) ?? [];
    list.push({ day: c.day, volume: c.counts.volume, negative: c.counts.negative });
    series.set(key, list);
  }
  const events: PendingEvent[] = [];
  for (const cand of candidates) {
    const [spike] = detectSpikes(series.get(`${cand.dimension}\u0000${cand.value}`) ?? [], {
      ...deps.config.spike,
      trailingDays: SPIKE_TRAILING_DAYS,
      from: cand.day,
      to: cand.day,
    });
    if (!spike) continue;
    const volume = cells.find((c) => c.dimension === cand.dimension && c.value === cand.value && c.day === cand.day);
    const detail = {
      version: EVENTS.version,
      eventId: `spike-${spike.day}-${cand.dimension}-${cand.value}`,
      day: spike.day,
      segment: { dimension: cand.dimension, value: cand.value },
      negative: spike.negative,
      volume: volume?.counts.volume ?? 0,
      baseline: Math.round(spike.baseline * 100) / 100,
      ratio: spike.ratio === null ? null : Math.round(spike.ratio * 100) / 100,
      trailingDays: SPIKE_TRAILING_DAYS,
    };
    if (await store.claimSpike(spike.day, cand.dimension, cand.value, detail)) {
      events.push({ detailType: EVENTS.detailTypes.spike, detail });
    }
  }
  if (events.length > 0) await publish(events);
}

function cellKeysOf(c: Contribution): string[] {
  const out = [cellKey('all', 'all', c.day)];
  for (const [dimension, value] of Object.entries(c.segments)) {
    if (value !== undefined) out.push(cellKey(dimension as SegmentDimension, value, c.day));
  }
  return out;
}
