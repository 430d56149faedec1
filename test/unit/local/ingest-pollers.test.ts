import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EventSourceMapping, startEventSourceMapping } from '../../../local/event-source-mapping.js';
import { QueueBroker } from '../../../local/sqs-queue.js';
import { ENV } from '../../../shared/config/env-names.js';

type IngestHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** S3's test event: the real handler accepts it without touching AWS. */
const GOOD = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'feedback' });
/** Not a queue message the handler knows: it fails that record alone. */
const BAD = 'not a notification';

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'ingest',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:ingest',
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/ingest',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 300_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function sqsEvent(prefix: string, bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `${prefix}-${i}`,
      receiptHandle: `${prefix}-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:ingest',
      awsRegion: 'eu-central-1',
    })),
  };
}

/** The ids of the failures an invocation reported. */
const failedIds = (response: SQSBatchResponse | undefined) =>
  (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier).sort();

describe('ingest handler under concurrent invocations (the local stack runs parallel pollers in one process)', () => {
  let handler: IngestHandler;

  beforeAll(async () => {
    // Prepare: the environment the local stack gives the handler (no AWS call is made for these messages).
    vi.stubEnv(ENV.bucketName, 'feedback-local');
    vi.stubEnv(ENV.tableName, 'feedback-local');
    vi.stubEnv(ENV.queueUrl, 'http://127.0.0.1:1/000000000000/ingest');
    vi.stubEnv(ENV.eventBusName, 'feedback-local');
    vi.stubEnv(ENV.businessTimeZone, 'Europe/Berlin');
    vi.stubEnv(ENV.hashKey, 'unit-test-hash-key-0123456789');
    vi.stubEnv(ENV.taxonomyFile, 'config/taxonomy.json');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    ({ handler } = (await import('../../../functions/ingest/index.js')) as unknown as { handler: IngestHandler });
  }, 60_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('reports only its own failed message ids when two invocations overlap', async () => {
    // Prepare: two batches, each with its own failures
    const a = sqsEvent('a', [GOOD, BAD, GOOD, BAD, GOOD]);
    const b = sqsEvent('b', [BAD, GOOD, GOOD, GOOD, BAD, BAD]);

    // Act
    const [ra, rb] = await Promise.all([handler(a, lambdaContext()), handler(b, lambdaContext())]);

    // Assess
    expect(failedIds(ra)).toEqual(['a-1', 'a-3']);
    expect(failedIds(rb)).toEqual(['b-0', 'b-4', 'b-5']);
  });

  it('settles every message through two parallel pollers without failing a whole batch', async () => {
    // Prepare: a queue whose bad messages go to the DLQ after two receives
    const broker = new QueueBroker('http://127.0.0.1:1', 'eu-central-1', '000000000000');
    const dlq = broker.create('ingest-dlq');
    const queue = broker.create('ingest', {
      visibilityTimeoutSeconds: 1800,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 },
    });
    const bodies = Array.from({ length: 40 }, (_, i) => (i % 4 === 1 ? BAD : GOOD));
    for (const body of bodies) queue.send({ body });
    const logs: string[] = [];
    const invocations: { bad: string[]; failed: string[] }[] = [];
    let inFlight = 0;
    let overlapped = false;
    let mapping: EventSourceMapping | undefined;

    // Act
    try {
      mapping = startEventSourceMapping({
        queue,
        handler: async (event, context) => {
          inFlight++;
          overlapped ||= inFlight > 1;
          try {
            const response = await handler(event, context);
            const bad = event.Records.filter((r) => r.body === BAD).map((r) => r.messageId);
            invocations.push({ bad: bad.sort(), failed: failedIds(response) });
            return response;
          } finally {
            inFlight--;
          }
        },
        region: 'eu-central-1',
        accountId: '000000000000',
        functionName: 'ingest',
        batchSize: 5,
        batchingWindowMs: 0,
        functionTimeoutSeconds: 300,
        failedVisibilityTimeoutSeconds: 0,
        concurrency: 2,
        log: (line) => logs.push(line),
      });
      await until(() => {
        const counts = queue.counts();
        return counts.visible + counts.inFlight === 0 && dlq.counts().visible === 10;
      });
    } finally {
      await mapping?.stop();
    }

    // Assess: the pollers did overlap; each invocation failed exactly its own bad messages; only those reached the DLQ
    expect(overlapped).toBe(true);
    expect(logs.filter((line) => line.includes('whole batch'))).toEqual([]);
    for (const { bad, failed } of invocations) expect(failed).toEqual(bad);
    expect(dlq.peek().map((m) => m.body)).toEqual(Array(10).fill(BAD));
  }, 30_000);
});
