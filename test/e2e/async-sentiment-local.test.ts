import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFunctionSettings } from '../../cli/local-env.js';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../local/stack.js';
import { COMPREHEND_JOBS } from '../../shared/config/comprehend-jobs.js';
import { ENV } from '../../shared/config/env-names.js';
import { type FileReport, reportKeyOf } from '../../shared/pipeline/ingest-object.js';
import { getJson } from '../helpers/clients.js';

/** A backfill of `rows` records, about half of them with a text of their own, English and Chinese, tagged. */
function backfill(rows: number): string {
  const lines = ['Response ID,Submitted,Language,How likely are you to recommend us?,Feedback'];
  const en = ['Checkout failed twice, very annoying', 'Great support, solved in minutes', 'The update is fine'];
  const zh = ['发货太慢了，很失望', '包装很好，推荐购买', '还可以吧'];
  for (let i = 1; i <= rows; i++) {
    const chinese = i % 4 === 0;
    const pool = chinese ? zh : en;
    const base = pool[i % pool.length] ?? '';
    const text = i % 2 === 0 ? base : `${base} (#${i})`;
    lines.push(
      `R${i},2026-11-${String(1 + (i % 28)).padStart(2, '0')},${chinese ? 'zh-CN' : 'en-US'},${i % 11},"${text}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The whole path on the local stack: S3 event → SQS → the real ingest handler → jobs → delayed checks → done. */
describe('asynchronous Comprehend jobs on the local stack', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let undo: () => void;

  beforeAll(async () => {
    stack = await startLocalStack({
      log: () => undefined,
      handleSignals: false,
      comprehendJobDelayMs: 500,
      // A small threshold, so that a generated file of a few hundred rows crosses it.
      env: { ...localFunctionSettings(), [ENV.asyncThreshold]: '100', [ENV.asyncPollSeconds]: '1' },
    });
    undo = stack.applyEnv();
    const { handler } = await import('../../functions/ingest/index.js');
    stack.attachIngestHandler(handler);
    s3 = new S3Client({
      endpoint: stack.endpoints.s3,
      region: stack.region,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    undo?.();
    await stack?.stop();
  });

  it('crosses the threshold with a generated file and processes it from the job results', async () => {
    // Prepare
    const key = 'incoming/backfill/2026-11.csv';
    const body = backfill(400);
    // Act
    const put = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
    await stack.waitForIdle({ timeoutMs: 90_000 });
    // Assess
    const report = await getJson<FileReport>(s3, stack.bucket, reportKeyOf(key, (put.ETag ?? '').replace(/"/g, '')));
    expect(report?.status).toBe('processed');
    expect(report?.rows).toMatchObject({ total: 400, accepted: 400 });
    const calls = stack.comprehend.calls();
    const started = calls.filter((c) => c.operation === 'StartSentimentDetectionJob').map((c) => c.languageCode);
    expect(started.sort()).toEqual(['en', 'zh']);
    expect(calls.filter((c) => c.operation === 'StartKeyPhrasesDetectionJob')).toHaveLength(2);
    expect(calls.some((c) => c.operation === 'DescribeSentimentDetectionJob')).toBe(true);
    expect(calls.filter((c) => c.operation === 'BatchDetectSentiment')).toHaveLength(0);
    expect(report?.comprehend.calls).toBe(0);
    expect(report?.comprehend.units).toBeGreaterThan(0);
    const { positive, negative, neutral, mixed } = report?.sentiment ?? {
      positive: 0,
      negative: 0,
      neutral: 0,
      mixed: 0,
    };
    expect(positive + negative + neutral + mixed).toBe(400);
    const processed = stack.events().filter((e) => e['detail-type'] === 'Feedback File Processed');
    expect(processed).toHaveLength(1);
    // The job files are where the data-access role may reach them: input under its prefix, output under its own.
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: COMPREHEND_JOBS.rootPrefix }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.filter((k) => k.startsWith(COMPREHEND_JOBS.inputPrefix))).toHaveLength(2);
    expect(
      keys.filter((k) => k.startsWith(COMPREHEND_JOBS.outputPrefix) && k.endsWith('/output/output.tar.gz')),
    ).toHaveLength(4);
  });
});
