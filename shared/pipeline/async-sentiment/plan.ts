/**
 * The pre-pass of the asynchronous path: one read of the file collecting its unique texts that the cache does not
 * know and whose language is known for free, as job documents grouped by language. Only when there are more of them
 * than the threshold do jobs pay off (see shared/config/comprehend-jobs.ts).
 */
import { COMPREHEND_JOBS } from '../../config/comprehend-jobs.js';
import type { ComprehendLanguage } from '../../domain/types.js';
import { matchText } from '../../ingest/clean.js';
import type { ExportReader } from '../../ingest/types.js';
import { MIN_DETECTION_CHARS, truncateUtf8 } from '../../sentiment/comprehend-adapter.js';
import { detectScript, languageFromScript, mapLanguageTag } from '../../sentiment/language.js';
import type { TextCache } from '../../sentiment/text-cache.js';
import { forEachLimited } from '../../util/concurrency.js';
import { textKey } from '../chunk-analysis.js';

/** One job input: parallel lists of cache keys and documents (line i of the input is `docs[i]`). */
export interface PlannedGroup {
  language: ComprehendLanguage;
  part: number;
  keys: string[];
  docs: string[];
}

export interface AsyncPlan {
  groups: PlannedGroup[];
  documents: number;
}

/** The pre-pass ran out of time: the file is too big for one invocation's read, so it stays synchronous. */
export class PrePassTimeoutError extends Error {
  override name = 'PrePassTimeoutError';
}

const LOOKUP_CHUNK = 1_000;
const LOOKUP_CONCURRENCY = 4;
/** The language the adapter gives short texts it does not detect (its `defaultLanguage`). */
const DEFAULT_LANGUAGE: ComprehendLanguage = 'en';

/**
 * A text as a job document: the form the adapter would send (matching form, trimmed, ≤ 5,000 bytes), on one line.
 * Line breaks inside a text become spaces: in this format a line is a document.
 */
export function jobDocument(text: string): string {
  return truncateUtf8(matchText(text).trim()).replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' ');
}

/**
 * The language a job can take the text in without paid detection: the row's tag, else the script, else the
 * default for texts too short to detect. Undefined: unsupported, or Latin text the adapter would detect (those go
 * the synchronous way, where detection is paid per text anyway).
 */
export function freeLanguage(text: string, hint: string | undefined): ComprehendLanguage | undefined {
  const mapped = mapLanguageTag(hint);
  if (mapped === 'unsupported') return undefined;
  if (mapped) return mapped;
  const fromScript = languageFromScript(detectScript(text));
  if (fromScript) return fromScript;
  return [...text].length < MIN_DETECTION_CHARS ? DEFAULT_LANGUAGE : undefined;
}

/**
 * Reads the whole file; returns the jobs' documents when more than `threshold` of them are uncached. Throws
 * PrePassTimeoutError when `timeShort` says so between two batches.
 */
export async function planAsyncJobs(
  reader: Pick<ExportReader, 'batches'>,
  cache: TextCache,
  threshold: number,
  timeShort: () => boolean = () => false,
): Promise<AsyncPlan | undefined> {
  const byLanguage = await collectTexts(reader, timeShort);
  let candidates = 0;
  for (const g of byLanguage.values()) candidates += g.keys.length;
  if (candidates <= threshold) return undefined;
  const cached = await cachedKeys(
    [...byLanguage.values()].flatMap((g) => g.keys),
    cache,
  );
  const groups: PlannedGroup[] = [];
  let documents = 0;
  for (const [language, all] of byLanguage) {
    const keys: string[] = [];
    const docs: string[] = [];
    all.keys.forEach((key, i) => {
      if (cached.has(key)) return;
      keys.push(key);
      docs.push(all.docs[i] as string);
    });
    documents += keys.length;
    for (let start = 0, part = 0; start < keys.length; start += COMPREHEND_JOBS.maxLinesPerJob, part++) {
      const end = start + COMPREHEND_JOBS.maxLinesPerJob;
      groups.push({ language, part, keys: keys.slice(start, end), docs: docs.slice(start, end) });
    }
  }
  return documents > threshold ? { groups, documents } : undefined;
}

async function collectTexts(
  reader: Pick<ExportReader, 'batches'>,
  timeShort: () => boolean,
): Promise<Map<ComprehendLanguage, { keys: string[]; docs: string[] }>> {
  const seen = new Set<string>();
  const out = new Map<ComprehendLanguage, { keys: string[]; docs: string[] }>();
  for await (const batch of reader.batches()) {
    if (timeShort()) throw new PrePassTimeoutError('The pre-pass did not finish within the invocation');
    for (const outcome of batch) {
      if (outcome.kind !== 'accepted' || !outcome.record.text) continue;
      const key = textKey(outcome.record.text);
      if (seen.has(key)) continue;
      seen.add(key);
      const doc = jobDocument(outcome.record.text);
      const language = doc === '' ? undefined : freeLanguage(matchText(outcome.record.text), outcome.record.language);
      if (!language) continue;
      const group = out.get(language) ?? { keys: [], docs: [] };
      group.keys.push(key);
      group.docs.push(doc);
      out.set(language, group);
    }
  }
  return out;
}

/** Keys the cache already answers (a sentiment, or a known unsupported language), looked up in parallel chunks. */
async function cachedKeys(keys: readonly string[], cache: TextCache): Promise<Set<string>> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) chunks.push(keys.slice(i, i + LOOKUP_CHUNK));
  const hits = new Set<string>();
  await forEachLimited(chunks, LOOKUP_CONCURRENCY, async (chunk) => {
    for (const [key, value] of await cache.getMany(chunk)) {
      if (value.sentiment || value.warning === 'UNSUPPORTED_LANGUAGE') hits.add(key);
    }
  });
  return hits;
}
