/** Small DynamoDB helpers every adapter of the feedback table shares: error translation, names, batching. */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const MAX_BATCH_WRITE = 25;

export function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

export function isTransactionCanceled(err: unknown): err is TransactionCanceledException {
  return (
    err instanceof TransactionCanceledException || (err as { name?: string })?.name === 'TransactionCanceledException'
  );
}

/**
 * The item a failed condition returned (`ReturnValuesOnConditionCheckFailure`): it arrives in the low-level
 * attribute-value shape even through the document client.
 */
export function itemOfConditionFailure(err: ConditionalCheckFailedException): Record<string, unknown> | undefined {
  return err.Item ? unmarshall(err.Item, { wrapNumbers: false }) : undefined;
}

/** Expression attribute names `#name → name` (many of ours are DynamoDB reserved words: status, row, state…). */
export function names(...attributes: string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((a) => [`#${a}`, a]));
}

/** Full-jitter exponential backoff before retrying unprocessed items. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2000, 50 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** BatchWriteItem in batches of 25, retrying unprocessed items with backoff. */
export async function batchWrite(
  db: DynamoDBDocumentClient,
  table: string,
  requests: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += MAX_BATCH_WRITE) {
    let pending: Record<string, Record<string, unknown>[]> | undefined = {
      [table]: requests.slice(i, i + MAX_BATCH_WRITE),
    };
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const out = await db.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = out.UnprocessedItems as typeof pending;
    }
  }
}
