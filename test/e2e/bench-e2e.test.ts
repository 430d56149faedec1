import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_WAIT_SECONDS, SYNC_DOCUMENTS_PER_SECOND, USD_PER_UNIT } from '../../bench/e2e/model.js';
import { type E2eResult, runE2e } from '../../bench/e2e/run.js';
import { generateExport } from '../../bench/ingest/generate-export.js';

const ROWS = 300;
const sum = (m: Readonly<Record<string, number>>) => Object.values(m).reduce((a, b) => a + b, 0);
const startJobs = (m: Readonly<Record<string, number>>) =>
  Object.entries(m)
    .filter(([op]) => /^Start\w+Job$/.test(op))
    .reduce((n, [, c]) => n + c, 0);

/**
 * `npm run bench -- --e2e` at a small size: the bench's own export through two local stacks (sync and async path,
 * side by side to keep the test short), counted by the proxies. Checks that the figures hang together.
 */
describe('the e2e bench', () => {
  let dir: string;
  let result: E2eResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-e2e-test-'));
    const file = join(dir, 'export.csv');
    await generateExport(file, { rows: ROWS, seed: 42, startDay: '2026-09-01', days: 60 });
    result = await runE2e({ file, rows: ROWS, jobDelayMs: 300, parallel: true });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('processes the file on both paths and counts requests to every service', () => {
    for (const path of [result.sync, result.async]) {
      expect(path.status).toBe('processed');
      expect(path.rows.total).toBe(ROWS);
      expect(sum(path.requests.comprehend)).toBeGreaterThan(0);
      expect(sum(path.requests.dynamodb)).toBeGreaterThan(0);
      expect(path.s3Requests).toBeGreaterThan(0);
      expect(path.requests.s3.GetObject ?? 0).toBeGreaterThan(0);
      expect(path.dynamodbWriteRequests).toBeGreaterThan(0);
      expect(path.dynamodbWriteItems).toBeGreaterThanOrEqual(path.dynamodbWriteRequests);
      expect(path.requests.events.PutEvents ?? 0).toBeGreaterThan(0);
    }
    expect(result.sync.rows).toEqual(result.async.rows);
  });

  it('sends the sync path through batch calls and the async path through jobs', () => {
    const { sync, async } = result;
    expect(startJobs(sync.requests.comprehend)).toBe(0);
    expect(sync.asyncJobs).toBe(0);
    expect(sync.requests.comprehend.BatchDetectSentiment ?? 0).toBeGreaterThan(0);
    expect(sync.comprehendSyncDocuments).toBe(sum(sync.comprehendDocuments));
    // Tagged English and Chinese rows: one sentiment and one key-phrase job per language.
    expect(async.requests.comprehend.StartSentimentDetectionJob).toBe(2);
    expect(async.requests.comprehend.StartKeyPhrasesDetectionJob).toBe(2);
    expect(async.asyncJobs).toBe(4);
    expect(async.requests.comprehend.BatchDetectSentiment ?? 0).toBeLessThan(
      sync.requests.comprehend.BatchDetectSentiment ?? 0,
    );
    expect(async.comprehendSyncDocuments).toBeLessThan(sync.comprehendSyncDocuments);
  });

  it('bills the same texts at the same price: the jobs what the estimate bounds, the batches no more', () => {
    const { sync, async } = result;
    expect(sync.units).toBeGreaterThan(0);
    // The jobs take key phrases for every text, the batches only for negative and mixed ones.
    expect(sync.estimate?.units).toBe(async.units);
    // Each path's report carries the estimate made before its first call, the same file's on both.
    expect(async.estimate).toEqual(sync.estimate);
    expect(sync.units).toBeLessThanOrEqual(async.units);
    expect(sync.requests.comprehend.BatchDetectKeyPhrases ?? 0).toBeGreaterThan(0);
    for (const path of [sync, async]) {
      expect(path.usd).toBeCloseTo(path.units * USD_PER_UNIT, 6);
      expect(path.modelledUsd).toBe(path.usd);
    }
  });

  it('models the AWS time from the counted documents and jobs', () => {
    const { sync, async } = result;
    const syncDocs = (p: typeof sync) => sum(p.comprehendDocuments) / SYNC_DOCUMENTS_PER_SECOND;
    expect(sync.modelledAwsSeconds).toBeCloseTo(syncDocs(sync), 1);
    expect(async.modelledAwsSeconds).toBeCloseTo(JOB_WAIT_SECONDS.mid + syncDocs(async), 1);
    expect(async.modelledAwsSecondsRange).toEqual([
      expect.closeTo(JOB_WAIT_SECONDS.low + syncDocs(async), 1),
      expect.closeTo(JOB_WAIT_SECONDS.high + syncDocs(async), 1),
    ]);
    expect(sync.wallSeconds).toBeGreaterThan(0);
    expect(async.wallSeconds).toBeGreaterThan(0);
  });
});
