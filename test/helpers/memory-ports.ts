import { createHash } from 'node:crypto';
import { type IngestConfig, loadIngestConfig } from '../../shared/config/env.js';
/**
 * In-memory implementations of the ingest ports, with the same conditional semantics as the DynamoDB adapters
 * (lease, segment start row, claim races), so the exactly-once logic runs in milliseconds in unit tests.
 */
import {
  type AggregateCell,
  addCounts,
  type CellCounts,
  emptyCounts,
  isZeroCounts,
  type MappingNotice,
  parseCellKey,
  type ThemeCell,
  type ThemeQuote,
} from '../../shared/domain/cells.js';
import { FileLeaseHeldError, FileLeaseLostError, FileRejectedError } from '../../shared/domain/errors.js';
import type { PendingEvent } from '../../shared/events/publisher.js';
import { diagnostic } from '../../shared/ingest/diagnostic.js';
import { type IngestDeps, ingestObject } from '../../shared/pipeline/ingest-object.js';
import type { TextAnalyzer } from '../../shared/pipeline/text-analyzer.js';
import type {
  FileLedger,
  FileLedgerEntry,
  IngestPorts,
  IngestTarget,
  OutboxEntry,
  RowClaim,
  RowLedger,
  SegmentCommit,
} from '../../shared/ports/ingest.js';
import { ThemeMatcher } from '../../shared/themes/matcher.js';
import { loadTaxonomy } from '../../shared/themes/taxonomy.js';

export class MemoryRowLedger implements RowLedger {
  readonly claims = new Map<string, RowClaim>();

  async getClaims(fingerprints: readonly string[]): Promise<Map<string, RowClaim>> {
    const out = new Map<string, RowClaim>();
    for (const fp of fingerprints) {
      const c = this.claims.get(fp);
      if (c) out.set(fp, structuredClone(c));
    }
    return out;
  }

  async insertClaim(claim: RowClaim) {
    const current = this.claims.get(claim.fingerprint);
    if (current) return { inserted: false as const, current: structuredClone(current) };
    this.claims.set(claim.fingerprint, structuredClone(claim));
    return { inserted: true as const };
  }

  async replaceClaim(expected: { fileId: string; row: number }, claim: RowClaim): Promise<boolean> {
    const current = this.claims.get(claim.fingerprint);
    if (!current || current.fileId !== expected.fileId || current.row !== expected.row) return false;
    this.claims.set(claim.fingerprint, structuredClone(claim));
    return true;
  }
}

/** File ledger, outbox, spikes, verbatims and cells in maps; `failCommit(k)` kills the worker on the k-th commit. */
export class MemoryLedgers implements FileLedger {
  readonly files = new Map<string, FileLedgerEntry & { leaseUntil: number }>();
  readonly cells = new Map<string, CellCounts>();
  readonly outbox = new Map<string, OutboxEntry & { sk: string }>();
  readonly spikes = new Set<string>();
  readonly verbatims: unknown[] = [];
  /** Theme quotes by day, theme, polarity and fingerprint. */
  readonly quotes = new Map<string, ThemeQuote>();
  /** Mapping notices by day and file. */
  readonly notices = new Map<string, MappingNotice>();
  private commits = 0;
  failOnCommit?: number;
  /** The most cells a commit takes, as DynamoDB's transaction limits bound the real ledger; larger commits throw. */
  maxSegmentCells = 9801;
  /** The largest commit seen, in cells. */
  largestCommit = 0;

  async acquireFile(
    file: { fileId: string; bucket: string; key: string; etag: string },
    token: string,
    leaseMs: number,
  ) {
    const now = Date.now();
    const entry = this.files.get(file.fileId);
    if (entry && entry.status !== 'processing') return structuredClone(entry);
    if (entry?.leaseToken && entry.leaseToken !== token && entry.leaseUntil > now) {
      throw new FileLeaseHeldError(`File ${file.key} is being processed by another worker`);
    }
    const next = entry ?? { ...file, status: 'processing' as const, nextRow: 1, segment: 0, leaseUntil: 0 };
    next.leaseToken = token;
    next.leaseUntil = now + leaseMs;
    this.files.set(file.fileId, next);
    return structuredClone(next);
  }

  async releaseFile(fileId: string, token: string): Promise<void> {
    const entry = this.owned(fileId, token);
    entry.leaseToken = undefined;
    entry.leaseUntil = 0;
  }

  async commitSegment(c: SegmentCommit): Promise<{ cellWrites: number }> {
    if (++this.commits === this.failOnCommit) throw new Error(`worker killed before commit ${this.commits}`);
    const entry = this.owned(c.fileId, c.token);
    if (entry.nextRow !== c.segmentStartRow) throw new FileLeaseLostError('segment already committed');
    if (c.cells.length > this.maxSegmentCells) throw new Error(`commit of ${c.cells.length} cells`);
    this.largestCommit = Math.max(this.largestCommit, c.cells.length);
    for (const [key, counts] of c.cells) addCounts(this.cellAt(key), counts);
    Object.assign(entry, { nextRow: c.nextRow, segment: c.segment, resume: c.resume, state: structuredClone(c.state) });
    return { cellWrites: c.cells.length };
  }

  async applyStaged(): Promise<number> {
    return 0;
  }

  async completeFile(fileId: string, token: string, status: 'processed' | 'failed', summary: Record<string, unknown>) {
    const entry = this.owned(fileId, token);
    Object.assign(entry, { status, summary: structuredClone(summary), leaseToken: undefined, resume: undefined });
  }

  async markEventsPublished(fileId: string): Promise<void> {
    const entry = this.files.get(fileId);
    if (entry) entry.eventsPublished = true;
  }

  /** Non-zero cells as sorted strings, for comparing two runs. */
  cellLines(): string[] {
    return [...this.cells]
      .filter(([, c]) => !isZeroCounts(c))
      .map(([k, c]) =>
        JSON.stringify([
          k,
          { ...c, phrases: Object.fromEntries(Object.entries(c.phrases).filter(([, n]) => n !== 0)) },
        ]),
      )
      .sort();
  }

  private cellAt(key: string): CellCounts {
    let cell = this.cells.get(key);
    if (!cell) {
      cell = emptyCounts();
      this.cells.set(key, cell);
    }
    return cell;
  }

  private owned(fileId: string, token: string) {
    const entry = this.files.get(fileId);
    if (!entry || entry.leaseToken !== token) throw new FileLeaseLostError(`Lease on ${fileId} was lost`);
    return entry;
  }
}

export interface MemoryPorts extends IngestPorts {
  ledgers: MemoryLedgers;
  rowLedger: MemoryRowLedger;
  /** The current version of each key, as S3 would hold it. */
  objectsByKey: Map<string, { body: string | Uint8Array; etag: string }>;
  published: PendingEvent[];
  continued: IngestTarget[];
}

/** The whole set of ports in memory; `put` stores an object and returns the target an S3 event would name. */
export function memoryPorts(): MemoryPorts & { put(key: string, body: string | Uint8Array): IngestTarget } {
  const ledgers = new MemoryLedgers();
  const rowLedger = new MemoryRowLedger();
  const objectsByKey = new Map<string, { body: string | Uint8Array; etag: string }>();
  const published: PendingEvent[] = [];
  const continued: IngestTarget[] = [];
  const store = (key: string, body: string | Uint8Array) => {
    const etag = createHash('md5').update(body).digest('hex');
    objectsByKey.set(key, { body, etag });
    return etag;
  };
  return {
    ledgers,
    rowLedger,
    objectsByKey,
    published,
    continued,
    put: (key, body) => ({ bucket: 'mem', key, etag: store(key, body) }),
    objects: {
      // The S3 adapter's contract: only the version the target names, else OBJECT_DELETED / OBJECT_REPLACED.
      async *read(target, fromByte) {
        const current = objectsByKey.get(target.key);
        if (current === undefined)
          throw new FileRejectedError('OBJECT_DELETED', diagnostic`The object no longer exists.`);
        if (current.etag !== target.etag)
          throw new FileRejectedError('OBJECT_REPLACED', diagnostic`The key was overwritten.`);
        yield Buffer.from(current.body).subarray(fromByte ?? 0);
      },
      put: async (_bucket, key, body) => void store(key, body),
    },
    continuations: { continueLater: async (t) => void continued.push(structuredClone(t)) },
    events: {
      publish: async (events) => {
        published.push(...structuredClone(events));
        return events.length;
      },
    },
    files: ledgers,
    rows: rowLedger,
    outbox: {
      putOutbox: async (fileId, entries) => {
        const seen = new Map<number, number>();
        for (const e of entries) {
          const n = seen.get(e.row) ?? 0;
          seen.set(e.row, n + 1);
          const sk = `${fileId}#${String(e.row).padStart(10, '0')}#${n}`;
          ledgers.outbox.set(sk, { ...structuredClone(e), sk });
        }
      },
      readCommittedOutbox: async (fileId, nextRow) =>
        [...ledgers.outbox.values()]
          .filter((e) => e.sk.startsWith(`${fileId}#`) && e.row < nextRow)
          .sort((a, b) => a.sk.localeCompare(b.sk)),
      deleteOutbox: async (_fileId, sks) => {
        for (const sk of sks) ledgers.outbox.delete(sk);
      },
    },
    digestNotes: {
      putVerbatims: async (items) => void ledgers.verbatims.push(...items),
      putThemeQuotes: async (quotes) => {
        for (const q of quotes)
          ledgers.quotes.set(`${q.day}\u0000${q.theme}\u0000${q.polarity}\u0000${q.fingerprint}`, q);
      },
      putMappingNotices: async (fileId, notices) => {
        for (const n of notices) ledgers.notices.set(`${n.day}\u0000${fileId}`, structuredClone(n));
      },
    },
    spikes: {
      claimSpike: async (day, dimension, value) => {
        const key = `${day}#${dimension}#${value}`;
        if (ledgers.spikes.has(key)) return false;
        ledgers.spikes.add(key);
        return true;
      },
    },
    cells: {
      readCells: async ({ from, to, dimensions }) => {
        const out: AggregateCell[] = [];
        for (const [key, counts] of ledgers.cells) {
          const { dimension, value, day, theme } = parseCellKey(key);
          if (theme === undefined && day >= from && day <= to && dimensions.includes(dimension))
            out.push({ dimension, value, day, counts });
        }
        return out;
      },
      readThemeCells: async ({ from, to, dimensions }) => {
        const out: ThemeCell[] = [];
        for (const [key, counts] of ledgers.cells) {
          const { dimension, value, day, theme } = parseCellKey(key);
          if (theme !== undefined && day >= from && day <= to && dimensions.includes(dimension))
            out.push({ dimension, value, day, theme, counts });
        }
        return out;
      },
    },
  };
}

/** Ingest configuration for in-memory runs: small segments so that a short file spans several commits. */
export function memoryIngestConfig(segmentRows: number): IngestConfig {
  return loadIngestConfig({
    BUCKET_NAME: 'mem',
    TABLE_NAME: 'mem',
    QUEUE_URL: 'http://127.0.0.1/queue',
    EVENT_BUS_NAME: 'bus',
    BUSINESS_TIME_ZONE: 'Europe/Berlin',
    SEGMENT_ROWS: String(segmentRows),
    LEASE_SECONDS: '60',
    SPIKE_MIN_VOLUME: '3',
    HASH_KEY: 'test-hash-key-0123456789',
    THEME_TAXONOMY_FILE: 'config/taxonomy.json',
  });
}

/** The project's taxonomy, matched as the ingest function does. */
export const projectThemes = new ThemeMatcher(loadTaxonomy('config/taxonomy.json'));

/** `ingestObject` over a fresh set of in-memory ports, at a fixed clock. */
export function memoryHarness(analyzer: TextAnalyzer, config: IngestConfig) {
  const ports = memoryPorts();
  const deps = (overrides: Partial<IngestDeps> = {}): IngestDeps => ({
    ports,
    analyzer,
    config,
    themes: config.themes ? projectThemes : undefined,
    hashKey: 'test-hash-key-0123456789',
    now: () => new Date('2026-11-01T00:00:00Z'),
    ...overrides,
  });
  return { ports, deps, ingest: (t: IngestTarget, o?: Partial<IngestDeps>) => ingestObject(t, deps(o)) };
}
