import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A message attribute as SQS's JSON protocol carries it (`BinaryValue` base64). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** A message as the queue holds it. */
export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  sentTimestamp: number;
  senderId: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  visibleAt: number;
  /** The handle from the latest receive; only that one deletes the message (older ones are silently ignored). */
  receiptHandle?: string;
  /** Set when the redrive policy moved the message here from another queue. */
  deadLetterQueueSourceArn?: string;
  /** Receives on the source queue before the move. */
  sourceReceiveCount?: number;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  delaySeconds: number;
  receiveMessageWaitTimeSeconds: number;
  messageRetentionPeriodSeconds: number;
  maximumMessageSize: number;
  redrivePolicy?: RedrivePolicy;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** Raised by queue operations; the server turns `code` into the matching SQS error. */
export class SqsQueueError extends Error {
  override name = 'SqsQueueError';
  constructor(
    readonly code:
      | 'QueueDoesNotExist'
      | 'ReceiptHandleIsInvalid'
      | 'MessageNotInflight'
      | 'InvalidParameterValue'
      | 'QueueNameExists',
    message: string,
  ) {
    super(message);
  }
}

/** SQS standard-queue defaults (AWS SQS developer guide, quotas). */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  visibilityTimeoutSeconds: 30,
  delaySeconds: 0,
  receiveMessageWaitTimeSeconds: 0,
  messageRetentionPeriodSeconds: 345_600,
  maximumMessageSize: 1_048_576,
};

const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
const MAX_DELAY_SECONDS = 900;
const LOCAL_SENDER_ID = 'AIDALOCALSQSSENDER0000';

/** An in-memory SQS standard queue. Time comes from an injectable clock so tests can control it. */
export class LocalQueue {
  readonly createdTimestamp: number;
  private readonly messages: StoredMessage[] = [];
  private readonly issuedHandles = new Map<string, string>();
  private waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    public settings: QueueSettings,
    private readonly broker: QueueBroker,
  ) {
    this.createdTimestamp = broker.now();
  }

  /** Enqueues a message; `delaySeconds` defaults to the queue's DelaySeconds. */
  send(input: {
    body: string;
    delaySeconds?: number;
    messageAttributes?: Record<string, MessageAttributeValue>;
  }): StoredMessage {
    const delay = input.delaySeconds ?? this.settings.delaySeconds;
    checkRange('DelaySeconds', delay, 0, MAX_DELAY_SECONDS);
    if (input.body.length === 0) {
      throw new SqsQueueError('InvalidParameterValue', 'The request must contain the parameter MessageBody.');
    }
    const attributes = input.messageAttributes ?? {};
    validateMessageAttributes(attributes);
    const size = Buffer.byteLength(input.body, 'utf8') + messageAttributesSize(attributes);
    if (size > this.settings.maximumMessageSize) {
      throw new SqsQueueError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${this.settings.maximumMessageSize} bytes.`,
      );
    }
    const now = this.broker.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      messageAttributes: attributes,
      sentTimestamp: now,
      senderId: LOCAL_SENDER_ID,
      receiveCount: 0,
      visibleAt: now + delay * 1000,
    };
    const attributesMd5 = md5OfMessageAttributes(attributes);
    if (attributesMd5 !== undefined) message.md5OfMessageAttributes = attributesMd5;
    this.push(message);
    return message;
  }

  /**
   * Receives up to `maxMessages` visible messages and hides them for the visibility timeout. A message that has
   * already been received `maxReceiveCount` times moves to the dead-letter queue instead, as SQS's redrive does.
   */
  receive(input: { maxMessages?: number; visibilityTimeoutSeconds?: number } = {}): StoredMessage[] {
    const max = input.maxMessages ?? 1;
    checkRange('MaxNumberOfMessages', max, 1, 10);
    const timeout = input.visibilityTimeoutSeconds ?? this.settings.visibilityTimeoutSeconds;
    checkRange('VisibilityTimeout', timeout, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const now = this.broker.now();
    const received: StoredMessage[] = [];
    for (let index = 0; index < this.messages.length && received.length < max; ) {
      const message = this.messages[index];
      if (message === undefined || message.visibleAt > now) {
        index++;
        continue;
      }
      const deadLetterQueue = this.deadLetterQueue();
      if (
        deadLetterQueue !== undefined &&
        this.settings.redrivePolicy !== undefined &&
        message.receiveCount >= this.settings.redrivePolicy.maxReceiveCount
      ) {
        this.messages.splice(index, 1);
        this.forgetHandles(message.messageId);
        deadLetterQueue.acceptDeadLetter(message, this.arn);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + timeout * 1000;
      message.receiptHandle = newReceiptHandle(message.messageId);
      this.issuedHandles.set(message.receiptHandle, message.messageId);
      received.push(message);
      index++;
    }
    return received;
  }

  /** Deletes the message this handle was issued for, if the handle is still the latest one for it. */
  delete(receiptHandle: string): void {
    const messageId = this.issuedHandles.get(receiptHandle);
    if (messageId === undefined) {
      throw new SqsQueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not valid.`);
    }
    const index = this.messages.findIndex((m) => m.messageId === messageId && m.receiptHandle === receiptHandle);
    if (index < 0) return;
    this.messages.splice(index, 1);
    this.forgetHandles(messageId);
  }

  /** Changes the visibility timeout of an in-flight message, counted from now. */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    checkRange('VisibilityTimeout', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const messageId = this.issuedHandles.get(receiptHandle);
    if (messageId === undefined) {
      throw new SqsQueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not valid.`);
    }
    const message = this.messages.find((m) => m.messageId === messageId);
    const now = this.broker.now();
    if (message === undefined || message.receiveCount === 0 || message.visibleAt <= now) {
      throw new SqsQueueError(
        'MessageNotInflight',
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    message.visibleAt = now + visibilityTimeoutSeconds * 1000;
    if (visibilityTimeoutSeconds === 0) this.notify();
  }

  counts(): QueueCounts {
    const now = this.broker.now();
    const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages) {
      if (message.visibleAt <= now) counts.visible++;
      else if (message.receiveCount > 0) counts.inFlight++;
      else counts.delayed++;
    }
    return counts;
  }

  /** Every message the queue holds, in or out of flight (copies; for tests and `deadLetters()`). */
  peek(): StoredMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  /**
   * Resolves when a message may be receivable: on a send, when the earliest hidden message becomes visible, or
   * at `deadline` (epoch ms), whichever comes first.
   */
  waitForMessages(deadline: number): Promise<void> {
    const now = this.broker.now();
    if (this.counts().visible > 0 || deadline <= now) return Promise.resolve();
    const nextVisible = this.messages.reduce((min, m) => Math.min(min, m.visibleAt), Number.POSITIVE_INFINITY);
    const wakeAt = Math.min(deadline, nextVisible);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, wakeAt - now));
      this.waiters.add(done);
    });
  }

  /** Wakes every long poll (used on send and on shutdown). */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  private acceptDeadLetter(message: StoredMessage, sourceArn: string): void {
    const { receiptHandle: _handle, firstReceiveTimestamp: _first, ...rest } = message;
    this.push({
      ...rest,
      receiveCount: 0,
      visibleAt: this.broker.now(),
      deadLetterQueueSourceArn: sourceArn,
      sourceReceiveCount: message.receiveCount,
    });
  }

  private deadLetterQueue(): LocalQueue | undefined {
    const arn = this.settings.redrivePolicy?.deadLetterTargetArn;
    return arn === undefined ? undefined : this.broker.byArn(arn);
  }

  private push(message: StoredMessage): void {
    this.messages.push(message);
    this.notify();
  }

  private forgetHandles(messageId: string): void {
    for (const [handle, id] of this.issuedHandles) if (id === messageId) this.issuedHandles.delete(handle);
  }
}

/** The queues of one local SQS endpoint. */
export class QueueBroker {
  private readonly queues = new Map<string, LocalQueue>();

  constructor(
    readonly baseUrl: string,
    readonly region: string,
    readonly accountId: string,
    readonly now: () => number = Date.now,
  ) {}

  /** Creates a queue, or returns the existing one when the settings match (as CreateQueue does). */
  create(name: string, settings: Partial<QueueSettings> = {}): LocalQueue {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new SqsQueueError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const merged: QueueSettings = { ...DEFAULT_QUEUE_SETTINGS, ...settings };
    const existing = this.queues.get(name);
    if (existing !== undefined) {
      if (JSON.stringify(existing.settings) !== JSON.stringify(merged) && Object.keys(settings).length > 0) {
        throw new SqsQueueError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attributes`,
        );
      }
      return existing;
    }
    const queue = new LocalQueue(
      name,
      `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      `${this.baseUrl}/${this.accountId}/${name}`,
      merged,
      this,
    );
    this.queues.set(name, queue);
    return queue;
  }

  byName(name: string): LocalQueue | undefined {
    return this.queues.get(name);
  }

  byArn(arn: string): LocalQueue | undefined {
    const name = arn.split(':').pop();
    const queue = name === undefined ? undefined : this.queues.get(name);
    return queue?.arn === arn ? queue : undefined;
  }

  /** Resolves a QueueUrl as SQS does: by account and name in the path, whatever the host. */
  byUrl(url: string): LocalQueue {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url;
    }
    const [accountId, name] = path.split('/').filter((part) => part.length > 0);
    const queue = name === undefined ? undefined : this.queues.get(name);
    if (queue === undefined || accountId !== this.accountId) {
      throw new SqsQueueError('QueueDoesNotExist', 'The specified queue does not exist.');
    }
    return queue;
  }

  /** Wakes every pending long poll so servers and pollers can shut down. */
  close(): void {
    for (const queue of this.queues.values()) queue.notify();
  }
}

export function md5Hex(value: string | Buffer): string {
  return createHash('md5').update(value).digest('hex');
}

/**
 * MD5 of message attributes as SQS computes it: for each attribute in name order, length-prefixed (4-byte
 * big-endian) name, data type, a transport byte (1 string, 2 binary) and the length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

function validateMessageAttributes(attributes: Record<string, MessageAttributeValue>): void {
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw new SqsQueueError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`,
    );
  }
  for (const name of names) {
    const attribute = attributes[name];
    if (
      attribute === undefined ||
      typeof attribute.DataType !== 'string' ||
      !/^(String|Number|Binary)(\..+)?$/.test(attribute.DataType)
    ) {
      throw new SqsQueueError(
        'InvalidParameterValue',
        `The message attribute '${name}' has an invalid message attribute type.`,
      );
    }
    const isBinary = attribute.DataType.startsWith('Binary');
    if ((isBinary && attribute.BinaryValue === undefined) || (!isBinary && attribute.StringValue === undefined)) {
      throw new SqsQueueError(
        'InvalidParameterValue',
        `The message attribute '${name}' must contain a non-empty value of message attribute type '${attribute.DataType}'.`,
      );
    }
  }
}

function messageAttributesSize(attributes: Record<string, MessageAttributeValue>): number {
  let size = 0;
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    size +=
      attribute.BinaryValue !== undefined
        ? Buffer.from(attribute.BinaryValue, 'base64').length
        : Buffer.byteLength(attribute.StringValue ?? '');
  }
  return size;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SqsQueueError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`,
    );
  }
}

function newReceiptHandle(messageId: string): string {
  return Buffer.from(`${messageId}#${randomBytes(12).toString('hex')}`, 'utf8').toString('base64');
}
