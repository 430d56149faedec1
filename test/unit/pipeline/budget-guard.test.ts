import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../shared/config/resources.js';
import { DETAIL_SCHEMAS } from '../../../shared/events/contract.js';
import { releaseHeldKey, requeueHeldFiles } from '../../../shared/pipeline/held-files.js';
import type { TextAnalyzer } from '../../../shared/pipeline/text-analyzer.js';
import type { IngestTarget } from '../../../shared/ports/ingest.js';
import { emptyUsage } from '../../../shared/sentiment/comprehend-adapter.js';
import { MemoryCostLedger } from '../../helpers/memory-cost-ledger.js';
import { memoryHarness, memoryIngestConfig } from '../../helpers/memory-ports.js';

/** A stand-in for Comprehend: every text positive, in English. */
const analyzer: TextAnalyzer = {
  analyze: async (requests) => ({
    results: new Map(
      requests.map((r) => [
        r.key,
        {
          sentiment: {
            label: 'POSITIVE' as const,
            score: { Positive: 1, Negative: 0, Neutral: 0, Mixed: 0 },
            language: 'en' as const,
          },
        },
      ]),
    ),
    usage: emptyUsage(),
    deferred: new Map(),
  }),
};

/** `n` rows with distinct English texts of under 300 characters: 3 units each for sentiment and for key phrases. */
function exportOf(n: number): string {
  const lines = ['ResponseId,Submitted,Language,Comment'];
  for (let i = 1; i <= n; i++) lines.push(`R${i},2026-11-0${1 + (i % 9)} 10:00:00,en,"Comment number ${i} on the app"`);
  return `${lines.join('\n')}\n`;
}

/** 40 texts × (3 + 3) units × $0.0001 = $0.024 per file, themes on. */
const FILE_USD = 0.024;

function budgetHarness(budgetUsd: number, now = '2026-11-20T10:00:00Z') {
  const config = { ...memoryIngestConfig(15), cost: { ...memoryIngestConfig(15).cost, monthlyBudgetUsd: budgetUsd } };
  const h = memoryHarness(analyzer, config);
  const ledger = new MemoryCostLedger(h.ports.ledgers);
  h.ports.cost = { ledger };
  let clock = new Date(now);
  const ingest = (t: IngestTarget) => h.ingest(t, { now: () => clock });
  const setClock = (iso: string) => {
    clock = new Date(iso);
  };
  const heldDeps = { ledger, continuations: h.ports.continuations, now: () => clock };
  return { ...h, ledger, ingest, setClock, heldDeps };
}

describe('the budget guard in ingestObject', () => {
  it('admits a file that fits, charging its estimate to the month once however often it is delivered', async () => {
    // Prepare
    const h = budgetHarness(1);
    const target = h.ports.put('incoming/survey/a.csv', exportOf(40));

    // Act
    const first = await h.ingest(target);
    const again = await h.ingest(target);

    // Assess
    expect(first.status).toBe('processed');
    expect(again.status).toBe('already-done');
    expect(first.report?.comprehend.estimate).toMatchObject({ units: 240, usd: FILE_USD });
    expect(h.ledger.spend.get('2026-11')).toBe(24_000);
  });

  it('holds a file whose estimate exceeds what is left: report, ledger and a Held event that fits its schema', async () => {
    // Prepare: room for one file
    const h = budgetHarness(0.03);
    await h.ingest(h.ports.put('incoming/survey/a.csv', exportOf(40)));
    const cellsBefore = h.ports.ledgers.cellLines();
    const target = h.ports.put('incoming/survey/b.csv', exportOf(41));

    // Act
    const result = await h.ingest(target);
    const redelivered = await h.ingest(target);

    // Assess
    expect(result.status).toBe('held');
    expect(result.report).toMatchObject({
      status: 'held',
      budget: { month: '2026-11', budgetUsd: 0.03, monthToDateUsd: FILE_USD, remainingUsd: 0.006 },
    });
    expect(h.ports.ledgers.files.get(result.fileId)?.status).toBe('held');
    expect(redelivered.status).toBe('already-done');
    const held = h.ports.published.filter((e) => e.detailType === EVENTS.detailTypes.fileHeld);
    expect(held).toHaveLength(1);
    const detail = DETAIL_SCHEMAS[EVENTS.detailTypes.fileHeld].parse(held[0]?.detail);
    expect(detail.estimate.usd).toBeCloseTo(0.0246, 6);
    expect(h.ports.ledgers.cellLines()).toEqual(cellsBefore);
    expect(h.ledger.spend.get('2026-11')).toBe(24_000);
  });

  it('processes a released file once, over the budget, however often it is released', async () => {
    // Prepare
    const h = budgetHarness(0.01);
    const target = h.ports.put('incoming/survey/a.csv', exportOf(40));
    await h.ingest(target);

    // Act: release twice, deliver every continuation, then release again
    const first = await releaseHeldKey(target.key, h.heldDeps);
    const second = await releaseHeldKey(target.key, h.heldDeps);
    const results = [];
    for (const t of h.ports.continued) results.push(await h.ingest(t));
    const cells = h.ports.ledgers.cellLines();
    const third = await releaseHeldKey(target.key, h.heldDeps);

    // Assess
    expect(first.map((r) => r.outcome)).toEqual(['released']);
    expect(second.map((r) => r.outcome)).toEqual(['re-queued']);
    expect(results.map((r) => r.status)).toEqual(['processed', 'already-done']);
    expect(third).toEqual([]);
    expect(h.ports.ledgers.cellLines()).toEqual(cells);
    expect(h.ledger.admissions.get(results[0]?.fileId ?? '')).toMatchObject({ forced: true });
    expect(h.ledger.spend.get('2026-11')).toBe(24_000);
  });

  it('re-queues files held in an earlier month when the next month begins, within its budget', async () => {
    // Prepare
    const h = budgetHarness(0.03);
    const target = h.ports.put('incoming/survey/a.csv', exportOf(40));
    await h.ingest(h.ports.put('incoming/survey/z.csv', exportOf(41)));
    await h.ingest(target);
    const sameMonth = await requeueHeldFiles(h.heldDeps);

    // Act
    h.setClock('2026-12-01T00:15:00Z');
    const requeued = await requeueHeldFiles(h.heldDeps);
    const result = await h.ingest(h.ports.continued[0] as IngestTarget);

    // Assess
    expect(sameMonth).toEqual([]);
    expect(requeued.map((r) => [r.key, r.outcome])).toEqual([[target.key, 'released']]);
    expect(result.status).toBe('processed');
    expect(h.ledger.admissions.get(result.fileId)).toMatchObject({ month: '2026-12', forced: false });
    expect(h.ledger.spend.get('2026-12')).toBe(24_000);
  });

  it('holds nothing without a budget, and still reports the estimate', async () => {
    // Prepare
    const h = memoryHarness(analyzer, memoryIngestConfig(15));

    // Act
    const result = await h.ingest(h.ports.put('incoming/survey/a.csv', exportOf(40)));

    // Assess
    expect(result.status).toBe('processed');
    expect(result.report?.comprehend.estimate?.byOperation.sentiment).toEqual({
      documents: 40,
      units: 120,
      usd: 0.012,
    });
    expect(result.report?.budget).toBeUndefined();
  });
});
