import { createHash, randomUUID } from 'node:crypto';
import type { IngestConfig } from '../config/env.js';
import { PREFIXES, sourceOf } from '../config/resources.js';
import { FileRejectedError } from '../domain/errors.js';
import { eventRowCounts } from '../domain/row-tally.js';
import { fileProcessedEvent, fileRejectedEvent } from '../events/factories.js';
import type { PendingEvent } from '../events/publisher.js';
import { readExport } from '../ingest/read-export.js';
import type { ExportMeta, ResumeState, RowOutcome } from '../ingest/types.js';
import type { AsyncJobsRecord } from '../ports/async-jobs.js';
import type { FileLedgerEntry, IngestPorts, IngestTarget } from '../ports/ingest.js';
import { USD_PER_UNIT } from '../sentiment/comprehend-adapter.js';
import type { ThemeMatcher } from '../themes/matcher.js';
import { type AsyncSentiment, asyncSentimentGate } from './async-sentiment/gate.js';
import { type BudgetStanding, guardBudget, heldEvent, RELEASE_HINT } from './budget-guard.js';
import { estimateFileCost } from './cost-estimate.js';
import { buildReport, type FileReport, reportKeyOf, roundedCost } from './file-report.js';
import { FileRun, flushOutbox, type RunContext } from './file-run.js';
import { mappingNotices, mappingWarnings } from './mapping-notices.js';
import { type ReportState, restoreReportState } from './report.js';
import { newSpikes } from './spikes.js';
import { type TextAnalyzer, totalCalls } from './text-analyzer.js';

export type { IngestTarget } from '../ports/ingest.js';
export type { FileReport } from './file-report.js';
export { reportKeyOf } from './file-report.js';

/** Hand off to a continuation when less than this is left in the invocation. */
const HANDOFF_MARGIN_MS = 60_000;

export interface IngestDeps {
  ports: IngestPorts;
  analyzer: TextAnalyzer;
  config: IngestConfig;
  /** Theme matching from the taxonomy; absent when themes are off. */
  themes?: ThemeMatcher;
  hashKey: string;
  /** Milliseconds left in this invocation (Lambda's context); unlimited when absent. */
  remainingMs?: () => number;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Test hook: called after each committed segment (fault injection kills the worker here). */
  afterSegment?: (segment: number) => Promise<void> | void;
  /** Told the month's Comprehend spend whenever a file is admitted or held (the handler's budget metric). */
  onBudgetStanding?: (standing: BudgetStanding) => void;
  /** Comprehend's asynchronous jobs for files with many uncached texts; absent, every file is analysed in batches. */
  asyncSentiment?: AsyncSentiment;
}

export type IngestStatus = 'processed' | 'failed' | 'already-done' | 'continued' | 'held';

export interface IngestResult {
  status: IngestStatus;
  fileId: string;
  reportKey?: string;
  report?: FileReport;
}

export function fileIdOf(target: IngestTarget): string {
  return createHash('sha256').update(`${target.bucket}\n${target.key}\n${target.etag}`).digest('hex').slice(0, 32);
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
  const { ports } = deps;
  const fileId = fileIdOf(target);
  const token = randomUUID();
  const entry = await ports.files.acquireFile({ fileId, ...target }, token, deps.config.leaseSeconds * 1000);
  if (entry.status !== 'processing')
    return redelivered(target, fileId, entry.summary?.event, entry.eventsPublished, ports);

  // Finish what a crashed worker left: staged cell parts, then events of committed rows.
  await ports.files.applyStaged(fileId);
  await flushOutbox(ports, fileId, entry.nextRow);

  const state = restoreReportState(entry.state);
  state.invocations++;
  const resume = entry.resume as ResumeState | undefined;
  const source = sourceOf(target.key);
  const recordsPrefix = `${PREFIXES.processed}dt=${now().toISOString().slice(0, 10)}/${source}/${fileId}/`;
  const ctx: RunContext = {
    target,
    fileId,
    token,
    source,
    recordsPrefix,
    ports,
    analyzer: deps.analyzer,
    config: deps.config,
    themes: deps.themes,
    afterSegment: deps.afterSegment,
  };
  const readOptions = readOptionsOf(target, source, deps, now());
  const reader = readExport(() => ports.objects.read(target, resume?.byteOffset), { ...readOptions, resume });

  let meta: ExportMeta;
  try {
    meta = await reader.meta();
  } catch (err) {
    if (err instanceof FileRejectedError) return rejectFile(ctx, deps, err, state);
    throw err;
  }

  // Before the first row is committed (and so before Comprehend is first called): estimate, then admit or hold.
  // A file whose Comprehend jobs were started was admitted when they were: its checks skip the estimate's read.
  const readFromStart = () => readExport(() => ports.objects.read(target), readOptions);
  if (entry.nextRow === 1) {
    const jobs = await readAsyncJobs(ctx, deps);
    if (jobs === undefined) {
      const gate = await admitOrHold(ctx, deps, state, readFromStart);
      if (gate.kind === 'held') return holdFile(ctx, deps, state, meta, gate.standing);
    } else state.estimate ??= jobs.estimate;
  }
  const early = await asyncJobsFirst(ctx, deps, entry, state, meta, readFromStart);
  if (early) return early;
  const run = new FileRun(ctx, entry, state, reader);
  try {
    for await (const batch of reader.batches()) {
      for (const outcome of batch) {
        if (outcome.row < run.segmentStartRow) continue;
        await run.add(outcome);
        // Segments end after a record's final outcome, never between its warnings and it.
        if (outcome.kind === 'warning') continue;
        const timeLow = deps.remainingMs !== undefined && deps.remainingMs() < HANDOFF_MARGIN_MS;
        if (!run.segmentFull() && !timeLow) continue;
        await run.commit(false);
        if (timeLow) return await handOff(ctx, deps, run.segmentStartRow);
      }
    }
    await run.commit(true);
  } catch (err) {
    // Mid-file (a limit reached, the object deleted): the report is what was committed, as the aggregates are.
    if (err instanceof FileRejectedError) return rejectFile(ctx, deps, err, run.lastCommitted, meta);
    throw err;
  }
  return processed(ctx, deps, state, meta, run.touched);
}

/** How every read of this file is made: the processing one (from its checkpoint) and the estimate's. */
function readOptionsOf(target: IngestTarget, source: string, deps: IngestDeps, uploadTime: Date) {
  return {
    fileName: target.key,
    source,
    hashKey: deps.hashKey,
    defaultTimeZone: deps.config.timeZone,
    uploadTime,
    ...deps.config.readLimits,
  };
}

/** Estimates the file from a read of its own (unless a checkpoint kept the estimate), then asks the budget guard. */
async function admitOrHold(
  ctx: RunContext,
  deps: IngestDeps,
  state: ReportState,
  readFromStart: () => AsyncIterable<RowOutcome>,
) {
  const { cost } = ctx.ports;
  state.estimate ??= await estimateFileCost(readFromStart(), {
    cost: deps.config.cost,
    themes: deps.config.themes,
    cache: cost?.textCache,
  });
  const now = (deps.now ?? (() => new Date()))();
  const gate = await guardBudget(ctx.fileId, state.estimate, { cost: deps.config.cost, ledger: cost?.ledger, now });
  if (gate.standing) deps.onBudgetStanding?.(gate.standing);
  return gate;
}

/**
 * A file over the month's budget: its report (status `held`, with the estimate), its entry on the held list, the
 * ledger marked `held` (a redelivery then does nothing), and the `Feedback File Held` event.
 */
async function holdFile(
  ctx: RunContext,
  deps: IngestDeps,
  state: ReportState,
  meta: ExportMeta,
  standing: BudgetStanding,
): Promise<IngestResult> {
  const { target, fileId } = ctx;
  const estimate = state.estimate;
  const ledger = ctx.ports.cost?.ledger;
  if (!estimate || !ledger) throw new Error('A file can only be held with an estimate and a cost ledger');
  const report = buildReport(target, fileId, 'held', state, meta, ctx.recordsPrefix);
  report.budget = { ...standing, release: RELEASE_HINT };
  const reportKey = reportKeyOf(target.key, target.etag);
  await ledger.putHeld({ ...target, fileId, month: standing.month, estimateUsd: estimate.usd, reportKey });
  await finishFile(ctx, report, heldEvent(target, fileId, estimate, standing, reportKey));
  deps.log?.('warn', 'file held: over the Comprehend budget', { key: target.key, estimateUsd: estimate.usd });
  return { status: 'held', fileId, reportKey, report };
}

/** Redelivery of a finished file: only make sure its file event went out. */
async function redelivered(
  target: IngestTarget,
  fileId: string,
  event: unknown,
  eventsPublished: boolean | undefined,
  ports: IngestPorts,
): Promise<IngestResult> {
  if (!eventsPublished && event) {
    await ports.events.publish([event as PendingEvent]);
    await ports.files.markEventsPublished(fileId);
  }
  return { status: 'already-done', fileId, reportKey: reportKeyOf(target.key, target.etag) };
}

function withWarnings(warnings: { code: string; detail: string }[]) {
  return warnings.length > 0 ? { mappingWarnings: warnings } : {};
}

async function handOff(ctx: RunContext, deps: IngestDeps, nextRow: number): Promise<IngestResult> {
  await ctx.ports.continuations.continueLater({ ...ctx.target, fileId: ctx.fileId });
  await ctx.ports.files.releaseFile(ctx.fileId, ctx.token);
  deps.log?.('info', 'handed off to a continuation', { key: ctx.target.key, nextRow });
  return { status: 'continued', fileId: ctx.fileId };
}

async function readAsyncJobs(ctx: RunContext, deps: IngestDeps): Promise<AsyncJobsRecord | undefined> {
  return deps.asyncSentiment?.ports.ledger.readAsyncJobs(ctx.fileId);
}

/**
 * Comprehend's asynchronous jobs, when configured: a result here ends the invocation (the jobs run and a delayed
 * check is on the queue, or a job failed); none, and the file is read with its texts' results in the cache.
 */
async function asyncJobsFirst(
  ctx: RunContext,
  deps: IngestDeps,
  entry: FileLedgerEntry,
  state: ReportState,
  meta: ExportMeta,
  openReader: () => ReturnType<typeof readExport>,
): Promise<IngestResult | undefined> {
  if (!deps.asyncSentiment) return undefined;
  const { target, fileId, token } = ctx;
  const input = { target, fileId, token, entry, openReader, remainingMs: deps.remainingMs, estimate: state.estimate };
  const gate = await asyncSentimentGate(input, deps.asyncSentiment);
  if (gate.kind === 'failed') return rejectFile(ctx, deps, gate.error, state, meta);
  if (gate.kind === 'proceed') {
    // Counted into the file's usage once: before its first commit, the state is still the fresh one.
    if (gate.jobUnits && entry.nextRow === 1 && entry.segment === 0) addJobUnits(state, gate.jobUnits);
    return undefined;
  }
  // The jobs run and a delayed check is on the queue: give the lease up until it comes.
  await ctx.ports.files.releaseFile(fileId, token);
  deps.log?.('info', 'waiting for Comprehend jobs', { key: target.key });
  return { status: 'continued', fileId };
}

function addJobUnits(state: ReportState, units: number): void {
  state.usage.units += units;
  state.usage.estimatedCostUsd = Math.round((state.usage.estimatedCostUsd + units * USD_PER_UNIT) * 1e6) / 1e6;
}

async function processed(
  ctx: RunContext,
  deps: IngestDeps,
  state: ReportState,
  meta: ExportMeta,
  touched: ReadonlySet<string>,
): Promise<IngestResult> {
  const { target, fileId, recordsPrefix } = ctx;
  const report = buildReport(target, fileId, 'processed', state, meta, recordsPrefix);
  const reportKey = reportKeyOf(target.key, target.etag);
  const { positive, negative, neutral, mixed } = state.sentiment;
  const fileEvent = fileProcessedEvent({
    file: { bucket: target.bucket, key: target.key, etag: target.etag, fileId },
    format: meta.format,
    encoding: meta.encoding,
    rows: eventRowCounts(state.rows),
    sentiment: { positive, negative, neutral, mixed },
    comprehend: {
      calls: totalCalls(state.usage),
      units: state.usage.units,
      estimatedCostUsd: roundedCost(state.usage.estimatedCostUsd),
    },
    reportKey,
    recordsPrefix,
    ...withWarnings(mappingWarnings(meta)),
  });
  const notices = mappingNotices(target, ctx.source, meta, touched);
  if (notices.length > 0) await ctx.ports.digestNotes.putMappingNotices(fileId, notices);
  await finishFile(ctx, report, fileEvent, async () => {
    const spikes = await newSpikes(touched, ctx.ports, ctx.config.spike, ctx.themes?.taxonomy);
    if (spikes.length > 0) await ctx.ports.events.publish(spikes);
  });
  deps.log?.('info', 'file processed', { key: target.key, rows: state.rows });
  return { status: 'processed', fileId, reportKey, report };
}

async function rejectFile(
  ctx: RunContext,
  deps: IngestDeps,
  err: FileRejectedError,
  state: ReportState,
  meta?: ExportMeta,
): Promise<IngestResult> {
  const { target, fileId } = ctx;
  const report = buildReport(target, fileId, 'failed', state, meta, ctx.recordsPrefix);
  report.error = { code: err.code, message: err.message };
  const reportKey = reportKeyOf(target.key, target.etag);
  const file = { bucket: target.bucket, key: target.key, etag: target.etag, fileId };
  await finishFile(ctx, report, fileRejectedEvent(file, report.error, reportKey));
  deps.log?.('warn', 'file rejected', { key: target.key, code: err.code });
  return { status: 'failed', fileId, reportKey, report };
}

/**
 * The end of every file, processed or rejected: the report to S3, the ledger marked done (with the file event, so
 * a redelivery can still send it), then the events, then the mark that they went out.
 */
async function finishFile(
  ctx: RunContext,
  report: FileReport,
  event: PendingEvent,
  beforeFileEvent?: () => Promise<void>,
): Promise<void> {
  const { ports, target, fileId, token } = ctx;
  const reportKey = reportKeyOf(target.key, target.etag);
  await ports.objects.put(target.bucket, reportKey, JSON.stringify(report, null, 2), 'application/json');
  await ports.files.completeFile(fileId, token, report.status, {
    rows: report.rows,
    error: report.error,
    reportKey,
    event,
  });
  await beforeFileEvent?.();
  await ports.events.publish([event]);
  await ports.files.markEventsPublished(fileId);
}
