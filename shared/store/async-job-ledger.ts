import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { FileLeaseLostError } from '../domain/errors.js';
import type { AsyncJobLedger, AsyncJobsRecord } from '../ports/async-jobs.js';
import { isTransactionCanceled, names } from './dynamo.js';
import { keys, ttlAfterDays } from './feedback-table.js';

/** The item beside a file's ledger entry (same partition) that records its Comprehend jobs. */
function asyncKey(fileId: string): { pk: string; sk: string } {
  return { pk: keys.file(fileId).pk, sk: 'ASYNC' };
}

/**
 * A file's asynchronous Comprehend jobs in the feedback table. Every write is conditioned on the writer's lease
 * on the file, in one transaction with the check, so a worker that lost the file cannot overwrite its jobs.
 */
export class DynamoAsyncJobLedger implements AsyncJobLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { ledgerTtlDays: number; now?: () => Date },
  ) {}

  async readAsyncJobs(fileId: string): Promise<AsyncJobsRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: asyncKey(fileId), ConsistentRead: true }),
    );
    return out.Item?.record as AsyncJobsRecord | undefined;
  }

  async writeAsyncJobs(fileId: string, token: string, record: AsyncJobsRecord): Promise<void> {
    const now = this.options.now?.() ?? new Date();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: keys.file(fileId),
                ConditionExpression: '#leaseToken = :token',
                ExpressionAttributeNames: names('leaseToken'),
                ExpressionAttributeValues: { ':token': token },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...asyncKey(fileId), record, expiresAt: ttlAfterDays(now, this.options.ledgerTtlDays) },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (isTransactionCanceled(err) && err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new FileLeaseLostError(`Lease on ${fileId} was lost before its jobs were recorded`, { cause: err });
      }
      throw err;
    }
  }
}
