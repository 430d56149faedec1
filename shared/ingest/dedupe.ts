import { FingerprintTable } from './fingerprint-table.js';
import type { AcceptedOutcome, ReplacedRecord, RowOutcome } from './types.js';

/** What a deduper is asked about one accepted record. */
export interface DedupeKey {
  fingerprint: string;
  /** Version instant (ms) for sources whose records get edited (Google Play last update); newer wins. */
  version?: number;
  row: number;
  hasText: boolean;
  nps?: number;
  rating?: number;
}

export type DedupeVerdict =
  | { status: 'new' }
  /** Seen before with the same or a newer version: this row is counted as a duplicate. */
  | { status: 'duplicate'; keptRow?: number }
  /** Seen before with an older version: this row is kept and the earlier one becomes the duplicate. */
  | { status: 'newer'; replaces?: ReplacedRecord };

/**
 * Decides whether a record was seen before. The in-file stage uses {@link InMemoryDeduper}; the Lambda pipeline
 * plugs in a row ledger (e.g. DynamoDB conditional writes on the fingerprint, comparing `version`) for duplicates
 * across files and re-uploads.
 */
export interface Deduper {
  check(key: DedupeKey): DedupeVerdict | Promise<DedupeVerdict>;
}

/** Options of {@link InMemoryDeduper}. */
export interface InMemoryDeduperOptions {
  /**
   * Distinct records the table holds before it first grows (default 3,072). A caller that knows its bound (e.g. the
   * largest export it accepts) passes it so the table is allocated once, at a fixed size, and never doubles mid-file.
   */
  capacity?: number;
}

/**
 * In-memory deduper with flat per-entry cost: fingerprints are kept as 64-bit prefixes in an open-addressing table
 * of typed arrays (12 bytes a slot, at most 3/4 full; 24 MB for 2²¹ slots, enough for 1.5 million distinct rows), so
 * memory does not grow with text size. Versioned records additionally keep a small summary so a newer version can
 * move the older one to duplicates. A 64-bit prefix collision (≈ n²/2⁶⁵) would count a row as a duplicate wrongly;
 * ~3·10⁻⁸ at a million rows.
 */
export class InMemoryDeduper implements Deduper {
  private readonly kept: FingerprintTable;
  private readonly versions = new Map<string, ReplacedRecord & { version: number }>();

  constructor(opts: InMemoryDeduperOptions = {}) {
    this.kept = new FingerprintTable(opts.capacity ?? 3072);
  }

  check(key: DedupeKey): DedupeVerdict {
    if (key.version !== undefined) return this.checkVersioned(key, key.version);
    const kept = this.checkFingerprint(key.fingerprint, key.row);
    return kept === 0 ? { status: 'new' } : { status: 'duplicate', keptRow: kept };
  }

  /**
   * The unversioned check without allocation: 0 when the fingerprint is new (it is then remembered with `row`), else
   * the row that was kept.
   */
  checkFingerprint(fingerprint: string, row: number): number {
    return this.kept.getOrInsert(fingerprint, Math.max(1, row));
  }

  private checkVersioned(key: DedupeKey, version: number): DedupeVerdict {
    const prev = this.versions.get(key.fingerprint);
    const summary = { row: key.row, hasText: key.hasText, nps: key.nps, rating: key.rating, version };
    if (prev === undefined) {
      this.versions.set(key.fingerprint, summary);
      return { status: 'new' };
    }
    if (version > prev.version) {
      this.versions.set(key.fingerprint, summary);
      const replaces: ReplacedRecord = { row: prev.row, hasText: prev.hasText };
      if (prev.nps !== undefined) replaces.nps = prev.nps;
      if (prev.rating !== undefined) replaces.rating = prev.rating;
      return { status: 'newer', replaces };
    }
    return { status: 'duplicate', keptRow: prev.row };
  }
}

/** What the dedupe stage asks about an accepted record. */
export function dedupeKeyOf(o: AcceptedOutcome): DedupeKey {
  const r = o.record;
  const key: DedupeKey = { fingerprint: r.fingerprint, row: o.row, hasText: r.text !== undefined };
  if (r.fingerprintKind === 'sourceId' && r.updatedAt !== undefined) key.version = Date.parse(r.updatedAt);
  if (r.nps !== undefined) key.nps = r.nps;
  if (r.rating !== undefined) key.rating = r.rating;
  return key;
}

/**
 * Dedupe stage: passes outcomes through, turning an accepted record already seen into a `duplicate` outcome. When a
 * newer version of a versioned record arrives (Google Play edits), it stays `accepted` with `replaces` describing the
 * earlier record; report builders then move that earlier record from accepted to duplicates (and out of the KPIs),
 * so keep-newest is accounted for while streaming without holding records back.
 */
export async function* dedupe(
  outcomes: AsyncIterable<RowOutcome>,
  deduper: Deduper = new InMemoryDeduper(),
): AsyncGenerator<RowOutcome> {
  const inMemory = deduper instanceof InMemoryDeduper ? deduper : undefined;
  for await (const o of outcomes) {
    if (o.kind !== 'accepted') {
      yield o;
      continue;
    }
    const r = o.record;
    if (inMemory !== undefined && !(r.fingerprintKind === 'sourceId' && r.updatedAt !== undefined)) {
      const kept = inMemory.checkFingerprint(r.fingerprint, o.row);
      yield kept === 0 ? o : { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint, keptRow: kept };
      continue;
    }
    const pending = deduper.check(dedupeKeyOf(o));
    const verdict = pending instanceof Promise ? await pending : pending;
    if (verdict.status === 'new') yield o;
    else if (verdict.status === 'duplicate') {
      const d: RowOutcome = { kind: 'duplicate', row: o.row, fingerprint: o.record.fingerprint };
      if (verdict.keptRow !== undefined) d.keptRow = verdict.keptRow;
      yield d;
    } else {
      yield verdict.replaces === undefined ? o : { ...o, replaces: verdict.replaces };
    }
  }
}
