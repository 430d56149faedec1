import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from '../../local/stack.js';
import { LOCAL_NAMES, TABLE_SCHEMA } from '../../shared/config/resources.js';

const KEY = 'incoming/test/a file+名字.csv';
const CONTENT = 'id,text\n1,很好\n';

/** Command lines of this process's children (`ps` exits 1 when there are none). */
function childCommands(): string[] {
  const result = spawnSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => line.trim().length > 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function s3Client(stack: LocalStack): S3Client {
  return new S3Client({
    endpoint: stack.endpoints.s3,
    region: stack.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: LOCAL_CREDENTIALS,
  });
}

function dynamoClient(stack: LocalStack): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: stack.endpoints.dynamodb,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
}

describe('local stack', () => {
  let stack: LocalStack;
  let s3: S3Client;
  const logs: string[] = [];
  const received: SQSRecord[] = [];
  const objectBodies = new Map<string, string>();

  beforeAll(async () => {
    stack = await startLocalStack({ log: (line) => logs.push(line), failedVisibilityTimeoutSeconds: 0 });
    s3 = s3Client(stack);
    const sqs = new SQSClient({
      endpoint: stack.env.AWS_ENDPOINT_URL_SQS,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    });
    // A tiny handler in the production shape: skip the test event, decode keys, read the object, continue via SQS.
    stack.attachIngestHandler(async (event) => {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        received.push(record);
        const body: unknown = JSON.parse(record.body);
        if (typeof body === 'object' && body !== null && 'Event' in body && body.Event === 's3:TestEvent') continue;
        if (typeof body === 'object' && body !== null && 'poison' in body) {
          failures.push({ itemIdentifier: record.messageId });
          continue;
        }
        if (typeof body === 'object' && body !== null && 'continuation' in body) continue;
        for (const s3Record of (body as S3Event).Records) {
          const key = decodeURIComponent(s3Record.s3.object.key.replace(/\+/g, ' '));
          const object = await s3.send(new GetObjectCommand({ Bucket: s3Record.s3.bucket.name, Key: key }));
          objectBodies.set(key, (await object.Body?.transformToString('utf8')) ?? '');
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: stack.env.QUEUE_URL,
              MessageBody: JSON.stringify({ continuation: key }),
            }),
          );
        }
      }
      return { batchItemFailures: failures };
    });
  });

  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  it('delivers an upload under incoming/ to the handler as S3 would, key URL-encoded', async () => {
    // Act
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: KEY, Body: CONTENT }));
    await stack.waitForIdle({ timeoutMs: 20_000 });

    // Assess
    const s3Records = received.map((r) => JSON.parse(r.body) as Partial<S3Event>).flatMap((body) => body.Records ?? []);
    expect(s3Records).toHaveLength(1);
    expect(s3Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: stack.region,
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: LOCAL_NAMES.bucket, arn: `arn:aws:s3:::${LOCAL_NAMES.bucket}` },
        object: { key: 'incoming/test/a+file%2B%E5%90%8D%E5%AD%97.csv', size: Buffer.byteLength(CONTENT) },
      },
    });
    expect(objectBodies.get(KEY)).toBe(CONTENT);
    expect(received[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: expect.stringMatching(/:feedback-ingest-queue$/),
    });
  });

  it('sends the s3:TestEvent once and takes continuation messages sent through the SQS API', () => {
    // Assess
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.filter((b) => b.Event === 's3:TestEvent')).toHaveLength(1);
    expect(bodies.filter((b) => b.continuation === KEY)).toHaveLength(1);
  });

  it('does not notify for keys outside incoming/', async () => {
    // Prepare
    const before = received.length;

    // Act
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'reports/test/x.json', Body: '{}' }));
    await stack.waitForIdle();

    // Assess
    expect(received.length).toBe(before);
  });

  it('notifies a copy into incoming/ with the ETag S3 would send', async () => {
    // Prepare (s3rver decodes x-amz-copy-source with decodeURI, so the source key stays plain)
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'reports/test/source.csv', Body: CONTENT }));

    // Act
    await s3.send(
      new CopyObjectCommand({
        Bucket: stack.bucket,
        CopySource: `${stack.bucket}/reports/test/source.csv`,
        Key: 'incoming/test/copied file.csv',
      }),
    );
    await stack.waitForIdle({ timeoutMs: 20_000 });

    // Assess
    const copies = received
      .flatMap((r) => (JSON.parse(r.body) as Partial<S3Event>).Records ?? [])
      .filter((r) => r.eventName === 'ObjectCreated:Copy');
    expect(copies).toMatchObject([
      { s3: { object: { key: 'incoming/test/copied+file.csv', eTag: expect.stringMatching(/^[0-9a-f]{32}$/) } } },
    ]);
    expect(objectBodies.get('incoming/test/copied file.csv')).toBe(CONTENT);
  });

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives', async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.endpoints.sqs, region: stack.region, credentials: LOCAL_CREDENTIALS });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: '{"poison":true}' }));
    await stack.waitForIdle({ timeoutMs: 20_000 });

    // Assess
    expect(stack.deadLetters()).toMatchObject([{ body: '{"poison":true}', receiveCount: 5 }]);
    sqs.destroy();
  });

  it('has the table from the shared schema in DynamoDB Local', async () => {
    // Prepare
    const dynamo = dynamoClient(stack);

    // Act
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: stack.env.TABLE_NAME }));

    // Assess
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ]);
    dynamo.destroy();
  });

  it('records PutEvents on the local bus', async () => {
    // Prepare
    const events = new EventBridgeClient({
      endpoint: stack.endpoints.events,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    });

    // Act
    await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.env.EVENT_BUS_NAME,
            Source: 'feedback.pipeline',
            DetailType: 'Test',
            Detail: '{"version":"1"}',
          },
        ],
      }),
    );

    // Assess
    expect(stack.events()).toMatchObject([
      { 'detail-type': 'Test', detail: { version: '1' }, eventBusName: LOCAL_NAMES.eventBus },
    ]);
    events.destroy();
  });

  it('keeps sent e-mail in aws-ses-v2-local', async () => {
    // Prepare
    const ses = new SESv2Client({
      endpoint: stack.endpoints.ses,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
    });

    // Act
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: stack.env.SES_FROM,
        Destination: { ToAddresses: ['cx-team@example.com'] },
        Content: { Simple: { Subject: { Data: 'Digest' }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    const store = (await (await fetch(`${stack.endpoints.ses}/store`)).json()) as { emails: { subject: string }[] };

    // Assess
    expect(store.emails.map((e) => e.subject)).toContain('Digest');
    ses.destroy();
  });

  it('lets SDK clients built with no settings reach every service through env alone', async () => {
    // Prepare
    const queueUrlBefore = process.env.QUEUE_URL;
    const restore = stack.applyEnv();
    try {
      const clients = {
        s3: new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }),
        sqs: new SQSClient({}),
        dynamo: new DynamoDBClient({}),
        events: new EventBridgeClient({}),
        ses: new SESv2Client({}),
      };

      // Act
      await clients.s3.send(
        new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: 'reports/env.json', Body: '{}' }),
      );
      const sent = await clients.sqs.send(
        new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: '{"continuation":"env"}' }),
      );
      const table = await clients.dynamo.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
      const put = await clients.events.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: process.env.EVENT_BUS_NAME, Source: 'feedback.pipeline', DetailType: 'Env', Detail: '{}' },
          ],
        }),
      );
      const mail = await clients.ses.send(
        new SendEmailCommand({
          FromEmailAddress: process.env.SES_FROM,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: 'Env' }, Body: { Text: { Data: '.' } } } },
        }),
      );
      await stack.waitForIdle();

      // Assess
      expect(sent.MessageId).toBeDefined();
      expect(table.Table?.TableName).toBe(LOCAL_NAMES.table);
      expect(put.FailedEntryCount).toBe(0);
      expect(mail.MessageId).toBeDefined();
      for (const client of Object.values(clients)) client.destroy();
    } finally {
      restore();
    }
    expect(process.env.QUEUE_URL).toBe(queueUrlBefore);
  });

  it('stops every server and the DynamoDB Local process', async () => {
    // Prepare
    const pid = stack.dynamoDbPid;
    expect(isAlive(pid)).toBe(true);

    // Act
    await stack.stop();

    // Assess
    expect(isAlive(pid)).toBe(false);
    await expect.poll(() => childCommands().filter((line) => /DynamoDBLocal|kill -0/.test(line))).toEqual([]);
    for (const url of [
      stack.endpoints.s3,
      stack.endpoints.sqs,
      stack.endpoints.events,
      stack.endpoints.ses,
      stack.endpoints.comprehend,
    ]) {
      await expect(fetch(url, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }
  });
});

describe('local stack with a state directory', () => {
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'feedback-state-'));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps S3 objects, DynamoDB items and recorded events across runs', async () => {
    // Prepare
    const first = await startLocalStack({ stateDir, log: () => undefined, sendTestEvent: false });
    const firstS3 = s3Client(first);
    const firstDynamo = dynamoClient(first);
    await firstS3.send(new PutObjectCommand({ Bucket: first.bucket, Key: 'reports/kept.json', Body: '{"kept":true}' }));
    await firstDynamo.send(
      new PutItemCommand({ TableName: first.table, Item: { pk: { S: 'FILE#1' }, sk: { S: 'META' } } }),
    );
    await new EventBridgeClient({
      endpoint: first.endpoints.events,
      region: first.region,
      credentials: LOCAL_CREDENTIALS,
    }).send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: LOCAL_NAMES.eventBus, Source: 'feedback.pipeline', DetailType: 'Kept', Detail: '{}' },
        ],
      }),
    );
    firstS3.destroy();
    firstDynamo.destroy();
    await first.stop();

    // Act
    const second = await startLocalStack({ stateDir, log: () => undefined, sendTestEvent: false });
    try {
      const secondS3 = s3Client(second);
      const secondDynamo = dynamoClient(second);
      const object = await secondS3.send(new GetObjectCommand({ Bucket: second.bucket, Key: 'reports/kept.json' }));
      const item = await secondDynamo.send(
        new GetItemCommand({ TableName: second.table, Key: { pk: { S: 'FILE#1' }, sk: { S: 'META' } } }),
      );
      const journal = await readFile(join(stateDir, 'events.jsonl'), 'utf8');

      // Assess
      expect(await object.Body?.transformToString()).toBe('{"kept":true}');
      expect(item.Item).toBeDefined();
      expect(
        journal
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)['detail-type']),
      ).toEqual(['Kept']);
      secondS3.destroy();
      secondDynamo.destroy();
    } finally {
      await second.stop();
    }
  });
});
