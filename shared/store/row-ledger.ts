import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RowClaim, RowLedger } from '../ports/ingest.js';
import { decodeContribution, encodeContribution, type StoredContribution } from './contribution-codec.js';
import { backoff, isConditionFailure, itemOfConditionFailure, names } from './dynamo.js';
import { keys, ttlAfterDays } from './feedback-table.js';

const MAX_BATCH_GET = 100;

/**
 * The row ledger in the feedback table: one item per record fingerprint naming the file and row it counts for
 * (`ROW#<fingerprint>`). Only storage here; which version wins is the pipeline's rule (`pipeline/claim.ts`).
 */
export class DynamoRowLedger implements RowLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { ledgerTtlDays: number; now?: () => Date },
  ) {}

  async getClaims(fingerprints: readonly string[]): Promise<Map<string, RowClaim>> {
    const found = new Map<string, RowClaim>();
    const unique = [...new Set(fingerprints)];
    for (let i = 0; i < unique.length; i += MAX_BATCH_GET) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: unique.slice(i, i + MAX_BATCH_GET).map((fp) => keys.row(fp)) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.table] ?? []) {
          const claim = toClaim(item);
          found.set(claim.fingerprint, claim);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async insertClaim(claim: RowClaim): Promise<{ inserted: true } | { inserted: false; current?: RowClaim }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.row(claim.fingerprint), ...toItem(claim), expiresAt: this.ttl() },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { inserted: true };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const old = itemOfConditionFailure(err);
      const current = old ? toClaim(old) : (await this.getClaims([claim.fingerprint])).get(claim.fingerprint);
      return { inserted: false, current };
    }
  }

  async replaceClaim(expected: { fileId: string; row: number }, claim: RowClaim): Promise<boolean> {
    const item = toItem(claim);
    const previous = claim.previous;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.row(claim.fingerprint),
          ConditionExpression: '#fileId = :oldFile AND #row = :oldRow',
          UpdateExpression: previous
            ? 'SET #fileId = :file, #row = :row, #ver = :ver, #c = :c, #prev = :prev, #prevFile = :prevFile, ' +
              '#prevRow = :prevRow, #expiresAt = :ttl'
            : 'SET #fileId = :file, #row = :row, #ver = :ver, #c = :c, #expiresAt = :ttl REMOVE #prev, #prevFile, #prevRow',
          ExpressionAttributeNames: names('fileId', 'row', 'ver', 'c', 'prev', 'prevFile', 'prevRow', 'expiresAt'),
          ExpressionAttributeValues: {
            ':oldFile': expected.fileId,
            ':oldRow': expected.row,
            ':file': item.fileId,
            ':row': item.row,
            ':ver': item.ver,
            ':c': item.c,
            ':ttl': this.ttl(),
            ...(previous ? { ':prev': item.prev, ':prevFile': item.prevFile, ':prevRow': item.prevRow } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private ttl(): number {
    return ttlAfterDays(this.options.now?.() ?? new Date(), this.options.ledgerTtlDays);
  }
}

/** The stored attributes (one-letter names kept from the first layout: ledgers written before read the same). */
function toItem(claim: RowClaim) {
  return {
    fileId: claim.fileId,
    row: claim.row,
    ver: claim.version,
    c: encodeContribution(claim.contribution),
    prev: claim.previous ? encodeContribution(claim.previous.contribution) : undefined,
    prevFile: claim.previous?.fileId,
    prevRow: claim.previous?.row,
  };
}

function toClaim(a: Record<string, unknown>): RowClaim {
  const claim: RowClaim = {
    fingerprint: (a.pk as string).slice('ROW#'.length),
    fileId: a.fileId as string,
    row: Number(a.row),
    version: Number(a.ver ?? 0),
    contribution: decodeContribution(a.c as StoredContribution),
  };
  if (a.prev !== undefined) {
    claim.previous = {
      contribution: decodeContribution(a.prev as StoredContribution),
      fileId: (a.prevFile as string | undefined) ?? '',
      row: a.prevRow === undefined ? 0 : Number(a.prevRow),
    };
  }
  return claim;
}
