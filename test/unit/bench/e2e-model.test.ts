import { describe, expect, it } from 'vitest';
import { JOB_WAIT_SECONDS, jobRounds, modelPath, syncSeconds } from '../../../bench/e2e/model.js';
import { pathResult } from '../../../bench/e2e/run.js';
import type { PathMeasurement } from '../../../bench/e2e/run-path.js';
import { e2eTable } from '../../../bench/e2e/table.js';

describe('the e2e cost and time model', () => {
  it('takes 250 documents a second per synchronous operation and adds the operations up', () => {
    // Prepare: 1,000 sentiment and 500 key-phrase documents in 40 + 20 batch calls
    const input = {
      comprehendRequests: { BatchDetectSentiment: 40, BatchDetectKeyPhrases: 20 },
      comprehendDocuments: { BatchDetectSentiment: 1000, BatchDetectKeyPhrases: 500 },
      units: 4500,
    };
    // Act
    const model = modelPath(input);
    // Assess: 1000/250 = 4 s, 500/250 = 2 s; no jobs; 4,500 units × $0.0001 = $0.45
    expect(model.syncSecondsByOperation).toEqual({ BatchDetectSentiment: 4, BatchDetectKeyPhrases: 2 });
    expect(model.modelledAwsSeconds).toBe(6);
    expect(model.modelledAwsSecondsRange).toEqual([6, 6]);
    expect(model.asyncJobs).toBe(0);
    expect(model.jobWaitSeconds).toBe(0);
    expect(model.comprehendSyncDocuments).toBe(1500);
    expect(model.usd).toBe(0.45);
  });

  it('adds one 7.5-minute job wait (5–10 min range) for up to 10 jobs of a type, plus what stays synchronous', () => {
    // Prepare: 2 sentiment + 2 key-phrase jobs, 125 documents still sent in batches
    const model = modelPath({
      comprehendRequests: {
        StartSentimentDetectionJob: 2,
        StartKeyPhrasesDetectionJob: 2,
        DescribeSentimentDetectionJob: 7,
        BatchDetectSentiment: 5,
      },
      comprehendDocuments: { BatchDetectSentiment: 125 },
      units: 8328,
    });
    // Assess: 450 + 125/250 = 450.5 s; 300.5–600.5 s
    expect(model.asyncJobs).toBe(4);
    expect(model.jobWaitSeconds).toBe(450);
    expect(model.modelledAwsSeconds).toBe(450.5);
    expect(model.modelledAwsSecondsRange).toEqual([300.5, 600.5]);
    expect(model.usd).toBe(0.8328);
  });

  it('waits a second round when a type has more than 10 jobs (10 active per type and account)', () => {
    expect(jobRounds({ StartSentimentDetectionJob: 10, StartKeyPhrasesDetectionJob: 3 })).toBe(1);
    expect(jobRounds({ StartSentimentDetectionJob: 11 })).toBe(2);
    expect(jobRounds({ BatchDetectSentiment: 99 })).toBe(0);
    expect(
      modelPath({ comprehendRequests: { StartSentimentDetectionJob: 21 }, comprehendDocuments: {}, units: 0 }),
    ).toMatchObject({ jobWaitSeconds: 3 * JOB_WAIT_SECONDS.mid, modelledAwsSeconds: 1350 });
  });

  it('leaves operations without documents out of the synchronous time', () => {
    expect(syncSeconds({ BatchDetectSentiment: 0, BatchDetectDominantLanguage: 50 })).toEqual({
      BatchDetectDominantLanguage: 0.2,
    });
  });
});

describe('pathResult and the table', () => {
  it('sums DynamoDB write requests and S3 requests from the counts and keeps the report figures', () => {
    // Prepare
    const empty = { requests: {}, errors: {}, documents: {}, writeItems: 0 };
    const measured: PathMeasurement = {
      path: 'sync',
      wallSeconds: 12.34,
      uploadSeconds: 0.05,
      counts: {
        s3: { ...empty, requests: { GetObject: 2, PutObject: 3 } },
        dynamodb: {
          ...empty,
          requests: { PutItem: 10, TransactWriteItems: 2, BatchWriteItem: 1, Query: 4, GetItem: 5 },
          writeItems: 60,
        },
        comprehend: {
          ...empty,
          requests: { BatchDetectSentiment: 2 },
          documents: { BatchDetectSentiment: 50 },
          errors: { BatchDetectSentiment: 1 },
        },
        sqs: empty,
        events: { ...empty, requests: { PutEvents: 3 } },
      },
      report: {
        status: 'processed',
        rows: { total: 50, accepted: 50, rejected: 0, duplicates: 0, withText: 50, lines: 51 },
        comprehend: {
          calls: 2,
          byOperation: { sentiment: 2, keyPhrases: 0, dominantLanguage: 0 },
          units: 150,
          estimatedCostUsd: 0.015,
          cacheHits: 0,
          failed: 0,
        },
        aggregateWrites: 7,
        segments: 1,
        invocations: 1,
      },
    };
    // Act
    const result = pathResult(measured);
    // Assess
    const table = e2eTable({
      rows: 50,
      model: { syncDocumentsPerSecond: 250, jobWaitSeconds: JOB_WAIT_SECONDS, usdPerUnit: 0.0001 },
      sync: result,
      async: { ...result, modelledAwsSeconds: 450, modelledAwsSecondsRange: [300, 600] },
    });
    expect(table).toContain('    S3 requests                      GetObject 2, PutObject 3');
    expect(table).toContain('    modelled AWS time                0.2 s');
    expect(table).toContain('    modelled AWS time                7.5 min (5.0 min–10.0 min)');
    expect(result).toMatchObject({
      wallSeconds: 12.3,
      dynamodbWriteRequests: 13,
      dynamodbWriteItems: 60,
      s3Requests: 5,
      comprehendSyncDocuments: 50,
      units: 150,
      usd: 0.015,
      modelledUsd: 0.015,
      modelledAwsSeconds: 0.2,
      estimate: null,
      errors: { comprehend: { BatchDetectSentiment: 1 } },
    });
  });
});
