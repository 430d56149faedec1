import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../local/sqs-server.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('local SQS server', () => {
  let server: SqsServer;
  let sqs: SQSClient;
  let queueCounter = 0;

  beforeAll(async () => {
    server = await startSqsServer({ region: 'us-east-1', accountId: '000000000000' });
    sqs = new SQSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    sqs.destroy();
    await server.close();
  });

  async function newQueue(attributes: Record<string, string> = {}): Promise<string> {
    queueCounter++;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `q${queueCounter}`, Attributes: attributes }),
    );
    if (QueueUrl === undefined) throw new Error('no QueueUrl');
    return QueueUrl;
  }

  async function receive(QueueUrl: string, extra: { VisibilityTimeout?: number; MaxNumberOfMessages?: number } = {}) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...extra,
      }),
    );
    return Messages;
  }

  it('creates queues idempotently and resolves them by name', async () => {
    // Prepare
    const url = await newQueue();
    const name = url.split('/').pop();

    // Act
    const again = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const byName = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));

    // Assess
    expect(url).toBe(`${server.url}/000000000000/${name}`);
    expect(again.QueueUrl).toBe(url);
    expect(byName.QueueUrl).toBe(url);
  });

  it('reports a missing queue as QueueDoesNotExist', async () => {
    // Act & Assess
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/missing`, MessageBody: 'x' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('sends and receives with MD5s and attributes the SDK verifies', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"hello":"世界"}',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'continuation' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    const [message] = await receive(QueueUrl);

    // Assess
    expect(sent.MessageId).toBeDefined();
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"hello":"世界"}',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
    });
    expect(message?.MessageAttributes?.kind?.StringValue).toBe('continuation');
    expect(Array.from(message?.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual([1, 2, 3]);
    expect(Number(message?.Attributes?.SentTimestamp)).toBeLessThanOrEqual(
      Number(message?.Attributes?.ApproximateFirstReceiveTimestamp),
    );
  });

  it('hides a received message for the visibility timeout, then redelivers it with a higher receive count', async () => {
    // Prepare
    const QueueUrl = await newQueue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));

    // Act
    const first = await receive(QueueUrl);
    const whileHidden = await receive(QueueUrl);
    await sleep(1100);
    const redelivered = await receive(QueueUrl);

    // Assess
    expect(first).toHaveLength(1);
    expect(whileHidden).toHaveLength(0);
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]?.MessageId).toBe(first[0]?.MessageId);
    expect(redelivered[0]?.ReceiptHandle).not.toBe(first[0]?.ReceiptHandle);
    expect(redelivered[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('deletes a message with its latest receipt handle and ignores a stale one', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    const [first] = await receive(QueueUrl, { VisibilityTimeout: 0 });
    const [second] = await receive(QueueUrl, { VisibilityTimeout: 30 });

    // Act
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first?.ReceiptHandle }));
    const afterStale = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second?.ReceiptHandle }));
    const afterDelete = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    // Assess
    expect(afterStale.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    expect(afterDelete.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('rejects a receipt handle it never issued', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act & Assess
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'bogus' }))).rejects.toBeInstanceOf(
      ReceiptHandleIsInvalid,
    );
  });

  it('makes a message visible again at once when its visibility is set to zero', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
    const [message] = await receive(QueueUrl);

    // Act
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const again = await receive(QueueUrl);

    // Assess
    expect(again.map((m) => m.MessageId)).toEqual([message?.MessageId]);
  });

  it('holds a delayed message back and counts it as delayed', async () => {
    // Prepare
    const QueueUrl = await newQueue();

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    const early = await receive(QueueUrl);
    const late = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3 }));

    // Assess
    expect(Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect(early).toHaveLength(0);
    expect(late.Messages?.map((m) => m.Body)).toEqual(['later']);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    // Prepare
    const dlqUrl = await newQueue();
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn;
    const QueueUrl = await newQueue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

    // Act
    const counts: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      for (const message of await receive(QueueUrl, { VisibilityTimeout: 0 })) {
        counts.push(message.Attributes?.ApproximateReceiveCount ?? '');
      }
    }
    const dead = await receive(dlqUrl);

    // Assess
    expect(counts).toEqual(['1', '2', '3']);
    expect(dead.map((m) => m.Body)).toEqual(['poison']);
    expect(dead[0]?.Attributes?.DeadLetterQueueSourceArn).toMatch(/:q\d+$/);
  });

  it('answers a long poll as soon as a message arrives', async () => {
    // Prepare
    const QueueUrl = await newQueue();
    const started = Date.now();

    // Act
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    await sleep(100);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake' }));
    const { Messages } = await polling;

    // Assess
    expect(Messages?.map((m) => m.Body)).toEqual(['wake']);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
