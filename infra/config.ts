/**
 * Deployment configuration: everything a deployer sets lives in cdk.json context under `environments`,
 * one entry per environment (`dev`, `prod`, …). It is validated here at synth time, so a bad cron, an
 * unknown time zone or a malformed address fails `cdk synth` with a message that names the setting.
 */
import { dirname, isAbsolute, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { COMPREHEND_JOBS } from '../shared/config/comprehend-jobs.js';
import { LIST_PRICES_USD_PER_UNIT } from '../shared/config/cost.js';
import { EVENTS, INGEST_QUEUE } from '../shared/config/resources.js';
import { SEGMENT_DIMENSIONS } from '../shared/domain/cells.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, type ReadLimits } from '../shared/ingest/limits.js';
import { InvalidTaxonomyError, loadTaxonomy } from '../shared/themes/taxonomy.js';

/** The project root: relative paths in the context (the taxonomy file) are read from here. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_TAXONOMY_FILE = 'config/taxonomy.json';

/** Thrown for any invalid deployment setting; the message starts with the setting's full context path. */
export class InvalidConfigurationError extends Error {
  override name = 'InvalidConfigurationError';
}

const CRON_FIELDS = [
  { name: 'minutes', min: 0, max: 59, special: /^[*]$/ },
  { name: 'hours', min: 0, max: 23, special: /^[*]$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^([*?]|L|L-\d{1,2}|\d{1,2}W|LW)$/ },
  {
    name: 'month',
    min: 1,
    max: 12,
    special: /^[*]$/,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    special: /^([*?]|L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  },
  { name: 'year', min: 1970, max: 2199, special: /^[*]$/ },
] as const;

function cronValue(field: (typeof CRON_FIELDS)[number], token: string): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const names: readonly string[] | undefined = 'names' in field ? field.names : undefined;
  const index = names?.indexOf(token.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

/** One comma-separated element of a field: `*`, `?`, `5`, `MON-FRI`, `0/15`, `L`, `3#2`, … */
function cronElementError(field: (typeof CRON_FIELDS)[number], element: string): string | undefined {
  if (field.special.test(element.toUpperCase())) return undefined;
  const [range = '', step, extra] = element.split('/');
  if (extra !== undefined) return `has more than one "/" in "${element}"`;
  if (step !== undefined && !/^\d+$/.test(step)) return `has an invalid step "${step}"`;
  if (range === '*' && step !== undefined) return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `has an invalid range "${range}"`;
  for (const bound of bounds) {
    if (cronValue(field, bound) === undefined) {
      return `value "${bound}" is out of range (${field.min}-${field.max}${'names' in field ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''})`;
    }
  }
  return undefined;
}

/**
 * Checks an EventBridge Scheduler cron expression: `cron(minutes hours day-of-month month day-of-week year)`,
 * six fields, and exactly one of day-of-month and day-of-week must be `?`.
 * @returns a description of the first problem, or `undefined` when the expression is valid.
 */
export function cronExpressionError(expression: string): string | undefined {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match?.[1]) return 'must look like cron(minutes hours day-of-month month day-of-week year)';
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6)
    return `must have 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  for (const [i, field] of CRON_FIELDS.entries()) {
    const value = fields[i] ?? '';
    if ((value.includes('?') && value !== '?') || (value === '?' && i !== 2 && i !== 4)) {
      return `field ${field.name} cannot contain "?"`;
    }
    for (const element of value.split(',')) {
      const problem = cronElementError(field, element);
      if (problem) return `field ${field.name} ${problem}`;
    }
  }
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return 'exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot combine them)';
  }
  return undefined;
}

/** True for an IANA zone name the runtime knows (`Europe/Berlin`, `UTC`); rejects offsets such as `+01:00`. */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const cron = z.string().superRefine((value, ctx) => {
  const problem = cronExpressionError(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron expression "${value}": ${problem}` });
});
const timeZone = z
  .string()
  .refine(isIanaTimeZone, { error: (issue) => `unknown IANA time zone "${String(issue.input)}"` });
const email = z.email({ error: (issue) => `malformed email address "${String(issue.input)}"` });
const days = z.number().int().positive();
const LOG_RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

const readLimitsSchema = z.strictObject(
  Object.fromEntries(LIMIT_NAMES.map((name) => [name, z.number().positive().optional()])) as Record<
    keyof ReadLimits,
    z.ZodOptional<z.ZodNumber>
  >,
);

/** Room in `/tmp` beyond what a workbook may spool (the runtime and libraries use it too). */
const SPOOL_HEADROOM_MIB = 256;

const usdPerUnit = z.number().nonnegative().max(1, { error: 'is dollars per 100-character unit (list: 0.0001)' });

/** Comprehend prices and budget; see README "Cost and budget" and aws-facts §1.6 for the list prices. */
const costSchema = z.strictObject({
  /** Dollars Comprehend may cost per calendar month (UTC); a file whose estimate does not fit is held. */
  monthlyBudgetUsd: z.number().positive(),
  /** The budget alarm fires when the month-to-date spend reaches this share of the budget. @default 0.8 */
  alarmAtShare: z.number().gt(0).lte(1).default(0.8),
  /** Dollars per unit of 100 characters (minimum 3 units per document), per operation. @default list prices */
  usdPerUnit: z
    .strictObject({ sentiment: usdPerUnit, keyPhrases: usdPerUnit, dominantLanguage: usdPerUnit })
    .default({ ...LIST_PRICES_USD_PER_UNIT }),
});

const scheduleSchema = z.strictObject({
  /** EventBridge Scheduler cron expression, e.g. `cron(0 8 ? * MON-FRI *)`. */
  cron,
  /** IANA time zone the cron expression is evaluated in (Scheduler handles DST). */
  timeZone,
  enabled: z.boolean().default(true),
  /** Segment dimensions this digest breaks figures down by; default: `digest.segments`. */
  segments: z.array(z.enum(SEGMENT_DIMENSIONS)).optional(),
});

const environmentSchema = z
  .strictObject({
    /** 12-digit account id; omit for an environment-agnostic stack. */
    account: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as eu-central-1' })
      .optional(),
    terminationProtection: z.boolean().default(false),
    /** What happens to the bucket, table and secret when the stack is deleted. */
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    /** Days are bucketed in this zone. */
    businessTimeZone: timeZone,
    eventSource: z
      .string()
      .min(1)
      .max(256)
      .refine((s) => !s.startsWith('aws.'), { error: 'must not start with "aws."' })
      .default(EVENTS.defaultSource),
    ses: z.strictObject({
      /** Verified sender address. */
      from: email,
      /** The verified SES identity the sender belongs to: the address itself or its domain. Default: `from`. */
      identity: z
        .string()
        .regex(/^([^@\s]+@)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, { error: 'must be an email address or a domain' })
        .optional(),
      /** Create the identity in this stack (SES then mails a verification link, or needs DNS for a domain). */
      createIdentity: z.boolean().default(false),
      /** In the SES sandbox, recipients must be verified identities and SendEmail is authorised on them too. */
      sandbox: z.boolean().default(false),
    }),
    digest: z.strictObject({
      recipients: z.array(email).min(1).max(50, { error: 'at most 50 recipients (SES limit per message)' }),
      /** Segment dimensions the digest breaks figures down by. */
      segments: z.array(z.enum(SEGMENT_DIMENSIONS)).default(['channel', 'source', 'product', 'region', 'language']),
      schedules: z.strictObject({ daily: scheduleSchema, weekly: scheduleSchema }),
      memoryMiB: z.number().int().min(128).max(10240).default(512),
      timeoutSeconds: z.number().int().min(10).max(900).default(120),
    }),
    ingest: z
      .strictObject({
        /** Caps concurrent ingest invocations so Comprehend's per-account TPS is not overrun. */
        reservedConcurrency: z.number().int().min(2).max(1000).default(5),
        /** Parallel Comprehend batch calls per invocation. */
        comprehendConcurrency: z.number().int().min(1).max(25).default(2),
        /** Sized by `npm run test:hostile`: the worst input within the read limits peaks well under it. */
        memoryMiB: z.number().int().min(128).max(10240).default(1536),
        /** `/tmp`: worksheets before a workbook's shared strings are spooled there, up to `maxInflatedBytes`. */
        ephemeralStorageMiB: z.number().int().min(512).max(10240).default(2048),
        themesEnabled: z.boolean().default(true),
        /**
         * Segment dimensions that get theme cells (day × value × theme). Each adds DynamoDB writes: a row adds a theme
         * cell per dimension and theme it names. `all` is required (the digest and theme spikes read it).
         */
        themeDimensions: z
          .array(z.enum(SEGMENT_DIMENSIONS))
          .refine((d) => d.includes('all'), { error: 'must include "all" (the digest and theme spikes read it)' })
          .default([...SEGMENT_DIMENSIONS]),
        /**
         * The theme taxonomy (categories, themes, keywords, urgency cues): a JSON file inside the project, bundled with
         * the ingest and digest functions at the same relative path. Validated at synth.
         */
        taxonomyFile: z
          .string()
          .refine((p) => !isAbsolute(p) && !normalize(p).startsWith('..'), {
            error: 'must be a path inside the project, relative to it (e.g. "config/taxonomy.json")',
          })
          .default(DEFAULT_TAXONOMY_FILE),
        /** Read limits other than the defaults of shared/ingest/limits.ts, set on the function as `MAX_*` variables. */
        limits: readLimitsSchema.optional(),
        /** Comprehend's asynchronous jobs for big files (shared/config/comprehend-jobs.ts explains the threshold). */
        asyncJobs: z
          .strictObject({
            enabled: z.boolean().default(true),
            /** Uncached unique texts in a file above which its sentiment goes through jobs. */
            threshold: z.number().int().positive().default(COMPREHEND_JOBS.defaultThreshold),
            /** Seconds between checks of a file's running jobs (an SQS delay). */
            pollSeconds: z.number().int().min(1).max(900).default(300),
            /** A file's jobs running longer are stopped and the file falls back to synchronous calls. */
            maxWaitMinutes: z
              .number()
              .int()
              .positive()
              .default(24 * 60),
            /** The stuck-jobs alarm fires when a file's jobs have run this long. */
            alarmAfterMinutes: z.number().int().positive().default(120),
          })
          .prefault({}),
      })
      .prefault({}),
    spike: z
      .strictObject({
        ratio: z.number().gt(1, { error: 'must be greater than 1' }).default(1.5),
        minVolume: z.number().int().positive().default(10),
      })
      .prefault({}),
    retention: z.strictObject({
      /** Lambda log retention; one of CloudWatch's allowed values. */
      logDays: z
        .number()
        .refine((d) => LOG_RETENTION_VALUES.includes(d), {
          error: `must be one of ${LOG_RETENTION_VALUES.join(', ')}`,
        })
        .default(RetentionDays.THREE_MONTHS),
      /** Raw exports under `incoming/` move to Glacier Instant Retrieval after this many days. */
      archiveIncomingAfterDays: days.default(30),
      /**
       * Raw exports under `incoming/` (raw personal data: names, e-mails, free text as the customer wrote it) are
       * deleted after this many days. Required: every environment states how long it keeps them.
       */
      expireIncomingAfterDays: days,
      /** File reports under `reports/` are deleted after this many days. Required, as for raw exports. */
      expireReportsAfterDays: days,
      /** Processed records under `processed/`; omit to keep them. */
      expireProcessedAfterDays: days.optional(),
      /** Archived digests under `digests/`; omit to keep them. */
      expireDigestsAfterDays: days.optional(),
      /** Overwritten or deleted object versions are removed after this many days. */
      noncurrentVersionsDays: days.default(30),
      ledgerTtlDays: days.default(400),
      cacheTtlDays: days.default(90),
      /** Replay archive on the event bus. */
      eventArchiveDays: days.default(30),
      /** Server access logs. */
      accessLogDays: days.default(365),
    }),
    alarms: z.strictObject({ email }),
    /** Comprehend's price table and monthly budget. Required: every environment states what it may spend. */
    cost: costSchema,
  })
  .superRefine((env, ctx) => {
    const spool = (env.ingest.limits?.maxInflatedBytes ?? DEFAULT_LIMITS.maxInflatedBytes) / 1024 / 1024;
    if (env.ingest.ephemeralStorageMiB < spool + SPOOL_HEADROOM_MIB) {
      ctx.addIssue({
        code: 'custom',
        path: ['ingest', 'ephemeralStorageMiB'],
        message: `must hold what a workbook may spool (maxInflatedBytes, ${spool} MiB) and ${SPOOL_HEADROOM_MIB} MiB more`,
      });
    }
    const { archiveIncomingAfterDays, expireIncomingAfterDays } = env.retention;
    if (expireIncomingAfterDays <= archiveIncomingAfterDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'expireIncomingAfterDays'],
        message: `must be greater than retention.archiveIncomingAfterDays (${archiveIncomingAfterDays})`,
      });
    }
  });

export type EnvironmentConfig = z.output<typeof environmentSchema> & { readonly name: string };

const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** Validates one environment's settings. `name` is the key under `environments`. */
export function parseEnvironment(name: string, raw: unknown): EnvironmentConfig {
  if (!ENV_NAME.test(name)) {
    throw new InvalidConfigurationError(
      `environments.${name}: environment names must match ${ENV_NAME} (they become part of resource names)`,
    );
  }
  const result = environmentSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = ['environments', name, ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    });
    throw new InvalidConfigurationError(`Invalid cdk.json context:\n  ${problems.join('\n  ')}`);
  }
  try {
    loadTaxonomy(result.data.ingest.taxonomyFile, PROJECT_ROOT);
  } catch (error) {
    if (!(error instanceof InvalidTaxonomyError)) throw error;
    throw new InvalidConfigurationError(`environments.${name}.ingest.taxonomyFile: ${error.message}`, { cause: error });
  }
  return { ...result.data, name };
}

/**
 * Reads the `environments` context and returns the validated environments to synthesize: all of them, or only
 * the one named by the `env` context value (`cdk synth -c env=dev`).
 */
export function loadEnvironments(environments: unknown, selected: unknown): EnvironmentConfig[] {
  if (typeof environments !== 'object' || environments === null || Array.isArray(environments)) {
    throw new InvalidConfigurationError(
      'environments: cdk.json context must contain an "environments" object, e.g. { "dev": { … } }',
    );
  }
  const entries = Object.entries(environments);
  if (entries.length === 0) throw new InvalidConfigurationError('environments: define at least one environment');
  if (selected !== undefined) {
    if (typeof selected !== 'string' || !Object.hasOwn(environments, selected)) {
      throw new InvalidConfigurationError(
        `env: unknown environment "${String(selected)}"; defined: ${entries.map(([k]) => k).join(', ')}`,
      );
    }
    return [parseEnvironment(selected, (environments as Record<string, unknown>)[selected])];
  }
  return entries.map(([name, raw]) => parseEnvironment(name, raw));
}

/** Settings not worth exposing: derived from the shared resource definitions. */
export const INGEST_SETTINGS = {
  timeoutSeconds: INGEST_QUEUE.functionTimeoutSeconds,
  /** Lambda's SQS guide: visibility ≥ 6 × function timeout, plus the batching window. */
  visibilityTimeoutSeconds:
    INGEST_QUEUE.visibilityTimeoutFactor * INGEST_QUEUE.functionTimeoutSeconds + INGEST_QUEUE.maxBatchingWindowSeconds,
} as const;
