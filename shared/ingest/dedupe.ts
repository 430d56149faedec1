import { repeatVerdict } from '../domain/repeats.js';
import { FingerprintTable } from './fingerprint-table.js';
import type { AcceptedOutcome, ReplacedRecord, RowOutcome } from './types.js';

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
 * ~3·10⁻⁸ at a million rows. The same rule as the pipeline's row ledger ({@link repeatVerdict}), held in memory for
 * one file: `feedback check` and the benchmark use it; the pipeline claims fingerprints in DynamoDB instead.
 */
export class InMemoryDeduper {
  private readonly kept: FingerprintTable;
  private readonly versions = new Map<string, ReplacedRecord & { version: number }>();

  constructor(opts: InMemoryDeduperOptions = {}) {
    this.kept = new FingerprintTable(opts.capacity ?? 3072);
  }

  /**
   * What an accepted record is given the records before it: passed on as it is when new; a `duplicate` when its
   * fingerprint was kept before; passed on with `replaces` when it is a newer version of a kept record (which report
   * builders then move from accepted to duplicates).
   */
  judge(o: AcceptedOutcome): RowOutcome {
    const r = o.record;
    if (r.fingerprintKind === 'sourceId' && r.updatedAt !== undefined)
      return this.judgeVersioned(o, Date.parse(r.updatedAt));
    // A record without an update time repeating a versioned one is version 0: never newer, so a duplicate.
    const versioned = this.versions.size > 0 ? this.versions.get(r.fingerprint) : undefined;
    if (versioned !== undefined)
      return { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint, keptRow: versioned.row };
    const kept = this.kept.getOrInsert(r.fingerprint, Math.max(1, o.row));
    return kept === 0 ? o : { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint, keptRow: kept };
  }

  private judgeVersioned(o: AcceptedOutcome, version: number): RowOutcome {
    const r = o.record;
    const summary: ReplacedRecord & { version: number } = { row: o.row, hasText: r.text !== undefined, version };
    if (r.nps !== undefined) summary.nps = r.nps;
    if (r.rating !== undefined) summary.rating = r.rating;
    const prev = this.versions.get(r.fingerprint);
    if (prev !== undefined && repeatVerdict(version, prev.version) === 'duplicate') {
      return { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint, keptRow: prev.row };
    }
    this.versions.set(r.fingerprint, summary);
    if (prev === undefined) return o;
    const { version: _, ...replaces } = prev;
    return { ...o, replaces };
  }
}

/**
 * Dedupe stage: passes outcomes through, turning an accepted record already seen into a `duplicate` outcome. When a
 * newer version of a versioned record arrives (Google Play edits), it stays `accepted` with `replaces` describing the
 * earlier record; report builders then move that earlier record from accepted to duplicates (and out of the KPIs),
 * so keep-newest is accounted for while streaming without holding records back.
 */
export async function* dedupe(
  outcomes: AsyncIterable<RowOutcome>,
  deduper = new InMemoryDeduper(),
): AsyncGenerator<RowOutcome> {
  for await (const o of outcomes) yield o.kind === 'accepted' ? deduper.judge(o) : o;
}
