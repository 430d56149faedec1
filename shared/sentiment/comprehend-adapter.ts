/**
 * Sentiment (and, for negative/mixed feedback, key phrases) through Amazon Comprehend, paying at most once per text:
 * identical keys are sent once, the cache is consulted first, documents go in batches of at most 25 per language,
 * and languages come from free hints (row tag, script) before any paid detection.
 *
 * Retries: whole-request throttling/5xx/network errors and retryable per-document ErrorList entries are retried with
 * exponential backoff and full jitter, under a concurrency limit. The SDK client's own retries stack on top of these;
 * give the adapter a client with `maxAttempts: 1` to make this the only retry layer (tests do).
 */
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  type BatchItemError,
  type ComprehendClient,
} from '@aws-sdk/client-comprehend';
import type { ComprehendLanguage, SentimentLabel, SentimentResult } from '../domain/types.js';
import { forEachLimited } from '../util/concurrency.js';
import { detectScript, languageFromScript, mapDetectedLanguage, mapLanguageTag } from './language.js';
import type { CachedAnalysis, TextCache } from './text-cache.js';

export type { CachedAnalysis, TextCache } from './text-cache.js';

export interface SentimentRequest {
  /** Content hash of the cleaned + redacted text. Requests with the same key are analysed once. */
  key: string;
  text: string;
  /** Raw language tag from the row (`en-US`, `zh_CN`, Qualtrics `ZH-S`, …). */
  languageHint?: string;
  /** What an earlier call that held this text back already learnt (so it is never paid for twice). */
  known?: DeferredAnalysis;
}

/** A text held back to fill a later batch, with what is already known about it. */
export interface DeferredAnalysis {
  language: ComprehendLanguage;
  sentiment?: SentimentResult;
}

export type AnalysisWarning = 'UNSUPPORTED_LANGUAGE' | 'EMPTY_TEXT';

export interface AnalysisOutcome {
  sentiment?: SentimentResult;
  /** Key phrases (themes) for NEGATIVE and MIXED texts when `themes` is on. */
  keyPhrases?: string[];
  /** Set when the text could not be analysed after retries; the text is reported, never dropped. */
  error?: { code: string; message: string };
  warning?: AnalysisWarning;
  /** True when the sentiment came from the cache. */
  cached?: boolean;
}

export interface AnalysisUsage {
  /** Comprehend requests made, retries included. */
  calls: { sentiment: number; keyPhrases: number; dominantLanguage: number };
  /** Billable units: per document max(3, ceil(characters / 100)), over every successfully analysed document. */
  units: number;
  /** units × $0.0001 (the list price for sentiment, key phrases and language detection). */
  estimatedCostUsd: number;
  /** Unique keys found in the cache. */
  cacheHits: number;
  /** Unique keys that ended with an error. */
  failed: number;
  /** Unique keys skipped for an unsupported language. */
  unsupported: number;
  /** Unique keys in the input. */
  uniqueTexts: number;
}

export interface AnalysisReport {
  results: Map<string, AnalysisOutcome>;
  usage: AnalysisUsage;
  /** With `holdBack`: texts not analysed yet, to send again (with `known`) in a later call. */
  deferred: Map<string, DeferredAnalysis>;
}

export interface AdapterLogger {
  warn(message: string, extra?: Record<string, unknown>): void;
  debug?(message: string, extra?: Record<string, unknown>): void;
}

export interface AnalyzeOptions {
  client: ComprehendClient;
  cache?: TextCache;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Key phrases for NEGATIVE and MIXED texts. @default true */
  themes?: boolean;
  /** Language for texts with no hint, no telling script and fewer than 20 characters. @default 'en' */
  defaultLanguage?: ComprehendLanguage;
  /** Use BatchDetectDominantLanguage for Latin-script texts without a hint. @default true */
  detectLanguage?: boolean;
  logger?: AdapterLogger;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request (whole-request and per-document retries each). @default 5 */
  maxAttempts?: number;
  /** Backoff base and cap (full jitter: random(0, min(cap, base × 2^attempt))). @default 100 / 5000 */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** @default Math.random */
  random?: () => number;
  /**
   * Send only full sentiment batches of 25 per language; return the remainder in `deferred` for a later call.
   * A caller that streams a file in chunks uses this so the file costs ceil(texts / 25) calls, not one partial
   * batch per chunk. @default false
   */
  holdBack?: boolean;
}

export function emptyUsage(): AnalysisUsage {
  return {
    calls: { sentiment: 0, keyPhrases: 0, dominantLanguage: 0 },
    units: 0,
    estimatedCostUsd: 0,
    cacheHits: 0,
    failed: 0,
    unsupported: 0,
    uniqueTexts: 0,
  };
}

export const MAX_BATCH_DOCUMENTS = 25;
export const MAX_DOCUMENT_BYTES = 5000;
/** DetectDominantLanguage needs at least this many characters to be meaningful. */
export const MIN_DETECTION_CHARS = 20;
export const USD_PER_UNIT = 0.0001;

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

/** Cuts a text to at most `maxBytes` UTF-8 bytes without splitting a code point (or a surrogate pair). */
export function truncateUtf8(text: string, maxBytes = MAX_DOCUMENT_BYTES): string {
  if (text.length * 3 <= maxBytes) return text;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let size: number;
    let units = 1;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        size = 4;
        units = 2;
      } else size = 3;
    } else size = 3;
    if (bytes + size > maxBytes) return text.slice(0, i);
    bytes += size;
    i += units - 1;
  }
  return text;
}

/** Billable units for one document: units of 100 characters, at least 3 (assumed per document inside batches). */
export function documentUnits(text: string): number {
  let chars = 0;
  for (const _ of text) chars++;
  return Math.max(3, Math.ceil(chars / 100));
}

interface ErrorInfo {
  code: string;
  message: string;
  retryable: boolean;
}

function describeError(error: unknown): ErrorInfo {
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

/** Runs `fn` over `items` with at most `limit` in flight. */
function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Doc {
  key: string;
  text: string;
  language?: ComprehendLanguage;
}

type BatchResult<R> = { ok: Map<string, R>; failed: Map<string, ErrorInfo> };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Analyses feedback texts with Comprehend. Every unique key ends in `results` with a sentiment, a warning or an error.
 */
export async function analyze(requests: SentimentRequest[], options: AnalyzeOptions): Promise<AnalysisReport> {
  const {
    client,
    cache,
    concurrency = 4,
    themes = true,
    defaultLanguage = 'en',
    detectLanguage = true,
    logger,
    sleep = defaultSleep,
    maxAttempts = 5,
    baseDelayMs = 100,
    maxDelayMs = 5000,
    random = Math.random,
    holdBack = false,
  } = options;
  const deferred = new Map<string, DeferredAnalysis>();
  /** With holdBack, the documents that fill whole batches; the rest wait for a later call. */
  const fullBatches = (docs: Doc[], language: ComprehendLanguage): Doc[] => {
    if (!holdBack) return docs;
    const keep = docs.length - (docs.length % MAX_BATCH_DOCUMENTS);
    for (const d of docs.slice(keep)) deferred.set(d.key, { language });
    return docs.slice(0, keep);
  };
  const usage = emptyUsage();
  const results = new Map<string, AnalysisOutcome>();

  // 1. One entry per key.
  const unique = new Map<string, SentimentRequest>();
  for (const r of requests) if (!unique.has(r.key)) unique.set(r.key, r);
  usage.uniqueTexts = unique.size;

  // 2. Cache first; a cache outage costs money, never the file.
  let cached = new Map<string, CachedAnalysis>();
  if (cache && unique.size > 0) {
    try {
      cached = await cache.getMany([...unique.keys()]);
    } catch (error) {
      logger?.warn('sentiment cache lookup failed; analysing without it', { error: describeError(error).code });
    }
  }
  const toCache = new Map<string, CachedAnalysis>();
  const pending: Doc[] = [];
  for (const [key, request] of unique) {
    if (request.known?.sentiment) {
      // Analysed by an earlier call that held it back for its key phrases: only those are still to come.
      results.set(key, { sentiment: request.known.sentiment, cached: true });
      continue;
    }
    const hit = cached.get(key);
    if (hit && (hit.sentiment || hit.warning === 'UNSUPPORTED_LANGUAGE')) {
      usage.cacheHits++;
      results.set(key, { ...hit, cached: true });
      continue;
    }
    const text = truncateUtf8(request.text.trim());
    if (text === '') {
      results.set(key, { warning: 'EMPTY_TEXT' });
      continue;
    }
    pending.push({ key, text, language: request.known?.language ?? resolveHint(request) });
  }

  function resolveHint(request: SentimentRequest): ComprehendLanguage | undefined {
    const mapped = mapLanguageTag(request.languageHint);
    if (mapped === 'unsupported') return undefined;
    return mapped ?? languageFromScript(detectScript(request.text));
  }

  const unsupported = (key: string): void => {
    results.set(key, { warning: 'UNSUPPORTED_LANGUAGE' });
    toCache.set(key, { warning: 'UNSUPPORTED_LANGUAGE' });
  };
  const backoff = (attempt: number): Promise<void> =>
    sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt)));

  /**
   * Sends documents in batches of ≤ 25 and retries: whole-request retryable errors resend the batch; retryable
   * ErrorList entries are regrouped into new batches. Returns per-key results and failures.
   */
  async function runBatches<R>(
    docs: Doc[],
    send: (
      texts: string[],
      language: ComprehendLanguage | undefined,
    ) => Promise<{
      results: Array<{ Index?: number } & R>;
      errors: BatchItemError[];
    }>,
    count: () => void,
    language: ComprehendLanguage | undefined,
  ): Promise<BatchResult<R>> {
    const ok = new Map<string, R>();
    const failed = new Map<string, ErrorInfo>();
    let queue = docs;
    for (let round = 0; queue.length > 0; round++) {
      const retry: Doc[] = [];
      await forEachLimited(chunk(queue, MAX_BATCH_DOCUMENTS), concurrency, async (batch) => {
        for (let attempt = 0; ; attempt++) {
          try {
            count();
            const response = await send(
              batch.map((d) => d.text),
              language,
            );
            const seen = new Set<number>();
            for (const r of response.results) {
              const doc = r.Index === undefined ? undefined : batch[r.Index];
              if (!doc) continue;
              seen.add(r.Index as number);
              ok.set(doc.key, r);
              usage.units += documentUnits(doc.text);
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
              if (info.retryable && round + 1 < maxAttempts) retry.push(doc);
              else failed.set(doc.key, info);
            }
            batch.forEach((doc, i) => {
              if (!seen.has(i)) failed.set(doc.key, { code: 'MissingResult', message: 'no result', retryable: false });
            });
            return;
          } catch (error) {
            const info = describeError(error);
            if (info.retryable && attempt + 1 < maxAttempts) {
              logger?.debug?.('comprehend request failed; retrying', { code: info.code, attempt: attempt + 1 });
              await backoff(attempt);
              continue;
            }
            for (const doc of batch) failed.set(doc.key, info);
            return;
          }
        }
      });
      if (retry.length > 0) await backoff(round);
      queue = retry;
    }
    return { ok, failed };
  }

  // 3. Paid language detection only for texts that need it; short ones take the default language.
  const undetected = pending.filter((d) => d.language === undefined);
  const needsDetection: Doc[] = [];
  for (const doc of undetected) {
    const request = unique.get(doc.key);
    if (mapLanguageTag(request?.languageHint) === 'unsupported') unsupported(doc.key);
    else if (detectLanguage && [...doc.text].length >= MIN_DETECTION_CHARS) needsDetection.push(doc);
    else doc.language = defaultLanguage;
  }
  if (needsDetection.length > 0) {
    const detected = await runBatches(
      needsDetection,
      async (texts) => {
        const out = await client.send(new BatchDetectDominantLanguageCommand({ TextList: texts }));
        return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
      },
      () => usage.calls.dominantLanguage++,
      undefined,
    );
    for (const doc of needsDetection) {
      const r = detected.ok.get(doc.key);
      if (r === undefined) {
        // Detection is a hint: on failure, analyse in the default language rather than lose the text.
        doc.language = defaultLanguage;
        continue;
      }
      const best = [...(r.Languages ?? [])].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
      const mapped = mapDetectedLanguage(best?.LanguageCode);
      if (mapped === 'unsupported') unsupported(doc.key);
      else doc.language = mapped;
    }
  }

  // 4. Sentiment, per language.
  const byLanguage = new Map<ComprehendLanguage, Doc[]>();
  for (const doc of pending) {
    if (doc.language === undefined || results.has(doc.key)) continue;
    const list = byLanguage.get(doc.language) ?? [];
    list.push(doc);
    byLanguage.set(doc.language, list);
  }
  const negativeDocs: Doc[] = [];
  for (const [language, all] of byLanguage) {
    const docs = fullBatches(all, language);
    const { ok, failed } = await runBatches(
      docs,
      async (texts, lang) => {
        const out = await client.send(new BatchDetectSentimentCommand({ TextList: texts, LanguageCode: lang }));
        return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
      },
      () => usage.calls.sentiment++,
      language,
    );
    for (const doc of docs) {
      const r = ok.get(doc.key);
      if (r?.Sentiment) {
        const sentiment: SentimentResult = {
          label: r.Sentiment as SentimentLabel,
          score: {
            Positive: r.SentimentScore?.Positive ?? 0,
            Negative: r.SentimentScore?.Negative ?? 0,
            Neutral: r.SentimentScore?.Neutral ?? 0,
            Mixed: r.SentimentScore?.Mixed ?? 0,
          },
          language,
        };
        results.set(doc.key, { sentiment });
        toCache.set(doc.key, { sentiment });
        if (sentiment.label === 'NEGATIVE' || sentiment.label === 'MIXED') negativeDocs.push(doc);
        continue;
      }
      const err = failed.get(doc.key) ?? { code: 'MissingResult', message: 'no result', retryable: false };
      if (err.code === 'UnsupportedLanguageException') unsupported(doc.key);
      else results.set(doc.key, { error: { code: err.code, message: err.message } });
    }
  }

  // 5. Themes: key phrases for negative and mixed texts (cached ones too, if their phrases were never fetched).
  if (themes) {
    for (const [key, outcome] of results) {
      const s = outcome.sentiment;
      if (outcome.cached && s && (s.label === 'NEGATIVE' || s.label === 'MIXED') && outcome.keyPhrases === undefined) {
        const request = unique.get(key);
        if (request) negativeDocs.push({ key, text: truncateUtf8(request.text.trim()), language: s.language });
      }
    }
    const phrasesByLanguage = new Map<ComprehendLanguage, Doc[]>();
    for (const doc of negativeDocs) {
      const language = doc.language as ComprehendLanguage;
      const list = phrasesByLanguage.get(language) ?? [];
      list.push(doc);
      phrasesByLanguage.set(language, list);
    }
    // Key phrases are not held back: negative texts are scattered through a file, and holding one back would hold
    // back every row after it. They cost at most one partial batch per call.
    for (const [language, docs] of phrasesByLanguage) {
      const { ok, failed } = await runBatches(
        docs,
        async (texts, lang) => {
          const out = await client.send(new BatchDetectKeyPhrasesCommand({ TextList: texts, LanguageCode: lang }));
          return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
        },
        () => usage.calls.keyPhrases++,
        language,
      );
      for (const doc of docs) {
        const outcome = results.get(doc.key);
        const r = ok.get(doc.key);
        if (!outcome) continue;
        if (r === undefined) {
          // Themes are optional: a failure leaves the sentiment intact and is logged.
          logger?.warn('key phrases failed for a text', { code: failed.get(doc.key)?.code });
          continue;
        }
        const phrases = [...(r.KeyPhrases ?? [])]
          .sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))
          .map((p) => p.Text ?? '')
          .filter((t) => t !== '');
        outcome.keyPhrases = phrases;
        const entry = toCache.get(doc.key) ?? (outcome.sentiment ? { sentiment: outcome.sentiment } : undefined);
        if (entry) toCache.set(doc.key, { ...entry, keyPhrases: phrases });
      }
    }
  }

  if (cache && toCache.size > 0) {
    try {
      await cache.putMany(toCache);
    } catch (error) {
      logger?.warn('sentiment cache write failed', { error: describeError(error).code });
    }
  }

  for (const outcome of results.values()) {
    if (outcome.error) usage.failed++;
    if (outcome.warning === 'UNSUPPORTED_LANGUAGE') usage.unsupported++;
  }
  usage.estimatedCostUsd = Math.round(usage.units * USD_PER_UNIT * 1e6) / 1e6;
  return { results, usage, deferred };
}
