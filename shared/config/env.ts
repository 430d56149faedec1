import { z } from 'zod';
import { ENV } from './env-names.js';
import { EVENTS } from './resources.js';

/** Configuration errors name the variable that is missing or malformed, and fail the cold start. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone' },
);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const ingestSchema = z.object({
  [ENV.bucketName]: z.string().min(1),
  [ENV.tableName]: z.string().min(1),
  [ENV.queueUrl]: z.string().url(),
  [ENV.eventBusName]: z.string().min(1),
  [ENV.eventSource]: z.string().min(1).default(EVENTS.defaultSource),
  [ENV.businessTimeZone]: timeZone,
  [ENV.hashKeyParameter]: z.string().min(1).optional(),
  [ENV.hashKey]: z.string().min(16).optional(),
  [ENV.themesEnabled]: bool.default(true),
  [ENV.comprehendConcurrency]: positiveInt.default(4),
  [ENV.spikeRatio]: z.coerce.number().positive().default(1.5),
  [ENV.spikeMinVolume]: positiveInt.default(10),
  [ENV.ledgerTtlDays]: positiveInt.default(400),
  [ENV.cacheTtlDays]: positiveInt.default(90),
  [ENV.s3ForcePathStyle]: bool.default(false),
  [ENV.leaseSeconds]: positiveInt.default(900),
  [ENV.segmentRows]: positiveInt.default(20_000),
});

const digestSchema = z.object({
  [ENV.bucketName]: z.string().min(1),
  [ENV.tableName]: z.string().min(1),
  [ENV.eventBusName]: z.string().min(1),
  [ENV.eventSource]: z.string().min(1).default(EVENTS.defaultSource),
  [ENV.businessTimeZone]: timeZone,
  [ENV.sesFrom]: z.string().email(),
  [ENV.sesConfigurationSet]: z.string().min(1).optional(),
  [ENV.digestRecipients]: z
    .string()
    .transform((s) => s.split(/[,;\s]+/).filter(Boolean))
    .pipe(z.array(z.string().email())),
  [ENV.spikeRatio]: z.coerce.number().positive().default(1.5),
  [ENV.spikeMinVolume]: positiveInt.default(10),
  [ENV.digestSegments]: z
    .string()
    .default('channel,source,product,region,language')
    .transform((s) => s.split(',').filter(Boolean)),
  [ENV.s3ForcePathStyle]: bool.default(false),
});

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
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
  comprehendConcurrency: number;
  spike: { ratio: number; minVolume: number };
  ledgerTtlDays: number;
  cacheTtlDays: number;
  leaseSeconds: number;
  segmentRows: number;
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
    comprehendConcurrency: c[ENV.comprehendConcurrency],
    spike: { ratio: c[ENV.spikeRatio], minVolume: c[ENV.spikeMinVolume] },
    ledgerTtlDays: c[ENV.ledgerTtlDays],
    cacheTtlDays: c[ENV.cacheTtlDays],
    leaseSeconds: c[ENV.leaseSeconds],
    segmentRows: c[ENV.segmentRows],
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
  };
}
