/**
 * One end-to-end run, in a process of its own (the functions read their configuration and build their SDK clients
 * once per process, as on a Lambda cold start):
 *
 *   tsx bench/e2e/run-path.ts <export file> <sync|async> [job delay ms]
 *
 * Starts counting proxies, then a fresh in-memory local stack with the function's endpoints pointed at the
 * proxies, attaches the real ingest handler, uploads the file under `incoming/`, waits until its report is written
 * and the stack is idle, and prints one JSON line: wall time, requests by service and operation, and the report's
 * Comprehend figures. The bench's own calls (table and bucket set-up, the upload, reading the report) go straight
 * to the emulators and are not counted.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localFunctionSettings } from '../../cli/local-env.js';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../local/stack.js';
import { COST_ENV } from '../../shared/config/cost.js';
import { ENV } from '../../shared/config/env-names.js';
import type { FileReport } from '../../shared/pipeline/file-report.js';
import { reportKeyOf } from '../../shared/pipeline/file-report.js';
import type { CountedService } from './operation.js';
import { type CountingProxy, type ServiceCounts, startCountingProxy } from './proxy.js';

export type SentimentPath = 'sync' | 'async';

export interface PathMeasurement {
  path: SentimentPath;
  /** From the upload's completion until the file's report is written and the stack is idle. */
  wallSeconds: number;
  uploadSeconds: number;
  counts: Record<CountedService, ServiceCounts>;
  report: Pick<FileReport, 'status' | 'rows' | 'comprehend' | 'aggregateWrites' | 'segments' | 'invocations'>;
}

/** The SDK endpoint variable of each counted service (shared/config/env-names.ts: the SDK's own names). */
const ENDPOINT_ENV: Record<CountedService, string> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  comprehend: 'AWS_ENDPOINT_URL_COMPREHEND',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  events: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
};
const SERVICES = Object.keys(ENDPOINT_ENV) as CountedService[];
export const BENCH_KEY = 'incoming/bench/export.csv';
/** Above any file's unique texts: no pre-pass, every text through the batch calls (the size check skips it). */
export const SYNC_THRESHOLD = 1_000_000_000;
/** Below any file's unique texts: every file goes through the jobs. */
export const ASYNC_THRESHOLD = 1;
/** High enough that no bench file is held: the guard still runs (its reads and writes are counted). */
const BENCH_BUDGET_USD = 1_000_000;

/** Function settings: the dev environment's, the path's threshold, and the proxies as endpoints. */
export function pathEnv(path: SentimentPath, proxies: readonly CountingProxy[]): Record<string, string> {
  const env: Record<string, string> = {
    ...localFunctionSettings(),
    [ENV.asyncThreshold]: String(path === 'sync' ? SYNC_THRESHOLD : ASYNC_THRESHOLD),
    [ENV.asyncPollSeconds]: '1',
    [COST_ENV.monthlyBudget]: String(BENCH_BUDGET_USD),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  for (const proxy of proxies) env[ENDPOINT_ENV[proxy.service]] = proxy.url;
  return env;
}

async function readReport(s3: S3Client, bucket: string, key: string): Promise<FileReport | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString()) ?? 'null') as FileReport;
  } catch {
    return undefined;
  }
}

/** Waits until the report is there and nothing runs (the S3 notification may not be queued yet right after the PUT). */
async function waitForReport(stack: LocalStack, s3: S3Client, reportKey: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.waitForIdle({ timeoutMs: Math.max(1, deadline - Date.now()) });
    const report = await readReport(s3, stack.bucket, reportKey);
    if (report !== undefined) return report;
    if (Date.now() > deadline) throw new Error(`no report at ${reportKey} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function upload(s3: S3Client, bucket: string, file: string): Promise<string> {
  const { size } = await stat(file);
  const put = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: BENCH_KEY, Body: createReadStream(file), ContentLength: size }),
  );
  return (put.ETag ?? '').replace(/"/g, '');
}

export async function measurePath(
  file: string,
  path: SentimentPath,
  opts: { jobDelayMs?: number; timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<PathMeasurement> {
  const proxies = await Promise.all(SERVICES.map((s) => startCountingProxy(s)));
  // No state directory: DynamoDB Local in memory (about 3 × the writes a second of its on-disk store, measured
  // with 16 parallel conditional puts) and S3 in a temporary folder the stack removes.
  const stack = await startLocalStack({
    env: pathEnv(path, proxies),
    comprehendJobDelayMs: opts.jobDelayMs ?? 1000,
    handleSignals: false,
    log: opts.log ?? (() => undefined),
  });
  const undoEnv = stack.applyEnv();
  // The SQS client sends to the queue URL's host, not to its endpoint: the URL must name the proxy too.
  const sqsProxy = proxies.find((p) => p.service === 'sqs');
  if (sqsProxy) process.env[ENV.queueUrl] = new URL(new URL(stack.queueUrl).pathname, sqsProxy.url).href;
  const direct = new S3Client({
    endpoint: stack.endpoints.s3,
    region: stack.region,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    for (const proxy of proxies) proxy.setTarget(stack.endpoints[proxy.service]);
    const { handler } = await import('../../functions/ingest/index.js');
    stack.attachIngestHandler(handler);
    await stack.waitForIdle(); // the s3:TestEvent S3 sends when notifications are configured
    for (const proxy of proxies) proxy.reset();
    const t0 = performance.now();
    const etag = await upload(direct, stack.bucket, file);
    const t1 = performance.now();
    const report = await waitForReport(stack, direct, reportKeyOf(BENCH_KEY, etag), opts.timeoutMs ?? 24 * 3_600_000);
    const t2 = performance.now();
    const counts = Object.fromEntries(proxies.map((p) => [p.service, p.counts()])) as PathMeasurement['counts'];
    const { status, rows, comprehend, aggregateWrites, segments, invocations } = report;
    return {
      path,
      wallSeconds: (t2 - t1) / 1000,
      uploadSeconds: (t1 - t0) / 1000,
      counts,
      report: { status, rows, comprehend, aggregateWrites, segments, invocations },
    };
  } finally {
    direct.destroy();
    undoEnv();
    await stack.stop();
    await Promise.all(proxies.map((p) => p.close()));
  }
}

async function main(argv: string[]): Promise<void> {
  const [file, path, delay] = argv;
  if (!file || (path !== 'sync' && path !== 'async'))
    throw new Error('usage: run-path.ts <file> <sync|async> [job delay ms]');
  const log = (line: string) => process.stderr.write(`[e2e ${path}] ${line}\n`);
  const quiet = process.env.BENCH_E2E_VERBOSE === '1' ? log : undefined;
  const measured = await measurePath(file, path, {
    ...(delay === undefined ? {} : { jobDelayMs: Number(delay) }),
    ...(quiet === undefined ? {} : { log: quiet }),
  });
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
