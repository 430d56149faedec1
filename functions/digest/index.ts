import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { dynamoDbClient } from '../../shared/clients/dynamodb.js';
import { eventBridgeClient } from '../../shared/clients/eventbridge.js';
import { s3Client } from '../../shared/clients/s3.js';
import { sesClient } from '../../shared/clients/sesv2.js';
import { loadDigestConfig } from '../../shared/config/env.js';
import { PIPELINE_METRICS, SERVICE_NAMES } from '../../shared/config/resources.js';
import * as z from '../../shared/config/zod.js';
import { SEGMENT_DIMENSIONS } from '../../shared/domain/cells.js';
import { runDigestJob } from '../../shared/pipeline/digest-job.js';
import { DynamoAggregateReader } from '../../shared/store/aggregate-reader.js';
import { loadTaxonomy } from '../../shared/themes/taxonomy.js';

const config = loadDigestConfig();
// Read once per cold start: the digest labels themes from it on every run.
const taxonomy = loadTaxonomy(config.taxonomyFile);
const logger = new Logger({ serviceName: SERVICE_NAMES.digest });
const metrics = new Metrics({ namespace: PIPELINE_METRICS.namespace, serviceName: SERVICE_NAMES.digest });
// X-Ray: the invocation segment plus one subsegment per AWS call (a no-op off Lambda, e.g. on the local stack).
const tracer = new Tracer({ serviceName: SERVICE_NAMES.digest });
for (const client of [s3Client, dynamoDbClient, eventBridgeClient, sesClient]) tracer.captureAWSv3Client(client);
const reader = new DynamoAggregateReader(dynamoDbClient, config.table);

/** What EventBridge Scheduler sends (the schedule's input), or an explicit range for a manual run. */
const segments = z.optional(z.array(z.enum(SEGMENT_DIMENSIONS)));
const digestInput = z.union([
  z.object({ period: z.enum(['daily', 'weekly']), segments }),
  z.object({
    from: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    to: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    segments,
  }),
]);

export const handler = middy(async (event: unknown) => {
  const input = digestInput.parse(event);
  const period =
    'period' in input ? { kind: input.period } : { kind: 'custom' as const, from: input.from, to: input.to };
  const result = await runDigestJob(
    { reader, s3: s3Client, ses: sesClient, events: eventBridgeClient, config, taxonomy },
    { period, send: true, segments: input.segments },
  );
  metrics.addMetric(PIPELINE_METRICS.digestsSent, MetricUnit.Count, 1);
  logger.info('digest sent', { period: result.period, subject: result.subject, recipients: result.recipients });
  return { subject: result.subject, htmlKey: result.htmlKey, jsonKey: result.jsonKey, messageIds: result.messageIds };
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
