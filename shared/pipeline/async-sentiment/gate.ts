/**
 * The asynchronous path as one step before a file's rows are read: start jobs when the file is big enough, then,
 * on each delayed check, wait for them, put their results in the text cache, and let the normal path run, which
 * then finds its texts cached. It never touches the aggregates: exactly-once stays the normal path's business.
 */
import { randomUUID } from 'node:crypto';
import { COMPREHEND_JOBS } from '../../config/comprehend-jobs.js';
import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../../ingest/diagnostic.js';
import type { ExportReader } from '../../ingest/types.js';
import type { AsyncJobGroup, AsyncJobsRecord } from '../../ports/async-jobs.js';
import type { FileLedgerEntry } from '../../ports/ingest.js';
import type { JobKind, JobView } from '../../sentiment/async/job-client.js';
import type { CostEstimate } from '../../sentiment/cost.js';
import { type AsyncFile, type AsyncSentiment, clockOf } from './context.js';
import { fillGroup } from './fill-cache.js';
import { PrePassTimeoutError, planAsyncJobs } from './plan.js';
import { startAsyncJobs } from './start-jobs.js';

export type { AsyncSentiment } from './context.js';

export type GateOutcome =
  /** Read the file; `jobUnits`: what its jobs cost, when it has had any (for the file's usage). */
  { kind: 'proceed'; jobUnits?: number } | { kind: 'waiting' } | { kind: 'failed'; error: FileRejectedError };

export interface GateInput extends AsyncFile {
  entry: FileLedgerEntry;
  /** A fresh read of the whole file, for the pre-pass. */
  openReader: () => Pick<ExportReader, 'batches'>;
  remainingMs?: () => number;
  /** The file's cost estimate, kept with its jobs (see AsyncJobsRecord). */
  estimate?: CostEstimate;
}

/** The fewest bytes a record with a text of its own takes (a character and two separators): smaller files skip. */
const MIN_BYTES_PER_TEXT = 3;
/** Below this much time left, the pre-pass gives up (writing inputs and starting jobs still needs time). */
const PRE_PASS_MARGIN_MS = 120_000;
/** Below this much time left, fill no further group: check again at once in a new invocation. */
const FILL_MARGIN_MS = 120_000;
const PROCEED: GateOutcome = { kind: 'proceed' };
const WAITING: GateOutcome = { kind: 'waiting' };

export async function asyncSentimentGate(input: GateInput, deps: AsyncSentiment): Promise<GateOutcome> {
  const record = await deps.ports.ledger.readAsyncJobs(input.fileId);
  if (!record) return startIfWorthIt(input, deps);
  if (record.status === 'filled') return proceedAfter(record);
  return checkJobs(input, deps, record);
}

/** Only before the file's first commit: a file already under way keeps the synchronous path. */
async function startIfWorthIt(input: GateInput, deps: AsyncSentiment): Promise<GateOutcome> {
  if (input.entry.nextRow !== 1 || input.entry.segment !== 0) return PROCEED;
  // Too small to hold that many texts: spare it the pre-pass's read.
  const { size } = input.target;
  if (size !== undefined && size < deps.config.threshold * MIN_BYTES_PER_TEXT) return PROCEED;
  let plan: Awaited<ReturnType<typeof planAsyncJobs>>;
  const { remainingMs } = input;
  const timeShort = () => remainingMs !== undefined && remainingMs() < PRE_PASS_MARGIN_MS;
  try {
    plan = await planAsyncJobs(input.openReader(), deps.ports.cache, deps.config.threshold, timeShort);
  } catch (err) {
    // The normal read meets the same error and reports it as the file's.
    if (err instanceof FileRejectedError) return PROCEED;
    // Retrying would time out again: the file goes the synchronous way, handing off as it goes.
    if (err instanceof PrePassTimeoutError) {
      deps.log?.('warn', 'the pre-pass ran out of time; the file is analysed synchronously', { key: input.target.key });
      return PROCEED;
    }
    throw err;
  }
  if (!plan) return PROCEED;
  await startAsyncJobs(input, plan, deps, input.estimate);
  return WAITING;
}

async function checkJobs(input: GateInput, deps: AsyncSentiment, record: AsyncJobsRecord): Promise<GateOutcome> {
  const pending = record.groups.filter((g) => !g.filled);
  const views = await describeAll(pending, deps);
  const error = await failedJobs(input, pending, views, deps);
  if (error) return { kind: 'failed', error };
  const timeLow = await fillFinished(input, record, views, deps);
  if (record.groups.every((g) => g.filled)) return finish(input, deps, record);
  const waited = (clockOf(deps)().getTime() - Date.parse(record.startedAt)) / 60_000;
  deps.metric?.(COMPREHEND_JOBS.metrics.jobWaitMinutes, Math.round(waited));
  if (waited > deps.config.maxWaitMinutes) return abandon(input, deps, record, views);
  return scheduleNext(input, deps, record, timeLow ? 0 : deps.config.pollSeconds);
}

/** A job that ended failed or stopped fails the file: the others are stopped, the first one names the error. */
async function failedJobs(
  input: GateInput,
  pending: readonly AsyncJobGroup[],
  views: ReadonlyMap<string, JobView>,
  deps: AsyncSentiment,
): Promise<FileRejectedError | undefined> {
  const failed = pending.flatMap((g) =>
    g.jobs.filter((j) => views.get(j.jobId)?.state === 'failed').map((j) => ({ g, j })),
  );
  const first = failed[0];
  if (!first) return undefined;
  deps.metric?.(COMPREHEND_JOBS.metrics.jobsFailed, failed.length);
  await stopRunning(pending, views, deps);
  const view = views.get(first.j.jobId);
  deps.log?.('error', 'a Comprehend job failed; rejecting the file', {
    key: input.target.key,
    jobs: failed.map(({ j }) => ({ kind: j.kind, jobId: j.jobId, status: views.get(j.jobId)?.status })),
  });
  return new FileRejectedError(
    'SENTIMENT_JOB_FAILED',
    diagnostic`The Comprehend ${first.j.kind} job for ${first.g.language} ended ${view?.status ?? 'FAILED'}: ${{ message: view?.message ?? 'no message' }}`,
  );
}

/** Puts the results of groups whose jobs all completed in the cache; true when time ran short first. */
async function fillFinished(
  input: GateInput,
  record: AsyncJobsRecord,
  views: ReadonlyMap<string, JobView>,
  deps: AsyncSentiment,
): Promise<boolean> {
  for (const [index, group] of record.groups.entries()) {
    if (group.filled || !group.jobs.every((j) => views.get(j.jobId)?.state === 'completed')) continue;
    if (input.remainingMs !== undefined && input.remainingMs() < FILL_MARGIN_MS) return true;
    await fillGroup(input, group, new Map(group.jobs.map((j) => [j.kind, views.get(j.jobId) as JobView])), deps);
    group.filled = true;
    await deps.ports.ledger.writeAsyncJobs(input.fileId, input.token, record);
    await deps.afterFill?.(index);
  }
  return false;
}

async function describeAll(groups: readonly AsyncJobGroup[], deps: AsyncSentiment): Promise<Map<string, JobView>> {
  const views = new Map<string, JobView>();
  for (const g of groups) for (const j of g.jobs) views.set(j.jobId, await deps.ports.jobs.describe(j.kind, j.jobId));
  return views;
}

async function stopRunning(
  groups: readonly AsyncJobGroup[],
  views: ReadonlyMap<string, JobView>,
  deps: AsyncSentiment,
): Promise<void> {
  const running: { kind: JobKind; jobId: string }[] = groups.flatMap((g) =>
    g.jobs.filter((j) => views.get(j.jobId)?.state === 'running'),
  );
  // Best effort: a job that cannot be stopped only costs what it analyses.
  await Promise.allSettled(running.map((j) => deps.ports.jobs.stop(j.kind, j.jobId)));
}

async function finish(input: GateInput, deps: AsyncSentiment, record: AsyncJobsRecord): Promise<GateOutcome> {
  record.status = 'filled';
  await deps.ports.ledger.writeAsyncJobs(input.fileId, input.token, record);
  deps.log?.('info', 'Comprehend job results are in the cache; resuming the file', { key: input.target.key });
  return proceedAfter(record);
}

function proceedAfter(record: AsyncJobsRecord): GateOutcome {
  return { kind: 'proceed', jobUnits: record.groups.reduce((sum, g) => sum + (g.units ?? 0), 0) };
}

/** Jobs stuck past the wait limit: stop them and let the synchronous path analyse what they did not. */
async function abandon(
  input: GateInput,
  deps: AsyncSentiment,
  record: AsyncJobsRecord,
  views: ReadonlyMap<string, JobView>,
): Promise<GateOutcome> {
  deps.log?.('warn', 'Comprehend jobs ran past the wait limit; falling back to synchronous calls', {
    key: input.target.key,
    minutes: deps.config.maxWaitMinutes,
  });
  await stopRunning(
    record.groups.filter((g) => !g.filled),
    views,
    deps,
  );
  return finish(input, deps, record);
}

/**
 * One chain of delayed checks per file: only the message carrying the recorded poll id sends the next one (a
 * redelivered notification or a stale check just stops), unless the chain is long overdue (its message was lost).
 */
async function scheduleNext(
  input: GateInput,
  deps: AsyncSentiment,
  record: AsyncJobsRecord,
  delaySeconds: number,
): Promise<GateOutcome> {
  const now = clockOf(deps)();
  const overdueMs = Math.max(120_000, 3 * deps.config.pollSeconds * 1000);
  const owner = input.target.asyncPoll === record.pollId;
  if (!owner && now.getTime() < Date.parse(record.nextCheckAt) + overdueMs) return WAITING;
  const pollId = randomUUID();
  const { asyncPoll: _, ...target } = input.target;
  await deps.ports.poller.checkLater(target, pollId, delaySeconds);
  record.pollId = pollId;
  record.nextCheckAt = new Date(now.getTime() + delaySeconds * 1000).toISOString();
  await deps.ports.ledger.writeAsyncJobs(input.fileId, input.token, record);
  return WAITING;
}
