import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComprehendServer, type FaultPlan, startComprehendServer } from '../../local/comprehend-server.js';
import { feedbackTableDefinition, LOCAL_CREDENTIALS } from '../../local/stack.js';
import { loadIngestConfig } from '../../shared/config/env.js';
import { EVENTS } from '../../shared/config/resources.js';
import { SEGMENT_DIMENSIONS } from '../../shared/domain/cells.js';
import { FileLeaseHeldError } from '../../shared/domain/errors.js';
import { awsAsyncSentimentPorts } from '../../shared/pipeline/async-sentiment/aws-ports.js';
import type { AsyncSentiment } from '../../shared/pipeline/async-sentiment/gate.js';
import { awsIngestPorts } from '../../shared/pipeline/aws-ports.js';
import {
  type IngestDeps,
  type IngestResult,
  type IngestTarget,
  ingestObject,
} from '../../shared/pipeline/ingest-object.js';
import { targetsOf } from '../../shared/pipeline/queue-message.js';
import { analyze } from '../../shared/sentiment/comprehend-adapter.js';
import { DynamoAggregateReader } from '../../shared/store/aggregate-reader.js';
import { DynamoAsyncJobLedger } from '../../shared/store/async-job-ledger.js';
import { DynamoTextCache } from '../../shared/store/text-cache.js';
import { eventually, journalEvents, localClients, localStack } from '../helpers/clients.js';

const stack = localStack();
const clients = localClients(stack);
/** A Comprehend endpoint of this file's own, over the shared S3: its faults and call log are this file's. */
let server: ComprehendServer;
let comprehend: ComprehendClient;
let counter = 0;

beforeAll(async () => {
  server = await startComprehendServer({ jobDelayMs: 300 });
  server.useS3(stack.endpoints.s3, LOCAL_CREDENTIALS);
  comprehend = new ComprehendClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  comprehend.destroy();
  await server.close();
});

const EN = [
  'The app keeps crashing when I pay',
  'Love the new design, very fast',
  'Delivery was late and support never answered',
  'Okay I guess, nothing special',
];
const ZH = ['物流很快，非常满意', '质量太差，用了两天就坏了', '客服态度一般'];

/** An export of `rows` records, unique texts tagged en/zh, a few repeated texts and score-only answers. */
function bigExport(rows: number, tag: string): string {
  const lines = ['Response ID,Date,Language,NPS,Comment'];
  for (let i = 1; i <= rows; i++) {
    const zh = i % 3 === 0;
    const base = zh ? ZH[i % ZH.length] : EN[i % EN.length];
    const text = i % 10 === 0 ? '' : i % 7 === 0 ? `${base}` : `${base} ${zh ? '订单' : 'order'} ${tag}-${i}`;
    lines.push(`R_${tag}_${i},2026-10-${String(1 + (i % 9)).padStart(2, '0')},${zh ? 'zh' : 'en'},${i % 11},"${text}"`);
  }
  return `${lines.join('\n')}\n`;
}

interface Sandbox {
  deps: (overrides?: Partial<IngestDeps>) => IngestDeps;
  put: (key: string, body: string) => Promise<IngestTarget>;
  cells: () => Promise<string[]>;
  queueUrl: string;
  fileId?: string;
}

/** A fresh table, bucket and queue; `asyncJobs` false gives the synchronous path (the clean run). */
async function sandbox(asyncJobs: boolean, asyncOverrides: Partial<AsyncSentiment> = {}): Promise<Sandbox> {
  const n = ++counter;
  const name = `as-${n}-${Date.now()}`;
  await new DynamoDBClient({
    region: 'us-east-1',
    endpoint: stack.endpoints.dynamodb,
    credentials: LOCAL_CREDENTIALS,
  }).send(new CreateTableCommand(feedbackTableDefinition(name)));
  await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  const queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const config = loadIngestConfig({
    ...stack.env,
    TABLE_NAME: name,
    BUCKET_NAME: name,
    QUEUE_URL: queueUrl,
    BUSINESS_TIME_ZONE: 'Europe/Berlin',
    SEGMENT_ROWS: '50',
    LEASE_SECONDS: '1',
    THEMES_ENABLED: 'true',
    ASYNC_SENTIMENT_THRESHOLD: '20',
    ASYNC_POLL_SECONDS: '1',
  });
  const cache = new DynamoTextCache(clients.db, name, 1);
  const asyncSentiment: AsyncSentiment | undefined =
    asyncJobs && config.asyncJobs
      ? {
          ports: awsAsyncSentimentPorts({ ...clients, comprehend }, config, cache),
          config: config.asyncJobs,
          themes: true,
          ...asyncOverrides,
        }
      : undefined;
  return {
    queueUrl,
    deps: (overrides = {}) => ({
      ports: awsIngestPorts(clients, config),
      config,
      hashKey: 'test-hash-key-0123456789',
      analyzer: {
        analyze: (requests, options) => analyze(requests, { ...options, client: comprehend, cache, themes: true }),
      },
      ...(asyncSentiment ? { asyncSentiment } : {}),
      ...overrides,
    }),
    put: async (key, body) => {
      const out = await clients.s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: body }));
      return { bucket: name, key, etag: (out.ETag ?? '').replace(/"/g, '') };
    },
    cells: async () => {
      const cells = await new DynamoAggregateReader(clients.db, name).readCells({
        from: '2000-01-01',
        to: '2100-01-01',
        dimensions: SEGMENT_DIMENSIONS,
      });
      return cells.map((c) => JSON.stringify([c.dimension, c.value, c.day, c.counts])).sort();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The next message on the sandbox's queue (a delayed check), deleted as the event source mapping would. */
async function nextMessage(sb: Sandbox, waitSeconds = 5): Promise<IngestTarget | undefined> {
  const out = await clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: sb.queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: waitSeconds }),
  );
  const message = out.Messages?.[0];
  if (!message) return undefined;
  await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: sb.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  return targetsOf(message.Body ?? '')[0];
}

/** Delivers the target, then each delayed check, as the queue would, until the file is done. */
async function runToEnd(sb: Sandbox, target: IngestTarget, deps = sb.deps()): Promise<IngestResult> {
  let next: IngestTarget | undefined = target;
  for (let attempt = 0; attempt < 40 && next; attempt++) {
    let result: IngestResult;
    try {
      result = await ingestObject(next, deps);
    } catch (err) {
      if (!(err instanceof FileLeaseHeldError) && !(err as Error).message.startsWith('worker killed')) throw err;
      await sleep(1100);
      continue;
    }
    if (result.status !== 'continued') return result;
    next = await nextMessage(sb);
  }
  throw new Error('file never completed');
}

async function cleanCells(key: string, body: string): Promise<string[]> {
  const sb = await sandbox(false);
  const result = await ingestObject(await sb.put(key, body), sb.deps());
  expect(result.status).toBe('processed');
  return sb.cells();
}

function callsSince(mark: number, operation: string) {
  return server
    .calls()
    .slice(mark)
    .filter((c) => c.operation === operation);
}

describe('asynchronous Comprehend jobs for big files', () => {
  const key = 'incoming/backfill/big.csv';

  it('takes a file over the threshold through jobs and counts it as a synchronous run does', async () => {
    // Prepare
    const body = bigExport(120, 'a');
    const expected = await cleanCells(key, body);
    const sb = await sandbox(true);
    const mark = server.calls().length;
    // Act
    const target = await sb.put(key, body);
    const first = await ingestObject(target, sb.deps());
    const result = await runToEnd(sb, (await nextMessage(sb)) ?? target);
    // Assess
    expect(first.status).toBe('continued');
    expect(result.status).toBe('processed');
    expect(await sb.cells()).toEqual(expected);
    expect(
      callsSince(mark, 'StartSentimentDetectionJob')
        .map((c) => c.languageCode)
        .sort(),
    ).toEqual(['en', 'zh']);
    expect(callsSince(mark, 'StartKeyPhrasesDetectionJob')).toHaveLength(2);
    // Every text came from the jobs through the cache: no synchronous call at all.
    expect(callsSince(mark, 'BatchDetectSentiment')).toHaveLength(0);
    expect(callsSince(mark, 'BatchDetectKeyPhrases')).toHaveLength(0);
    expect(result.report?.comprehend.calls).toBe(0);
    // The jobs' documents are still paid for, and the report says so.
    expect(result.report?.comprehend.units).toBeGreaterThan(0);
    // The estimate made before the jobs started survives the checks: the jobs bill every uncached text, as it said.
    expect(result.report?.comprehend.estimate?.units).toBe(result.report?.comprehend.units);
  });

  it('keeps the synchronous path for a file at or under the threshold', async () => {
    // Prepare
    const sb = await sandbox(true);
    const mark = server.calls().length;
    // Act
    const result = await ingestObject(await sb.put(key, bigExport(20, 'small')), sb.deps());
    // Assess
    expect(result.status).toBe('processed');
    expect(callsSince(mark, 'StartSentimentDetectionJob')).toHaveLength(0);
    expect(callsSince(mark, 'BatchDetectSentiment').length).toBeGreaterThan(0);
  });

  it('fails the file with a clear error and a rejection event when a job fails', async () => {
    // Prepare
    const sb = await sandbox(true);
    server.injectFaults({ kind: 'job-failed', operation: 'StartSentimentDetectionJob', message: 'Access denied' });
    const failedKey = 'incoming/backfill/failing.csv';
    // Act
    const result = await runToEnd(sb, await sb.put(failedKey, bigExport(90, 'f')));
    // Assess
    expect(result.status).toBe('failed');
    expect(result.report?.error?.code).toBe('SENTIMENT_JOB_FAILED');
    expect(result.report?.error?.message).toContain('sentiment job');
    expect(await sb.cells()).toEqual([]);
    const rejected = await eventually(async () =>
      (await journalEvents()).find(
        (e) =>
          e['detail-type'] === EVENTS.detailTypes.fileRejected &&
          (e.detail.file as { fileId: string }).fileId === result.fileId,
      ),
    );
    expect((rejected.detail.error as { code: string }).code).toBe('SENTIMENT_JOB_FAILED');
  });

  it.each<[string, FaultPlan]>([
    ['lines missing', { kind: 'job-partial', operation: 'StartSentimentDetectionJob', missingLines: [0, 1, 2] }],
    ['error lines', { kind: 'job-partial', operation: 'StartSentimentDetectionJob', errorLines: [0, 4] }],
  ])('analyses synchronously what a partial output left out (%s)', async (_, fault) => {
    // Prepare
    const body = bigExport(100, 'p');
    const expected = await cleanCells(key, body);
    const sb = await sandbox(true);
    server.injectFaults(fault);
    const mark = server.calls().length;
    // Act
    const result = await runToEnd(sb, await sb.put(key, body));
    // Assess
    expect(result.status).toBe('processed');
    expect(await sb.cells()).toEqual(expected);
    const sync = callsSince(mark, 'BatchDetectSentiment');
    expect(sync).toHaveLength(1);
    expect(sync[0]?.documents).toBeLessThanOrEqual(3);
  });

  it('sends one chain of checks however often the notification and the checks are redelivered', async () => {
    // Prepare
    const body = bigExport(100, 'r');
    const expected = await cleanCells(key, body);
    const sb = await sandbox(true);
    const target = await sb.put(key, body);
    // Act: the notification three times, then the first check twice.
    for (let i = 0; i < 3; i++) expect((await ingestObject(target, sb.deps())).status).toBe('continued');
    const check = await nextMessage(sb);
    expect(check?.asyncPoll).toBeDefined();
    expect(await nextMessage(sb, 2)).toBeUndefined();
    const first = await ingestObject(check as IngestTarget, sb.deps());
    const stale = await ingestObject(check as IngestTarget, sb.deps());
    const result = await runToEnd(sb, target);
    // Assess
    expect(first.status).toMatch(/continued|processed/);
    expect(stale.status).toMatch(/continued|already-done/);
    expect(result.status).toMatch(/processed|already-done/);
    expect(await nextMessage(sb, 3)).toBeUndefined();
    expect(await sb.cells()).toEqual(expected);
    const processed = (await journalEvents()).filter(
      (e) =>
        e['detail-type'] === EVENTS.detailTypes.fileProcessed &&
        (e.detail.file as { fileId: string }).fileId === result.fileId,
    );
    expect(processed).toHaveLength(1);
  });

  it('finishes exactly once after the worker dies once the jobs have finished', async () => {
    // Prepare
    const body = bigExport(100, 'c');
    const expected = await cleanCells(key, body);
    let kills = 0;
    const sb = await sandbox(true, {
      afterFill: () => {
        if (kills++ === 0) throw new Error('worker killed after the first results reached the cache');
      },
    });
    const target = await sb.put(key, body);
    // Act
    const result = await runToEnd(sb, target);
    // Assess
    expect(kills).toBeGreaterThan(1);
    expect(result.status).toBe('processed');
    expect(await sb.cells()).toEqual(expected);
    const record = await new DynamoAsyncJobLedger(clients.db, target.bucket, { ledgerTtlDays: 1 }).readAsyncJobs(
      result.fileId,
    );
    expect(record?.status).toBe('filled');
    expect(record?.groups.every((g) => g.filled)).toBe(true);
  });
});
