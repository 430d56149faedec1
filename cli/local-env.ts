import { readFileSync } from 'node:fs';
import { type EnvironmentConfig, loadEnvironments } from '../infra/config.js';
import { digestSettings, ingestSettings } from '../infra/function-settings.js';
import { ENV } from '../shared/config/env-names.js';

/** The environment whose cdk.json settings the local stack runs with. */
export const LOCAL_ENVIRONMENT = 'dev';

export function localEnvironmentConfig(): EnvironmentConfig {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context?: { environments?: unknown };
  };
  const [config] = loadEnvironments(cdkJson.context?.environments, LOCAL_ENVIRONMENT);
  if (!config) throw new Error(`cdk.json defines no "${LOCAL_ENVIRONMENT}" environment`);
  return config;
}

/** Function settings for the local stack: the same derivation the CDK stack uses, from the dev environment. */
export function localFunctionSettings(): Record<string, string> {
  const config = localEnvironmentConfig();
  return {
    ...ingestSettings(config),
    ...digestSettings(config),
    [ENV.sesConfigurationSet]: 'feedback-local',
    // A crashed local worker's lease expires quickly so the retry does not wait a Lambda timeout.
    [ENV.leaseSeconds]: '30',
    // The local endpoint's jobs take about a second: check them every two, not every few minutes.
    [ENV.asyncPollSeconds]: '2',
    // Lambda ships logs and metrics to CloudWatch; on a terminal they would drown what `npm start` prints. A level set
    // in the environment (POWERTOOLS_LOG_LEVEL=INFO npm start) still wins: that is how a person asks to see them.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}
