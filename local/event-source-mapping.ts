import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue, StoredMessage } from './sqs-queue.js';
import { systemAttributes } from './sqs-server.js';

/** What Lambda accepts from an SQS handler; `void` as in aws-lambda's own `SQSHandler`, so `async () => {}` fits. */
// biome-ignore lint/suspicious/noConfusingVoidType: mirrors aws-lambda's SQSHandler return type
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined | void>;

export interface EventSourceMappingOptions {
  queue: LocalQueue;
  handler: SqsBatchHandler;
  region: string;
  accountId: string;
  functionName: string;
  batchSize: number;
  /** How long to wait for a fuller batch once the first message is in. */
  batchingWindowMs: number;
  functionTimeoutSeconds: number;
  /**
   * Visibility timeout set on messages of a failed invocation, so retries come quickly locally. (On AWS they stay
   * hidden for the queue's whole visibility timeout.)
   */
  failedVisibilityTimeoutSeconds: number;
  /** Parallel pollers, each running one invocation at a time. */
  concurrency: number;
  log: (line: string) => void;
}

export interface EventSourceMapping {
  /** Invocations running right now. */
  inFlight(): number;
  /** Invocations finished (successfully or not) since the start. */
  invocations(): number;
  /** Stops polling and waits up to `graceMs` for running invocations to finish. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Polls a local queue the way Lambda's SQS event source mapping does (with `ReportBatchItemFailures`): receives
 * batches, invokes the handler with a real `SQSEvent` and a Lambda-like context, deletes what succeeded, and leaves
 * failed messages to come back after their visibility timeout until the redrive policy moves them to the DLQ.
 */
export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  let stopped = false;
  let running = 0;
  let finished = 0;
  const idleWaiters = new Set<() => void>();

  async function poll(): Promise<void> {
    while (!stopped) {
      let messages = options.queue.receive({ maxMessages: Math.min(10, options.batchSize) });
      if (messages.length === 0) {
        await options.queue.waitForMessages(Date.now() + 1000);
        continue;
      }
      if (messages.length < options.batchSize && options.batchingWindowMs > 0) {
        const windowEnd = Date.now() + options.batchingWindowMs;
        while (!stopped && messages.length < options.batchSize && Date.now() < windowEnd) {
          await options.queue.waitForMessages(windowEnd);
          messages = messages.concat(
            options.queue.receive({ maxMessages: Math.min(10, options.batchSize - messages.length) }),
          );
        }
      }
      running++;
      try {
        await invoke(messages);
      } finally {
        running--;
        finished++;
        for (const wake of idleWaiters) wake();
      }
    }
  }

  async function invoke(messages: StoredMessage[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map(toRecord) };
    const context = lambdaContext(options);
    const deadline = Date.now() + options.functionTimeoutSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deadline - Date.now());
    });
    let failedIds: Set<string>;
    try {
      const result = await Promise.race([options.handler(event, context), timeout]);
      if (result === 'timeout') {
        options.log(
          `${options.functionName}: timed out after ${options.functionTimeoutSeconds} s; the batch will be retried`,
        );
        failedIds = new Set(messages.map((m) => m.messageId));
      } else {
        failedIds = failedMessageIds(result, messages, options);
      }
    } catch (error) {
      options.log(`${options.functionName}: invocation failed, the batch will be retried: ${describe(error)}`);
      failedIds = new Set(messages.map((m) => m.messageId));
    } finally {
      clearTimeout(timer);
    }
    for (const message of messages) {
      const handle = message.receiptHandle;
      if (handle === undefined) continue;
      try {
        if (failedIds.has(message.messageId))
          options.queue.changeVisibility(handle, options.failedVisibilityTimeoutSeconds);
        else options.queue.delete(handle);
      } catch (error) {
        // The message became visible again and was received elsewhere: that receive owns it now, as on AWS.
        options.log(`${options.functionName}: could not settle message ${message.messageId}: ${describe(error)}`);
      }
    }
  }

  function toRecord(message: StoredMessage): SQSRecord {
    const attributes = systemAttributes(message);
    const record: SQSRecord = {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(message.sentTimestamp),
        SenderId: attributes.SenderId ?? message.senderId,
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(message.sentTimestamp),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(message.messageAttributes).map(([name, value]) => [
          name,
          {
            dataType: value.DataType,
            stringListValues: [],
            binaryListValues: [],
            ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
            ...(value.BinaryValue === undefined ? {} : { binaryValue: value.BinaryValue }),
          },
        ]),
      ),
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: options.queue.arn,
      awsRegion: options.region,
    };
    if (message.md5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = message.md5OfMessageAttributes;
    return record;
  }

  const pollers = Array.from({ length: Math.max(1, options.concurrency) }, () =>
    poll().catch((error: unknown) => options.log(`${options.functionName}: poller stopped: ${describe(error)}`)),
  );

  return {
    inFlight: () => running,
    invocations: () => finished,
    stop: async (graceMs = 10_000) => {
      stopped = true;
      options.queue.notify();
      await Promise.race([Promise.all(pollers), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}

/**
 * Reads a `ReportBatchItemFailures` response the way Lambda does: nothing or an empty list is full success; an
 * entry with an empty or unknown `itemIdentifier` fails the whole batch.
 */
export function failedMessageIds(
  result: unknown,
  messages: StoredMessage[],
  options: Pick<EventSourceMappingOptions, 'functionName' | 'log'>,
): Set<string> {
  const all = new Set(messages.map((m) => m.messageId));
  if (result === undefined || result === null) return new Set();
  if (typeof result !== 'object' || !('batchItemFailures' in result)) return new Set();
  const failures: unknown = result.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) {
    options.log(`${options.functionName}: batchItemFailures is not a list; the whole batch will be retried`);
    return all;
  }
  const failed = new Set<string>();
  for (const failure of failures) {
    const id: unknown =
      typeof failure === 'object' && failure !== null ? Reflect.get(failure, 'itemIdentifier') : undefined;
    if (typeof id !== 'string' || !all.has(id)) {
      options.log(
        `${options.functionName}: invalid itemIdentifier ${JSON.stringify(id)}; the whole batch will be retried`,
      );
      return all;
    }
    failed.add(id);
  }
  return failed;
}

function lambdaContext(options: EventSourceMappingOptions): Context {
  const deadline = Date.now() + options.functionTimeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  const unsupported = (): never => {
    throw new Error('Callback-style context methods are not supported locally; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
