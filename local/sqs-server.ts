import { AwsJsonError, type AwsJsonOperation, isRecord, LOOPBACK, startAwsJsonServer } from './aws-json-server.js';
import {
  type LocalQueue,
  type MessageAttributeValue,
  QueueBroker,
  type QueueSettings,
  SqsQueueError,
  type StoredMessage,
} from './sqs-queue.js';

export interface SqsServerOptions {
  host?: string;
  port?: number;
  region: string;
  accountId: string;
  log?: (line: string) => void;
}

export interface SqsServer {
  url: string;
  port: number;
  /** The queues, for in-process access (the S3 notifier and the event source mapping use it directly). */
  broker: QueueBroker;
  close(): Promise<void>;
}

/** Query-protocol error codes SQS reports in `x-amzn-query-error` (the SDK maps them back to its error classes). */
const QUERY_ERROR_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  QueueNameExists: 'QueueAlreadyExists',
};

function sqsError(code: string, message: string): AwsJsonError {
  return new AwsJsonError(`com.amazonaws.sqs#${code}`, message, 400, `${QUERY_ERROR_CODES[code] ?? code};Sender`);
}

const SETTING_ATTRIBUTES: Record<string, keyof Omit<QueueSettings, 'redrivePolicy'>> = {
  VisibilityTimeout: 'visibilityTimeoutSeconds',
  DelaySeconds: 'delaySeconds',
  ReceiveMessageWaitTimeSeconds: 'receiveMessageWaitTimeSeconds',
  MessageRetentionPeriod: 'messageRetentionPeriodSeconds',
  MaximumMessageSize: 'maximumMessageSize',
};

const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SentTimestamp',
  'SenderId',
  'DeadLetterQueueSourceArn',
] as const;

/**
 * A local SQS endpoint speaking the AWS JSON 1.0 protocol the SDK v3 uses (`X-Amz-Target: AmazonSQS.<Op>`), with
 * standard-queue semantics: visibility timeouts, redelivery, delays, long polling and redrive to a dead-letter queue.
 */
export async function startSqsServer(options: SqsServerOptions): Promise<SqsServer> {
  const host = options.host ?? LOOPBACK;
  let broker: QueueBroker | undefined;
  const getBroker = (): QueueBroker => {
    if (broker === undefined) throw sqsError('ServiceUnavailable', 'Server starting');
    return broker;
  };
  const queue = (input: Record<string, unknown>): LocalQueue => getBroker().byUrl(requiredString(input, 'QueueUrl'));

  const operations: Record<string, AwsJsonOperation> = {
    CreateQueue: (input) => {
      const settings = parseQueueAttributes(input.Attributes);
      return { QueueUrl: getBroker().create(requiredString(input, 'QueueName'), settings).url };
    },
    GetQueueUrl: (input) => {
      const found = getBroker().byName(requiredString(input, 'QueueName'));
      if (found === undefined) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      return { QueueUrl: found.url };
    },
    GetQueueAttributes: (input) => ({
      Attributes: queueAttributes(queue(input), stringList(input.AttributeNames)),
    }),
    SendMessage: (input) => {
      const message = queue(input).send(sendInput(input));
      return sendResult(message);
    },
    ReceiveMessage: async (input) => {
      const target = queue(input);
      const maxMessages = optionalInteger(input, 'MaxNumberOfMessages') ?? 1;
      const visibilityTimeoutSeconds = optionalInteger(input, 'VisibilityTimeout');
      const waitSeconds = optionalInteger(input, 'WaitTimeSeconds') ?? target.settings.receiveMessageWaitTimeSeconds;
      if (waitSeconds < 0 || waitSeconds > 20) {
        throw sqsError(
          'InvalidParameterValue',
          `Value ${waitSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        );
      }
      const deadline = Date.now() + waitSeconds * 1000;
      const receiveInput =
        visibilityTimeoutSeconds === undefined ? { maxMessages } : { maxMessages, visibilityTimeoutSeconds };
      let messages = target.receive(receiveInput);
      while (messages.length === 0 && Date.now() < deadline && broker !== undefined) {
        await target.waitForMessages(deadline);
        messages = target.receive(receiveInput);
      }
      if (messages.length === 0) return {};
      const systemNames = [...stringList(input.AttributeNames), ...stringList(input.MessageSystemAttributeNames)];
      const attributeNames = stringList(input.MessageAttributeNames);
      return { Messages: messages.map((m) => wireMessage(m, systemNames, attributeNames)) };
    },
    DeleteMessage: (input) => {
      queue(input).delete(requiredString(input, 'ReceiptHandle'));
      return {};
    },
    ChangeMessageVisibility: (input) => {
      queue(input).changeVisibility(
        requiredString(input, 'ReceiptHandle'),
        requiredInteger(input, 'VisibilityTimeout'),
      );
      return {};
    },
  };

  const wrapped: Record<string, AwsJsonOperation> = {};
  for (const [name, operation] of Object.entries(operations)) {
    wrapped[name] = async (input) => {
      try {
        return await operation(input);
      } catch (error) {
        if (error instanceof SqsQueueError) throw sqsError(error.code, error.message);
        throw error;
      }
    };
  }

  const server = await startAwsJsonServer({
    targetPrefix: 'AmazonSQS',
    contentType: 'application/x-amz-json-1.0',
    errorNamespace: 'com.amazonaws.sqs#',
    operations: wrapped,
    host,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const ready = new QueueBroker(server.url, options.region, options.accountId);
  broker = ready;
  return {
    url: server.url,
    port: server.port,
    broker: ready,
    close: async () => {
      broker = undefined;
      ready.close();
      await server.close();
    },
  };
}

function parseQueueAttributes(value: unknown): Partial<QueueSettings> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw sqsError('InvalidParameterValue', 'Attributes must be a map');
  const settings: Partial<QueueSettings> = {};
  for (const [name, raw] of Object.entries(value)) {
    const setting = SETTING_ATTRIBUTES[name];
    if (setting !== undefined) {
      const parsed = Number(raw);
      if (!Number.isInteger(parsed) || parsed < 0) {
        throw sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
      }
      settings[setting] = parsed;
    } else if (name === 'RedrivePolicy') {
      settings.redrivePolicy = parseRedrivePolicy(raw);
    } else {
      throw sqsError('InvalidAttributeName', `Unknown or unsupported attribute ${name}`);
    }
  }
  return settings;
}

function parseRedrivePolicy(raw: unknown): QueueSettings['redrivePolicy'] {
  try {
    const policy: unknown = JSON.parse(String(raw));
    if (isRecord(policy) && typeof policy.deadLetterTargetArn === 'string') {
      const maxReceiveCount = Number(policy.maxReceiveCount);
      if (Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1 && maxReceiveCount <= 1000) {
        return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw sqsError('InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy.');
}

function queueAttributes(queue: LocalQueue, names: string[]): Record<string, string> {
  const counts = queue.counts();
  const all: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    VisibilityTimeout: String(queue.settings.visibilityTimeoutSeconds),
    DelaySeconds: String(queue.settings.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(queue.settings.receiveMessageWaitTimeSeconds),
    MessageRetentionPeriod: String(queue.settings.messageRetentionPeriodSeconds),
    MaximumMessageSize: String(queue.settings.maximumMessageSize),
  };
  if (queue.settings.redrivePolicy !== undefined) all.RedrivePolicy = JSON.stringify(queue.settings.redrivePolicy);
  if (names.includes('All')) return all;
  const selected: Record<string, string> = {};
  for (const name of names) {
    const value = all[name];
    if (value !== undefined) selected[name] = value;
  }
  return selected;
}

function sendInput(input: Record<string, unknown>): Parameters<LocalQueue['send']>[0] {
  const body = input.MessageBody;
  if (typeof body !== 'string')
    throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const delaySeconds = optionalInteger(input, 'DelaySeconds');
  const messageAttributes = parseMessageAttributes(input.MessageAttributes);
  return {
    body,
    ...(delaySeconds === undefined ? {} : { delaySeconds }),
    ...(messageAttributes === undefined ? {} : { messageAttributes }),
  };
}

function parseMessageAttributes(value: unknown): Record<string, MessageAttributeValue> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw sqsError('InvalidParameterValue', 'MessageAttributes must be a map');
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!isRecord(raw) || typeof raw.DataType !== 'string') {
      throw sqsError('InvalidParameterValue', `The message attribute '${name}' must contain a DataType.`);
    }
    const attribute: MessageAttributeValue = { DataType: raw.DataType };
    if (typeof raw.StringValue === 'string') attribute.StringValue = raw.StringValue;
    if (typeof raw.BinaryValue === 'string') attribute.BinaryValue = raw.BinaryValue;
    attributes[name] = attribute;
  }
  return attributes;
}

function sendResult(message: StoredMessage): Record<string, string> {
  return {
    MessageId: message.messageId,
    MD5OfMessageBody: message.md5OfBody,
    ...(message.md5OfMessageAttributes === undefined ? {} : { MD5OfMessageAttributes: message.md5OfMessageAttributes }),
  };
}

/** System attribute values of a received message, as SQS names them (timestamps in epoch milliseconds). */
export function systemAttributes(message: StoredMessage): Record<string, string> {
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    SenderId: message.senderId,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
  };
  if (message.deadLetterQueueSourceArn !== undefined)
    attributes.DeadLetterQueueSourceArn = message.deadLetterQueueSourceArn;
  return attributes;
}

function wireMessage(message: StoredMessage, systemNames: string[], attributeNames: string[]): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  const system = systemAttributes(message);
  const wantAll = systemNames.includes('All');
  const selectedSystem: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = system[name];
    if (value !== undefined && (wantAll || systemNames.includes(name))) selectedSystem[name] = value;
  }
  if (Object.keys(selectedSystem).length > 0) wire.Attributes = selectedSystem;
  const selectedAttributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    if (attributeNames.some((pattern) => matchesAttributeName(pattern, name))) selectedAttributes[name] = value;
  }
  if (Object.keys(selectedAttributes).length > 0) {
    wire.MessageAttributes = selectedAttributes;
    wire.MD5OfMessageAttributes = message.md5OfMessageAttributes;
  }
  return wire;
}

function matchesAttributeName(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw sqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  return value;
}

function optionalInteger(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed))
    throw sqsError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid.`);
  return parsed;
}

function requiredInteger(input: Record<string, unknown>, name: string): number {
  const value = optionalInteger(input, name);
  if (value === undefined) throw sqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
