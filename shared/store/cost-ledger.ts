import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Admission, AdmitResult, CostLedger, HeldFile } from '../ports/cost.js';
import { isTransactionCanceled, names } from './dynamo.js';
import { keys, ttlAfterDays } from './feedback-table.js';

/**
 * Items of the budget guard in the feedback table:
 * - `BUDGET#<YYYY-MM>` / `SPEND`: the month's spend (admitted estimates) in micro-dollars, and how many files;
 * - `COST#<fileId>` / `ADMISSION`: that a file was charged, to which month, how much (written with the charge, in
 *   one transaction, under `attribute_not_exists`: a redelivered or retried file is never charged twice);
 * - `HELD` / `<fileId>`: the files waiting for budget (one small partition: held files are few by nature).
 */
export const costKeys = {
  spend: (month: string) => ({ pk: `BUDGET#${month}`, sk: 'SPEND' }),
  admission: (fileId: string) => ({ pk: `COST#${fileId}`, sk: 'ADMISSION' }),
  held: (fileId: string) => ({ pk: 'HELD', sk: fileId }),
} as const;

export class DynamoCostLedger implements CostLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { ledgerTtlDays: number; now?: () => Date } = { ledgerTtlDays: 400 },
  ) {}

  private ttl(): number {
    return ttlAfterDays(this.options.now?.() ?? new Date(), this.options.ledgerTtlDays);
  }

  async admissionOf(fileId: string): Promise<{ admission?: Admission; forced: boolean }> {
    const [admission, held] = await Promise.all([
      this.get(costKeys.admission(fileId)),
      this.get(costKeys.held(fileId)),
    ]);
    return {
      ...(admission ? { admission: toAdmission(admission) } : {}),
      forced: held?.forced === true && typeof held.releasedAt === 'string',
    };
  }

  async spentMicroUsd(month: string): Promise<number> {
    const item = await this.get(costKeys.spend(month));
    return Number(item?.spentMicroUsd ?? 0);
  }

  async admit(fileId: string, charge: Admission, maxSpentMicroUsd?: number): Promise<AdmitResult> {
    const limited = maxSpentMicroUsd !== undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...costKeys.admission(fileId), ...charge, expiresAt: this.ttl() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: costKeys.spend(charge.month),
                UpdateExpression: 'ADD #spentMicroUsd :estimate, #files :one SET #expiresAt = :ttl',
                ...(limited
                  ? { ConditionExpression: 'attribute_not_exists(#spentMicroUsd) OR #spentMicroUsd <= :max' }
                  : {}),
                ExpressionAttributeNames: names('spentMicroUsd', 'files', 'expiresAt'),
                ExpressionAttributeValues: {
                  ':estimate': charge.estimateMicroUsd,
                  ':one': 1,
                  ':ttl': this.ttl(),
                  ...(limited ? { ':max': maxSpentMicroUsd } : {}),
                },
              },
            },
            // Admitted: no longer waiting (a no-op for a file that was never held).
            { Delete: { TableName: this.table, Key: costKeys.held(fileId) } },
          ],
        }),
      );
      return { admitted: true, admission: charge };
    } catch (err) {
      if (!isTransactionCanceled(err)) throw err;
      const [alreadyAdmitted, overBudget] = (err.CancellationReasons ?? []).map(
        (r) => r.Code === 'ConditionalCheckFailed',
      );
      if (alreadyAdmitted) {
        const existing = await this.get(costKeys.admission(fileId));
        if (existing) return { admitted: true, admission: toAdmission(existing) };
      }
      if (overBudget) return { admitted: false };
      throw err;
    }
  }

  async putHeld(file: HeldFile): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...costKeys.held(file.fileId), ...file, expiresAt: this.ttl() },
      }),
    );
  }

  async heldFiles(): Promise<HeldFile[]> {
    const out: HeldFile[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'HELD' },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, expiresAt: _ttl, ...file } = item;
        out.push(file as HeldFile);
      }
    }
    return out;
  }

  async release(fileId: string, options: { forced: boolean; at: Date }): Promise<'released' | 'not-held'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Back to `processing` with a free lease; the held outcome's summary goes, so the worker starts afresh.
              Update: {
                TableName: this.table,
                Key: keys.file(fileId),
                ConditionExpression: '#status = :held',
                UpdateExpression:
                  'SET #status = :processing, #leaseExpiresAt = :zero ' +
                  'REMOVE #leaseToken, #summary, #eventsPublished, #completedAt',
                ExpressionAttributeNames: names(
                  'status',
                  'leaseExpiresAt',
                  'leaseToken',
                  'summary',
                  'eventsPublished',
                  'completedAt',
                ),
                ExpressionAttributeValues: { ':held': 'held', ':processing': 'processing', ':zero': 0 },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: costKeys.held(fileId),
                ConditionExpression: 'attribute_exists(pk)',
                UpdateExpression: 'SET #releasedAt = :at, #forced = :forced',
                ExpressionAttributeNames: names('releasedAt', 'forced'),
                ExpressionAttributeValues: { ':at': options.at.toISOString(), ':forced': options.forced },
              },
            },
          ],
        }),
      );
      return 'released';
    } catch (err) {
      if (isTransactionCanceled(err) && err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed'))
        return 'not-held';
      throw err;
    }
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item;
  }
}

function toAdmission(item: Record<string, unknown>): Admission {
  return {
    month: String(item.month),
    estimateMicroUsd: Number(item.estimateMicroUsd ?? 0),
    forced: item.forced === true,
  };
}
