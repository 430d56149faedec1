/**
 * Batching for the benchmark: the reader hands out one outcome at a time; the bench counts, analyses and aggregates
 * them in arrays, with the in-file dedupe stage applied a batch at a time. Production code uses the per-record
 * `dedupe` stage of `shared/ingest/dedupe.ts`; these give the same outcomes (test/unit/ingest/batches.test.ts).
 */
import { type Deduper, dedupeKeyOf, InMemoryDeduper } from '../../shared/ingest/dedupe.js';
import type { RowOutcome } from '../../shared/ingest/types.js';

/** Outcomes in arrays of up to `size`, in order. */
export async function* outcomeBatches(outcomes: AsyncIterable<RowOutcome>, size = 512): AsyncGenerator<RowOutcome[]> {
  let batch: RowOutcome[] = [];
  for await (const o of outcomes) {
    batch.push(o);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The dedupe stage over batches of outcomes: each batch is passed on with its accepted records already seen replaced,
 * in place, by `duplicate` outcomes (and newer versions given `replaces`).
 */
export async function* dedupeBatches(
  batches: AsyncIterable<RowOutcome[]>,
  deduper: Deduper = new InMemoryDeduper(),
): AsyncGenerator<RowOutcome[]> {
  const inMemory = deduper instanceof InMemoryDeduper ? deduper : undefined;
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i] as RowOutcome;
      if (o.kind !== 'accepted') continue;
      const r = o.record;
      if (inMemory !== undefined && !(r.fingerprintKind === 'sourceId' && r.updatedAt !== undefined)) {
        const kept = inMemory.checkFingerprint(r.fingerprint, o.row);
        if (kept !== 0) batch[i] = { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint, keptRow: kept };
        continue;
      }
      const pending = deduper.check(dedupeKeyOf(o));
      const verdict = pending instanceof Promise ? await pending : pending;
      if (verdict.status === 'duplicate') {
        const d: RowOutcome = { kind: 'duplicate', row: o.row, fingerprint: r.fingerprint };
        if (verdict.keptRow !== undefined) d.keptRow = verdict.keptRow;
        batch[i] = d;
      } else if (verdict.status === 'newer' && verdict.replaces !== undefined) {
        batch[i] = { ...o, replaces: verdict.replaces };
      }
    }
    yield batch;
  }
}
