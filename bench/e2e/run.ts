/**
 * `npm run bench -- --rows N --e2e`: the same generated export through the local stack twice, each time on a fresh
 * in-memory stack in a process of its own — once on the synchronous path (threshold above the file's unique
 * texts), once on the asynchronous one (threshold 1, short local job delay) — with the requests counted per
 * service and operation and the AWS time and cost modelled from them (model.ts).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOB_WAIT_SECONDS, modelPath, type PathModel, SYNC_DOCUMENTS_PER_SECOND, USD_PER_UNIT } from './model.js';
import { type CountedService, DYNAMODB_WRITE_OPERATIONS } from './operation.js';
import type { PathMeasurement, SentimentPath } from './run-path.js';

const RUN_PATH = join(dirname(fileURLToPath(import.meta.url)), 'run-path.ts');

export interface E2ePathResult extends Omit<PathModel, 'usd'> {
  wallSeconds: number;
  uploadSeconds: number;
  /** Requests by service and operation (the function's own; not the bench's set-up, upload or report read). */
  requests: Record<CountedService, Record<string, number>>;
  /** Requests answered with HTTP ≥ 400, by service and operation (only services that had any). */
  errors: Partial<Record<CountedService, Record<string, number>>>;
  comprehendDocuments: Record<string, number>;
  dynamodbWriteRequests: number;
  dynamodbWriteItems: number;
  s3Requests: number;
  /** Billed units and dollars as the file's report gives them. */
  units: number;
  usd: number;
  /** The same units at the list price (model.ts), a check on the report's figure. */
  modelledUsd: number;
  /** The budget guard's estimate before any call (report `comprehend.estimate`; null when the report has none). */
  estimate: { units: number; usd: number } | null;
  status: string;
  rows: PathMeasurement['report']['rows'];
  invocations: number;
}

export interface E2eResult {
  rows: number;
  model: {
    syncDocumentsPerSecond: number;
    jobWaitSeconds: typeof JOB_WAIT_SECONDS;
    usdPerUnit: number;
  };
  sync: E2ePathResult;
  async: E2ePathResult;
}

export interface E2eOptions {
  file: string;
  rows: number;
  /** Local job delay on the async path. @default 1000 */
  jobDelayMs?: number;
  /** Run both paths at once (tests: faster; the wall times then share the CPU). @default false */
  parallel?: boolean;
  log?: (line: string) => void;
}

function measure(file: string, path: SentimentPath, jobDelayMs: number): Promise<PathMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_PATH, file, path, String(jobDelayMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as PathMeasurement);
      else reject(new Error(`e2e ${path} run exited with ${code}:\n${err}`));
    });
  });
}

const sum = (m: Readonly<Record<string, number>>) => Object.values(m).reduce((a, b) => a + b, 0);

/** The result of one path: what was counted, what the report says, what the model makes of it. */
export function pathResult(m: PathMeasurement): E2ePathResult {
  const { comprehend, dynamodb, s3 } = m.counts;
  const { usd: modelledUsd, ...model } = modelPath({
    comprehendRequests: comprehend.requests,
    comprehendDocuments: comprehend.documents,
    units: m.report.comprehend.units,
  });
  const requests = Object.fromEntries(Object.entries(m.counts).map(([s, c]) => [s, c.requests]));
  const errors = Object.fromEntries(
    Object.entries(m.counts)
      .filter(([, c]) => sum(c.errors) > 0)
      .map(([s, c]) => [s, c.errors]),
  );
  const estimate = m.report.comprehend.estimate;
  return {
    wallSeconds: Math.round(m.wallSeconds * 10) / 10,
    uploadSeconds: Math.round(m.uploadSeconds * 10) / 10,
    requests: requests as E2ePathResult['requests'],
    errors,
    comprehendDocuments: comprehend.documents,
    ...model,
    dynamodbWriteRequests: Object.entries(dynamodb.requests)
      .filter(([op]) => DYNAMODB_WRITE_OPERATIONS.has(op))
      .reduce((n, [, c]) => n + c, 0),
    dynamodbWriteItems: dynamodb.writeItems,
    s3Requests: sum(s3.requests),
    units: m.report.comprehend.units,
    usd: m.report.comprehend.estimatedCostUsd,
    modelledUsd,
    estimate: estimate === undefined ? null : { units: estimate.units, usd: estimate.usd },
    status: m.report.status,
    rows: m.report.rows,
    invocations: m.report.invocations,
  };
}

export async function runE2e(opts: E2eOptions): Promise<E2eResult> {
  const delay = opts.jobDelayMs ?? 1000;
  const log = opts.log ?? (() => undefined);
  const run = async (path: SentimentPath) => {
    log(`e2e: ${path} path through the local stack …`);
    const result = pathResult(await measure(opts.file, path, delay));
    log(`e2e: ${path} path done in ${result.wallSeconds} s (${result.status})`);
    return result;
  };
  const [sync, async] = opts.parallel
    ? await Promise.all([run('sync'), run('async')])
    : [await run('sync'), await run('async')];
  return {
    rows: opts.rows,
    model: {
      syncDocumentsPerSecond: SYNC_DOCUMENTS_PER_SECOND,
      jobWaitSeconds: JOB_WAIT_SECONDS,
      usdPerUnit: USD_PER_UNIT,
    },
    sync,
    async,
  };
}
