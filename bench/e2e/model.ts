/**
 * The modelled AWS time and cost of a file on each sentiment path, from documented quotas and prices and the
 * requests the counting proxies saw. Only Comprehend is modelled in time: it is the throttled service
 * (shared/config/comprehend-jobs.ts); DynamoDB (on demand) and S3 requests are reported as counts, as the price
 * table (shared/config/cost.ts) carries no price for them.
 */
import { LIST_PRICES_USD_PER_UNIT } from '../../shared/config/cost.js';
import { roundUsd } from '../../shared/sentiment/cost.js';

/**
 * Synchronous Comprehend throughput per account and operation: the older Developer Guide's "up to 250 documents
 * per second" for the batch APIs, i.e. 10 TPS × 25 documents (aws-facts §1.5; the current guide only promises
 * dynamic throttling).
 */
export const SYNC_DOCUMENTS_PER_SECOND = 250;
/**
 * The fixed wait of an asynchronous job (queue, start-up, analysis), not documented: the repo models 5–10 minutes
 * (shared/config/comprehend-jobs.ts); the midpoint is the figure, the ends the range.
 */
export const JOB_WAIT_SECONDS = { low: 300, mid: 450, high: 600 } as const;
/** "up to 10 concurrent active jobs of a given job type" per account (aws-facts §1.5): more wait for a second round. */
export const CONCURRENT_JOBS_PER_TYPE = 10;
/** One list price for sentiment, key phrases and language detection (aws-facts §1.6; shared/config/cost.ts). */
export const USD_PER_UNIT = LIST_PRICES_USD_PER_UNIT.sentiment;

export interface PathModel {
  /** Documents sent through synchronous calls (Batch* and Detect*), all operations. */
  comprehendSyncDocuments: number;
  /** Start*Job requests. */
  asyncJobs: number;
  /** Seconds of synchronous calls at the quota, per operation: documents / 250. */
  syncSecondsByOperation: Record<string, number>;
  /** Job rounds × the modelled job wait (0 without jobs). */
  jobWaitSeconds: number;
  /** Job wait (midpoint) + synchronous seconds: how long Comprehend holds the file up at the quotas. */
  modelledAwsSeconds: number;
  /** The same with the job wait at 5 and at 10 minutes. */
  modelledAwsSecondsRange: [number, number];
  /** Billed units × the list price. */
  usd: number;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Seconds each synchronous operation takes at 250 documents a second. */
export function syncSeconds(documentsByOperation: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, docs] of Object.entries(documentsByOperation)) {
    if (docs > 0) out[op] = docs / SYNC_DOCUMENTS_PER_SECOND;
  }
  return out;
}

/** Start*Job requests by operation (one per job started). */
function jobStarts(requests: Readonly<Record<string, number>>): number[] {
  return Object.entries(requests)
    .filter(([op]) => /^Start\w+Job$/.test(op))
    .map(([, n]) => n);
}

/** Rounds of jobs: one when every type has at most 10; the busiest type decides. */
export function jobRounds(requests: Readonly<Record<string, number>>): number {
  return Math.max(0, ...jobStarts(requests).map((n) => Math.ceil(n / CONCURRENT_JOBS_PER_TYPE)));
}

/**
 * The model of one path. The adapter calls detection, sentiment and key phrases one after the other for a chunk,
 * so their times add up; the jobs of a file run side by side, so one wait covers a round of them.
 */
export function modelPath(input: {
  comprehendRequests: Readonly<Record<string, number>>;
  comprehendDocuments: Readonly<Record<string, number>>;
  units: number;
}): PathModel {
  const bySync = syncSeconds(input.comprehendDocuments);
  const sync = Object.values(bySync).reduce((a, b) => a + b, 0);
  const rounds = jobRounds(input.comprehendRequests);
  const asyncJobs = jobStarts(input.comprehendRequests).reduce((a, b) => a + b, 0);
  return {
    comprehendSyncDocuments: Object.values(input.comprehendDocuments).reduce((a, b) => a + b, 0),
    asyncJobs,
    syncSecondsByOperation: Object.fromEntries(Object.entries(bySync).map(([op, s]) => [op, round(s)])),
    jobWaitSeconds: rounds * JOB_WAIT_SECONDS.mid,
    modelledAwsSeconds: round(rounds * JOB_WAIT_SECONDS.mid + sync),
    modelledAwsSecondsRange: [
      round(rounds * JOB_WAIT_SECONDS.low + sync),
      round(rounds * JOB_WAIT_SECONDS.high + sync),
    ],
    usd: roundUsd(input.units * USD_PER_UNIT),
  };
}
