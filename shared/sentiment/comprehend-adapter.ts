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
  type ComprehendClient,
} from '@aws-sdk/client-comprehend';
import type { ComprehendLanguage, SentimentLabel, SentimentResult } from '../domain/types.js';
import {
  type BatchSend,
  type BatchSenderOptions,
  type Doc,
  describeError,
  MAX_BATCH_DOCUMENTS,
  runBatches,
} from './batches.js';
import { detectScript, languageFromScript, mapDetectedLanguage, mapLanguageTag } from './language.js';
import type { CachedAnalysis, TextCache } from './text-cache.js';

export { MAX_BATCH_DOCUMENTS } from './batches.js';
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

export const MAX_DOCUMENT_BYTES = 5000;
/** DetectDominantLanguage needs at least this many characters to be meaningful. */
export const MIN_DETECTION_CHARS = 20;
export const USD_PER_UNIT = 0.0001;

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

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Analyses feedback texts with Comprehend. Every unique key ends in `results` with a sentiment, a warning or an error.
 */
export async function analyze(requests: SentimentRequest[], options: AnalyzeOptions): Promise<AnalysisReport> {
  return new AnalysisRun(options).run(requests);
}

/** One `analyze` call: cache, paid language detection, sentiment per language, key phrases, cache write. */
class AnalysisRun {
  private readonly usage = emptyUsage();
  private readonly results = new Map<string, AnalysisOutcome>();
  private readonly deferred = new Map<string, DeferredAnalysis>();
  private readonly toCache = new Map<string, CachedAnalysis>();
  private readonly unique = new Map<string, SentimentRequest>();
  private readonly sender: BatchSenderOptions;

  constructor(private readonly o: AnalyzeOptions) {
    const { sleep = defaultSleep, random = Math.random, baseDelayMs = 100, maxDelayMs = 5000 } = o;
    this.sender = {
      concurrency: o.concurrency ?? 4,
      maxAttempts: o.maxAttempts ?? 5,
      backoff: (attempt) => sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt))),
      onUnits: (doc) => {
        this.usage.units += documentUnits(doc.text);
      },
      debug: (message, extra) => o.logger?.debug?.(message, extra),
    };
  }

  async run(requests: SentimentRequest[]): Promise<AnalysisReport> {
    for (const r of requests) if (!this.unique.has(r.key)) this.unique.set(r.key, r);
    this.usage.uniqueTexts = this.unique.size;
    const pending = this.fromCache(await this.readCache());
    await this.detectLanguages(pending);
    const negative = await this.scoreSentiment(pending);
    if (this.o.themes ?? true) await this.extractKeyPhrases(negative);
    await this.writeCache();
    for (const outcome of this.results.values()) {
      if (outcome.error) this.usage.failed++;
      if (outcome.warning === 'UNSUPPORTED_LANGUAGE') this.usage.unsupported++;
    }
    this.usage.estimatedCostUsd = Math.round(this.usage.units * USD_PER_UNIT * 1e6) / 1e6;
    return { results: this.results, usage: this.usage, deferred: this.deferred };
  }

  /** Cache first; a cache outage costs money, never the file. */
  private async readCache(): Promise<Map<string, CachedAnalysis>> {
    if (!this.o.cache || this.unique.size === 0) return new Map();
    try {
      return await this.o.cache.getMany([...this.unique.keys()]);
    } catch (error) {
      this.o.logger?.warn('sentiment cache lookup failed; analysing without it', { error: describeError(error).code });
      return new Map();
    }
  }

  /** Answers what the cache or an earlier call knows; returns the documents still to analyse. */
  private fromCache(cached: Map<string, CachedAnalysis>): Doc[] {
    const pending: Doc[] = [];
    for (const [key, request] of this.unique) {
      if (request.known?.sentiment) {
        // Analysed by an earlier call that held it back for its key phrases: only those are still to come.
        this.results.set(key, { sentiment: request.known.sentiment, cached: true });
        continue;
      }
      const hit = cached.get(key);
      if (hit && (hit.sentiment || hit.warning === 'UNSUPPORTED_LANGUAGE')) {
        this.usage.cacheHits++;
        this.results.set(key, { ...hit, cached: true });
        continue;
      }
      const text = truncateUtf8(request.text.trim());
      if (text === '') {
        this.results.set(key, { warning: 'EMPTY_TEXT' });
        continue;
      }
      pending.push({ key, text, language: request.known?.language ?? resolveHint(request) });
    }
    return pending;
  }

  /** Paid language detection only for texts that need it; short ones take the default language. */
  private async detectLanguages(pending: Doc[]): Promise<void> {
    const defaultLanguage = this.o.defaultLanguage ?? 'en';
    const needsDetection: Doc[] = [];
    for (const doc of pending.filter((d) => d.language === undefined)) {
      const request = this.unique.get(doc.key);
      if (mapLanguageTag(request?.languageHint) === 'unsupported') this.unsupported(doc.key);
      else if ((this.o.detectLanguage ?? true) && [...doc.text].length >= MIN_DETECTION_CHARS) needsDetection.push(doc);
      else doc.language = defaultLanguage;
    }
    if (needsDetection.length === 0) return;
    const detected = await this.send(
      needsDetection,
      async (texts) => {
        const out = await this.o.client.send(new BatchDetectDominantLanguageCommand({ TextList: texts }));
        return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
      },
      () => this.usage.calls.dominantLanguage++,
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
      if (mapped === 'unsupported') this.unsupported(doc.key);
      else doc.language = mapped;
    }
  }

  /** Sentiment per language (only full batches with `holdBack`); returns the negative and mixed documents. */
  private async scoreSentiment(pending: Doc[]): Promise<Doc[]> {
    const negativeDocs: Doc[] = [];
    for (const [language, all] of groupByLanguage(pending.filter((d) => !this.results.has(d.key)))) {
      const docs = this.fullBatches(all, language);
      const { ok, failed } = await this.send(
        docs,
        async (texts, lang) => {
          const out = await this.o.client.send(
            new BatchDetectSentimentCommand({ TextList: texts, LanguageCode: lang }),
          );
          return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
        },
        () => this.usage.calls.sentiment++,
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
          this.results.set(doc.key, { sentiment });
          this.toCache.set(doc.key, { sentiment });
          if (sentiment.label === 'NEGATIVE' || sentiment.label === 'MIXED') negativeDocs.push(doc);
          continue;
        }
        const err = failed.get(doc.key) ?? { code: 'MissingResult', message: 'no result', retryable: false };
        if (err.code === 'UnsupportedLanguageException') this.unsupported(doc.key);
        else this.results.set(doc.key, { error: { code: err.code, message: err.message } });
      }
    }
    return negativeDocs;
  }

  /** Themes: key phrases for negative and mixed texts (cached ones too, if their phrases were never fetched). */
  private async extractKeyPhrases(negativeDocs: Doc[]): Promise<void> {
    for (const [key, outcome] of this.results) {
      const s = outcome.sentiment;
      if (outcome.cached && s && (s.label === 'NEGATIVE' || s.label === 'MIXED') && outcome.keyPhrases === undefined) {
        const request = this.unique.get(key);
        if (request) negativeDocs.push({ key, text: truncateUtf8(request.text.trim()), language: s.language });
      }
    }
    // Key phrases are not held back: negative texts are scattered through a file, and holding one back would hold
    // back every row after it. They cost at most one partial batch per call.
    for (const [language, docs] of groupByLanguage(negativeDocs)) {
      const { ok, failed } = await this.send(
        docs,
        async (texts, lang) => {
          const out = await this.o.client.send(
            new BatchDetectKeyPhrasesCommand({ TextList: texts, LanguageCode: lang }),
          );
          return { results: out.ResultList ?? [], errors: out.ErrorList ?? [] };
        },
        () => this.usage.calls.keyPhrases++,
        language,
      );
      for (const doc of docs) {
        const outcome = this.results.get(doc.key);
        const r = ok.get(doc.key);
        if (!outcome) continue;
        if (r === undefined) {
          // Themes are optional: a failure leaves the sentiment intact and is logged.
          this.o.logger?.warn('key phrases failed for a text', { code: failed.get(doc.key)?.code });
          continue;
        }
        const phrases = [...(r.KeyPhrases ?? [])]
          .sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))
          .map((p) => p.Text ?? '')
          .filter((t) => t !== '');
        outcome.keyPhrases = phrases;
        const entry = this.toCache.get(doc.key) ?? (outcome.sentiment ? { sentiment: outcome.sentiment } : undefined);
        if (entry) this.toCache.set(doc.key, { ...entry, keyPhrases: phrases });
      }
    }
  }

  private async writeCache(): Promise<void> {
    if (!this.o.cache || this.toCache.size === 0) return;
    try {
      await this.o.cache.putMany(this.toCache);
    } catch (error) {
      this.o.logger?.warn('sentiment cache write failed', { error: describeError(error).code });
    }
  }

  /** With holdBack, the documents that fill whole batches; the rest wait for a later call. */
  private fullBatches(docs: Doc[], language: ComprehendLanguage): Doc[] {
    if (!this.o.holdBack) return docs;
    const keep = docs.length - (docs.length % MAX_BATCH_DOCUMENTS);
    for (const d of docs.slice(keep)) this.deferred.set(d.key, { language });
    return docs.slice(0, keep);
  }

  private unsupported(key: string): void {
    this.results.set(key, { warning: 'UNSUPPORTED_LANGUAGE' });
    this.toCache.set(key, { warning: 'UNSUPPORTED_LANGUAGE' });
  }

  private send<R>(docs: Doc[], send: BatchSend<R>, count: () => void, language: ComprehendLanguage | undefined) {
    return runBatches(docs, send, count, language, this.sender);
  }
}

/** The language a request is analysed in without paid detection: its row's tag, else its script; else undefined. */
export function resolveHint(request: Pick<SentimentRequest, 'text' | 'languageHint'>): ComprehendLanguage | undefined {
  const mapped = mapLanguageTag(request.languageHint);
  if (mapped === 'unsupported') return undefined;
  return mapped ?? languageFromScript(detectScript(request.text));
}

function groupByLanguage(docs: readonly Doc[]): Map<ComprehendLanguage, Doc[]> {
  const out = new Map<ComprehendLanguage, Doc[]>();
  for (const doc of docs) {
    if (doc.language === undefined) continue;
    const list = out.get(doc.language) ?? [];
    list.push(doc);
    out.set(doc.language, list);
  }
  return out;
}
