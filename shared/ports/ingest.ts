/**
 * What the ingest pipeline needs from the outside world, as small interfaces. The AWS adapters (`shared/store/`,
 * wired by `pipeline/aws-ports.ts`) implement them over S3, DynamoDB, SQS and EventBridge; the unit tests implement them in
 * memory, so the exactly-once logic is tested in milliseconds and the emulated stack only end to end.
 */
import type {
  AggregateCell,
  CellCounts,
  MappingNotice,
  SegmentDimension,
  ThemeCell,
  ThemeQuote,
} from '../domain/cells.js';
import type { Contribution } from '../domain/contribution.js';
import type { PendingEvent } from '../events/publisher.js';
import type { CostPorts } from './cost.js';

/** The object an S3 notification (or a continuation message) points at. */
export interface IngestTarget {
  bucket: string;
  /** Decoded object key. */
  key: string;
  etag: string;
  /** The object version the notification named (versioned buckets); every read of the file pins it. */
  versionId?: string;
  size?: number;
  /** Set on the delayed check of a file's Comprehend jobs (shared/pipeline/async-sentiment/). */
  asyncPoll?: string;
}

export interface ObjectStore {
  /**
   * The bytes of exactly the version `target` names, from `fromByte` (a range read). Throws FileRejectedError
   * `OBJECT_DELETED` when that object or version is gone and `OBJECT_REPLACED` when the key now holds other content.
   */
  read(target: IngestTarget, fromByte?: number): AsyncIterable<Uint8Array>;
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

/** Hands the rest of a file to a later invocation. */
export interface ContinuationQueue {
  continueLater(target: IngestTarget & { fileId: string }): Promise<void>;
}

export interface EventSink {
  /** Validates and sends the events; returns how many were sent. */
  publish(events: readonly PendingEvent[]): Promise<number>;
}

/** `held`: not processed for want of Comprehend budget, until released (see ports/cost.ts). */
export type FileStatus = 'processing' | 'processed' | 'failed' | 'held';

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
  /** Free-form state the pipeline persists with the checkpoint (partial report, usage...). */
  state?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  eventsPublished?: boolean;
}

export interface SegmentCommit {
  fileId: string;
  token: string;
  segmentStartRow: number;
  nextRow: number;
  segment: number;
  resume: unknown;
  state: Record<string, unknown>;
  /** The segment's cell deltas that are not all zero (`CellDeltas.nonZeroCells()`): one write each. */
  cells: [string, CellCounts][];
}

/** One entry per object version: the lease that serialises its workers, its checkpoint and its outcome. */
export interface FileLedger {
  /** The most cells one `commitSegment` can write atomically: the pipeline cuts segments before they reach it. */
  readonly maxSegmentCells: number;
  /**
   * Takes (or renews) the lease. Returns the entry, which may already be `processed` or `failed`.
   * Throws FileLeaseHeldError while another worker's lease is live.
   */
  acquireFile(
    file: { fileId: string; bucket: string; key: string; etag: string },
    token: string,
    leaseMs: number,
  ): Promise<FileLedgerEntry>;
  /** Gives the lease up (for a hand-off), keeping the checkpoint. Throws FileLeaseLostError. */
  releaseFile(fileId: string, token: string): Promise<void>;
  /** Cell deltas and checkpoint in one atomic step, conditioned on the lease and the segment's start row. */
  commitSegment(commit: SegmentCommit): Promise<{ cellWrites: number }>;
  /** Finishes what a crashed commit staged; returns the cell writes made. */
  applyStaged(fileId: string): Promise<number>;
  completeFile(
    fileId: string,
    token: string,
    status: Exclude<FileStatus, 'processing'>,
    summary: { rows?: unknown; error?: { code: string; message: string }; reportKey?: string; event?: PendingEvent },
  ): Promise<void>;
  markEventsPublished(fileId: string): Promise<void>;
}

/** The row ledger's record of which file and row a fingerprint counts for, and what it contributed. */
export interface RowClaim {
  fingerprint: string;
  fileId: string;
  row: number;
  /** Version of the record (its update time in ms; 0 when the export has none). */
  version: number;
  contribution: Contribution;
  /** The last committed version this claim replaced, so a retry after a crash can take it back out. */
  previous?: { contribution: Contribution; fileId: string; row: number };
}

export interface RowLedger {
  /** The claims of these fingerprints (missing ones are absent from the map). */
  getClaims(fingerprints: readonly string[]): Promise<Map<string, RowClaim>>;
  /** Creates the claim unless the fingerprint has one; then returns that one (if it can still be read). */
  insertClaim(claim: RowClaim): Promise<{ inserted: true } | { inserted: false; current?: RowClaim }>;
  /** Replaces the claim only while it still names `expected`'s file and row; false when another worker won. */
  replaceClaim(expected: { fileId: string; row: number }, claim: RowClaim): Promise<boolean>;
}

/** An event waiting for the segment that justifies it to commit. */
export interface OutboxEntry {
  row: number;
  detailType: PendingEvent['detailType'];
  detail: PendingEvent['detail'];
}

export interface Outbox {
  putOutbox(fileId: string, entries: readonly OutboxEntry[]): Promise<void>;
  /** Entries of rows already committed (row < nextRow), in row order. */
  readCommittedOutbox(fileId: string, nextRow: number): Promise<(OutboxEntry & { sk: string })[]>;
  deleteOutbox(fileId: string, sks: readonly string[]): Promise<void>;
}

/** A redacted negative verbatim kept for the digest. */
export interface VerbatimInput {
  day: string;
  negative: number;
  fingerprint: string;
  text: string;
  source: string;
  rating?: number;
  nps?: number;
}

/** What the digest quotes besides the cells: negative verbatims, theme quotes, and files whose mapping is in doubt. */
export interface DigestNotes {
  putVerbatims(items: readonly VerbatimInput[]): Promise<void>;
  /** Keeps the given quotes of themes (idempotent: a retry rewrites the same items). */
  putThemeQuotes(quotes: readonly ThemeQuote[]): Promise<void>;
  /** Notes a file's mapping doubts on the days it counted rows for (idempotent: one item per day and file). */
  putMappingNotices(fileId: string, notices: readonly MappingNotice[]): Promise<void>;
}

export interface SpikeLedger {
  /** Records a spike once per day and segment; true the first time. */
  claimSpike(day: string, dimension: string, value: string, detail: Record<string, unknown>): Promise<boolean>;
}

export interface CellReader {
  readCells(query: { from: string; to: string; dimensions: readonly SegmentDimension[] }): Promise<AggregateCell[]>;
  readThemeCells(query: { from: string; to: string; dimensions: readonly SegmentDimension[] }): Promise<ThemeCell[]>;
}

/** Everything `ingestObject` talks to. */
export interface IngestPorts {
  objects: ObjectStore;
  continuations: ContinuationQueue;
  events: EventSink;
  files: FileLedger;
  rows: RowLedger;
  outbox: Outbox;
  digestNotes: DigestNotes;
  spikes: SpikeLedger;
  cells: CellReader;
  /** The budget guard's ledger and the cache its estimate reads; absent: files are estimated, never held. */
  cost?: CostPorts;
}
