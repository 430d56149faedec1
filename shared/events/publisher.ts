import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DetailType } from '../config/resources.js';
import { DETAIL_SCHEMAS } from './contract.js';

/** PutEvents takes at most 10 entries; we keep each entry far below the 256 KB entry limit. */
const MAX_ENTRIES = 10;
export const MAX_ENTRY_BYTES = 64 * 1024;
const RETRYABLE = new Set(['InternalFailure', 'ThrottlingException']);

export class EventValidationError extends Error {
  override name = 'EventValidationError';
}

export class EventPublishError extends Error {
  override name = 'EventPublishError';
  constructor(
    message: string,
    readonly failed: { detailType: string; code?: string; message?: string }[],
  ) {
    super(message);
  }
}

export interface PendingEvent {
  detailType: DetailType;
  detail: Record<string, unknown>;
}

export interface PublisherOptions {
  client: EventBridgeClient;
  busName: string;
  source: string;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Validates an event against its schema and returns the entry PutEvents takes. */
export function toEntry(event: PendingEvent, busName: string, source: string): PutEventsRequestEntry {
  const schema = DETAIL_SCHEMAS[event.detailType];
  const parsed = schema.safeParse(event.detail);
  if (!parsed.success) {
    throw new EventValidationError(
      `${event.detailType} does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const detail = JSON.stringify(parsed.data);
  const size = Buffer.byteLength(detail) + Buffer.byteLength(source) + Buffer.byteLength(event.detailType);
  if (size > MAX_ENTRY_BYTES) {
    throw new EventValidationError(`${event.detailType} is ${size} bytes, above the ${MAX_ENTRY_BYTES}-byte budget`);
  }
  return { EventBusName: busName, Source: source, DetailType: event.detailType, Detail: detail };
}

/**
 * Publishes events in batches of at most 10, checks FailedEntryCount and re-sends only the failed, retryable
 * entries with backoff. Throws EventPublishError listing what still failed.
 */
export async function publishEvents(events: readonly PendingEvent[], options: PublisherOptions): Promise<number> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = options.maxAttempts ?? 5;
  const entries = events.map((e) => toEntry(e, options.busName, options.source));
  let published = 0;
  for (let i = 0; i < entries.length; i += MAX_ENTRIES) {
    let pending = entries.slice(i, i + MAX_ENTRIES);
    const failures: { detailType: string; code?: string; message?: string }[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await options.client.send(new PutEventsCommand({ Entries: pending }));
      const retry: PutEventsRequestEntry[] = [];
      (out.Entries ?? []).forEach((result, index) => {
        const entry = pending[index];
        if (!entry) return;
        if (!result.ErrorCode) {
          published++;
        } else if (RETRYABLE.has(result.ErrorCode) && attempt < maxAttempts) {
          retry.push(entry);
        } else {
          failures.push({ detailType: entry.DetailType ?? '', code: result.ErrorCode, message: result.ErrorMessage });
        }
      });
      pending = retry;
      if (pending.length > 0) await sleep(Math.random() * Math.min(5000, 100 * 2 ** attempt));
    }
    if (failures.length > 0) {
      throw new EventPublishError(`${failures.length} event(s) could not be published`, failures);
    }
  }
  return published;
}
