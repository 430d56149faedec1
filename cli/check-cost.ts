import { readFileSync } from 'node:fs';
import { type CostConfig, LIST_PRICES_USD_PER_UNIT, unitPricesSchema } from '../shared/config/cost.js';
import * as z from '../shared/config/zod.js';

/** The environment `npm start` runs (cli/local-env.ts `LOCAL_ENVIRONMENT`, not imported: it loads aws-cdk-lib). */
const LOCAL_ENVIRONMENT = 'dev';

const settings = z.object({
  context: z.object({
    environments: z.record(
      z.string(),
      z.object({
        ingest: z.optional(z.object({ themesEnabled: z.optional(z.boolean()) })),
        cost: z.optional(z.object({ usdPerUnit: z.optional(unitPricesSchema) })),
      }),
    ),
  }),
});

/**
 * The prices and themes setting `feedback check` estimates with: the local environment's in cdk.json, as `npm start`
 * runs with. Read directly (not through infra/config.ts, which loads aws-cdk-lib) so a dry run starts fast; the full
 * validation of the file is `cdk synth`'s. No cache: a dry run has no AWS, so every text is priced as new.
 */
export function checkCostSettings(): { cost: CostConfig; themes: boolean } {
  const raw: unknown = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8'));
  const env = settings.parse(raw).context.environments[LOCAL_ENVIRONMENT];
  return {
    cost: { unitPrices: env?.cost?.usdPerUnit ?? { ...LIST_PRICES_USD_PER_UNIT } },
    themes: env?.ingest?.themesEnabled ?? true,
  };
}
