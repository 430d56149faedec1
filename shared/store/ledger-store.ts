import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CellCounts, parseCellKey } from '../domain/cells.js';
import type { Contribution } from '../domain/contribution.js';
import { FileLeaseHeldError, FileLeaseLostError } from '../domain/errors.js';
import { decodeContribution, encodeContribution, type StoredContribution } from './contribution-codec.js';
import { keys, THEME_ATTRIBUTE_PREFIX, ttlAfterDays } from './feedback-table.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** DynamoDB's limits: 100 actions per transaction, 100 keys per BatchGetItem, 25 requests per BatchWriteItem. */
const MAX_TRANSACTION_ACTIONS = 100;
const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
/** Cells per transaction: the remaining action is the file-ledger update (or the staged part's delete). */
export const CELLS_PER_TRANSACTION = MAX_TRANSACTION_ACTIONS - 1;
/** Largest segment we stage: 99 staged parts of 99 cells each, committed with one checkpoint. */
export const MAX_SEGMENT_CELLS = CELLS_PER_TRANSACTION * (MAX_TRANSACTION_ACTIONS - 1);
/** Themes kept per cell update, so an update expression stays well inside DynamoDB's 4 KB expression limit. */
const MAX_THEMES_PER_UPDATE = 60;

export type FileStatus = 'processing' | 'processed' | 'failed';

export interface FileProgress {
  total: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  withText: number;
  [extra: string]: unknown;
}

export interface FileLedgerEntry {
  fileId: string;
  bucket: string;
  key: string;
  etag: string;
  status: FileStatus;
  leaseToken?: string;
  nextRow: number;
  segment: number;
  resume?: unknown;
  progress?: FileProgress;
  /** Free-form state the pipeline persists with the checkpoint (partial report, usage...). */
  state?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  eventsPublished?: boolean;
}

/** An existing row-ledger claim. */
export interface RowClaim {
  fingerprint: string;
  fileId: string;
  row: number;
  ver: number;
  c: Contribution;
  prev?: Contribution;
  /** File and row whose contribution `prev` is. */
  prevFile?: string;
  prevRow?: number;
}

export type ClaimOutcome =
  | { kind: 'new' }
  | { kind: 'mine'; contribution: Contribution; retract?: { contribution: Contribution; fileId: string; row: number } }
  | { kind: 'duplicate'; sameFile: boolean }
  | { kind: 'supersede'; retract: Contribution; sameFile: boolean };

export interface OutboxEntry {
  row: number;
  detailType: string;
  detail: Record<string, unknown>;
}

function isConditionFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

function isTransactionCanceled(err: unknown): err is TransactionCanceledException {
  return (
    err instanceof TransactionCanceledException || (err as { name?: string })?.name === 'TransactionCanceledException'
  );
}

/** Classify what a record at `row` of `fileId` is, given the claim already in the ledger. */
export function classifyAgainstClaim(claim: RowClaim, fileId: string, row: number, ver: number): ClaimOutcome {
  if (claim.fileId === fileId && claim.row === row) {
    return claim.prev
      ? {
          kind: 'mine',
          contribution: claim.c,
          retract: { contribution: claim.prev, fileId: claim.prevFile ?? '', row: claim.prevRow ?? 0 },
        }
      : { kind: 'mine', contribution: claim.c };
  }
  const sameFile = claim.fileId === fileId;
  if (ver > claim.ver) return { kind: 'supersede', retract: claim.c, sameFile };
  return { kind: 'duplicate', sameFile };
}

/**
 * The ledgers and aggregate cells of the feedback table: everything the exactly-once ingest needs.
 * All methods take and return plain values; SDK errors are translated into the domain errors above.
 */
export class LedgerStore {
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
        const old = (err as ConditionalCheckFailedException).Item;
        const entry = old ? toFileEntry(unmarshallLoose(old)) : undefined;
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

  /** Reads the row-ledger claims of these fingerprints (missing ones are absent from the map). */
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

  /**
   * Claims a fingerprint for this file's row, or tells what the record is relative to an existing claim.
   * `known` is the claim read earlier (if any); a lost race re-reads and re-classifies. `segmentStartRow` is the
   * first row of this file not yet committed: a superseded version at or after it was never counted.
   */
  async claim(
    fingerprint: string,
    fileId: string,
    row: number,
    ver: number,
    contribution: Contribution,
    known: RowClaim | undefined,
    segmentStartRow: number,
  ): Promise<ClaimOutcome> {
    let current = known;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!current) {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                ...keys.row(fingerprint),
                fileId,
                row,
                ver,
                c: encodeContribution(contribution),
                expiresAt: ttlAfterDays(this.now(), this.options.ledgerTtlDays),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          );
          return { kind: 'new' };
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
          const old = (err as ConditionalCheckFailedException).Item;
          current = old ? toClaim(unmarshallLoose(old)) : (await this.getClaims([fingerprint])).get(fingerprint);
          continue;
        }
      }
      const outcome = classifyAgainstClaim(current, fileId, row, ver);
      if (outcome.kind !== 'supersede') return outcome;
      // `prev` must name the last *committed* version, the one a retry after a crash has to take back out. When the
      // version we replace is itself uncommitted (earlier in this file's open segment), inherit what it replaced.
      const replacedCommitted = current.fileId !== fileId || current.row < segmentStartRow;
      const prev = replacedCommitted
        ? { c: current.c, file: current.fileId, row: current.row }
        : current.prev
          ? { c: current.prev, file: current.prevFile ?? '', row: current.prevRow ?? 0 }
          : undefined;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.row(fingerprint),
            ConditionExpression: '#fileId = :oldFile AND #row = :oldRow',
            UpdateExpression: prev
              ? 'SET #fileId = :file, #row = :row, #ver = :ver, #c = :c, #prev = :prev, #prevFile = :prevFile, ' +
                '#prevRow = :prevRow, #expiresAt = :ttl'
              : 'SET #fileId = :file, #row = :row, #ver = :ver, #c = :c, #expiresAt = :ttl REMOVE #prev, #prevFile, #prevRow',
            ExpressionAttributeNames: names('fileId', 'row', 'ver', 'c', 'prev', 'prevFile', 'prevRow', 'expiresAt'),
            ExpressionAttributeValues: {
              ':oldFile': current.fileId,
              ':oldRow': current.row,
              ':file': fileId,
              ':row': row,
              ':ver': ver,
              ':c': encodeContribution(contribution),
              ':ttl': ttlAfterDays(this.now(), this.options.ledgerTtlDays),
              ...(prev ? { ':prev': encodeContribution(prev.c), ':prevFile': prev.file, ':prevRow': prev.row } : {}),
            },
          }),
        );
        return outcome;
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
        current = (await this.getClaims([fingerprint])).get(fingerprint);
      }
    }
    throw new Error(`Could not claim fingerprint ${fingerprint} after repeated races`);
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
    await this.batchWrite(requests);
  }

  /** Outbox entries of rows already committed (row < nextRow), in row order. */
  async readCommittedOutbox(fileId: string, nextRow: number): Promise<(OutboxEntry & { sk: string })[]> {
    const out: (OutboxEntry & { sk: string })[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.file(fileId).pk, ':prefix': 'OUTBOX#' },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        if ((item.row as number) < nextRow) {
          out.push({
            sk: item.sk as string,
            row: item.row as number,
            detailType: item.detailType as string,
            detail: item.detail as Record<string, unknown>,
          });
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async deleteOutbox(fileId: string, sks: readonly string[]): Promise<void> {
    const pk = keys.file(fileId).pk;
    await this.batchWrite(sks.map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })));
  }

  /**
   * Commits one segment: its cell deltas and the checkpoint that says the segment's rows are done, atomically.
   * The condition on the file ledger (our lease and the segment's start row) makes a stale or concurrent
   * worker's commit fail instead of counting twice. Segments touching more cells than one transaction holds are
   * staged first (staging + checkpoint in one transaction) and then applied part by part, each part's cell
   * updates in one transaction with the deletion of its staged item.
   */
  async commitSegment(input: {
    fileId: string;
    token: string;
    segmentStartRow: number;
    nextRow: number;
    segment: number;
    resume: unknown;
    state: Record<string, unknown>;
    /** The segment's cell deltas that are not all zero (`CellDeltas.nonZeroCells()`): one write each. */
    cells: [string, CellCounts][];
  }): Promise<{ cellWrites: number }> {
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
    summary: Record<string, unknown>,
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
  async putVerbatims(
    items: readonly {
      day: string;
      negative: number;
      fingerprint: string;
      text: string;
      source: string;
      rating?: number;
      nps?: number;
    }[],
  ): Promise<void> {
    // BatchWriteItem refuses two requests for one key: two versions of an edited record in one segment can share
    // day, score and fingerprint. The later one wins, as it would written one after the other.
    const byKey = new Map<string, { key: ReturnType<typeof keys.verbatim>; v: (typeof items)[number] }>();
    for (const v of items) {
      const key = keys.verbatim(v.day, v.negative, v.fingerprint);
      byKey.set(`${key.pk}\u0000${key.sk}`, { key, v });
    }
    await this.batchWrite(
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

  private cellUpdate(cellKeyString: string, counts: CellCounts): TransactItem {
    const { dimension, value, day } = parseCellKey(cellKeyString);
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    let i = 0;
    for (const [field, n] of Object.entries(counts)) {
      if (field === 'themes' || n === 0) continue;
      names[`#f${i}`] = field;
      values[`:v${i}`] = n as number;
      adds.push(`#f${i} :v${i}`);
      i++;
    }
    const themes = Object.entries(counts.themes)
      .filter(([, n]) => n !== 0)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, MAX_THEMES_PER_UPDATE);
    for (const [theme, n] of themes) {
      names[`#f${i}`] = `${THEME_ATTRIBUTE_PREFIX}${theme}`;
      values[`:v${i}`] = n;
      adds.push(`#f${i} :v${i}`);
      i++;
    }
    names['#dim'] = 'dimension';
    names['#val'] = 'value';
    names['#day'] = 'day';
    return {
      Update: {
        TableName: this.table,
        Key: keys.cell(dimension, day, value),
        UpdateExpression: `SET #dim = :dim, #val = :val, #day = :day ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':dim': dimension, ':val': value, ':day': day },
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

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += MAX_BATCH_WRITE) {
      let pending: Record<string, Record<string, unknown>[]> | undefined = {
        [this.table]: requests.slice(i, i + MAX_BATCH_WRITE),
      };
      for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: pending as never }));
        pending = out.UnprocessedItems as typeof pending;
      }
    }
  }
}

/** Expression attribute names `#name → name` (many of ours are DynamoDB reserved words: status, row, state…). */
function names(...attributes: string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((a) => [`#${a}`, a]));
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2000, 50 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
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

function toClaim(a: Record<string, unknown>): RowClaim {
  return {
    fingerprint: (a.pk as string).slice('ROW#'.length),
    fileId: a.fileId as string,
    row: Number(a.row),
    ver: Number(a.ver ?? 0),
    c: decodeContribution(a.c as StoredContribution),
    prev: a.prev === undefined ? undefined : decodeContribution(a.prev as StoredContribution),
    prevFile: a.prevFile as string | undefined,
    prevRow: a.prevRow === undefined ? undefined : Number(a.prevRow),
  };
}

/**
 * `ReturnValuesOnConditionCheckFailure` items arrive in the low-level attribute-value shape even through the
 * document client; unmarshall them here.
 */
function unmarshallLoose(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromAttributeValue(v);
  return out;
}

function fromAttributeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const av = v as Record<string, unknown>;
  if ('S' in av) return av.S;
  if ('N' in av) return Number(av.N);
  if ('BOOL' in av) return av.BOOL;
  if ('NULL' in av) return null;
  if ('M' in av) return unmarshallLoose(av.M as Record<string, unknown>);
  if ('L' in av) return (av.L as unknown[]).map(fromAttributeValue);
  if ('SS' in av) return av.SS;
  if ('NS' in av) return (av.NS as string[]).map(Number);
  return av;
}
