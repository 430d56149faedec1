import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { AwsJsonError, isRecord, LOOPBACK, startAwsJsonServer } from './aws-json-server.js';

/** An event as the sink recorded it, in the envelope EventBridge delivers to targets, plus the bus it was put on. */
export interface RecordedEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  eventBusName: string;
}

/** Per-entry error codes PutEvents reports for failures a caller should retry. */
export type RetryableEntryError = 'InternalFailure' | 'ThrottlingException';

/** Which PutEvents entries to fail next. */
export interface PutEventsFailurePlan {
  /** Zero-based positions, within each affected request, of the entries to fail. */
  indexes?: number[];
  /** Or choose entries by content (applied to the entries as received, before validation). */
  match?: (entry: { Source?: string; DetailType?: string; Detail?: string }, index: number) => boolean;
  /** @default 'InternalFailure' */
  errorCode?: RetryableEntryError;
  /** How many PutEvents requests the plan applies to. @default 1 */
  requests?: number;
}

export interface EventBridgeSinkOptions {
  host?: string;
  port?: number;
  region: string;
  accountId: string;
  /** Buses PutEvents accepts besides `default` (CreateEventBus adds more). */
  eventBuses?: string[];
  /** Appends every accepted event as one JSON line (stateDir mode). */
  journalPath?: string;
  log?: (line: string) => void;
}

export interface EventBridgeSink {
  url: string;
  port: number;
  /** Every accepted event, in arrival order. */
  events(): RecordedEvent[];
  /** Forgets the recorded events (the journal file is kept). */
  clear(): void;
  /** Number of PutEvents requests received, including failed ones. */
  putEventsCalls(): number;
  /** Queues a fault: the planned entries of the next request(s) fail with a retryable error code. */
  injectPutEventsFailures(plan: PutEventsFailurePlan): void;
  close(): Promise<void>;
}

/** The entry size limit the published PutEvents documentation states (1 MB since 2026 on some pages; we keep the strict one). */
export const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_DETAIL_TYPE_LENGTH = 128;

/**
 * A local EventBridge endpoint (AWS JSON 1.1, `AWSEvents.<Op>`) that validates PutEvents entries the way the
 * service does, records the accepted ones, and can be told to fail chosen entries to test partial-failure retries.
 */
export async function startEventBridgeSink(options: EventBridgeSinkOptions): Promise<EventBridgeSink> {
  const recorded: RecordedEvent[] = [];
  const buses = new Set(['default', ...(options.eventBuses ?? [])]);
  const faults: PutEventsFailurePlan[] = [];
  let calls = 0;
  let journal = Promise.resolve();

  const busArn = (name: string): string => `arn:aws:events:${options.region}:${options.accountId}:event-bus/${name}`;

  function putEvents(input: Record<string, unknown>): unknown {
    calls++;
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`,
      );
    }
    const totalSize = entries.reduce<number>((sum, entry) => sum + entrySize(entry), 0);
    if (totalSize > MAX_ENTRY_BYTES) {
      throw new AwsJsonError('ValidationException', 'Total size of the entries in the request is over the limit.');
    }
    if (!entries.some(hasRequiredFields)) {
      // The service fails the whole request, rather than each entry, when no entry carries the required fields.
      throw new AwsJsonError('ValidationException', 'Parameters Source, DetailType and Detail are required.');
    }
    const fault = faults.shift();
    if (fault !== undefined && (fault.requests ?? 1) > 1)
      faults.unshift({ ...fault, requests: (fault.requests ?? 1) - 1 });
    const now = new Date();
    const results = entries.map((entry: unknown, index: number) => {
      const raw = isRecord(entry) ? entry : {};
      if (fault !== undefined && faultSelects(fault, raw, index)) {
        const code = fault.errorCode ?? 'InternalFailure';
        return {
          ErrorCode: code,
          ErrorMessage: code === 'ThrottlingException' ? 'Rate exceeded' : 'Internal failure (injected)',
        };
      }
      const checked = validateEntry(raw, buses);
      if ('ErrorCode' in checked) return checked;
      const event: RecordedEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': checked.detailType,
        source: checked.source,
        account: options.accountId,
        time: checked.time ?? now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: options.region,
        resources: checked.resources,
        detail: checked.detail,
        eventBusName: checked.eventBusName,
      };
      recorded.push(event);
      if (options.journalPath !== undefined) {
        const line = `${JSON.stringify(event)}\n`;
        const path = options.journalPath;
        journal = journal
          .then(() => appendFile(path, line, 'utf8'))
          .catch((error: unknown) => {
            options.log?.(`eventbridge: cannot append to ${path}: ${String(error)}`);
          });
      }
      return { EventId: event.id };
    });
    const failed = results.filter((r) => 'ErrorCode' in r).length;
    return { FailedEntryCount: failed, Entries: results };
  }

  const server = await startAwsJsonServer({
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    host: options.host ?? LOOPBACK,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.log === undefined ? {} : { log: options.log }),
    operations: {
      PutEvents: putEvents,
      CreateEventBus: (input) => {
        const name = typeof input.Name === 'string' ? input.Name : '';
        if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name) || name === 'default') {
          throw new AwsJsonError('ValidationException', `Event bus name ${name} is not valid.`);
        }
        if (buses.has(name))
          throw new AwsJsonError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
        buses.add(name);
        return { EventBusArn: busArn(name) };
      },
      DescribeEventBus: (input) => {
        const name = busName(typeof input.Name === 'string' ? input.Name : 'default');
        if (!buses.has(name)) throw new AwsJsonError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
        return { Name: name, Arn: busArn(name) };
      },
      ListEventBuses: () => ({ EventBuses: [...buses].map((name) => ({ Name: name, Arn: busArn(name) })) }),
    },
  });

  return {
    url: server.url,
    port: server.port,
    events: () => recorded.map((event) => structuredClone(event)),
    clear: () => {
      recorded.length = 0;
    },
    putEventsCalls: () => calls,
    injectPutEventsFailures: (plan) => {
      faults.push(plan);
    },
    close: async () => {
      await server.close();
      await journal;
    },
  };
}

type CheckedEntry =
  | {
      source: string;
      detailType: string;
      detail: Record<string, unknown>;
      resources: string[];
      eventBusName: string;
      time?: string;
    }
  | { ErrorCode: string; ErrorMessage: string };

function hasRequiredFields(entry: unknown): boolean {
  return (
    isRecord(entry) &&
    [entry.Source, entry.DetailType, entry.Detail].every((field) => typeof field === 'string' && field.length > 0)
  );
}

function validateEntry(entry: Record<string, unknown>, buses: Set<string>): CheckedEntry {
  const { Source, DetailType, Detail } = entry;
  const missing = [
    typeof Source === 'string' && Source.length > 0 ? undefined : 'Source',
    typeof DetailType === 'string' && DetailType.length > 0 ? undefined : 'DetailType',
    typeof Detail === 'string' && Detail.length > 0 ? undefined : 'Detail',
  ].filter((name): name is string => name !== undefined);
  if (
    missing.length > 0 ||
    typeof Source !== 'string' ||
    typeof DetailType !== 'string' ||
    typeof Detail !== 'string'
  ) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter(s) ${missing.join(', ')} is not specified.` };
  }
  if (Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `Not authorized for the source ${Source}.` };
  }
  if (DetailType.length > MAX_DETAIL_TYPE_LENGTH) {
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter DetailType is not valid: longer than ${MAX_DETAIL_TYPE_LENGTH} characters.`,
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!isRecord(detail))
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: not a JSON object.' };
  const eventBusName = busName(
    typeof entry.EventBusName === 'string' && entry.EventBusName.length > 0 ? entry.EventBusName : 'default',
  );
  if (!buses.has(eventBusName)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${eventBusName} does not exist.` };
  }
  const resources = Array.isArray(entry.Resources)
    ? entry.Resources.filter((r): r is string => typeof r === 'string')
    : [];
  const checked: CheckedEntry = { source: Source, detailType: DetailType, detail, resources, eventBusName };
  const time = parseTime(entry.Time);
  if (time !== undefined) checked.time = time;
  return checked;
}

/** The SDK serialises `Time` as epoch seconds in awsJson1_1. */
function parseTime(value: unknown): string | undefined {
  if (typeof value === 'number') return new Date(value * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

/** Accepts a bus name or ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`). */
function busName(nameOrArn: string): string {
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

/** PutEvents entry size as AWS documents it: Time 14 bytes if set, plus UTF-8 bytes of Source, DetailType, Detail, Resources. */
export function entrySize(entry: unknown): number {
  if (!isRecord(entry)) return 0;
  let size = entry.Time === undefined ? 0 : 14;
  for (const field of [entry.Source, entry.DetailType, entry.Detail]) {
    if (typeof field === 'string') size += Buffer.byteLength(field, 'utf8');
  }
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources)
      if (typeof resource === 'string') size += Buffer.byteLength(resource, 'utf8');
  }
  return size;
}

function faultSelects(plan: PutEventsFailurePlan, entry: Record<string, unknown>, index: number): boolean {
  if (plan.indexes?.includes(index)) return true;
  if (plan.match === undefined) return false;
  const view: { Source?: string; DetailType?: string; Detail?: string } = {};
  if (typeof entry.Source === 'string') view.Source = entry.Source;
  if (typeof entry.DetailType === 'string') view.DetailType = entry.DetailType;
  if (typeof entry.Detail === 'string') view.Detail = entry.Detail;
  return plan.match(view, index);
}
