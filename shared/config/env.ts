import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../domain/cells.js';
import { COMPREHEND_JOBS } from './comprehend-jobs.js';
import { type CostConfig, loadCostConfig } from './cost.js';
import { ENV, LIMIT_ENV } from './env-names.js';
import { EVENTS } from './resources.js';
import * as z from './zod.js';

/** Configuration errors name the variable that is missing or malformed, and fail the cold start. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

const timeZone = z.string().check(
  z.refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not an IANA time zone' },
  ),
);
const nonEmpty = () => z.string().check(z.minLength(1));
const email = () => z.string().check(z.email());
const positiveInt = z.coerce.number().check(z.int(), z.positive());
const bool = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v) => v === 'true'),
);

/** Limit overrides, as the read takes them: the fields of `ReadExportOptions` that LIMIT_ENV names. */
export type ReadLimitOverrides = Partial<Record<(typeof LIMIT_ENV)[keyof typeof LIMIT_ENV], number>>;

const limitsSchema = z.object(
  Object.fromEntries(Object.keys(LIMIT_ENV).map((name) => [name, z.optional(z.coerce.number().check(z.positive()))])),
);

/** The read-limit overrides set in the environment (none set: the defaults hold). Throws on a malformed one. */
export function loadReadLimits(env: NodeJS.ProcessEnv = process.env): ReadLimitOverrides {
  const c = parse(limitsSchema, env) as Record<string, number | undefined>;
  const out: ReadLimitOverrides = {};
  for (const [name, field] of Object.entries(LIMIT_ENV)) {
    const v = c[name];
    if (v !== undefined) out[field] = v;
  }
  return out;
}

const ingestSchema = z.object({
  [ENV.bucketName]: nonEmpty(),
  [ENV.tableName]: nonEmpty(),
  [ENV.queueUrl]: z.string().check(z.url()),
  [ENV.eventBusName]: nonEmpty(),
  [ENV.eventSource]: z._default(nonEmpty(), EVENTS.defaultSource),
  [ENV.businessTimeZone]: timeZone,
  [ENV.hashKeyParameter]: z.optional(nonEmpty()),
  [ENV.hashKey]: z.optional(z.string().check(z.minLength(16))),
  [ENV.themesEnabled]: z._default(bool, true),
  [ENV.taxonomyFile]: nonEmpty(),
  [ENV.themeDimensions]: z.pipe(
    z._default(z.string(), SEGMENT_DIMENSIONS.join(',')),
    z.pipe(
      z.transform((s: string) => s.split(',').filter(Boolean)),
      z.array(z.enum(SEGMENT_DIMENSIONS)),
    ),
  ),
  [ENV.comprehendConcurrency]: z._default(positiveInt, 4),
  [ENV.spikeRatio]: z._default(z.coerce.number().check(z.positive()), 1.5),
  [ENV.spikeMinVolume]: z._default(positiveInt, 10),
  [ENV.ledgerTtlDays]: z._default(positiveInt, 400),
  [ENV.cacheTtlDays]: z._default(positiveInt, 90),
  [ENV.s3ForcePathStyle]: z._default(bool, false),
  [ENV.leaseSeconds]: z._default(positiveInt, 900),
  [ENV.segmentRows]: z._default(positiveInt, 20_000),
  [ENV.asyncThreshold]: z._default(positiveInt, COMPREHEND_JOBS.defaultThreshold),
  [ENV.comprehendJobRole]: z.optional(z.string().check(z.startsWith('arn:'))),
  [ENV.asyncPollSeconds]: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(900)), 300),
  [ENV.asyncMaxWaitMinutes]: z._default(positiveInt, 24 * 60),
});

const digestSchema = z.object({
  [ENV.bucketName]: nonEmpty(),
  [ENV.tableName]: nonEmpty(),
  [ENV.eventBusName]: nonEmpty(),
  [ENV.eventSource]: z._default(nonEmpty(), EVENTS.defaultSource),
  [ENV.businessTimeZone]: timeZone,
  [ENV.sesFrom]: email(),
  [ENV.sesConfigurationSet]: z.optional(nonEmpty()),
  [ENV.digestRecipients]: z.pipe(
    z.pipe(
      z.string(),
      z.transform((s) => s.split(/[,;\s]+/).filter(Boolean)),
    ),
    z.array(email()),
  ),
  [ENV.spikeRatio]: z._default(z.coerce.number().check(z.positive()), 1.5),
  [ENV.spikeMinVolume]: z._default(positiveInt, 10),
  [ENV.taxonomyFile]: nonEmpty(),
  [ENV.digestSegments]: z.pipe(
    z._default(z.string(), 'channel,source,product,region,language'),
    z.transform((s) => s.split(',').filter(Boolean)),
  ),
  [ENV.s3ForcePathStyle]: z._default(bool, false),
});

function parse<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid function configuration: ${problems}`);
  }
  return result.data;
}

export interface IngestConfig {
  bucket: string;
  table: string;
  queueUrl: string;
  eventBus: string;
  eventSource: string;
  timeZone: string;
  hashKeyParameter?: string;
  hashKey?: string;
  themes: boolean;
  /** The theme taxonomy file (see `loadTaxonomy`). */
  taxonomyFile: string;
  /** Segment dimensions that get theme cells (`all` is what the digest and theme spikes read). */
  themeDimensions: SegmentDimension[];
  comprehendConcurrency: number;
  spike: { ratio: number; minVolume: number };
  ledgerTtlDays: number;
  cacheTtlDays: number;
  leaseSeconds: number;
  segmentRows: number;
  /** Bounds on one file's work, over the defaults (see shared/ingest/limits.ts). */
  readLimits: ReadLimitOverrides;
  /** Comprehend prices and the monthly budget (see shared/config/cost.ts). */
  cost: CostConfig;
  /** Comprehend's asynchronous jobs for big files; absent when no job role is configured. */
  asyncJobs?: AsyncJobsConfig;
}

export interface AsyncJobsConfig {
  /** Uncached unique texts above which a file takes the asynchronous path. */
  threshold: number;
  roleArn: string;
  pollSeconds: number;
  maxWaitMinutes: number;
}

/** Reads and validates the ingest function's environment once (cold start). */
export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const c = parse(ingestSchema, env);
  if (!c[ENV.hashKeyParameter] && !c[ENV.hashKey]) {
    throw new ConfigurationError(
      `Invalid function configuration: set ${ENV.hashKeyParameter} (or ${ENV.hashKey} locally)`,
    );
  }
  return {
    bucket: c[ENV.bucketName],
    table: c[ENV.tableName],
    queueUrl: c[ENV.queueUrl],
    eventBus: c[ENV.eventBusName],
    eventSource: c[ENV.eventSource],
    timeZone: c[ENV.businessTimeZone],
    hashKeyParameter: c[ENV.hashKeyParameter],
    hashKey: c[ENV.hashKey],
    themes: c[ENV.themesEnabled],
    taxonomyFile: c[ENV.taxonomyFile],
    themeDimensions: c[ENV.themeDimensions],
    comprehendConcurrency: c[ENV.comprehendConcurrency],
    spike: { ratio: c[ENV.spikeRatio], minVolume: c[ENV.spikeMinVolume] },
    ledgerTtlDays: c[ENV.ledgerTtlDays],
    cacheTtlDays: c[ENV.cacheTtlDays],
    leaseSeconds: c[ENV.leaseSeconds],
    segmentRows: c[ENV.segmentRows],
    readLimits: loadReadLimits(env),
    cost: loadCostConfig(env),
    ...asyncJobsOf(c),
  };
}

function asyncJobsOf(c: z.output<typeof ingestSchema>): { asyncJobs?: AsyncJobsConfig } {
  const roleArn = c[ENV.comprehendJobRole];
  if (!roleArn) return {};
  return {
    asyncJobs: {
      threshold: c[ENV.asyncThreshold],
      roleArn,
      pollSeconds: c[ENV.asyncPollSeconds],
      maxWaitMinutes: c[ENV.asyncMaxWaitMinutes],
    },
  };
}

export interface DigestConfig {
  bucket: string;
  table: string;
  eventBus: string;
  eventSource: string;
  timeZone: string;
  from: string;
  configurationSet?: string;
  recipients: string[];
  spike: { ratio: number; minVolume: number };
  segments: string[];
  /** The theme taxonomy file, for theme labels (see `loadTaxonomy`). */
  taxonomyFile: string;
}

/** Reads and validates the digest function's environment once (cold start). */
export function loadDigestConfig(env: NodeJS.ProcessEnv = process.env): DigestConfig {
  const c = parse(digestSchema, env);
  return {
    bucket: c[ENV.bucketName],
    table: c[ENV.tableName],
    eventBus: c[ENV.eventBusName],
    eventSource: c[ENV.eventSource],
    timeZone: c[ENV.businessTimeZone],
    from: c[ENV.sesFrom],
    configurationSet: c[ENV.sesConfigurationSet],
    recipients: c[ENV.digestRecipients],
    spike: { ratio: c[ENV.spikeRatio], minVolume: c[ENV.spikeMinVolume] },
    segments: c[ENV.digestSegments],
    taxonomyFile: c[ENV.taxonomyFile],
  };
}
