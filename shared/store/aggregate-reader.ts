import { type DynamoDBDocumentClient, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AggregateCell,
  type AggregateReader,
  type CellCounts,
  emptyCounts,
  type MappingNotice,
  type SegmentDimension,
  type ThemeCell,
  type ThemeQuote,
  type Verbatim,
} from '../domain/cells.js';
import { keys, PHRASE_ATTRIBUTE_PREFIX, themeQuotePrefix } from './feedback-table.js';

/**
 * Reads aggregate and theme cells, verbatims, theme quotes and mapping notices from the feedback table: one Query per
 * dimension, one per day for verbatims and notices, two per day and theme for quotes.
 */
export class DynamoAggregateReader implements AggregateReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async readCells(query: {
    from: string;
    to: string;
    dimensions: readonly SegmentDimension[];
  }): Promise<AggregateCell[]> {
    const cells: AggregateCell[] = [];
    for (const dimension of new Set(query.dimensions)) {
      for await (const item of this.dayRange(keys.cell(dimension, '', '').pk, query))
        cells.push(toCell(dimension, item));
    }
    return cells;
  }

  async readThemeCells(query: {
    from: string;
    to: string;
    dimensions: readonly SegmentDimension[];
  }): Promise<ThemeCell[]> {
    const cells: ThemeCell[] = [];
    for (const dimension of new Set(query.dimensions)) {
      for await (const item of this.dayRange(keys.themeCell(dimension, '', '', '').pk, query)) {
        cells.push({ ...toCell(dimension, item), value: item.value as string, theme: item.theme as string });
      }
    }
    return cells;
  }

  /** The best quote of each theme and polarity over the days: the highest score, the latest day on a tie. */
  async readThemeQuotes(query: { from: string; to: string; themes: readonly string[] }): Promise<ThemeQuote[]> {
    const reads: Promise<ThemeQuote | undefined>[] = [];
    for (const day of daysBetween(query.from, query.to)) {
      for (const theme of query.themes) {
        for (const polarity of ['negative', 'positive'] as const) reads.push(this.bestQuote(day, theme, polarity));
      }
    }
    const best = new Map<string, ThemeQuote>();
    for (const q of await Promise.all(reads)) {
      if (!q) continue;
      const key = `${q.theme}\u0000${q.polarity}`;
      const seen = best.get(key);
      if (!seen || q.score > seen.score || (q.score === seen.score && q.day > seen.day)) best.set(key, q);
    }
    return [...best.values()];
  }

  private async bestQuote(day: string, theme: string, polarity: 'negative' | 'positive') {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.themeQuote(day, theme, polarity, 1, '').pk,
          ':prefix': themeQuotePrefix(theme, polarity),
        },
        Limit: 1,
      }),
    );
    const item = page.Items?.[0];
    if (!item) return undefined;
    return {
      day,
      theme,
      polarity,
      score: item.score as number,
      text: item.text as string,
      source: item.source as string,
      fingerprint: item.fingerprint as string,
    } satisfies ThemeQuote;
  }

  /** Items of one partition whose sort key starts with a day in [from, to]. */
  private async *dayRange(pk: string, query: { from: string; to: string }): AsyncGenerator<Record<string, unknown>> {
    const input = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': `${query.from}#`, ':to': `${query.to}#\uffff` },
    };
    for await (const page of paginateQuery({ client: this.db }, input)) yield* page.Items ?? [];
  }

  async readVerbatims(query: { from: string; to: string; limit: number }): Promise<Verbatim[]> {
    const all: Verbatim[] = [];
    for (const day of daysBetween(query.from, query.to)) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `VERB#${day}` },
          Limit: query.limit,
        }),
      );
      for (const item of page.Items ?? []) {
        all.push({
          day,
          text: item.text as string,
          source: item.source as string,
          negative: item.negative as number,
          rating: item.rating as number | undefined,
          nps: item.nps as number | undefined,
        });
      }
    }
    return all.sort((a, b) => b.negative - a.negative).slice(0, query.limit);
  }

  async readMappingNotices(query: { from: string; to: string }): Promise<MappingNotice[]> {
    const all: MappingNotice[] = [];
    for (const day of daysBetween(query.from, query.to)) {
      const input = {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.notice(day, '').pk },
      };
      for await (const page of paginateQuery({ client: this.db }, input)) {
        for (const item of page.Items ?? []) {
          all.push({
            day,
            file: item.file as string,
            source: item.source as string,
            warnings: item.warnings as MappingNotice['warnings'],
          });
        }
      }
    }
    return all;
  }
}

function toCell(dimension: SegmentDimension, item: Record<string, unknown>): AggregateCell {
  const counts = emptyCounts();
  for (const [name, v] of Object.entries(item)) {
    if (typeof v !== 'number') continue;
    if (name.startsWith(PHRASE_ATTRIBUTE_PREFIX)) {
      if (v > 0) counts.phrases[name.slice(PHRASE_ATTRIBUTE_PREFIX.length)] = v;
    } else if (name in counts && name !== 'phrases') {
      counts[name as Exclude<keyof CellCounts, 'phrases'>] = v;
    }
  }
  const sk = item.sk as string;
  const hash = sk.indexOf('#');
  return { dimension, day: sk.slice(0, hash), value: sk.slice(hash + 1), counts };
}

/** Calendar days from `from` to `to` inclusive (YYYY-MM-DD, no time zone involved). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end && out.length < 3700) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
