/**
 * The one definition of resource names, keys, prefixes and wiring settings. The CDK stack and the local
 * stack both build their resources from these values, so the two can never drift apart.
 */

/** Object key prefixes in the ingest bucket. Only `incoming/` triggers processing. */
export const PREFIXES = {
  incoming: 'incoming/',
  reports: 'reports/',
  processed: 'processed/',
  digests: 'digests/',
} as const;

/** Single-table key schema (on-demand billing). */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
} as const;

/** S3 → SQS → ingest wiring. */
export const INGEST_QUEUE = {
  /** Receives before a message moves to the dead-letter queue (AWS suggests at least 5). */
  maxReceiveCount: 5,
  /** Ingest function timeout; the queue's visibility timeout is 6× this plus the batching window (Lambda's SQS guide). */
  functionTimeoutSeconds: 300,
  visibilityTimeoutFactor: 6,
  batchSize: 5,
  maxBatchingWindowSeconds: 1,
  dlqRetentionDays: 14,
} as const;

/** EventBridge contract. */
export const EVENTS = {
  defaultSource: 'feedback.pipeline',
  version: '1',
  detailTypes: {
    fileProcessed: 'Feedback File Processed',
    fileRejected: 'Feedback File Rejected',
    fileHeld: 'Feedback File Held',
    detractor: 'Detractor Feedback Received',
    spike: 'Negative Sentiment Spike Detected',
    digest: 'KPI Digest Published',
  },
} as const;

export type DetailType = (typeof EVENTS.detailTypes)[keyof typeof EVENTS.detailTypes];

/** Names the local stack gives its resources (CloudFormation names the AWS ones and passes them in env vars). */
export const LOCAL_NAMES = {
  bucket: 'feedback-ingest',
  table: 'feedback',
  queue: 'feedback-ingest-queue',
  deadLetterQueue: 'feedback-ingest-dlq',
  eventBus: 'feedback',
  sesIdentity: 'feedback@example.com',
} as const;

/** Event names the ingest bucket notifies on. */
export const INGEST_EVENT_TYPES = ['s3:ObjectCreated:*'] as const;

/**
 * Custom metrics the functions publish with Powertools Metrics (namespace `POWERTOOLS_METRICS_NAMESPACE`, default
 * dimension `service` = `POWERTOOLS_SERVICE_NAME`). The dashboard reads them with exactly these names.
 */
export const PIPELINE_METRICS = {
  namespace: 'FeedbackPipeline',
  filesProcessed: 'FilesProcessed',
  filesRejected: 'FilesRejected',
  rowsAccepted: 'RowsAccepted',
  rowsRejected: 'RowsRejected',
  rowsDuplicate: 'RowsDuplicate',
  comprehendCalls: 'ComprehendCalls',
  comprehendUnits: 'ComprehendUnits',
  /** Month-to-date Comprehend spend (admitted estimates, dollars); the budget alarm watches its maximum. */
  comprehendSpendMonthToDate: 'ComprehendSpendMonthToDateUsd',
  filesHeld: 'FilesHeld',
  digestsSent: 'DigestsSent',
} as const;

/**
 * Powertools service names: the `service` dimension of the custom metrics the dashboard reads, set by the stack
 * (`POWERTOOLS_SERVICE_NAME`) and by the handlers alike; environments are told apart by account, not by dimension.
 */
export const SERVICE_NAMES = { ingest: 'feedback-ingest', digest: 'feedback-digest' } as const;

/**
 * The source an export belongs to, from its object key or local path: `incoming/<source>/…` → `<source>`; a file
 * directly under `incoming/` → `default`; any other path → its parent folder (a local file's folder), else
 * `default`. The pipeline and `feedback check` both use it, so a dry run names the source the pipeline will.
 */
export function sourceOf(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const incoming = parts.indexOf(PREFIXES.incoming.replace(/\/$/, ''));
  if (incoming !== -1) return incoming + 2 < parts.length ? (parts[incoming + 1] as string) : 'default';
  return parts.length >= 2 ? (parts[parts.length - 2] as string) : 'default';
}
