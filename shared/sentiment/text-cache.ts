/**
 * The cache contract the Comprehend adapter looks results up in (keyed by the content hash of the cleaned, redacted
 * text), and an in-memory implementation for tests and the offline CLI. The production one is DynamoDB-backed with TTL.
 */
import type { SentimentResult } from '../domain/types.js';

/** What is remembered about one text. Failures are never cached. */
export interface CachedAnalysis {
  sentiment?: SentimentResult;
  /** Key phrases, when they were requested (only for NEGATIVE and MIXED texts); `[]` means "asked, none found". */
  keyPhrases?: string[];
  /** Set instead of `sentiment` when the text's language cannot be analysed. */
  warning?: 'UNSUPPORTED_LANGUAGE';
}

export interface TextCache {
  getMany(keys: string[]): Promise<Map<string, CachedAnalysis>>;
  putMany(entries: Map<string, CachedAnalysis>): Promise<void>;
}

export interface MemoryTextCache extends TextCache {
  readonly size: number;
  clear(): void;
}

/**
 * An in-memory `TextCache`.
 * @param opts.ttlMs entry lifetime @default Infinity
 * @param opts.now clock @default Date.now
 */
export function createMemoryTextCache(opts: { ttlMs?: number; now?: () => number } = {}): MemoryTextCache {
  const ttl = opts.ttlMs ?? Number.POSITIVE_INFINITY;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { value: CachedAnalysis; expires: number }>();
  return {
    get size() {
      return entries.size;
    },
    clear: () => entries.clear(),
    async getMany(keys) {
      const out = new Map<string, CachedAnalysis>();
      const t = now();
      for (const key of keys) {
        const hit = entries.get(key);
        if (hit === undefined) continue;
        if (hit.expires <= t) entries.delete(key);
        else out.set(key, structuredClone(hit.value));
      }
      return out;
    },
    async putMany(values) {
      const expires = now() + ttl;
      for (const [key, value] of values) entries.set(key, { value: structuredClone(value), expires });
    },
  };
}
