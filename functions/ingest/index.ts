import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { comprehendClient } from '../../shared/clients/comprehend.js';
import { dynamoDbClient } from '../../shared/clients/dynamodb.js';
import { eventBridgeClient } from '../../shared/clients/eventbridge.js';
import { s3Client } from '../../shared/clients/s3.js';
import { secretsManagerClient } from '../../shared/clients/secrets-manager.js';
import { sqsClient } from '../../shared/clients/sqs.js';
import { loadIngestConfig } from '../../shared/config/env.js';
import { createHashKeyLoader } from '../../shared/config/hash-key.js';
import { PIPELINE_METRICS, SERVICE_NAMES } from '../../shared/config/resources.js';
import { FileLeaseLostError } from '../../shared/domain/errors.js';
import { awsAsyncSentimentPorts } from '../../shared/pipeline/async-sentiment/aws-ports.js';
import type { AsyncSentiment } from '../../shared/pipeline/async-sentiment/gate.js';
import { awsIngestPorts } from '../../shared/pipeline/aws-ports.js';
import { isRequeueHeldMessage, requeueHeldFiles } from '../../shared/pipeline/held-files.js';
import { ingestObject } from '../../shared/pipeline/ingest-object.js';
import { targetsOf } from '../../shared/pipeline/queue-message.js';
import { analyze } from '../../shared/sentiment/comprehend-adapter.js';
import { DynamoTextCache } from '../../shared/store/text-cache.js';
import { ThemeMatcher } from '../../shared/themes/matcher.js';
import { loadTaxonomy } from '../../shared/themes/taxonomy.js';

const config = loadIngestConfig();
const themes = config.themes ? new ThemeMatcher(loadTaxonomy(config.taxonomyFile)) : undefined;
const logger = new Logger({ serviceName: SERVICE_NAMES.ingest });
const metrics = new Metrics({ namespace: PIPELINE_METRICS.namespace, serviceName: SERVICE_NAMES.ingest });
// X-Ray: the invocation segment plus one subsegment per AWS call (a no-op off Lambda, e.g. on the local stack).
const tracer = new Tracer({ serviceName: SERVICE_NAMES.ingest });
for (const client of [s3Client, dynamoDbClient, eventBridgeClient, sqsClient, comprehendClient, secretsManagerClient])
  tracer.captureAWSv3Client(client);
const loadHashKey = createHashKeyLoader(secretsManagerClient);
const textCache = new DynamoTextCache(dynamoDbClient, config.table, config.cacheTtlDays);

const ports = awsIngestPorts({ s3: s3Client, db: dynamoDbClient, events: eventBridgeClient, sqs: sqsClient }, config);
const clients = { s3: s3Client, db: dynamoDbClient, sqs: sqsClient, comprehend: comprehendClient };
const asyncSentiment: AsyncSentiment | undefined = config.asyncJobs && {
  ports: awsAsyncSentimentPorts(clients, config, textCache),
  config: config.asyncJobs,
  themes: config.themes,
  metric: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
  log: (level, message, data) => logger[level](message, data ?? {}),
};

/** One queue message; `context` comes from the batch processor, so concurrent invocations each see their own deadline. */
async function processRecord(record: SQSRecord, context?: Context): Promise<void> {
  // The monthly schedule's message: files held for want of budget go back to the queue.
  if (isRequeueHeldMessage(record.body) && ports.cost) {
    const requeued = await requeueHeldFiles({ ledger: ports.cost.ledger, continuations: ports.continuations });
    logger.info('held files re-queued for the new month', { files: requeued.length });
    return;
  }
  const hashKey = await loadHashKey(config);
  const remainingMs = context ? () => context.getRemainingTimeInMillis() : undefined;
  for (const target of targetsOf(record.body)) {
    try {
      const result = await ingestObject(target, {
        ports,
        config,
        themes,
        hashKey,
        remainingMs,
        analyzer: {
          analyze: (requests, options) =>
            analyze(requests, {
              ...options,
              client: comprehendClient,
              cache: textCache,
              concurrency: config.comprehendConcurrency,
              themes: config.themes,
              logger: { warn: (message, extra) => logger.warn(message, extra ?? {}) },
            }),
        },
        log: (level, message, data) => logger[level](message, data ?? {}),
        asyncSentiment,
        onBudgetStanding: (standing) =>
          metrics.addMetric(PIPELINE_METRICS.comprehendSpendMonthToDate, MetricUnit.NoUnit, standing.monthToDateUsd),
      });
      if (result.status === 'processed' && result.report) {
        const r = result.report;
        metrics.addMetric(PIPELINE_METRICS.filesProcessed, MetricUnit.Count, 1);
        metrics.addMetric(PIPELINE_METRICS.rowsAccepted, MetricUnit.Count, r.rows.accepted);
        metrics.addMetric(PIPELINE_METRICS.rowsRejected, MetricUnit.Count, r.rows.rejected);
        metrics.addMetric(PIPELINE_METRICS.rowsDuplicate, MetricUnit.Count, r.rows.duplicates);
        metrics.addMetric(PIPELINE_METRICS.comprehendCalls, MetricUnit.Count, r.comprehend.calls);
        metrics.addMetric(PIPELINE_METRICS.comprehendUnits, MetricUnit.Count, r.comprehend.units);
      } else if (result.status === 'failed') {
        metrics.addMetric(PIPELINE_METRICS.filesRejected, MetricUnit.Count, 1);
      } else if (result.status === 'held') {
        metrics.addMetric(PIPELINE_METRICS.filesHeld, MetricUnit.Count, 1);
      }
      logger.info('ingest finished', { key: target.key, status: result.status, reportKey: result.reportKey });
    } catch (err) {
      // A worker that lost its lease stops quietly: the worker that took over owns the file now.
      if (err instanceof FileLeaseLostError) {
        logger.warn('lease lost, leaving the file to the worker that took it over', { key: target.key });
        continue;
      }
      // The message goes back to the queue (and to the DLQ after its receives run out): say why, once per attempt.
      logger.error('ingest failed; the message will be retried', { key: target.key, error: err as Error });
      throw err;
    }
  }
}

/**
 * SQS batch handler: one failed message is reported as a partial batch failure and retried alone. A processor per
 * invocation: a BatchProcessor keeps the batch it is working on in its own fields, so invocations that overlap in one
 * process (the local stack's parallel pollers) would report each other's message ids through a shared one.
 */
export const handler = middy(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), { context }),
)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
