/** Sending documents to Comprehend's batch operations: batches of 25, retries with backoff, per-document errors. */
import type { BatchItemError } from '@aws-sdk/client-comprehend';
import type { ComprehendLanguage } from '../domain/types.js';
import { forEachLimited } from '../util/concurrency.js';

export const MAX_BATCH_DOCUMENTS = 25;

const RETRYABLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerException',
  'InternalServerError',
  'INTERNAL_SERVER_ERROR',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export interface ErrorInfo {
  code: string;
  message: string;
  retryable: boolean;
}

export function describeError(error: unknown): ErrorInfo {
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const code =
    typeof e?.name === 'string' && e.name !== 'Error' ? e.name : typeof e?.code === 'string' ? e.code : 'UnknownError';
  const status = e?.$metadata?.httpStatusCode;
  const retryable =
    RETRYABLE_CODES.has(code) ||
    (typeof e?.code === 'string' && RETRYABLE_CODES.has(e.code)) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    e?.$retryable !== undefined;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : code;
  return { code, message, retryable };
}

function isRetryableItem(item: BatchItemError): boolean {
  return (
    RETRYABLE_CODES.has(item.ErrorCode ?? '') || /internal|throttl|unavailable|timeout/i.test(item.ErrorCode ?? '')
  );
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface Doc {
  key: string;
  text: string;
  language?: ComprehendLanguage;
}

export type BatchResult<R> = { ok: Map<string, R>; failed: Map<string, ErrorInfo> };

export interface BatchSenderOptions {
  concurrency: number;
  maxAttempts: number;
  backoff: (attempt: number) => Promise<void>;
  /** Billable units of a document that got a result. */
  onUnits: (doc: Doc) => void;
  debug?: (message: string, extra: Record<string, unknown>) => void;
}

export type BatchSend<R> = (
  texts: string[],
  language: ComprehendLanguage | undefined,
) => Promise<{ results: Array<{ Index?: number } & R>; errors: BatchItemError[] }>;

/**
 * Sends documents in batches of ≤ 25 and retries: whole-request retryable errors resend the batch; retryable
 * ErrorList entries are regrouped into new batches. Returns per-key results and failures.
 */
export async function runBatches<R>(
  docs: Doc[],
  send: BatchSend<R>,
  count: () => void,
  language: ComprehendLanguage | undefined,
  options: BatchSenderOptions,
): Promise<BatchResult<R>> {
  const ok = new Map<string, R>();
  const failed = new Map<string, ErrorInfo>();
  let queue = docs;
  for (let round = 0; queue.length > 0; round++) {
    const retry: Doc[] = [];
    await forEachLimited(chunk(queue, MAX_BATCH_DOCUMENTS), options.concurrency, async (batch) => {
      for (let attempt = 0; ; attempt++) {
        try {
          count();
          const response = await send(
            batch.map((d) => d.text),
            language,
          );
          settleBatch(batch, response, round, options, { ok, failed, retry });
          return;
        } catch (error) {
          const info = describeError(error);
          if (info.retryable && attempt + 1 < options.maxAttempts) {
            options.debug?.('comprehend request failed; retrying', { code: info.code, attempt: attempt + 1 });
            await options.backoff(attempt);
            continue;
          }
          for (const doc of batch) failed.set(doc.key, info);
          return;
        }
      }
    });
    if (retry.length > 0) await options.backoff(round);
    queue = retry;
  }
  return { ok, failed };
}

/** Files one response's results and per-document errors (retryable ones go to the next round). */
function settleBatch<R>(
  batch: Doc[],
  response: Awaited<ReturnType<BatchSend<R>>>,
  round: number,
  options: BatchSenderOptions,
  into: { ok: Map<string, R>; failed: Map<string, ErrorInfo>; retry: Doc[] },
): void {
  const seen = new Set<number>();
  for (const r of response.results) {
    const doc = r.Index === undefined ? undefined : batch[r.Index];
    if (!doc) continue;
    seen.add(r.Index as number);
    into.ok.set(doc.key, r);
    options.onUnits(doc);
  }
  for (const e of response.errors) {
    const doc = e.Index === undefined ? undefined : batch[e.Index];
    if (!doc) continue;
    seen.add(e.Index as number);
    const info = {
      code: e.ErrorCode ?? 'UnknownError',
      message: e.ErrorMessage ?? e.ErrorCode ?? 'error',
      retryable: isRetryableItem(e),
    };
    if (info.retryable && round + 1 < options.maxAttempts) into.retry.push(doc);
    else into.failed.set(doc.key, info);
  }
  batch.forEach((doc, i) => {
    if (!seen.has(i)) into.failed.set(doc.key, { code: 'MissingResult', message: 'no result', retryable: false });
  });
}
