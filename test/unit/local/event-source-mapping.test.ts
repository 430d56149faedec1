import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EventSourceMapping,
  type SqsBatchHandler,
  startEventSourceMapping,
} from '../../../local/event-source-mapping.js';
import { type LocalQueue, QueueBroker } from '../../../local/sqs-queue.js';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function queues(maxReceiveCount = 3): { queue: LocalQueue; dlq: LocalQueue } {
  const broker = new QueueBroker('http://127.0.0.1:1', 'eu-central-1', '000000000000');
  const dlq = broker.create('dlq');
  const queue = broker.create('ingest', {
    visibilityTimeoutSeconds: 1800,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount },
  });
  return { queue, dlq };
}

describe('startEventSourceMapping', () => {
  let mapping: EventSourceMapping | undefined;
  const logs: string[] = [];

  afterEach(async () => {
    await mapping?.stop();
    mapping = undefined;
    logs.length = 0;
  });

  function attach(queue: LocalQueue, handler: SqsBatchHandler, failedVisibilityTimeoutSeconds = 0): EventSourceMapping {
    mapping = startEventSourceMapping({
      queue,
      handler,
      region: 'eu-central-1',
      accountId: '000000000000',
      functionName: 'ingest',
      batchSize: 5,
      batchingWindowMs: 50,
      functionTimeoutSeconds: 300,
      failedVisibilityTimeoutSeconds,
      concurrency: 1,
      log: (line) => logs.push(line),
    });
    return mapping;
  }

  it('invokes the handler with a Lambda SQS event and context, then deletes the batch', async () => {
    // Prepare
    const { queue } = queues();
    const calls: { event: SQSEvent; context: Context }[] = [];
    queue.send({ body: 'one', messageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } });
    queue.send({ body: 'two' });

    // Act
    const esm = attach(queue, async (event, context) => {
      calls.push({ event, context });
    });
    await until(() => esm.invocations() === 1);

    // Assess
    const [call] = calls;
    expect(call?.event.Records.map((r) => r.body)).toEqual(['one', 'two']);
    expect(call?.event.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:ingest',
      awsRegion: 'eu-central-1',
      md5OfBody: 'f97c5d29941bfb1b2fdab0874906ab82',
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'k', stringListValues: [], binaryListValues: [] } },
    });
    expect(call?.context.functionName).toBe('ingest');
    expect(call?.context.getRemainingTimeInMillis()).toBeGreaterThan(290_000);
    expect(call?.context.getRemainingTimeInMillis()).toBeLessThanOrEqual(300_000);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('retries only the messages reported in batchItemFailures, after the failed-visibility timeout', async () => {
    // Prepare
    const { queue } = queues();
    queue.send({ body: 'ok' });
    queue.send({ body: 'fail-once' });
    const seen: string[] = [];
    let failed = false;

    // Act
    const esm = attach(
      queue,
      async (event) => {
        seen.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        const failure = event.Records.find((r) => r.body === 'fail-once');
        if (failure === undefined || failed) return { batchItemFailures: [] };
        failed = true;
        return { batchItemFailures: [{ itemIdentifier: failure.messageId }] };
      },
      1,
    );
    await until(() => esm.invocations() === 1);
    const hiddenAfterFailure = queue.counts();
    await until(() => esm.invocations() === 2);

    // Assess
    expect(hiddenAfterFailure).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(seen).toEqual(['ok#1', 'fail-once#1', 'fail-once#2']);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it.each([
    ['throws', async () => Promise.reject(new Error('boom'))],
    ['reports an unknown itemIdentifier', async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
    ['reports an empty itemIdentifier', async () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
  ])('retries the whole batch when the handler %s, until the DLQ takes it', async (_name, handler: SqsBatchHandler) => {
    // Prepare
    const { queue, dlq } = queues(3);
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });

    // Act
    attach(queue, handler);
    await until(() => dlq.counts().visible === 2);

    // Assess
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(
      dlq
        .peek()
        .map((m) => m.body)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(logs.some((line) => line.includes('whole batch') || line.includes('invocation failed'))).toBe(true);
  });
});
