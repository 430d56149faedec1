import { z } from 'zod';
import { type DetailType, EVENTS } from '../config/resources.js';

/**
 * The versioned event contract subscribers build on. `schemas/events/*.json` are generated from these
 * schemas (`npm run schemas`) and a test keeps the two in sync; every event is validated before it is sent.
 */

const version = z.literal(EVENTS.version).describe('Contract version of the detail; bumped on breaking changes.');
const file = z
  .object({
    bucket: z.string(),
    key: z.string().describe('Object key, decoded (as in S3, not URL-encoded).'),
    etag: z.string(),
    fileId: z.string().describe('Stable id of this object version in the pipeline.'),
  })
  .strict();
const rows = z
  .object({
    total: z.number().int().min(0),
    accepted: z.number().int().min(0),
    rejected: z.number().int().min(0),
    duplicates: z.number().int().min(0),
    withText: z.number().int().min(0),
  })
  .strict()
  .describe('Row accounting: total = accepted + rejected + duplicates.');
const sentimentMix = z
  .object({
    positive: z.number().int().min(0),
    negative: z.number().int().min(0),
    neutral: z.number().int().min(0),
    mixed: z.number().int().min(0),
  })
  .strict();

export const fileProcessedDetail = z
  .object({
    version,
    eventId: z.string().describe('Deterministic id: the same file never produces two different ids.'),
    file,
    format: z.string(),
    encoding: z.string(),
    rows,
    sentiment: sentimentMix,
    comprehend: z
      .object({ calls: z.number().int().min(0), units: z.number().int().min(0), estimatedCostUsd: z.number().min(0) })
      .strict(),
    reportKey: z.string().describe('S3 key of the JSON file report.'),
    recordsPrefix: z.string().describe('S3 prefix of the processed records (JSON Lines).'),
  })
  .strict();

export const fileRejectedDetail = z
  .object({
    version,
    eventId: z.string(),
    file,
    error: z.object({ code: z.string(), message: z.string() }).strict(),
    reportKey: z.string().optional(),
  })
  .strict();

export const detractorDetail = z
  .object({
    version,
    eventId: z.string().describe('Deterministic: fingerprint of the record; subscribers may de-duplicate on it.'),
    fingerprint: z.string(),
    text: z.string().optional().describe('Redacted feedback text.'),
    nps: z.number().int().min(0).max(10).optional(),
    rating: z.number().min(1).max(5).optional(),
    sentiment: z.enum(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']).optional(),
    submittedAt: z.string(),
    day: z.string(),
    segment: z.record(z.string(), z.string()).describe('Segment values: channel, source, product, region, language.'),
    customerHash: z.string().optional().describe('Keyed hash of the customer id, never the id itself.'),
    source: z.object({ bucket: z.string(), key: z.string(), row: z.number().int().min(1) }).strict(),
  })
  .strict();

export const spikeDetail = z
  .object({
    version,
    eventId: z.string(),
    day: z.string(),
    segment: z.object({ dimension: z.string(), value: z.string() }).strict(),
    negative: z.number().int().min(0),
    volume: z.number().int().min(0),
    baseline: z.number().min(0).describe('Mean daily negative count over the trailing window.'),
    ratio: z.number().nullable().describe('negative / baseline; null when the baseline is 0.'),
    trailingDays: z.number().int().min(1),
  })
  .strict();

const count = z.number().int().min(0);
const score = z.number().nullable().describe('null when n is 0 (no data), never 0.');

export const digestDetail = z
  .object({
    version,
    eventId: z.string().describe('Deterministic: digest kind and period.'),
    period: z.enum(['daily', 'weekly', 'custom']),
    from: z.string(),
    to: z.string(),
    volume: count,
    nps: z.object({ n: count, promoters: count, passives: count, detractors: count, score }).strict(),
    csat: z.object({ n: count, satisfied: count, score, average: z.number().nullable() }).strict(),
    netSentiment: z.number().nullable(),
    htmlKey: z.string(),
    jsonKey: z.string(),
    recipients: count.describe('How many recipients; never their addresses.'),
  })
  .strict();

export const DETAIL_SCHEMAS = {
  [EVENTS.detailTypes.fileProcessed]: fileProcessedDetail,
  [EVENTS.detailTypes.fileRejected]: fileRejectedDetail,
  [EVENTS.detailTypes.detractor]: detractorDetail,
  [EVENTS.detailTypes.spike]: spikeDetail,
  [EVENTS.detailTypes.digest]: digestDetail,
} as const satisfies Record<DetailType, z.ZodType>;

export type DetailOf<T extends DetailType> = z.input<(typeof DETAIL_SCHEMAS)[T]>;

/** JSON Schema file name of a detail type, e.g. `feedback-file-processed.json`. */
export function schemaFileName(detailType: DetailType): string {
  return `${detailType.toLowerCase().replace(/\s+/g, '-')}.json`;
}
