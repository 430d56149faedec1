import {
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CellCounts, type MappingNotice, parseCellKey, type ThemeQuote } from '../domain/cells.js';
import { FileLeaseHeldError, FileLeaseLostError } from '../domain/errors.js';
import type {
  DigestNotes,
  FileLedger,
  FileLedgerEntry,
  FileStatus,
  Outbox,
  OutboxEntry,
  SegmentCommit,
  SpikeLedger,
  VerbatimInput,
} from '../ports/ingest.js';
import { batchWrite, isConditionFailure, isTransactionCanceled, itemOfConditionFailure, names } from './dynamo.js';
import { keys, PHRASE_ATTRIBUTE_PREFIX, ttlAfterDays } from './feedback-table.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** DynamoDB's limits: 100 actions per transaction, 100 keys per BatchGetItem, 25 requests per BatchWriteItem. */
const MAX_TRANSACTION_ACTIONS = 100;
/** Cells per transaction: the remaining action is the file-ledger update (or the staged part's delete). */
export const CELLS_PER_TRANSACTION = MAX_TRANSACTION_ACTIONS - 1;
/** Largest segment we stage: 99 staged parts of 99 cells each, committed with one checkpoint. */
export const MAX_SEGMENT_CELLS = CELLS_PER_TRANSACTION * (MAX_TRANSACTION_ACTIONS - 1);
/** Phrases kept per cell update, so an update expression stays well inside DynamoDB's 4 KB expression limit. */
const MAX_PHRASES_PER_UPDATE = 60;

/**
 * The file ledger (lease, checkpoint, staged parts, outcome), the event outbox, the spike ledger, negative
 * verbatims and the aggregate cells of the feedback table. All methods take and return plain values; SDK errors
 * are translated into the domain's errors. The row ledger has its own adapter (`row-ledger.ts`).
 */
export class LedgerStore implements FileLedger, Outbox, DigestNotes, SpikeLedger {
  readonly maxSegmentCells = MAX_SEGMENT_CELLS;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { ledgerTtlDays: number; now?: () => Date } = { ledgerTtlDays: 400 },
  ) {}

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  /**
   * Takes (or renews) the lease on a file. Returns the entry, which may already be `processed` or `failed`
   * (then there is nothing to do). Throws FileLeaseHeldError while another worker's lease is live.
   */
  async acquireFile(
    file: { fileId: string; bucket: string; key: string; etag: string },
    token: string,
    leaseMs: number,
  ): Promise<FileLedgerEntry> {
    const now = this.now().getTime();
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.file(file.fileId),
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :processing AND (#leaseExpiresAt < :now OR #leaseToken = :token))',
          UpdateExpression:
            'SET #leaseToken = :token, #leaseExpiresAt = :expires, #status = if_not_exists(#status, :processing), ' +
            '#nextRow = if_not_exists(#nextRow, :one), #segment = if_not_exists(#segment, :zero), ' +
            '#bucket = :bucket, #objectKey = :key, #etag = :etag, #fileId = :fileId, ' +
            '#createdAt = if_not_exists(#createdAt, :nowIso), #expiresAt = :ttl',
          ExpressionAttributeNames: names(
            'status',
            'segment',
            'leaseToken',
            'leaseExpiresAt',
            'nextRow',
            'bucket',
            'objectKey',
            'etag',
            'fileId',
            'createdAt',
            'expiresAt',
          ),
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':now': now,
            ':token': token,
            ':expires': now + leaseMs,
            ':one': 1,
            ':zero': 0,
            ':bucket': file.bucket,
            ':key': file.key,
            ':etag': file.etag,
            ':fileId': file.fileId,
            ':nowIso': new Date(now).toISOString(),
            ':ttl': ttlAfterDays(new Date(now), this.options.ledgerTtlDays),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toFileEntry(out.Attributes ?? {});
    } catch (err) {
      if (isConditionFailure(err)) {
        const old = itemOfConditionFailure(err);
        const entry = old ? toFileEntry(old) : undefined;
        if (entry && entry.status !== 'processing') return entry;
        throw new FileLeaseHeldError(`File ${file.key} is being processed by another worker`, { cause: err });
      }
      throw err;
    }
  }

  /** Gives the lease up (for a hand-off to a continuation), keeping the checkpoint. */
  async releaseFile(fileId: string, token: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.file(fileId),
          ConditionExpression: '#leaseToken = :token',
          UpdateExpression: 'SET #leaseExpiresAt = :zero REMOVE #leaseToken',
          ExpressionAttributeNames: names('leaseToken', 'leaseExpiresAt'),
          ExpressionAttributeValues: { ':token': token, ':zero': 0 },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new FileLeaseLostError(`Lease on ${fileId} was lost`, { cause: err });
      throw err;
    }
  }

  /** Writes outbox entries (idempotent puts with deterministic keys) before the segment that justifies them commits. */
  async putOutbox(fileId: string, entries: readonly OutboxEntry[]): Promise<void> {
    const seen = new Map<number, number>();
    const requests = entries.map((e) => {
      const n = seen.get(e.row) ?? 0;
      seen.set(e.row, n + 1);
      return {
        PutRequest: {
          Item: {
            ...keys.outbox(fileId, e.row, n),
            row: e.row,
            detailType: e.detailType,
            detail: e.detail,
            expiresAt: ttlAfterDays(this.now(), 30),
          },
        },
      };
    });
    await batchWrite(this.db, this.table, requests);
  }

  /** Outbox entries of rows already committed (row < nextRow), in row order. */
  async readCommittedOutbox(fileId: string, nextRow: number): Promise<(OutboxEntry & { sk: string })[]> {
    const out: (OutboxEntry & { sk: string })[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.file(fileId).pk, ':prefix': 'OUTBOX#' },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if ((item.row as number) < nextRow) {
          out.push({
            sk: item.sk as string,
            row: item.row as number,
            detailType: item.detailType as OutboxEntry['detailType'],
            detail: item.detail as Record<string, unknown>,
          });
        }
      }
    }
    return out;
  }

  async deleteOutbox(fileId: string, sks: readonly string[]): Promise<void> {
    const pk = keys.file(fileId).pk;
    await batchWrite(
      this.db,
      this.table,
      sks.map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })),
    );
  }

  /**
   * Commits one segment: its cell deltas and the checkpoint that says the segment's rows are done, atomically.
   * The condition on the file ledger (our lease and the segment's start row) makes a stale or concurrent
   * worker's commit fail instead of counting twice. Segments touching more cells than one transaction holds are
   * staged first (staging + checkpoint in one transaction) and then applied part by part, each part's cell
   * updates in one transaction with the deletion of its staged item.
   */
  async commitSegment(input: SegmentCommit): Promise<{ cellWrites: number }> {
    const { cells } = input;
    const fileUpdate: TransactItem = {
      Update: {
        TableName: this.table,
        Key: keys.file(input.fileId),
        ConditionExpression: '#leaseToken = :token AND #nextRow = :start',
        UpdateExpression: 'SET #nextRow = :next, #segment = :segment, #resume = :resume, #state = :state',
        ExpressionAttributeNames: names('leaseToken', 'nextRow', 'segment', 'resume', 'state'),
        ExpressionAttributeValues: {
          ':token': input.token,
          ':start': input.segmentStartRow,
          ':next': input.nextRow,
          ':segment': input.segment,
          ':resume': input.resume ?? null,
          ':state': input.state,
        },
      },
    };
    if (cells.length <= CELLS_PER_TRANSACTION) {
      await this.transact([...cells.map(([k, c]) => this.cellUpdate(k, c)), fileUpdate], input.fileId);
      return { cellWrites: cells.length };
    }
    if (cells.length > MAX_SEGMENT_CELLS) {
      throw new Error(`Segment touches ${cells.length} cells; the pipeline must cut segments at ${MAX_SEGMENT_CELLS}`);
    }
    const parts: TransactItem[] = [];
    for (let i = 0, part = 0; i < cells.length; i += CELLS_PER_TRANSACTION, part++) {
      parts.push({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.stage(input.fileId, input.segment, part),
            cells: cells.slice(i, i + CELLS_PER_TRANSACTION).map(([k, c]) => ({ k, c })),
          },
        },
      });
    }
    await this.transact([...parts, fileUpdate], input.fileId);
    const cellWrites = await this.applyStaged(input.fileId);
    return { cellWrites };
  }

  /** Applies staged parts left by a committed segment (after a crash, or right after staging). */
  async applyStaged(fileId: string): Promise<number> {
    let writes = 0;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.file(fileId).pk, ':prefix': 'STAGE#' },
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const cells = item.cells as { k: string; c: CellCounts }[];
      try {
        await this.transact(
          [
            ...cells.map(({ k, c }) => this.cellUpdate(k, c)),
            {
              Delete: {
                TableName: this.table,
                Key: { pk: item.pk, sk: item.sk },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
          fileId,
        );
        writes += cells.length;
      } catch (err) {
        // Another worker applied this part between our read and our write: nothing left to do for it.
        if (!(err instanceof FileLeaseLostError)) throw err;
      }
    }
    if (page.LastEvaluatedKey) writes += await this.applyStaged(fileId);
    return writes;
  }

  async completeFile(
    fileId: string,
    token: string,
    status: Exclude<FileStatus, 'processing'>,
    summary: Parameters<FileLedger['completeFile']>[3],
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.file(fileId),
          ConditionExpression: '#leaseToken = :token',
          UpdateExpression:
            'SET #status = :status, #summary = :summary, #completedAt = :now REMOVE #leaseToken, #resume',
          ExpressionAttributeNames: names('leaseToken', 'status', 'summary', 'completedAt', 'resume'),
          ExpressionAttributeValues: {
            ':token': token,
            ':status': status,
            ':summary': summary,
            ':now': this.now().toISOString(),
          },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new FileLeaseLostError(`Lease on ${fileId} was lost`, { cause: err });
      throw err;
    }
  }

  async markEventsPublished(fileId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.file(fileId),
        UpdateExpression: 'SET #eventsPublished = :t',
        ExpressionAttributeNames: names('eventsPublished'),
        ExpressionAttributeValues: { ':t': true },
      }),
    );
  }

  /** Records a spike once per day and segment; returns true the first time. */
  async claimSpike(day: string, dimension: string, value: string, detail: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.spike(day, dimension as never, value),
            detail,
            expiresAt: ttlAfterDays(this.now(), this.options.ledgerTtlDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Keeps a redacted negative verbatim for the digest (idempotent: keyed by day, score and fingerprint). */
  async putVerbatims(items: readonly VerbatimInput[]): Promise<void> {
    // BatchWriteItem refuses two requests for one key: two versions of an edited record in one segment can share
    // day, score and fingerprint. The later one wins, as it would written one after the other.
    const byKey = new Map<string, { key: ReturnType<typeof keys.verbatim>; v: (typeof items)[number] }>();
    for (const v of items) {
      const key = keys.verbatim(v.day, v.negative, v.fingerprint);
      byKey.set(`${key.pk}\u0000${key.sk}`, { key, v });
    }
    await batchWrite(
      this.db,
      this.table,
      [...byKey.values()].map(({ key, v }) => ({
        PutRequest: {
          Item: {
            ...key,
            day: v.day,
            text: v.text,
            source: v.source,
            negative: v.negative,
            rating: v.rating,
            nps: v.nps,
            expiresAt: ttlAfterDays(this.now(), this.options.ledgerTtlDays),
          },
        },
      })),
    );
  }

  /** Keeps each theme quote (idempotent: keyed by day, theme, polarity, score and fingerprint). */
  async putThemeQuotes(quotes: readonly ThemeQuote[]): Promise<void> {
    const expiresAt = ttlAfterDays(this.now(), this.options.ledgerTtlDays);
    const byKey = new Map<string, Record<string, unknown>>();
    for (const q of quotes) {
      const key = keys.themeQuote(q.day, q.theme, q.polarity, q.score, q.fingerprint);
      byKey.set(`${key.pk}\u0000${key.sk}`, { ...key, ...q, expiresAt });
    }
    await batchWrite(
      this.db,
      this.table,
      [...byKey.values()].map((Item) => ({ PutRequest: { Item } })),
    );
  }

  /** One item per day and file: a retry rewrites the same items. */
  async putMappingNotices(fileId: string, notices: readonly MappingNotice[]): Promise<void> {
    const expiresAt = ttlAfterDays(this.now(), this.options.ledgerTtlDays);
    await batchWrite(
      this.db,
      this.table,
      notices.map((n) => ({
        PutRequest: {
          Item: {
            ...keys.notice(n.day, fileId),
            day: n.day,
            file: n.file,
            source: n.source,
            warnings: n.warnings,
            expiresAt,
          },
        },
      })),
    );
  }

  private cellUpdate(cellKeyString: string, counts: CellCounts): TransactItem {
    const { dimension, value, day, theme } = parseCellKey(cellKeyString);
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    let i = 0;
    for (const [field, n] of Object.entries(counts)) {
      if (field === 'phrases' || n === 0) continue;
      names[`#f${i}`] = field;
      values[`:v${i}`] = n as number;
      adds.push(`#f${i} :v${i}`);
      i++;
    }
    const phrases = Object.entries(counts.phrases)
      .filter(([, n]) => n !== 0)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, MAX_PHRASES_PER_UPDATE);
    for (const [phrase, n] of phrases) {
      names[`#f${i}`] = `${PHRASE_ATTRIBUTE_PREFIX}${phrase}`;
      values[`:v${i}`] = n;
      adds.push(`#f${i} :v${i}`);
      i++;
    }
    names['#dim'] = 'dimension';
    names['#val'] = 'value';
    names['#day'] = 'day';
    const set = ['#dim = :dim', '#val = :val', '#day = :day'];
    const attributes: Record<string, string | number> = { ...values, ':dim': dimension, ':val': value, ':day': day };
    if (theme !== undefined) {
      names['#theme'] = 'theme';
      set.push('#theme = :theme');
      attributes[':theme'] = theme;
    }
    return {
      Update: {
        TableName: this.table,
        Key: theme === undefined ? keys.cell(dimension, day, value) : keys.themeCell(dimension, day, value, theme),
        UpdateExpression: `SET ${set.join(', ')} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: attributes,
      },
    };
  }

  private async transact(items: TransactItem[], fileId: string): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (isTransactionCanceled(err) && err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new FileLeaseLostError(`Commit for ${fileId} was refused: lease lost or segment already committed`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}

function toFileEntry(a: Record<string, unknown>): FileLedgerEntry {
  return {
    fileId: a.fileId as string,
    bucket: a.bucket as string,
    key: a.objectKey as string,
    etag: a.etag as string,
    status: a.status as FileStatus,
    leaseToken: a.leaseToken as string | undefined,
    nextRow: Number(a.nextRow ?? 1),
    segment: Number(a.segment ?? 0),
    resume: a.resume ?? undefined,
    state: a.state as Record<string, unknown> | undefined,
    summary: a.summary as Record<string, unknown> | undefined,
    eventsPublished: a.eventsPublished === true,
  };
}
