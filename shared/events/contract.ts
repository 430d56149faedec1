import { type DetailType, EVENTS } from '../config/resources.js';
import * as z from '../config/zod.js';

/**
 * The versioned event contract subscribers build on. `schemas/events/*.json` are generated from these
 * schemas (`npm run schemas`) and a test keeps the two in sync; every event is validated before it is sent.
 */

// zod/mini spelling of the classic API: `.describe(d)` is `.check(z.describe(d))` (a clone carrying the
// description), `.strict()` is `z.strictObject`, `.int().min(0)` is `.check(z.int(), z.gte(0))`.
const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));
const int = (...checks: z.core.$ZodCheck<number>[]) => z.number().check(z.int(), ...checks);
const count = () => int(z.gte(0));

const version = described(z.literal(EVENTS.version), 'Contract version of the detail; bumped on breaking changes.');
const file = z.strictObject({
  bucket: z.string(),
  key: described(z.string(), 'Object key, decoded (as in S3, not URL-encoded).'),
  etag: z.string(),
  fileId: described(z.string(), 'Stable id of this object version in the pipeline.'),
});
const rows = described(
  z.strictObject({
    total: count(),
    accepted: count(),
    rejected: count(),
    duplicates: count(),
    withText: count(),
  }),
  'Row accounting: total = accepted + rejected + duplicates.',
);
const sentimentMix = z.strictObject({
  positive: count(),
  negative: count(),
  neutral: count(),
  mixed: count(),
});

export const fileProcessedDetail = z.strictObject({
  version,
  eventId: described(z.string(), 'Deterministic id: the same file never produces two different ids.'),
  file,
  format: z.string(),
  encoding: z.string(),
  rows,
  sentiment: sentimentMix,
  comprehend: z.strictObject({
    calls: count(),
    units: count(),
    estimatedCostUsd: z.number().check(z.gte(0)),
  }),
  reportKey: described(z.string(), 'S3 key of the JSON file report.'),
  recordsPrefix: described(z.string(), 'S3 prefix of the processed records (JSON Lines).'),
  mappingWarnings: described(
    z.optional(z.array(z.strictObject({ code: z.string(), detail: z.string() }))),
    'How the columns were read when it needs saying (MAPPING_UNCERTAIN with the candidate columns, NO_HEADER, ' +
      'ROW_NUMBER_NOT_ID…): column names only, never cell values. Absent when there is nothing to say.',
  ),
});

export const fileRejectedDetail = z.strictObject({
  version,
  eventId: z.string(),
  file,
  error: z.strictObject({ code: z.string(), message: z.string() }),
  reportKey: z.optional(z.string()),
});

const usd = () => z.number().check(z.gte(0));
const operationEstimate = z.strictObject({ documents: count(), units: count(), usd: usd() });

export const fileHeldDetail = z.strictObject({
  version,
  eventId: described(z.string(), 'Deterministic: file and budget month (a file held again next month is a new event).'),
  file,
  estimate: described(
    z.strictObject({
      units: count(),
      usd: usd(),
      byOperation: z.strictObject({
        sentiment: operationEstimate,
        keyPhrases: operationEstimate,
        dominantLanguage: operationEstimate,
      }),
    }),
    'Estimated Comprehend units and dollars of the file (duplicates and cached texts free; key phrases an upper bound).',
  ),
  budget: z.strictObject({
    month: described(z.string().check(z.regex(/^\d{4}-\d{2}$/)), 'Budget month, UTC (YYYY-MM).'),
    budgetUsd: usd(),
    monthToDateUsd: usd(),
    remainingUsd: usd(),
  }),
  reportKey: described(z.string(), 'S3 key of the JSON file report (status "held").'),
  release: described(
    z.string(),
    'How the file resumes: `feedback release <key>` now, or automatically at the start of the next month.',
  ),
});

export const detractorDetail = z.strictObject({
  version,
  eventId: described(z.string(), 'Deterministic: fingerprint of the record; subscribers may de-duplicate on it.'),
  fingerprint: z.string(),
  text: described(z.optional(z.string()), 'Redacted feedback text.'),
  nps: z.optional(int(z.gte(0), z.lte(10))),
  rating: z.optional(z.number().check(z.gte(1), z.lte(5))),
  sentiment: z.optional(z.enum(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'])),
  submittedAt: z.string(),
  day: z.string(),
  segment: described(z.record(z.string(), z.string()), 'Segment values: channel, source, product, region, language.'),
  customerHash: described(z.optional(z.string()), 'Keyed hash of the customer id, never the id itself.'),
  source: z.strictObject({ bucket: z.string(), key: z.string(), row: int(z.gte(1)) }),
  urgent: described(
    z.optional(z.boolean()),
    'The text names an urgency cue (safety, legal threat, churn intent, escalation) and is not praise: route it first. ' +
      "Urgent feedback gets this event even when its scores are not a detractor's.",
  ),
  urgency: described(z.optional(z.array(z.string())), 'The urgency cue ids the text names (taxonomy `urgency`).'),
});

export const spikeDetail = z.strictObject({
  version,
  eventId: z.string(),
  day: z.string(),
  segment: z.strictObject({ dimension: z.string(), value: z.string() }),
  negative: count(),
  volume: count(),
  baseline: described(z.number().check(z.gte(0)), 'Mean daily negative count over the trailing window.'),
  ratio: described(z.nullable(z.number()), 'negative / baseline; null when the baseline is 0.'),
  trailingDays: int(z.gte(1)),
});

const themeRef = z.strictObject({
  id: described(z.string(), 'Theme id in the taxonomy, e.g. "delivery.speed".'),
  category: z.string(),
  label: z.strictObject({ en: z.string(), zh: z.string() }),
  taxonomyVersion: z.string(),
});

/** Version 2 of the spike event: the same spike rule run on one theme's negative mentions. */
export const themeSpikeDetail = z.extend(spikeDetail, {
  version: described(z.literal('2'), 'Contract version 2: a spike of one theme (v1 spikes carry no theme).'),
  theme: themeRef,
  negative: described(count(), 'Negative and mixed responses naming the theme that day in the segment.'),
  volume: described(count(), 'Responses naming the theme that day in the segment.'),
});

const digestCount = count();
const score = described(z.nullable(z.number()), 'null when n is 0 (no data), never 0.');

export const digestDetail = z.strictObject({
  version,
  eventId: described(z.string(), 'Deterministic: digest kind and period.'),
  period: z.enum(['daily', 'weekly', 'custom']),
  from: z.string(),
  to: z.string(),
  volume: digestCount,
  nps: z.strictObject({
    n: digestCount,
    promoters: digestCount,
    passives: digestCount,
    detractors: digestCount,
    score,
  }),
  csat: z.strictObject({ n: digestCount, satisfied: digestCount, score, average: z.nullable(z.number()) }),
  netSentiment: z.nullable(z.number()),
  htmlKey: z.string(),
  jsonKey: z.string(),
  recipients: described(digestCount, 'How many recipients; never their addresses.'),
});

/** Every version of every detail type; each has its JSON Schema file. */
export const CONTRACT_VERSIONS = [
  { detailType: EVENTS.detailTypes.fileProcessed, version: '1', schema: fileProcessedDetail },
  { detailType: EVENTS.detailTypes.fileRejected, version: '1', schema: fileRejectedDetail },
  { detailType: EVENTS.detailTypes.fileHeld, version: '1', schema: fileHeldDetail },
  { detailType: EVENTS.detailTypes.detractor, version: '1', schema: detractorDetail },
  { detailType: EVENTS.detailTypes.spike, version: '1', schema: spikeDetail },
  { detailType: EVENTS.detailTypes.spike, version: '2', schema: themeSpikeDetail },
  { detailType: EVENTS.detailTypes.digest, version: '1', schema: digestDetail },
] as const;

/** The schema each detail type's events are validated against (all of its versions). */
export const DETAIL_SCHEMAS = {
  [EVENTS.detailTypes.fileProcessed]: fileProcessedDetail,
  [EVENTS.detailTypes.fileRejected]: fileRejectedDetail,
  [EVENTS.detailTypes.fileHeld]: fileHeldDetail,
  [EVENTS.detailTypes.detractor]: detractorDetail,
  [EVENTS.detailTypes.spike]: z.union([spikeDetail, themeSpikeDetail]),
  [EVENTS.detailTypes.digest]: digestDetail,
} as const satisfies Record<DetailType, z.ZodMiniType>;

export type DetailOf<T extends DetailType> = z.input<(typeof DETAIL_SCHEMAS)[T]>;

/**
 * JSON Schema file name of a detail type's version, e.g. `feedback-file-processed.json` (version 1 keeps the name it
 * always had) or `negative-sentiment-spike-detected.v2.json`.
 */
export function schemaFileName(detailType: DetailType, version = '1'): string {
  const base = detailType.toLowerCase().replace(/\s+/g, '-');
  return version === '1' ? `${base}.json` : `${base}.v${version}.json`;
}
