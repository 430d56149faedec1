import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IngestConfig } from '../config/env.js';
import { publishEvents } from '../events/publisher.js';
import type { IngestPorts } from '../ports/ingest.js';
import { DynamoAggregateReader } from '../store/aggregate-reader.js';
import { DynamoCostLedger } from '../store/cost-ledger.js';
import { LedgerStore } from '../store/ledger-store.js';
import { S3ObjectStore } from '../store/object-store.js';
import { DynamoRowLedger } from '../store/row-ledger.js';
import { DynamoTextCache } from '../store/text-cache.js';

export interface AwsClients {
  s3: S3Client;
  db: DynamoDBDocumentClient;
  events: EventBridgeClient;
  sqs: SQSClient;
}

/** The ingest ports over AWS (or the local stack: the same clients with other endpoints). */
export function awsIngestPorts(clients: AwsClients, config: IngestConfig, now?: () => Date): IngestPorts {
  const ledgerOptions = { ledgerTtlDays: config.ledgerTtlDays, now };
  const ledgers = new LedgerStore(clients.db, config.table, ledgerOptions);
  return {
    objects: new S3ObjectStore(clients.s3),
    continuations: {
      continueLater: async (target) => {
        await clients.sqs.send(
          new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: JSON.stringify({ continuation: target }) }),
        );
      },
    },
    events: {
      publish: (events) =>
        publishEvents(events, { client: clients.events, busName: config.eventBus, source: config.eventSource }),
    },
    files: ledgers,
    rows: new DynamoRowLedger(clients.db, config.table, ledgerOptions),
    outbox: ledgers,
    digestNotes: ledgers,
    spikes: ledgers,
    cells: new DynamoAggregateReader(clients.db, config.table),
    cost: {
      ledger: new DynamoCostLedger(clients.db, config.table, ledgerOptions),
      textCache: new DynamoTextCache(clients.db, config.table, config.cacheTtlDays, now),
    },
  };
}
