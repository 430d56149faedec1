import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import sesLocal from 'aws-ses-v2-local';
import S3rver from 's3rver';
import { ENV } from '../shared/config/env-names.js';
import { EVENTS, INGEST_QUEUE, LOCAL_NAMES, PREFIXES, TABLE_SCHEMA } from '../shared/config/resources.js';
import { closeServer, LOOPBACK } from './aws-json-server.js';
import type { ComprehendServer } from './comprehend-server.js';
import { killDynamoDbLocalChildren, startDynamoDbLocal } from './dynamodb-local.js';
import { type EventSourceMapping, type SqsBatchHandler, startEventSourceMapping } from './event-source-mapping.js';
import { type PutEventsFailurePlan, type RecordedEvent, startEventBridgeSink } from './eventbridge-sink.js';
import { type S3rverEvent, s3TestEvent, toAwsS3EventRecord } from './s3-event.js';
import type { LocalQueue } from './sqs-queue.js';
import { type SqsServer, startSqsServer } from './sqs-server.js';

export type { PutEventsFailurePlan, RecordedEvent } from './eventbridge-sink.js';

export type LocalService = 's3' | 'dynamodb' | 'ses' | 'sqs' | 'events' | 'comprehend';

export interface LocalStackOptions {
  /** Keep S3 objects (`<stateDir>/s3`), DynamoDB data (`<stateDir>/dynamodb`) and events (`<stateDir>/events.jsonl`) across runs. */
  stateDir?: string;
  /** Fixed ports; every service not listed gets a free port. */
  ports?: Partial<Record<LocalService, number>>;
  /** Progress and handler-failure lines. @default writes to stderr */
  log?: (line: string) => void;
  /** @default 'us-east-1' */
  region?: string;
  /** Parallel event source mapping pollers. @default 2 */
  concurrency?: number;
  /** Visibility timeout of messages whose invocation failed, so local retries come quickly. @default 2 */
  failedVisibilityTimeoutSeconds?: number;
  /** Function timeout the Lambda context counts down from. @default INGEST_QUEUE.functionTimeoutSeconds */
  functionTimeoutSeconds?: number;
  /** How long the poller waits to fill a batch. @default 200 (AWS: INGEST_QUEUE.maxBatchingWindowSeconds) */
  batchingWindowMs?: number;
  /** Send the `s3:TestEvent` S3 sends when a notification configuration is created. @default true */
  sendTestEvent?: boolean;
  /** Extra variables merged over `env` (function settings such as BUSINESS_TIME_ZONE). */
  env?: Record<string, string>;
  /** Stop the stack on SIGINT/SIGTERM, then let the signal take its default course. @default true */
  handleSignals?: boolean;
  /** How long the local Comprehend endpoint's asynchronous jobs take. @default 1500 */
  comprehendJobDelayMs?: number;
}

export type IngestHandler = SqsBatchHandler;

export interface DeadLetter {
  messageId: string;
  body: string;
  /** Receives on the source queue before the redrive policy moved it. */
  receiveCount: number;
  sentTimestamp: number;
  sourceQueueArn?: string;
}

export interface LocalStack {
  endpoints: Record<LocalService, string> & { sesWebUi: string };
  /** Everything a handler needs to reach the stack: credentials, endpoints, resource names. */
  env: Record<string, string>;
  region: string;
  accountId: string;
  bucket: string;
  table: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** DynamoDB Local's process id (gone after `stop()`). */
  dynamoDbPid: number;
  /** Copies `env` into `process.env` (for handlers whose SDK clients read it at import); returns an undo function. */
  applyEnv(): () => void;
  /** Starts the event source mapping that feeds the ingest queue to `handler` (one handler per stack). */
  attachIngestHandler(handler: IngestHandler): void;
  /** Resolves once the ingest queue is empty and no invocation runs; rejects after `timeoutMs` (default 60 s). */
  waitForIdle(opts?: { timeoutMs?: number }): Promise<void>;
  /** Everything the EventBridge sink accepted, in arrival order. */
  events(): RecordedEvent[];
  /** Fails chosen entries of the next PutEvents request(s) with a retryable error code. */
  injectPutEventsFailures(plan: PutEventsFailurePlan): void;
  /** Messages the redrive policy moved to the dead-letter queue. */
  deadLetters(): DeadLetter[];
  /** The local Comprehend endpoint's test hooks (fault injection, call log). */
  comprehend: Pick<ComprehendServer, 'injectFaults' | 'calls'>;
  /** Stops every server and child process; removes temporary data. Safe to call twice. */
  stop(): Promise<void>;
}

/** Credentials every emulator accepts: s3rver's built-in pair, and an alphanumeric key id for DynamoDB Local. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_ACCOUNT_ID = '000000000000';
/** A fixed key so that hashed customer ids stay stable across `--state` runs. Local use only. */
const LOCAL_HASH_KEY = 'local-development-only-hash-key';
const INGEST_FUNCTION_NAME = 'feedback-ingest';

const running = new Set<RunningStack>();

interface RunningStack {
  stop(): Promise<void>;
}

/**
 * Boots the local stack on loopback: s3rver, a local SQS with the ingest queue and its DLQ, DynamoDB Local with the
 * table, aws-ses-v2-local, an EventBridge sink and the local Comprehend endpoint, wired like the CDK app from the
 * same resource definitions. S3 ObjectCreated events under `incoming/` reach the queue in the shape S3 sends.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[local] ${line}\n`));
  const region = opts.region ?? 'us-east-1';
  const ports = opts.ports ?? {};
  const stateDir = opts.stateDir === undefined ? undefined : resolve(opts.stateDir);
  const started = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  const starting: Promise<unknown>[] = [];
  let mapping: EventSourceMapping | undefined;
  let stopping: Promise<void> | undefined;

  /** Registers a start-up step so that `stop()` waits for it: nothing that comes up late escapes the stop. */
  const track = <T>(promise: Promise<T>, cleanup: (value: T) => Promise<void>): Promise<T> => {
    const tracked = promise.then((value) => {
      cleanups.push(() => cleanup(value));
      return value;
    });
    // Marked as handled here; failures still surface where the promise is awaited.
    tracked.catch(() => undefined);
    starting.push(tracked);
    return tracked;
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await mapping?.stop();
      await Promise.allSettled(starting);
      const results = await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
      for (const result of results) {
        if (result.status === 'rejected') log(`stop: ${String(result.reason)}`);
      }
      running.delete(handle);
      if (running.size === 0) uninstallSignalHandlers();
    })();
    return stopping;
  };
  const handle: RunningStack = { stop };
  running.add(handle);
  if (opts.handleSignals ?? true) installSignalHandlers();

  try {
    if (stateDir !== undefined) await mkdir(stateDir, { recursive: true });
    const s3Dir = stateDir === undefined ? await mkdtemp(join(tmpdir(), 'feedback-s3-')) : join(stateDir, 's3');
    if (stateDir === undefined) cleanups.push(() => rm(s3Dir, { recursive: true, force: true }));
    else await mkdir(s3Dir, { recursive: true });

    // DynamoDB Local takes seconds to boot: start it first and the rest meanwhile.
    const dynamoStarting = track(
      startDynamoDbLocal({
        ...(ports.dynamodb === undefined ? {} : { port: ports.dynamodb }),
        ...(stateDir === undefined ? {} : { dbPath: join(stateDir, 'dynamodb') }),
        log,
      }),
      (instance) => instance.stop(),
    );
    const sqsStarting = track(
      startSqsServer({
        region,
        accountId: LOCAL_ACCOUNT_ID,
        ...(ports.sqs === undefined ? {} : { port: ports.sqs }),
        log,
      }),
      (server) => server.close(),
    );
    const sinkStarting = track(
      startEventBridgeSink({
        region,
        accountId: LOCAL_ACCOUNT_ID,
        eventBuses: [LOCAL_NAMES.eventBus],
        ...(ports.events === undefined ? {} : { port: ports.events }),
        ...(stateDir === undefined ? {} : { journalPath: join(stateDir, 'events.jsonl') }),
        log,
      }),
      (sink) => sink.close(),
    );
    const sesStarting = track(startSes(ports.ses), (server) => closeServer(server));
    const comprehendStarting = track(startComprehend(ports.comprehend, region, opts.comprehendJobDelayMs), (server) =>
      server.close(),
    );
    const s3rver = new S3rver({
      address: LOOPBACK,
      port: ports.s3 ?? 0,
      directory: s3Dir,
      silent: true,
      configureBuckets: [{ name: LOCAL_NAMES.bucket }],
    });
    const s3Starting = track(s3rver.run(), () => s3rver.close());

    const [sqs, sink, s3Address, ses, comprehend] = await Promise.all([
      sqsStarting,
      sinkStarting,
      s3Starting,
      sesStarting,
      comprehendStarting,
    ]);
    const s3Url = `http://${LOOPBACK}:${s3Address.port}`;
    comprehend.useS3(s3Url, LOCAL_CREDENTIALS);
    const sesUrl = `http://${LOOPBACK}:${(ses.address() as AddressInfo).port}`;

    const { queue, deadLetterQueue } = createIngestQueues(sqs);
    const notifications = forwardS3Events(s3rver, queue, region, log);
    if (opts.sendTestEvent ?? true) queue.send({ body: JSON.stringify(s3TestEvent(LOCAL_NAMES.bucket)) });

    const dynamoDb = await dynamoStarting;
    await ensureTable(dynamoDb.url, region, log);

    const endpoints = {
      s3: s3Url,
      dynamodb: dynamoDb.url,
      ses: sesUrl,
      sesWebUi: `${sesUrl}/`,
      sqs: sqs.url,
      events: sink.url,
      comprehend: comprehend.url,
    };
    const env = stackEnv(endpoints, region, queue.url, opts.env ?? {});
    log(
      `local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s${stateDir ? ` (state in ${stateDir})` : ''}`,
    );

    return {
      endpoints,
      env,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      bucket: LOCAL_NAMES.bucket,
      table: LOCAL_NAMES.table,
      queueUrl: queue.url,
      deadLetterQueueUrl: deadLetterQueue.url,
      dynamoDbPid: dynamoDb.pid,
      applyEnv: () => applyEnv(env),
      attachIngestHandler: (handler) => {
        if (mapping !== undefined) throw new Error('An ingest handler is already attached to this stack.');
        mapping = startEventSourceMapping({
          queue,
          handler,
          region,
          accountId: LOCAL_ACCOUNT_ID,
          functionName: INGEST_FUNCTION_NAME,
          batchSize: INGEST_QUEUE.batchSize,
          batchingWindowMs: opts.batchingWindowMs ?? 200,
          functionTimeoutSeconds: opts.functionTimeoutSeconds ?? INGEST_QUEUE.functionTimeoutSeconds,
          failedVisibilityTimeoutSeconds: opts.failedVisibilityTimeoutSeconds ?? 2,
          concurrency: opts.concurrency ?? 2,
          log,
        });
      },
      waitForIdle: (waitOpts) =>
        waitForIdle(queue, () => mapping, notifications.pending, waitOpts?.timeoutMs ?? 60_000),
      events: () => sink.events(),
      injectPutEventsFailures: (plan) => sink.injectPutEventsFailures(plan),
      deadLetters: () =>
        deadLetterQueue.peek().map((message) => ({
          messageId: message.messageId,
          body: message.body,
          receiveCount: message.sourceReceiveCount ?? message.receiveCount,
          sentTimestamp: message.sentTimestamp,
          ...(message.deadLetterQueueSourceArn === undefined
            ? {}
            : { sourceQueueArn: message.deadLetterQueueSourceArn }),
        })),
      comprehend: { injectFaults: (plan) => comprehend.injectFaults(plan), calls: () => comprehend.calls() },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The ingest queue and its DLQ, with the redrive policy and visibility timeout the CDK app gives them. */
function createIngestQueues(sqs: SqsServer): { queue: LocalQueue; deadLetterQueue: LocalQueue } {
  const deadLetterQueue = sqs.broker.create(LOCAL_NAMES.deadLetterQueue, {
    messageRetentionPeriodSeconds: INGEST_QUEUE.dlqRetentionDays * 86_400,
  });
  const queue = sqs.broker.create(LOCAL_NAMES.queue, {
    visibilityTimeoutSeconds: INGEST_QUEUE.functionTimeoutSeconds * INGEST_QUEUE.visibilityTimeoutFactor,
    redrivePolicy: { deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: INGEST_QUEUE.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/** S3 → SQS notification for ObjectCreated under `incoming/`, in the record shape S3 sends. */
function forwardS3Events(
  s3rver: S3rver,
  queue: LocalQueue,
  region: string,
  log: (line: string) => void,
): { pending(): number } {
  let pending = 0;
  s3rver.on('event', (event: S3rverEvent) => {
    const record = event.Records[0];
    if (record === undefined || !record.eventName.startsWith('ObjectCreated:')) return;
    const { bucket, object } = record.s3;
    if (bucket.name !== LOCAL_NAMES.bucket || !object.key.startsWith(PREFIXES.incoming)) return;
    const eTag =
      object.eTag !== undefined
        ? Promise.resolve(object.eTag)
        : s3rver.store
            .getMetadata(bucket.name, object.key)
            .then((metadata) => String(JSON.parse(metadata.etag ?? '""')));
    pending++;
    eTag
      .then((value) => {
        const awsRecord = toAwsS3EventRecord(
          { ...record, s3: { ...record.s3, object: { ...object, eTag: value } } },
          { region, configurationId: 'ingest-incoming' },
        );
        queue.send({ body: JSON.stringify({ Records: [awsRecord] }) });
      })
      .catch((error: unknown) => log(`s3: could not notify for ${object.key}: ${String(error)}`))
      .finally(() => {
        pending--;
      });
  });
  return { pending: () => pending };
}

/** The feedback table as the CDK stack defines it (keys from TABLE_SCHEMA, on-demand), under any name. */
export function feedbackTableDefinition(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ],
  };
}

async function ensureTable(endpoint: string, region: string, log: (line: string) => void): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.table }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await client.send(new CreateTableCommand(feedbackTableDefinition(LOCAL_NAMES.table)));
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: LOCAL_NAMES.table,
          TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      log(`dynamodb: TTL not enabled locally (${error instanceof Error ? error.name : String(error)})`);
    }
    log(`dynamodb: created table ${LOCAL_NAMES.table}`);
  } finally {
    client.destroy();
  }
}

/** aws-ses-v2-local is CommonJS with `exports.default`: Node hands ESM the exports object, Vite the function. */
async function startSes(port: number | undefined): Promise<Server> {
  const exported: unknown = sesLocal;
  const start: unknown = typeof exported === 'function' ? exported : Reflect.get(sesLocal, 'default');
  if (typeof start !== 'function') throw new Error('aws-ses-v2-local exports no server function');
  const server: Server = await start({ host: LOOPBACK, port: port ?? 0 });
  return server;
}

/** The local Comprehend endpoint lives in its own module; loaded on demand, as it brings the offline model. */
async function startComprehend(
  port: number | undefined,
  region: string,
  jobDelayMs: number | undefined,
): Promise<ComprehendServer> {
  const { startComprehendServer } = await import('./comprehend-server.js');
  return startComprehendServer({
    host: LOOPBACK,
    accountId: LOCAL_ACCOUNT_ID,
    region,
    ...(port === undefined ? {} : { port }),
    ...(jobDelayMs === undefined ? {} : { jobDelayMs }),
  });
}

function stackEnv(
  endpoints: LocalStack['endpoints'],
  region: string,
  queueUrl: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_COMPREHEND: endpoints.comprehend,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
    [ENV.s3ForcePathStyle]: 'true',
    [ENV.bucketName]: LOCAL_NAMES.bucket,
    [ENV.tableName]: LOCAL_NAMES.table,
    [ENV.queueUrl]: queueUrl,
    [ENV.eventBusName]: LOCAL_NAMES.eventBus,
    [ENV.eventSource]: EVENTS.defaultSource,
    [ENV.sesFrom]: LOCAL_NAMES.sesIdentity,
    [ENV.hashKey]: LOCAL_HASH_KEY,
    // The local endpoint checks only the ARN's shape (the CDK stack passes its data-access role).
    [ENV.comprehendJobRole]: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/feedback-local-comprehend-jobs`,
    ...extra,
  };
}

function applyEnv(env: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  // A session token from the caller's shell would be sent with the local key and confuse nothing but humans.
  previous.set('AWS_SESSION_TOKEN', process.env.AWS_SESSION_TOKEN);
  delete process.env.AWS_SESSION_TOKEN;
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

async function waitForIdle(
  queue: LocalQueue,
  mapping: () => EventSourceMapping | undefined,
  pendingNotifications: () => number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = queue.counts();
    const inFlight = mapping()?.inFlight() ?? 0;
    const busy = counts.visible + counts.inFlight + counts.delayed + inFlight + pendingNotifications();
    if (busy === 0) return;
    if (Date.now() >= deadline) {
      const attached = mapping() === undefined ? ' (no ingest handler attached)' : '';
      throw new Error(
        `Local stack not idle after ${timeoutMs} ms${attached}: ${counts.visible} visible, ${counts.inFlight} in flight, ${counts.delayed} delayed messages, ${inFlight} running invocations`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let signalsHandled = false;
let signalled = false;

function onSignal(signal: NodeJS.Signals): void {
  // A second Ctrl-C while stopping must not cut the stop short and orphan DynamoDB Local.
  if (signalled) return;
  signalled = true;
  const stopAll = Promise.allSettled([...running].map((stack) => stack.stop()));
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  void Promise.race([stopAll, timeout]).then(() => {
    killDynamoDbLocalChildren();
    uninstallSignalHandlers();
    // Let the signal do what it would have done without us (unless someone else handles it).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** Stops the stack on SIGINT/SIGTERM (DynamoDB Local's module kills its children on exit on its own). */
function installSignalHandlers(): void {
  if (signalsHandled) return;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  signalsHandled = true;
  signalled = false;
}

function uninstallSignalHandlers(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  signalsHandled = false;
}
