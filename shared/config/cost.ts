/**
 * Comprehend prices and the monthly budget, as the ingest function reads them from its environment. The stack sets
 * both from cdk.json (`cost` of each environment, validated in infra/config.ts); the local stack passes the dev
 * environment's. Prices are dollars per unit of 100 characters, per operation (aws-facts §1.6: $0.0001 list price
 * for sentiment, key phrases and language detection, from aws.amazon.com/comprehend/pricing).
 */
import * as z from './zod.js';

export const COST_ENV = {
  /** JSON object: dollars per 100-character unit for `sentiment`, `keyPhrases` and `dominantLanguage`. */
  unitPrices: 'COMPREHEND_USD_PER_UNIT',
  /** Dollars Comprehend may cost per calendar month (UTC); unset: no budget guard (tests, ad-hoc runs). */
  monthlyBudget: 'COMPREHEND_MONTHLY_BUDGET_USD',
} as const;

export type CostOperation = 'sentiment' | 'keyPhrases' | 'dominantLanguage';
export type UnitPrices = Record<CostOperation, number>;

/** The list price of every standard NLP API Comprehend bills us for (aws-facts §1.6); volume tiers are not modelled. */
export const LIST_PRICES_USD_PER_UNIT: Readonly<UnitPrices> = Object.freeze({
  sentiment: 0.0001,
  keyPhrases: 0.0001,
  dominantLanguage: 0.0001,
});

export interface CostConfig {
  unitPrices: UnitPrices;
  /** Undefined when no budget is set: files are estimated but never held. */
  monthlyBudgetUsd?: number;
}

export class CostConfigurationError extends Error {
  override name = 'CostConfigurationError';
}

const price = () => z.number().check(z.gte(0));
export const unitPricesSchema = z.strictObject({
  sentiment: price(),
  keyPhrases: price(),
  dominantLanguage: price(),
});

const envSchema = z.object({
  [COST_ENV.unitPrices]: z.optional(z.string()),
  [COST_ENV.monthlyBudget]: z.optional(z.coerce.number().check(z.gte(0))),
});

/** Reads and validates the cost settings (cold start); throws CostConfigurationError naming the variable. */
export function loadCostConfig(env: NodeJS.ProcessEnv = process.env): CostConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new CostConfigurationError(`${COST_ENV.monthlyBudget}: must be a number ≥ 0`);
  const raw = parsed.data[COST_ENV.unitPrices];
  const budget = parsed.data[COST_ENV.monthlyBudget];
  return {
    unitPrices: raw === undefined ? { ...LIST_PRICES_USD_PER_UNIT } : parsePrices(raw),
    ...(budget === undefined ? {} : { monthlyBudgetUsd: budget }),
  };
}

function parsePrices(raw: string): UnitPrices {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new CostConfigurationError(`${COST_ENV.unitPrices}: not JSON`, { cause: err });
  }
  const prices = unitPricesSchema.safeParse(json);
  if (!prices.success) {
    const problems = prices.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CostConfigurationError(`${COST_ENV.unitPrices}: ${problems}`);
  }
  return prices.data;
}

/** The environment variables the stack and the local stack set for the ingest function. */
export function costSettings(cost: CostConfig): Record<string, string> {
  return {
    [COST_ENV.unitPrices]: JSON.stringify(cost.unitPrices),
    ...(cost.monthlyBudgetUsd === undefined ? {} : { [COST_ENV.monthlyBudget]: String(cost.monthlyBudgetUsd) }),
  };
}
