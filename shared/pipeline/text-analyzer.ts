import type { AnalysisReport, AnalysisUsage, SentimentRequest } from '../sentiment/comprehend-adapter.js';

export type {
  AnalysisOutcome as Analysis,
  SentimentRequest as AnalysisRequest,
} from '../sentiment/comprehend-adapter.js';
export { emptyUsage } from '../sentiment/comprehend-adapter.js';
export type { AnalysisUsage };

/** What the ingest pipeline needs from sentiment: the Comprehend adapter, in AWS and locally alike. */
export interface TextAnalyzer {
  /** `holdBack`: send only full batches and return the rest as deferred (see the adapter's option). */
  analyze(requests: SentimentRequest[], options?: { holdBack?: boolean }): Promise<AnalysisReport>;
}

export function addUsage(a: AnalysisUsage, b: AnalysisUsage): void {
  a.calls.sentiment += b.calls.sentiment;
  a.calls.keyPhrases += b.calls.keyPhrases;
  a.calls.dominantLanguage += b.calls.dominantLanguage;
  a.units += b.units;
  a.estimatedCostUsd += b.estimatedCostUsd;
  a.cacheHits += b.cacheHits;
  a.failed += b.failed;
  a.unsupported += b.unsupported;
  a.uniqueTexts += b.uniqueTexts;
}

export function totalCalls(u: AnalysisUsage): number {
  return u.calls.sentiment + u.calls.keyPhrases + u.calls.dominantLanguage;
}
