/**
 * Environment variable names shared by the CDK stack (which sets them) and the functions (which read them
 * through `shared/config/env.ts`). Endpoint overrides use the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */
export const ENV = {
  bucketName: 'BUCKET_NAME',
  tableName: 'TABLE_NAME',
  queueUrl: 'QUEUE_URL',
  eventBusName: 'EVENT_BUS_NAME',
  eventSource: 'EVENT_SOURCE',
  businessTimeZone: 'BUSINESS_TIME_ZONE',
  /** Secrets Manager secret (ARN or name) holding the HMAC key for customer identifiers. */
  hashKeyParameter: 'HASH_KEY_PARAMETER',
  /** Plain HMAC key: local stack and tests only (production reads the SSM parameter). */
  hashKey: 'HASH_KEY',
  themesEnabled: 'THEMES_ENABLED',
  /** The theme taxonomy file, relative to the function's root (the Lambda task root, or the project locally). */
  taxonomyFile: 'THEME_TAXONOMY_FILE',
  /** Segment dimensions that get theme cells, comma-separated (`all` among them). */
  themeDimensions: 'THEME_DIMENSIONS',
  comprehendConcurrency: 'COMPREHEND_CONCURRENCY',
  spikeRatio: 'SPIKE_RATIO',
  spikeMinVolume: 'SPIKE_MIN_VOLUME',
  ledgerTtlDays: 'LEDGER_TTL_DAYS',
  cacheTtlDays: 'CACHE_TTL_DAYS',
  sesFrom: 'SES_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  digestRecipients: 'DIGEST_RECIPIENTS',
  /** `true` for emulators that need path-style S3 addressing (s3rver). */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  digestSegments: 'DIGEST_SEGMENTS',
  /** Seconds a worker's lease on a file lasts (a crashed worker's file is retried after it). */
  leaseSeconds: 'LEASE_SECONDS',
  /** Rows per committed segment (checkpoint). */
  segmentRows: 'SEGMENT_ROWS',
  /** Uncached unique texts in a file above which its sentiment goes through Comprehend's asynchronous jobs. */
  asyncThreshold: 'ASYNC_SENTIMENT_THRESHOLD',
  /** The role Comprehend assumes to read job input and write job output; unset, no asynchronous jobs are started. */
  comprehendJobRole: 'COMPREHEND_JOB_ROLE_ARN',
  /** Seconds between two checks of a file's running jobs (an SQS delay: at most 900). */
  asyncPollSeconds: 'ASYNC_POLL_SECONDS',
  /** Minutes a file waits for its jobs before it stops them and falls back to the synchronous calls. */
  asyncMaxWaitMinutes: 'ASYNC_MAX_WAIT_MINUTES',
} as const;

/**
 * Overrides of the ingest read limits (each unset one keeps its default from shared/ingest/limits.ts): environment
 * variable → the `ReadExportOptions` field it sets.
 */
export const LIMIT_ENV = {
  MAX_TEXT_LENGTH: 'maxTextLength',
  MAX_CELL_SIZE: 'maxCellSize',
  MAX_FILE_BYTES: 'maxFileBytes',
  MAX_INFLATED_BYTES: 'maxInflatedBytes',
  MAX_INFLATION_RATIO: 'maxInflationRatio',
  MAX_ROWS: 'maxRows',
  MAX_COLUMNS: 'maxColumns',
  MAX_SHARED_STRINGS: 'maxSharedStrings',
  MAX_SHARED_STRING_CHARS: 'maxSharedStringChars',
} as const;
