import type { ComprehendClient } from '@aws-sdk/client-comprehend';
import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IngestConfig } from '../../config/env.js';
import type { AsyncSentimentPorts } from '../../ports/async-jobs.js';
import { describeJob, startJob, stopJob } from '../../sentiment/async/job-client.js';
import type { TextCache } from '../../sentiment/text-cache.js';
import { DynamoAsyncJobLedger } from '../../store/async-job-ledger.js';
import { S3JobFiles } from '../../store/job-files.js';

export interface AsyncClients {
  s3: S3Client;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  comprehend: ComprehendClient;
}

/** The asynchronous path's ports over AWS (or the local stack: the same clients with other endpoints). */
export function awsAsyncSentimentPorts(
  clients: AsyncClients,
  config: IngestConfig,
  cache: TextCache,
  now?: () => Date,
): AsyncSentimentPorts {
  return {
    ledger: new DynamoAsyncJobLedger(clients.db, config.table, { ledgerTtlDays: config.ledgerTtlDays, now }),
    jobs: {
      start: (spec) => startJob(clients.comprehend, spec),
      describe: (kind, jobId) => describeJob(clients.comprehend, kind, jobId),
      stop: (kind, jobId) => stopJob(clients.comprehend, kind, jobId),
    },
    files: new S3JobFiles(clients.s3),
    poller: {
      checkLater: async (target, pollId, delaySeconds) => {
        await clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: config.queueUrl,
            MessageBody: JSON.stringify({ continuation: { ...target, asyncPoll: pollId } }),
            DelaySeconds: delaySeconds,
          }),
        );
      },
    },
    cache,
  };
}
