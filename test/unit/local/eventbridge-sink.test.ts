import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EventBridgeSink, startEventBridgeSink } from '../../../local/eventbridge-sink.js';

const entry = (n: number, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'feedback',
  Source: 'feedback.pipeline',
  DetailType: 'Feedback File Processed',
  Detail: JSON.stringify({ version: '1', n }),
  ...overrides,
});

describe('local EventBridge sink', () => {
  let sink: EventBridgeSink;
  let events: EventBridgeClient;

  beforeAll(async () => {
    sink = await startEventBridgeSink({ region: 'eu-central-1', accountId: '000000000000', eventBuses: ['feedback'] });
    events = new EventBridgeClient({
      endpoint: sink.url,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
  });

  beforeEach(() => sink.clear());

  afterAll(async () => {
    events.destroy();
    await sink.close();
  });

  it('records accepted events in the envelope subscribers receive', async () => {
    // Act
    const result = await events.send(
      new PutEventsCommand({ Entries: [entry(1), entry(2, { Time: new Date('2026-03-04T05:06:07Z') })] }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.map((e) => e.EventId)).toEqual(sink.events().map((e) => e.id));
    expect(sink.events()).toMatchObject([
      {
        version: '0',
        source: 'feedback.pipeline',
        'detail-type': 'Feedback File Processed',
        account: '000000000000',
        region: 'eu-central-1',
        detail: { version: '1', n: 1 },
        eventBusName: 'feedback',
      },
      { detail: { n: 2 }, time: '2026-03-04T05:06:07Z' },
    ]);
  });

  it('fails invalid entries one by one, in request order, and keeps the valid ones', async () => {
    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          entry(1),
          entry(2, { Detail: '{not json' }),
          entry(3, { Detail: '[1,2]' }),
          entry(4, { Source: undefined }),
          entry(5, { Source: 'aws.s3' }),
          entry(6, { EventBusName: 'nope' }),
          entry(7, { DetailType: 'x'.repeat(129) }),
          entry(8, { EventBusName: 'arn:aws:events:eu-central-1:000000000000:event-bus/feedback' }),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(6);
    expect(result.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'NotAuthorizedForSourceException',
      'ResourceNotFoundException',
      'InvalidArgument',
      'ok',
    ]);
    expect(sink.events().map((e) => e.detail.n)).toEqual([1, 8]);
  });

  it.each([
    ['no entries', []],
    ['more than 10 entries', Array.from({ length: 11 }, (_, i) => entry(i))],
    ['entries over 256 KB', [entry(1, { Detail: JSON.stringify({ pad: 'x'.repeat(256 * 1024) }) })]],
    ['no entry with Source, DetailType and Detail', [entry(1, { Detail: undefined })]],
  ])('rejects the whole request with %s', async (_name, entries) => {
    // Act & Assess
    await expect(events.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(sink.events()).toHaveLength(0);
  });

  it('fails the planned entries with a retryable code, once, so only those need resending', async () => {
    // Prepare
    sink.injectPutEventsFailures({ indexes: [1, 3], errorCode: 'ThrottlingException' });
    const batch = [entry(0), entry(1), entry(2), entry(3)];

    // Act
    const first = await events.send(new PutEventsCommand({ Entries: batch }));
    const failed = batch.filter((_, i) => first.Entries?.[i]?.ErrorCode !== undefined);
    const retry = await events.send(new PutEventsCommand({ Entries: failed }));

    // Assess
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries?.[1]).toMatchObject({ ErrorCode: 'ThrottlingException' });
    expect(retry.FailedEntryCount).toBe(0);
    expect(
      sink
        .events()
        .map((e) => e.detail.n)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });

  it('applies a content-matching plan to several requests', async () => {
    // Prepare
    sink.injectPutEventsFailures({ match: (e) => e.Detail?.includes('"n":1') ?? false, requests: 2 });

    // Act
    const results = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      results.push(await events.send(new PutEventsCommand({ Entries: [entry(1)] })));
    }

    // Assess
    expect(results.map((r) => r.Entries?.[0]?.ErrorCode ?? 'ok')).toEqual(['InternalFailure', 'InternalFailure', 'ok']);
    expect(sink.events()).toHaveLength(1);
  });

  it('creates and describes event buses', async () => {
    // Act
    const created = await events.send(new CreateEventBusCommand({ Name: 'extra' }));
    const described = await events.send(new DescribeEventBusCommand({ Name: 'extra' }));
    const put = await events.send(new PutEventsCommand({ Entries: [entry(1, { EventBusName: 'extra' })] }));

    // Assess
    expect(created.EventBusArn).toBe('arn:aws:events:eu-central-1:000000000000:event-bus/extra');
    expect(described.Name).toBe('extra');
    expect(put.FailedEntryCount).toBe(0);
  });
});
