/**
 * The in-file dedupe stage a batch at a time, over the reader's batches (`readExport(…).batches()`, which the
 * pipeline reads too). `feedback check` uses the per-record `dedupe` stage of `shared/ingest/dedupe.ts`; the two give
 * the same outcomes (test/unit/ingest/batches.test.ts).
 */
import { InMemoryDeduper } from '../../shared/ingest/dedupe.js';
import type { RowOutcome } from '../../shared/ingest/types.js';

/**
 * The dedupe stage over batches of outcomes: each batch is passed on with its accepted records judged in place
 * (`InMemoryDeduper.judge`: duplicates replaced by `duplicate` outcomes, newer versions given `replaces`).
 */
export async function* dedupeBatches(
  batches: AsyncIterable<RowOutcome[]>,
  deduper = new InMemoryDeduper(),
): AsyncGenerator<RowOutcome[]> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i] as RowOutcome;
      if (o.kind === 'accepted') batch[i] = deduper.judge(o);
    }
    yield batch;
  }
}
