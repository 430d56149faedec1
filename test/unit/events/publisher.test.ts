import { readFile } from 'node:fs/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EventBridgeSink, startEventBridgeSink } from '../../../local/eventbridge-sink.js';
import { EVENTS } from '../../../shared/config/resources.js';
import { eventSchemaDocuments } from '../../../shared/events/json-schemas.js';
import {
  EventPublishError,
  EventValidationError,
  type PendingEvent,
  publishEvents,
} from '../../../shared/events/publisher.js';

function detractor(i: number): PendingEvent {
  return {
    detailType: EVENTS.detailTypes.detractor,
    detail: {
      version: EVENTS.version,
      eventId: `detractor-${i}`,
      fingerprint: `fp-${i}`,
      text: 'Support never answered [EMAIL]',
      nps: 3,
      submittedAt: '2026-11-03T10:00:00.000Z',
      day: '2026-11-03',
      segment: { channel: 'email' },
      source: { bucket: 'b', key: 'incoming/x/a.csv', row: i + 1 },
    },
  };
}

const noSleep = async () => undefined;

describe('publishEvents against the local EventBridge sink', () => {
  let sink: EventBridgeSink;
  let client: EventBridgeClient;

  beforeAll(async () => {
    sink = await startEventBridgeSink({ region: 'us-east-1', accountId: '000000000000', eventBuses: ['bus'] });
    client = new EventBridgeClient({
      endpoint: sink.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(() => sink.close());
  beforeEach(() => sink.clear());

  it('sends 23 events as requests of at most 10 entries', async () => {
    const calls = sink.putEventsCalls();
    const published = await publishEvents(
      Array.from({ length: 23 }, (_, i) => detractor(i)),
      { client, busName: 'bus', source: EVENTS.defaultSource, sleep: noSleep },
    );
    expect(published).toBe(23);
    expect(sink.putEventsCalls() - calls).toBe(3);
    expect(sink.events().map((e) => e.detail.eventId)).toEqual(Array.from({ length: 23 }, (_, i) => `detractor-${i}`));
  });

  it('re-sends only the entries PutEvents reported as failed', async () => {
    // Prepare: entries 2 and 7 of the first request fail once.
    sink.injectPutEventsFailures({ indexes: [2, 7], errorCode: 'ThrottlingException', requests: 1 });
    const calls = sink.putEventsCalls();
    // Act
    await publishEvents(
      Array.from({ length: 10 }, (_, i) => detractor(i)),
      { client, busName: 'bus', source: EVENTS.defaultSource, sleep: noSleep },
    );
    // Assess: one retry request carrying exactly the two failed entries; every event recorded once.
    expect(sink.putEventsCalls() - calls).toBe(2);
    const ids = sink.events().map((e) => e.detail.eventId);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    expect(ids.slice(-2)).toEqual(['detractor-2', 'detractor-7']);
  });
});

describe('publishEvents (fault injection with aws-sdk-client-mock)', () => {
  let mock: ReturnType<typeof mockClient>;
  beforeAll(() => {
    mock = mockClient(EventBridgeClient);
  });
  afterAll(() => mock.restore());
  beforeEach(() => mock.reset());

  it('retries a retryable failed entry and gives up with the entries that still fail', async () => {
    // Entry "detractor-1" fails every time; everything else goes through.
    mock.on(PutEventsCommand).callsFake((input: { Entries: { Detail?: string }[] }) => {
      const entries = input.Entries.map((e) =>
        e.Detail?.includes('"detractor-1"')
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }
          : { EventId: 'ok' },
      );
      return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
    });
    const client = new EventBridgeClient({});
    const error = await publishEvents([detractor(0), detractor(1)], {
      client,
      busName: 'bus',
      source: 's',
      sleep: noSleep,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failed).toEqual([
      { detailType: EVENTS.detailTypes.detractor, code: 'InternalFailure', message: 'boom' },
    ]);
    const sent = mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sent).toEqual([2, 1, 1]);
  });

  it('does not retry entries rejected for a non-retryable reason', async () => {
    mock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }] });
    await expect(
      publishEvents([detractor(0)], { client: new EventBridgeClient({}), busName: 'bus', source: 's', sleep: noSleep }),
    ).rejects.toBeInstanceOf(EventPublishError);
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('refuses an event that does not match its schema before sending anything', async () => {
    const bad = detractor(0);
    bad.detail.nps = 12;
    await expect(
      publishEvents([bad], { client: new EventBridgeClient({}), busName: 'bus', source: 's', sleep: noSleep }),
    ).rejects.toBeInstanceOf(EventValidationError);
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});

describe('schemas/events', () => {
  it.each(eventSchemaDocuments())('holds the current JSON Schema of $detailType', async ({ fileName, document }) => {
    const onDisk = JSON.parse(await readFile(new URL(`../../../schemas/events/${fileName}`, import.meta.url), 'utf8'));
    expect(onDisk, 'run `npm run schemas` after changing shared/events/contract.ts').toEqual(document);
  });
});
