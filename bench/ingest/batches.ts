/**
 * The in-file dedupe stage a batch at a time, over the reader's batches (`readExport(…).batches()`, which the
 * pipeline reads too). `feedback check` uses the per-record `dedupe` stage of `shared/ingest/dedupe.ts`; the two give
 * the same outcomes (test/unit/ingest/batches.test.ts).
 */
import { type Deduper, dedupeKeyOf, InMemoryDeduper } from '../../shared/ingest/dedupe.js';
import type { RowOutcome } from '../../shared/ingest/types.js';

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
