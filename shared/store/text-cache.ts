import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CachedAnalysis, TextCache } from '../sentiment/text-cache.js';
import { keys, ttlAfterDays } from './feedback-table.js';

/**
 * Sentiment results by text hash, shared by every file so re-uploads and overlapping exports never pay
 * Comprehend twice. Entries expire through the table's TTL; expired-but-not-yet-deleted items are ignored.
 */
export class DynamoTextCache implements TextCache {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getMany(textKeys: string[]): Promise<Map<string, CachedAnalysis>> {
    const found = new Map<string, CachedAnalysis>();
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const unique = [...new Set(textKeys)];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: unique.slice(i, i + 100).map((k) => keys.text(k)) },
      };
      while (request && Object.keys(request).length > 0) {
        const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.table] ?? []) {
          if (typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds) continue;
          found.set((item.pk as string).slice('TXT#'.length), item.v as CachedAnalysis);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async putMany(entries: Map<string, CachedAnalysis>): Promise<void> {
    const expiresAt = ttlAfterDays(this.now(), this.ttlDays);
    const requests = [...entries].map(([k, v]) => ({ PutRequest: { Item: { ...keys.text(k), v, expiresAt } } }));
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, unknown[]> | undefined = { [this.table]: requests.slice(i, i + 25) };
      while (pending && Object.keys(pending).length > 0) {
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: pending as never }));
        pending = out.UnprocessedItems as typeof pending;
      }
    }
  }
}
