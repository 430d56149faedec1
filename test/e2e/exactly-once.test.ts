import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedbackTableDefinition } from '../../local/stack.js';
import { type IngestConfig, loadIngestConfig } from '../../shared/config/env.js';
import { isZeroCounts, SEGMENT_DIMENSIONS } from '../../shared/domain/cells.js';
import { FileLeaseHeldError } from '../../shared/domain/errors.js';
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
import { localClients, localStack } from '../helpers/clients.js';
import { projectThemes } from '../helpers/memory-ports.js';

const stack = localStack();
const clients = localClients(stack);
const comprehend = new ComprehendClient({
  region: 'us-east-1',
  endpoint: stack.endpoints.comprehend,
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxAttempts: 1,
});
let counter = 0;

const TEXTS = [
  'The app keeps crashing when I pay',
  'Love the new design, very fast',
  'Delivery was late and support never answered',
  '物流很快，非常满意',
  '质量太差，用了两天就坏了',
  'Okay I guess',
];
const CHANNELS = ['email', 'web', 'app'];

/** A survey export with response ids: row i is a stable record whatever file it appears in. */
function exportRows(from: number, to: number, withIds = true): string {
  const lines = [`${withIds ? 'ResponseId,' : ''}Recorded Date,Channel,How likely are you to recommend us?,Comment`];
  for (let i = from; i <= to; i++) {
    const day = 1 + (i % 9);
    const nps = (i * 7) % 11;
    // Each comment its own: a handful of texts repeated over 50+ rows would read as a category, not free text.
    const text = `${TEXTS[i % TEXTS.length] ?? ''}, order ${i}`;
    lines.push(
      `${withIds ? `R_${i},` : ''}2026-10-${String(day).padStart(2, '0')} 1${i % 10}:00:00,${CHANNELS[i % 3]},${nps},"${text}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const PLAY_HEADER =
  'Package Name,App Version Code,App Version Name,Reviewer Language,Device,Review Submit Date and Time,Review Submit Millis Since Epoch,Review Last Update Date and Time,Review Last Update Millis Since Epoch,Star Rating,Review Title,Review Text,Developer Reply Date and Time,Developer Reply Millis Since Epoch,Developer Reply Text,Review Link';

/** Google Play rows: [review number, version (edit count), stars]; a later version has a later update time. */
function playReport(rows: [number, number, number][]): string {
  const lines = [PLAY_HEADER];
  for (const [n, version, stars] of rows) {
    const submitted = Date.UTC(2026, 9, 1 + (n % 9), 9, 0, 0);
    const updated = submitted + version * 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
    const text = stars <= 2 ? `Broken after update ${n}` : `Works well now ${n}`;
    lines.push(
      `com.example,1,1.0,en,Pixel,${iso(submitted)},${submitted},${iso(updated)},${updated},${stars},,${text},,,,https://play.google.com/apps/publish?account=1#ReviewDetailsPlace:p=com.example&reviewid=gp:AOqp${n}x`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Dependencies of one delivery; `db` replaces the DynamoDB client under every ledger (fault injection). */
type DepsOverrides = Partial<Omit<IngestDeps, 'ports'>> & { db?: DynamoDBDocumentClient };

interface Sandbox {
  config: IngestConfig;
  deps: (overrides?: DepsOverrides) => IngestDeps;
  put: (key: string, body: string) => Promise<IngestTarget>;
  cells: () => Promise<string[]>;
  queueUrl: string;
}

/** A fresh table, bucket and queue of its own, so each scenario starts from nothing. */
async function sandbox(env: Record<string, string> = {}): Promise<Sandbox> {
  const n = ++counter;
  const table = `eo-${n}-${Date.now()}`;
  const bucket = `eo-${n}-${Date.now()}`;
  await new DynamoDBClient({
    region: 'us-east-1',
    endpoint: stack.endpoints.dynamodb,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  }).send(new CreateTableCommand(feedbackTableDefinition(table)));
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queue = await clients.sqs.send(new CreateQueueCommand({ QueueName: `eo-${n}` }));
  const queueUrl = queue.QueueUrl ?? '';
  const config = loadIngestConfig({
    ...stack.env,
    TABLE_NAME: table,
    BUCKET_NAME: bucket,
    QUEUE_URL: queueUrl,
    BUSINESS_TIME_ZONE: 'Europe/Berlin',
    SPIKE_MIN_VOLUME: '3',
    THEME_TAXONOMY_FILE: 'config/taxonomy.json',
    SEGMENT_ROWS: '10',
    LEASE_SECONDS: '1',
    ...env,
  });
  const deps = ({ db, ...overrides }: DepsOverrides = {}): IngestDeps => ({
    ports: awsIngestPorts({ ...clients, db: db ?? clients.db }, config),
    config,
    themes: config.themes ? projectThemes : undefined,
    hashKey: 'test-hash-key-0123456789',
    analyzer: {
      analyze: (requests, options) => analyze(requests, { ...options, client: comprehend, themes: config.themes }),
    },
    ...overrides,
  });
  return {
    config,
    deps,
    queueUrl,
    put: async (key, body) => {
      const out = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return { bucket, key, etag: (out.ETag ?? '').replace(/"/g, '') };
    },
    /** Segment and theme cells (themes are counted by the same commits, so they must be exact too). */
    cells: async () => {
      const reader = new DynamoAggregateReader(clients.db, table);
      const range = { from: '2000-01-01', to: '2100-01-01', dimensions: SEGMENT_DIMENSIONS };
      const [cells, themeCells] = await Promise.all([reader.readCells(range), reader.readThemeCells(range)]);
      return [
        ...cells.map((c) => JSON.stringify([c.dimension, c.value, c.day, c.counts])),
        ...themeCells
          .filter((c) => !isZeroCounts(c.counts))
          .map((c) => JSON.stringify([c.theme, c.dimension, c.value, c.day, c.counts])),
      ].sort();
    },
  };
}

/** A DynamoDB client that "kills the worker" on the k-th TransactWriteItems: the call never happens. */
function crashingDb(db: DynamoDBDocumentClient, k: number): DynamoDBDocumentClient {
  let transactions = 0;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'send') {
        return (command: unknown) => {
          if (command instanceof TransactWriteCommand && ++transactions === k) {
            return Promise.reject(new Error(`worker killed before transaction ${k}`));
          }
          return target.send(command as never);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries like SQS would: after a failure (or a held lease), wait past the lease and deliver again. */
async function deliverUntilDone(sb: Sandbox, target: IngestTarget, deps: IngestDeps): Promise<IngestResult> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await ingestObject(target, deps);
    } catch (err) {
      if (!(err instanceof FileLeaseHeldError) && !(err as Error).message.startsWith('worker killed')) throw err;
      await sleep(1100);
      deps = sb.deps();
    }
  }
  throw new Error('file never completed');
}

async function cleanCells(files: [string, string][]): Promise<string[]> {
  const sb = await sandbox();
  for (const [key, body] of files) await ingestObject(await sb.put(key, body), sb.deps());
  return sb.cells();
}

describe('exactly-once aggregates against DynamoDB Local', () => {
  const fileA: [string, string] = ['incoming/survey/a.csv', exportRows(1, 45)];

  it('counts the same event delivered three times once', async () => {
    const expected = await cleanCells([fileA]);
    const sb = await sandbox();
    const target = await sb.put(...fileA);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await ingestObject(target, sb.deps()));
    expect(results.map((r) => r.status)).toEqual(['processed', 'already-done', 'already-done']);
    expect(await sb.cells()).toEqual(expected);
  });

  it('counts a re-upload under the same key and under a new key once, as duplicates', async () => {
    const expected = await cleanCells([fileA]);
    const sb = await sandbox();
    await ingestObject(await sb.put(...fileA), sb.deps());
    const again = await ingestObject(await sb.put(...fileA), sb.deps());
    const renamed = await ingestObject(await sb.put('incoming/survey/a-copy.csv', fileA[1]), sb.deps());
    expect(again.status).toBe('already-done');
    expect(renamed.report?.rows).toMatchObject({ total: 45, accepted: 0, duplicates: 45 });
    expect(renamed.report?.duplicates.crossFile).toBe(45);
    expect(renamed.report?.comprehend.calls).toBe(0);
    expect(await sb.cells()).toEqual(expected);
  });

  it('counts two overlapping exports like one export of their union', async () => {
    const expected = await cleanCells([['incoming/survey/all.csv', exportRows(1, 80)]]);
    const sb = await sandbox();
    const first = await ingestObject(await sb.put('incoming/survey/week1.csv', exportRows(1, 50)), sb.deps());
    const second = await ingestObject(await sb.put('incoming/survey/week2.csv', exportRows(31, 80)), sb.deps());
    expect(first.report?.rows.accepted).toBe(50);
    expect(second.report?.rows).toMatchObject({ total: 50, accepted: 30, duplicates: 20 });
    expect(await sb.cells()).toEqual(expected);
  });

  it('counts overlapping exports without record ids once, by content', async () => {
    const expected = await cleanCells([['incoming/survey/all.csv', exportRows(1, 30, false)]]);
    const sb = await sandbox();
    await ingestObject(await sb.put('incoming/survey/p1.csv', exportRows(1, 20, false)), sb.deps());
    await ingestObject(await sb.put('incoming/survey/p2.csv', exportRows(11, 30, false)), sb.deps());
    expect(await sb.cells()).toEqual(expected);
  });

  it('lets only one of two concurrent deliveries count the file', async () => {
    const expected = await cleanCells([fileA]);
    const sb = await sandbox();
    const target = await sb.put(...fileA);
    const outcomes = await Promise.allSettled([ingestObject(target, sb.deps()), ingestObject(target, sb.deps())]);
    const held = outcomes.filter((o) => o.status === 'rejected');
    for (const o of held) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(FileLeaseHeldError);
    if (held.length > 0) await deliverUntilDone(sb, target, sb.deps());
    expect(await sb.cells()).toEqual(expected);
  });

  it.each([1, 2, 3, 5])('recovers exactly after the worker is killed at transaction %i', async (k) => {
    const expected = await cleanCells([fileA]);
    const sb = await sandbox();
    const target = await sb.put(...fileA);
    await expect(ingestObject(target, sb.deps({ db: crashingDb(clients.db, k) }))).rejects.toThrow('worker killed');
    await sleep(1100);
    const result = await deliverUntilDone(sb, target, sb.deps());
    expect(result.status).toBe('processed');
    expect(result.report?.rows).toMatchObject({ total: 45, accepted: 45, rejected: 0, duplicates: 0 });
    // Transaction 1 charges the file to the month's Comprehend budget (the stack's settings set one); the first
    // invocation counts only if it committed a segment (transaction 2 on) before it died.
    expect(result.report?.invocations).toBe(k <= 2 ? 1 : 2);
    expect(await sb.cells()).toEqual(expected);
  });

  it('hands off to a continuation in the middle of a file and resumes from the checkpoint', async () => {
    const expected = await cleanCells([fileA]);
    const sb = await sandbox();
    const target = await sb.put(...fileA);
    let calls = 0;
    // Plenty of time for the first segments, then "less than a minute left".
    const first = await ingestObject(target, sb.deps({ remainingMs: () => (++calls > 15 ? 1_000 : 600_000) }));
    expect(first.status).toBe('continued');
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: sb.queueUrl, MaxNumberOfMessages: 1 }),
    );
    const message = received.Messages?.[0];
    expect(message).toBeDefined();
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: sb.queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    const [continuation] = targetsOf(message?.Body ?? '');
    expect(continuation?.key).toBe(target.key);
    const second = await ingestObject(continuation ?? target, sb.deps());
    expect(second.status).toBe('processed');
    expect(second.report?.rows).toMatchObject({ total: 45, accepted: 45 });
    expect(second.report?.invocations).toBe(2);
    expect(await sb.cells()).toEqual(expected);
  });

  it.each([
    0, 1, 2, 4,
  ])('keeps the newest version of edited reviews across files and within a file (crash at transaction %i)', async (k) => {
    const final: [number, number, number][] = [
      [1, 0, 5],
      [2, 0, 4],
      [3, 2, 1],
      [4, 0, 2],
      [5, 1, 5],
      [6, 1, 1],
      [7, 0, 3],
      [8, 0, 5],
    ];
    const expected = await cleanCells([['incoming/play/final.csv', playReport(final)]]);
    // Segments of two rows: the edits of review 3 (rows 2 and 5) fall in different segments.
    const sb = await sandbox({ SEGMENT_ROWS: '2' });
    const october = playReport([
      [1, 0, 5],
      [2, 0, 4],
      [3, 0, 2],
      [4, 0, 2],
      [5, 0, 1],
      [6, 0, 4],
    ]);
    // November: 5 and 6 edited, 3 edited twice inside the file (older edit first), 7 and 8 new, 1 unchanged.
    const november = playReport([
      [1, 0, 5],
      [3, 1, 3],
      [5, 1, 5],
      [6, 1, 1],
      [3, 2, 1],
      [7, 0, 3],
      [8, 0, 5],
    ]);
    await ingestObject(await sb.put('incoming/play/2026-10.csv', october), sb.deps());
    const target = await sb.put('incoming/play/2026-11.csv', november);
    if (k > 0) await ingestObject(target, sb.deps({ db: crashingDb(clients.db, k) })).catch(() => undefined);
    await sleep(k > 0 ? 1100 : 0);
    const result = await deliverUntilDone(sb, target, sb.deps());
    expect(result.status).toBe('processed');
    expect(result.report?.rows.total).toBe(7);
    expect(result.report?.rows.total).toBe(
      (result.report?.rows.accepted ?? 0) + (result.report?.rows.rejected ?? 0) + (result.report?.rows.duplicates ?? 0),
    );
    expect(await sb.cells()).toEqual(expected);
  });

  it('stays exact under random schedules of redeliveries, re-uploads, overlaps and crashes', async () => {
    const files: [string, string][] = [
      ['incoming/survey/s1.csv', exportRows(1, 25)],
      ['incoming/survey/s2.csv', exportRows(15, 40)],
    ];
    const expected = await cleanCells([['incoming/survey/union.csv', exportRows(1, 40)]]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            file: fc.integer({ min: 0, max: 1 }),
            crashAt: fc.option(fc.integer({ min: 1, max: 4 })),
            renamed: fc.boolean(),
          }),
          { minLength: 2, maxLength: 5 },
        ),
        async (schedule) => {
          const sb = await sandbox();
          const seen = new Set<number>();
          for (const step of schedule) {
            const [key, body] = files[step.file] ?? files[0] ?? ['', ''];
            const target = await sb.put(step.renamed ? key.replace('.csv', '-again.csv') : key, body);
            seen.add(step.file);
            const deps = step.crashAt ? sb.deps({ db: crashingDb(clients.db, step.crashAt) }) : sb.deps();
            await ingestObject(target, deps).catch(() => undefined);
            await deliverUntilDone(sb, target, sb.deps());
          }
          for (const i of [0, 1]) {
            if (!seen.has(i)) {
              const [key, body] = files[i] ?? ['', ''];
              await deliverUntilDone(sb, await sb.put(key, body), sb.deps());
            }
          }
          expect(await sb.cells()).toEqual(expected);
        },
      ),
      { numRuns: 4 },
    );
  });

  it('fails a file deleted before it is read with OBJECT_DELETED, a report and a rejection, and counts nothing', async () => {
    const sb = await sandbox();
    const target = await sb.put(...fileA);
    await clients.s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key }));

    const result = await ingestObject(target, sb.deps());
    const again = await ingestObject(target, sb.deps());

    expect(result.status).toBe('failed');
    expect(result.report?.error?.code).toBe('OBJECT_DELETED');
    expect(again.status).toBe('already-done');
    expect(await sb.cells()).toEqual([]);
  });

  it('stops an overwritten version at its next read and counts the new version on its own', async () => {
    const next = exportRows(100, 130);
    const sb = await sandbox();
    const old = await sb.put(...fileA);
    let calls = 0;
    const first = await ingestObject(old, sb.deps({ remainingMs: () => (++calls > 15 ? 1_000 : 600_000) }));
    expect(first.status).toBe('continued');
    const replacement = await sb.put(fileA[0], next);

    const stopped = await ingestObject(old, sb.deps());
    const processed = await ingestObject(replacement, sb.deps());

    expect(stopped.report?.error?.code).toBe('OBJECT_REPLACED');
    expect(processed.status).toBe('processed');
    expect(stopped.reportKey).not.toBe(processed.reportKey);
    const committedRows = stopped.report?.rows.total ?? 0;
    expect(committedRows).toBeGreaterThan(0);
    expect(await sb.cells()).toEqual(
      await cleanCells([
        ['incoming/survey/a.csv', exportRows(1, committedRows)],
        ['incoming/survey/b.csv', next],
      ]),
    );
  });
});
