import { costSettings } from '../shared/config/cost.js';
import { ENV, LIMIT_ENV } from '../shared/config/env-names.js';
import type { EnvironmentConfig } from './config.js';

/**
 * Function settings derived from one environment's cdk.json context. The CDK stack sets them on the functions
 * and the local stack passes the same values to the same handlers, so local runs behave like a deployment.
 * Resource names (bucket, table, queue, bus) are added by whoever creates the resources.
 */
export function sharedSettings(config: EnvironmentConfig): Record<string, string> {
  return {
    [ENV.businessTimeZone]: config.businessTimeZone,
    [ENV.spikeRatio]: String(config.spike.ratio),
    [ENV.spikeMinVolume]: String(config.spike.minVolume),
    [ENV.themesEnabled]: String(config.ingest.themesEnabled),
    [ENV.taxonomyFile]: config.ingest.taxonomyFile,
  };
}

export function ingestSettings(config: EnvironmentConfig): Record<string, string> {
  return {
    ...sharedSettings(config),
    [ENV.comprehendConcurrency]: String(config.ingest.comprehendConcurrency),
    [ENV.themeDimensions]: config.ingest.themeDimensions.join(','),
    [ENV.ledgerTtlDays]: String(config.retention.ledgerTtlDays),
    [ENV.cacheTtlDays]: String(config.retention.cacheTtlDays),
    [ENV.asyncThreshold]: String(config.ingest.asyncJobs.threshold),
    [ENV.asyncPollSeconds]: String(config.ingest.asyncJobs.pollSeconds),
    [ENV.asyncMaxWaitMinutes]: String(config.ingest.asyncJobs.maxWaitMinutes),
    ...limitSettings(config),
    ...costSettings({ unitPrices: config.cost.usdPerUnit, monthlyBudgetUsd: config.cost.monthlyBudgetUsd }),
  };
}

/** The read limits the environment sets (none: the function keeps the defaults). */
function limitSettings(config: EnvironmentConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(LIMIT_ENV)) {
    const value = config.ingest.limits?.[field];
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}

export function digestSettings(config: EnvironmentConfig): Record<string, string> {
  return {
    ...sharedSettings(config),
    [ENV.digestSegments]: config.digest.segments.join(','),
    [ENV.sesFrom]: config.ses.from,
    [ENV.digestRecipients]: config.digest.recipients.join(','),
  };
}
