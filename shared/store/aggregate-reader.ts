import { type DynamoDBDocumentClient, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AggregateCell,
  type AggregateReader,
  type CellCounts,
  emptyCounts,
  type MappingNotice,
  type SegmentDimension,
  type Verbatim,
} from '../domain/cells.js';
import { keys, THEME_ATTRIBUTE_PREFIX } from './feedback-table.js';

/**
 * Reads aggregate cells, verbatims and mapping notices from the feedback table: one Query per dimension, one per day
 * for verbatims and for notices.
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
      const pages = paginateQuery(
        { client: this.db },
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.cell(dimension, '', '').pk,
            ':from': `${query.from}#`,
            ':to': `${query.to}#\uffff`,
          },
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) cells.push(toCell(dimension, item));
    }
    return cells;
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
    if (name.startsWith(THEME_ATTRIBUTE_PREFIX)) {
      if (v > 0) counts.themes[name.slice(THEME_ATTRIBUTE_PREFIX.length)] = v;
    } else if (name in counts && name !== 'themes') {
      counts[name as Exclude<keyof CellCounts, 'themes'>] = v;
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
