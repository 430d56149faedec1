/**
 * What a file will cost in Comprehend before any of it is spent: the one estimate `feedback check`, the file report
 * and the budget guard use. It follows the adapter's own rules (comprehend-adapter.ts) so it predicts what the adapter
 * will be billed for:
 * - billing (aws-facts §1.6): per document max(3, ceil(characters / 100)) units, characters being the code points
 *   of the text actually sent, i.e. after trimming and truncation to 5,000 UTF-8 bytes (aws-facts §1.2);
 * - a text is paid once: duplicates within the file and texts already in the sentiment cache cost nothing;
 * - dominant-language detection only for texts with no language tag, no telling script and ≥ 20 characters;
 * - key phrases (themes on) only for NEGATIVE and MIXED texts. That label is unknown before the call, so the estimate
 *   counts every uncached text: an upper bound, which is what a budget must compare against.
 */
import type { CostOperation, UnitPrices } from '../config/cost.js';
import {
  documentUnits,
  MIN_DETECTION_CHARS,
  resolveHint,
  type SentimentRequest,
  truncateUtf8,
} from './comprehend-adapter.js';
import { mapLanguageTag } from './language.js';
import type { CachedAnalysis, TextCache } from './text-cache.js';

export interface OperationEstimate {
  /** Documents this operation will be sent. */
  documents: number;
  /** Billable units: Σ max(3, ceil(characters / 100)). */
  units: number;
  usd: number;
}

export interface CostEstimate {
  byOperation: Record<CostOperation, OperationEstimate>;
  units: number;
  usd: number;
  /** Unique non-empty texts of the file. */
  uniqueTexts: number;
  /** Of those, found in the sentiment cache (free). */
  cachedTexts: number;
}

export interface EstimatorOptions {
  prices: UnitPrices;
  /** Key phrases for negative and mixed texts (`THEMES_ENABLED`). */
  themes: boolean;
  /** Paid language detection for texts without a hint (the adapter's `detectLanguage`). @default true */
  detectLanguage?: boolean;
  /** The sentiment cache; absent (`feedback check`): every text is priced as new. */
  cache?: TextCache;
  /** Texts looked up in the cache at once. @default 500 */
  pageSize?: number;
}

const OPERATIONS: readonly CostOperation[] = ['sentiment', 'keyPhrases', 'dominantLanguage'];

/** Dollars rounded to a millionth, as reports and events carry them. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** Integer micro-dollars: what the month-to-date counter adds up, free of floating-point drift. */
export function toMicroUsd(usd: number): number {
  return Math.round(usd * 1e6);
}

/** Billable units of one text as the adapter will send it (trimmed, cut to 5,000 bytes); 0 when nothing is sent. */
export function billableUnits(text: string): number {
  const sent = truncateUtf8(text.trim());
  return sent === '' ? 0 : documentUnits(sent);
}

/**
 * Adds up a file's texts as they stream by: `add` each accepted record's analysis request, then `finish`. Memory:
 * the keys seen (for in-file duplicates) and one page of texts waiting for their cache lookup.
 */
export class CostEstimator {
  private readonly seen = new Set<string>();
  private pending: SentimentRequest[] = [];
  private readonly units: Record<CostOperation, { documents: number; units: number }> = {
    sentiment: { documents: 0, units: 0 },
    keyPhrases: { documents: 0, units: 0 },
    dominantLanguage: { documents: 0, units: 0 },
  };
  private uniqueTexts = 0;
  private cachedTexts = 0;

  constructor(private readonly o: EstimatorOptions) {}

  async add(request: SentimentRequest): Promise<void> {
    if (this.seen.has(request.key)) return;
    this.seen.add(request.key);
    if (billableUnits(request.text) === 0) return;
    this.uniqueTexts++;
    this.pending.push(request);
    if (this.pending.length >= (this.o.pageSize ?? 500)) await this.settlePage();
  }

  async finish(): Promise<CostEstimate> {
    await this.settlePage();
    const byOperation = Object.fromEntries(
      OPERATIONS.map((op) => {
        const { documents, units } = this.units[op];
        return [op, { documents, units, usd: roundUsd(units * this.o.prices[op]) }];
      }),
    ) as Record<CostOperation, OperationEstimate>;
    return {
      byOperation,
      units: OPERATIONS.reduce((sum, op) => sum + byOperation[op].units, 0),
      usd: roundUsd(OPERATIONS.reduce((sum, op) => sum + this.units[op].units * this.o.prices[op], 0)),
      uniqueTexts: this.uniqueTexts,
      cachedTexts: this.cachedTexts,
    };
  }

  private async settlePage(): Promise<void> {
    const page = this.pending;
    this.pending = [];
    if (page.length === 0) return;
    const cached = this.o.cache ? await this.o.cache.getMany(page.map((r) => r.key)) : new Map();
    for (const request of page) this.price(request, cached.get(request.key));
  }

  private price(request: SentimentRequest, hit: CachedAnalysis | undefined): void {
    const units = billableUnits(request.text);
    if (hit && (hit.sentiment || hit.warning === 'UNSUPPORTED_LANGUAGE')) {
      this.cachedTexts++;
      // The adapter still fetches the phrases of a cached negative text whose phrases were never asked for.
      const label = hit.sentiment?.label;
      if (this.o.themes && (label === 'NEGATIVE' || label === 'MIXED') && hit.keyPhrases === undefined)
        this.count('keyPhrases', units);
      return;
    }
    // A row tagged with a language Comprehend cannot analyse is skipped without a call.
    if (mapLanguageTag(request.languageHint) === 'unsupported') return;
    if (needsDetection(request, this.o.detectLanguage ?? true)) this.count('dominantLanguage', units);
    this.count('sentiment', units);
    if (this.o.themes) this.count('keyPhrases', units);
  }

  private count(op: CostOperation, units: number): void {
    this.units[op].documents++;
    this.units[op].units += units;
  }
}

function needsDetection(request: SentimentRequest, detectLanguage: boolean): boolean {
  if (!detectLanguage || resolveHint(request) !== undefined) return false;
  return [...truncateUtf8(request.text.trim())].length >= MIN_DETECTION_CHARS;
}

/** Estimates a list of requests at once (tests, small inputs). */
export async function estimateCost(requests: Iterable<SentimentRequest>, o: EstimatorOptions): Promise<CostEstimate> {
  const estimator = new CostEstimator(o);
  for (const r of requests) await estimator.add(r);
  return estimator.finish();
}

/** What is left of the month's budget, and whether a file estimated at `estimateUsd` fits in it. */
export interface BudgetDecision {
  admit: boolean;
  remainingUsd: number;
}

/**
 * The budget rule: a file is admitted when its estimate fits in what is left this month (spent + estimate ≤ budget);
 * a file estimated at nothing always is. The store applies the same rule atomically (its condition uses
 * `roomFor`), so two files racing for the last dollars cannot both get them.
 */
export function decideBudget(input: { budgetUsd: number; spentUsd: number; estimateUsd: number }): BudgetDecision {
  const remainingUsd = roundUsd(Math.max(0, input.budgetUsd - input.spentUsd));
  if (input.estimateUsd <= 0) return { admit: true, remainingUsd };
  return { admit: toMicroUsd(input.spentUsd) <= roomFor(input.budgetUsd, input.estimateUsd), remainingUsd };
}

/** The most micro-dollars already spent that still leaves room for `estimateUsd` within `budgetUsd`. */
export function roomFor(budgetUsd: number, estimateUsd: number): number {
  return toMicroUsd(budgetUsd) - toMicroUsd(estimateUsd);
}

/** The budget month of an instant: the UTC calendar month, as AWS bills. */
export function budgetMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}
