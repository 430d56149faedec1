import { randomUUID } from 'node:crypto';
import { COMPREHEND_JOBS } from '../../config/comprehend-jobs.js';
import type { AsyncJobGroup, AsyncJobsRecord } from '../../ports/async-jobs.js';
import type { JobKind } from '../../sentiment/async/job-client.js';
import { documentUnits } from '../../sentiment/comprehend-adapter.js';
import type { CostEstimate } from '../../sentiment/cost.js';
import { type AsyncFile, type AsyncSentiment, clockOf } from './context.js';
import type { AsyncPlan, PlannedGroup } from './plan.js';

/**
 * Writes each group's input (one document a line) and line keys, starts its jobs, schedules the first check and
 * records the jobs in the file's ledger. A crash anywhere in between is safe: the next attempt plans the same
 * groups and starts them with the same request tokens, which Comprehend answers with the jobs already started.
 */
export async function startAsyncJobs(
  file: AsyncFile,
  plan: AsyncPlan,
  deps: AsyncSentiment,
  estimate: CostEstimate | undefined,
): Promise<void> {
  const groups: AsyncJobGroup[] = [];
  for (const planned of plan.groups) groups.push(await startGroup(file, planned, deps));
  const now = clockOf(deps)();
  const record: AsyncJobsRecord = {
    status: 'running',
    startedAt: now.toISOString(),
    pollId: randomUUID(),
    nextCheckAt: new Date(now.getTime() + deps.config.pollSeconds * 1000).toISOString(),
    groups,
    ...(estimate ? { estimate } : {}),
  };
  // The check goes out before the record: should the write fail, the retried message plans again (same jobs).
  await deps.ports.poller.checkLater(file.target, record.pollId, deps.config.pollSeconds);
  await deps.ports.ledger.writeAsyncJobs(file.fileId, file.token, record);
  const jobs = groups.reduce((n, g) => n + g.jobs.length, 0);
  deps.metric?.(COMPREHEND_JOBS.metrics.jobsStarted, jobs);
  deps.log?.('info', 'started Comprehend jobs', { key: file.target.key, documents: plan.documents, jobs });
}

async function startGroup(file: AsyncFile, planned: PlannedGroup, deps: AsyncSentiment): Promise<AsyncJobGroup> {
  const { bucket } = file.target;
  const name = `${planned.language}-${planned.part}`;
  const inputKey = `${COMPREHEND_JOBS.inputPrefix}${file.fileId}/${name}.txt`;
  const keysKey = `${COMPREHEND_JOBS.keysPrefix}${file.fileId}/${name}.txt`;
  await deps.ports.files.putLines(bucket, inputKey, planned.docs);
  await deps.ports.files.putLines(bucket, keysKey, planned.keys);
  const kinds: JobKind[] = deps.themes ? ['sentiment', 'keyPhrases'] : ['sentiment'];
  const jobs: AsyncJobGroup['jobs'] = [];
  for (const kind of kinds) {
    const jobId = await deps.ports.jobs.start({
      kind,
      language: planned.language,
      inputUri: `s3://${bucket}/${inputKey}`,
      outputUri: `s3://${bucket}/${COMPREHEND_JOBS.outputPrefix}${file.fileId}/${kind}-${name}/`,
      roleArn: deps.config.roleArn,
      token: `${file.fileId}-${kind === 'sentiment' ? 's' : 'k'}-${name}`,
    });
    jobs.push({ kind, jobId });
  }
  return {
    language: planned.language,
    part: planned.part,
    inputKey,
    keysKey,
    documents: planned.docs.length,
    units: planned.docs.reduce((sum, doc) => sum + documentUnits(doc), 0) * jobs.length,
    jobs,
    filled: false,
  };
}
