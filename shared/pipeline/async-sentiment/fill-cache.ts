import { COMPREHEND_JOBS } from '../../config/comprehend-jobs.js';
import type { SentimentResult } from '../../domain/types.js';
import type { AsyncJobGroup } from '../../ports/async-jobs.js';
import type { JobKind, JobView } from '../../sentiment/async/job-client.js';
import type { JobOutputLine } from '../../sentiment/async/job-output.js';
import type { CachedAnalysis } from '../../sentiment/text-cache.js';
import { forEachLimited } from '../../util/concurrency.js';
import type { AsyncFile, AsyncSentiment } from './context.js';

const WRITE_CHUNK = 500;
const WRITE_CONCURRENCY = 4;

/**
 * Puts a finished group's results in the text cache, where the normal path then finds them. A document the job
 * answered with an error line, or left out, gets no entry: the normal path analyses it synchronously. Key phrases
 * are kept for negative and mixed texts only, as the synchronous path fetches them.
 */
export async function fillGroup(
  file: AsyncFile,
  group: AsyncJobGroup,
  views: ReadonlyMap<JobKind, JobView>,
  deps: AsyncSentiment,
): Promise<void> {
  const { files, cache } = deps.ports;
  const keys: string[] = [];
  for await (const key of files.readLines(file.target.bucket, group.keysKey)) keys.push(key);
  const sentiments = await resultsOf(views.get('sentiment'), deps, (l) => l.sentiment);
  const phrases = await resultsOf(views.get('keyPhrases'), deps, (l) => l.keyPhrases);
  const entries: [string, CachedAnalysis][] = [];
  keys.forEach((key, line) => {
    const s = sentiments.get(line);
    if (!s) return;
    const sentiment: SentimentResult = { label: s.label, score: s.score, language: group.language };
    const negative = s.label === 'NEGATIVE' || s.label === 'MIXED';
    const keyPhrases = negative ? phrases.get(line) : undefined;
    entries.push([key, keyPhrases ? { sentiment, keyPhrases } : { sentiment }]);
  });
  const chunks: [string, CachedAnalysis][][] = [];
  for (let i = 0; i < entries.length; i += WRITE_CHUNK) chunks.push(entries.slice(i, i + WRITE_CHUNK));
  await forEachLimited(chunks, WRITE_CONCURRENCY, (chunk) => cache.putMany(new Map(chunk)));
  const fellBack = keys.length - entries.length;
  if (fellBack > 0) {
    deps.metric?.(COMPREHEND_JOBS.metrics.documentsFallenBack, fellBack);
    deps.log?.('warn', 'Comprehend job documents without a result fall back to synchronous calls', {
      key: file.target.key,
      language: group.language,
      documents: fellBack,
    });
  }
}

async function resultsOf<T>(
  view: JobView | undefined,
  deps: AsyncSentiment,
  pick: (line: JobOutputLine) => T | undefined,
): Promise<Map<number, T>> {
  const out = new Map<number, T>();
  if (!view?.outputUri) return out;
  for await (const line of deps.ports.files.readOutput(view.outputUri)) {
    const value = pick(line);
    if (value !== undefined) out.set(line.line, value);
  }
  return out;
}
