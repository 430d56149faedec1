import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSettings } from '../../cli/local-env.js';
import { runRelease } from '../../cli/release.js';
import type { LocalStack } from '../../local/stack.js';
import { COST_ENV } from '../../shared/config/cost.js';
import { EVENTS } from '../../shared/config/resources.js';
import { DETAIL_SCHEMAS, schemaFileName } from '../../shared/events/contract.js';
import { type FileReport, reportKeyOf } from '../../shared/pipeline/ingest-object.js';
import { budgetMonth } from '../../shared/sentiment/cost.js';
import { costKeys } from '../../shared/store/cost-ledger.js';
import { s3NotificationBody } from '../helpers/events.js';

/**
 * A stack of its own: the shared one runs with the dev budget, and this test needs one that a small file exceeds.
 * Budget $0.001; the file's two texts cost 2 × (3 sentiment + 3 key-phrase units) × $0.0001 = $0.0012.
 */
const BUDGET_USD = '0.001';
const ESTIMATE_USD = 0.0012;
const KEY = 'incoming/budget/held.csv';
const CSV =
  'ResponseId,Submitted,Language,Comment,Rating\nR1,2026-11-02 10:00:00,en,"The app keeps crashing",1\nR2,2026-11-02 11:00:00,en,"Lovely support team",5\n';

let stack: LocalStack;
let stateDir: string;
let undoEnv: () => void;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'feedback-budget-'));
  const { startLocalStack } = await import('../../local/stack.js');
  stack = await startLocalStack({
    stateDir,
    env: { ...localFunctionSettings(), [COST_ENV.monthlyBudget]: BUDGET_USD },
    failedVisibilityTimeoutSeconds: 1,
    log: () => undefined,
    handleSignals: false,
  });
  undoEnv = stack.applyEnv();
  // Imported after the environment is in place: the handler reads its configuration at cold start.
  const { handler } = await import('../../functions/ingest/index.js');
  stack.attachIngestHandler(handler);
});

afterAll(async () => {
  undoEnv?.();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function clients() {
  const { s3Client } = await import('../../shared/clients/s3.js');
  const { sqsClient } = await import('../../shared/clients/sqs.js');
  const { dynamoDbClient } = await import('../../shared/clients/dynamodb.js');
  return { s3: s3Client, sqs: sqsClient, db: dynamoDbClient };
}

async function reportOf(etag: string): Promise<FileReport> {
  const { s3 } = await clients();
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const out = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: reportKeyOf(KEY, etag) }));
  return JSON.parse((await out.Body?.transformToString()) ?? 'null') as FileReport;
}

async function aggregates(): Promise<unknown[]> {
  const { db } = await clients();
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const out = await db.send(
    new QueryCommand({
      TableName: stack.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'AGG#all' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

function eventsOf(type: string) {
  return stack.events().filter((e) => e['detail-type'] === type && (e.detail.file as { key: string }).key === KEY);
}

function output() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('Comprehend budget on the local stack', () => {
  it('holds a file over the budget, announces it, and processes it exactly once on release', async () => {
    // Prepare
    const { s3, sqs, db } = await clients();
    const put = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: KEY, Body: CSV }));
    const etag = (put.ETag ?? '').replace(/"/g, '');
    await stack.waitForIdle({ timeoutMs: 90_000 });

    // Act 1: the upload, and a redelivery of its notification
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: s3NotificationBody(stack.bucket, KEY, etag) }),
    );
    await stack.waitForIdle({ timeoutMs: 90_000 });

    // Assess 1: held, once, with an event that fits its contract and a report that says how to resume
    const held = await reportOf(etag);
    expect(held.status).toBe('held');
    expect(held.comprehend.calls).toBe(0);
    expect(held.comprehend.estimate).toMatchObject({ usd: ESTIMATE_USD, units: 12 });
    expect(held.budget).toMatchObject({ budgetUsd: 0.001, monthToDateUsd: 0, remainingUsd: 0.001 });
    const heldEvents = eventsOf(EVENTS.detailTypes.fileHeld);
    expect(heldEvents).toHaveLength(1);
    const detail = DETAIL_SCHEMAS[EVENTS.detailTypes.fileHeld].safeParse(heldEvents[0]?.detail);
    expect(detail.success, JSON.stringify(detail.error?.issues)).toBe(true);
    const onDisk = JSON.parse(
      await readFile(
        new URL(`../../schemas/events/${schemaFileName(EVENTS.detailTypes.fileHeld)}`, import.meta.url),
        'utf8',
      ),
    );
    expect(Object.keys(heldEvents[0]?.detail ?? {}).sort()).toEqual(Object.keys(onDisk.properties).sort());
    expect(await aggregates()).toEqual([]);
    expect(eventsOf(EVENTS.detailTypes.fileProcessed)).toHaveLength(0);

    // Act 2: `feedback release` twice, the second while the first may still be at work, then once more after
    const first = output();
    const second = output();
    const codes = [await runRelease([KEY, '--json'], { stdout: first.stream, stderr: first.stream })];
    codes.push(await runRelease([KEY, '--json'], { stdout: second.stream, stderr: second.stream }));
    await stack.waitForIdle({ timeoutMs: 90_000 });
    const cells = await aggregates();
    const third = output();
    codes.push(await runRelease([KEY], { stdout: third.stream, stderr: third.stream }));
    await stack.waitForIdle({ timeoutMs: 90_000 });

    // Assess 2: processed once, the estimate charged once, aggregates counted once
    expect(JSON.parse(first.text()).files).toEqual([expect.objectContaining({ etag, outcome: 'released' })]);
    expect(codes).toEqual([0, expect.any(Number), 1]);
    expect(third.text()).toContain('no held version');
    const processed = await reportOf(etag);
    expect(processed.status).toBe('processed');
    expect(processed.rows).toMatchObject({ total: 2, accepted: 2 });
    expect(eventsOf(EVENTS.detailTypes.fileProcessed)).toHaveLength(1);
    expect(await aggregates()).toEqual(cells);
    expect(cells).toEqual([expect.objectContaining({ sk: '2026-11-02#all', volume: 2, positive: 1, negative: 1 })]);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const spend = await db.send(
      new GetCommand({ TableName: stack.table, Key: costKeys.spend(budgetMonth(new Date())), ConsistentRead: true }),
    );
    expect(spend.Item).toMatchObject({ spentMicroUsd: ESTIMATE_USD * 1e6, files: 1 });
  });

  it('holds the next file on the spend already charged this month', async () => {
    // Prepare: the released file charged $0.0012 of the $0.001 budget; this one costs 1 × (3 + 3) units = $0.0006
    const { s3 } = await clients();
    const key = 'incoming/budget/next.csv';
    const body = 'ResponseId,Submitted,Language,Comment\nN1,2026-11-03 10:00:00,en,"Checkout was quick"\n';

    // Act
    const put = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
    await stack.waitForIdle({ timeoutMs: 90_000 });

    // Assess
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const out = await s3.send(
      new GetObjectCommand({ Bucket: stack.bucket, Key: reportKeyOf(key, (put.ETag ?? '').replace(/"/g, '')) }),
    );
    const report = JSON.parse((await out.Body?.transformToString()) ?? 'null') as FileReport;
    expect(report.status).toBe('held');
    expect(report.budget).toMatchObject({ monthToDateUsd: ESTIMATE_USD, remainingUsd: 0 });
  });

  it('re-queues a file held in an earlier month when the monthly schedule message arrives', async () => {
    // Prepare: the file held above, as if it had been held last month
    const { sqs, db } = await clients();
    const { ScanCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { REQUEUE_HELD_MESSAGE } = await import('../../shared/pipeline/held-files.js');
    const key = 'incoming/budget/next.csv';
    const heldItems = await db.send(
      new ScanCommand({
        TableName: stack.table,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'HELD' },
      }),
    );
    const fileId = heldItems.Items?.find((i) => i.key === key)?.fileId as string;
    await db.send(
      new UpdateCommand({
        TableName: stack.table,
        Key: costKeys.held(fileId),
        UpdateExpression: 'SET #month = :earlier',
        ExpressionAttributeNames: { '#month': 'month' },
        ExpressionAttributeValues: { ':earlier': '2020-01' },
      }),
    );
    const heldBefore = stack.events().filter((e) => e['detail-type'] === EVENTS.detailTypes.fileHeld).length;

    // Act: the message EventBridge Scheduler sends on the 1st
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: JSON.stringify(REQUEUE_HELD_MESSAGE) }),
    );
    await stack.waitForIdle({ timeoutMs: 90_000 });

    // Assess: processed again against this month's budget, which it still does not fit: held again, this month
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const held = await db.send(
      new GetCommand({ TableName: stack.table, Key: costKeys.held(fileId), ConsistentRead: true }),
    );
    expect(held.Item).toMatchObject({ key, month: budgetMonth(new Date()) });
    expect(held.Item?.releasedAt).toBeUndefined();
    expect(stack.events().filter((e) => e['detail-type'] === EVENTS.detailTypes.fileHeld).length).toBe(heldBefore + 1);
  });
});

describe('DynamoCostLedger on DynamoDB Local', () => {
  it('charges a file once, refuses a charge over the room left, and releases only a held file', async () => {
    // Prepare
    const { db } = await clients();
    const { DynamoCostLedger } = await import('../../shared/store/cost-ledger.js');
    const ledger = new DynamoCostLedger(db, stack.table);
    const month = '2026-01';
    const charge = { month, estimateMicroUsd: 700, forced: false };

    // Act
    const first = await ledger.admit('file-a', charge, 1_000 - 700);
    const again = await ledger.admit('file-a', { ...charge, estimateMicroUsd: 999 }, 1_000 - 999);
    const over = await ledger.admit('file-b', { ...charge, estimateMicroUsd: 400 }, 1_000 - 400);
    const release = await ledger.release('file-b', { forced: true, at: new Date() });

    // Assess
    expect(first).toEqual({ admitted: true, admission: charge });
    expect(again).toEqual({ admitted: true, admission: charge });
    expect(over).toEqual({ admitted: false });
    expect(await ledger.spentMicroUsd(month)).toBe(700);
    expect(await ledger.admissionOf('file-b')).toEqual({ forced: false });
    expect(release).toBe('not-held');
  });
});
