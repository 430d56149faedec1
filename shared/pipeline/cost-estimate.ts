import type { CostConfig } from '../config/cost.js';
import { FileRejectedError } from '../domain/errors.js';
import type { RowOutcome } from '../ingest/types.js';
import { type CostEstimate, CostEstimator } from '../sentiment/cost.js';
import type { TextCache } from '../sentiment/text-cache.js';
import { analysisRequestOf } from './chunk-analysis.js';

export interface FileEstimateOptions {
  cost: CostConfig;
  themes: boolean;
  cache?: TextCache;
}

/** An estimator fed with what the pipeline would ask Comprehend for each accepted record. */
export function recordEstimator(o: FileEstimateOptions): {
  add(outcome: RowOutcome): Promise<void>;
  finish(): Promise<CostEstimate>;
} {
  const estimator = new CostEstimator({ prices: o.cost.unitPrices, themes: o.themes, cache: o.cache });
  return {
    add: async (outcome) => {
      if (outcome.kind === 'accepted' && outcome.record.text)
        await estimator.add(analysisRequestOf(outcome.record, outcome.record.text));
    },
    finish: () => estimator.finish(),
  };
}

/**
 * The estimate of a whole file, from a read of it that only prices texts (no claims, no writes). A file the read
 * rejects part-way is estimated up to there: the pipeline will reject it at the same row and spend no more.
 */
export async function estimateFileCost(
  outcomes: AsyncIterable<RowOutcome>,
  o: FileEstimateOptions,
): Promise<CostEstimate> {
  const estimator = recordEstimator(o);
  try {
    for await (const outcome of outcomes) await estimator.add(outcome);
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
  }
  return estimator.finish();
}
