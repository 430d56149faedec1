import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileLeaseHeldError } from '../../../shared/domain/errors.js';
import { fileIdOf, type IngestResult, reportKeyOf } from '../../../shared/pipeline/ingest-object.js';
import type { TextAnalyzer } from '../../../shared/pipeline/text-analyzer.js';
import type { IngestTarget } from '../../../shared/ports/ingest.js';
import { emptyUsage } from '../../../shared/sentiment/comprehend-adapter.js';
import { memoryHarness, memoryIngestConfig } from '../../helpers/memory-ports.js';

const TEXTS = ['The app keeps crashing when I pay', 'Love the new design', 'Delivery was late', '质量太差', 'Okay'];

/** Survey rows; row i is the same record in every file. Each comment is its own (five repeated ones would be a category). */
function exportRows(from: number, to: number, withIds = true): string {
  const lines = [`${withIds ? 'ResponseId,' : ''}Recorded Date,Channel,How likely are you to recommend us?,Comment`];
  for (let i = from; i <= to; i++) {
    const day = String(1 + (i % 9)).padStart(2, '0');
    lines.push(
      `${withIds ? `R_${i},` : ''}2026-10-${day} 10:00:00,${['email', 'web'][i % 2]},${(i * 7) % 11},"${TEXTS[i % 5]}, order ${i}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A deterministic analyser standing in for Comprehend: negative when the text says so. */
const analyzer: TextAnalyzer = {
  analyze: async (requests) => ({
    results: new Map(
      requests.map((r) => {
        const negative = /crash|late|差/.test(r.text);
        const label = negative ? ('NEGATIVE' as const) : ('POSITIVE' as const);
        const score = { Positive: negative ? 0.1 : 0.9, Negative: negative ? 0.9 : 0.1, Neutral: 0, Mixed: 0 };
        return [r.key, { sentiment: { label, score, language: 'en' as const } }];
      }),
    ),
    usage: {
      ...emptyUsage(),
      calls: { sentiment: Math.ceil(requests.length / 25), keyPhrases: 0, dominantLanguage: 0 },
    },
    deferred: new Map(),
  }),
};

const config = memoryIngestConfig(10);

function harness() {
  return memoryHarness(analyzer, config);
}

async function cleanCells(files: [string, string][]): Promise<string[]> {
  const h = harness();
  for (const [key, body] of files) await h.ingest(h.ports.put(key, body));
  return h.ports.ledgers.cellLines();
}

/** Delivers until the file is done, as SQS would after a failure (a new lease token each time). */
async function untilDone(h: ReturnType<typeof harness>, target: IngestTarget): Promise<IngestResult> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await h.ingest(target);
    } catch (err) {
      if (!(err as Error).message.startsWith('worker killed')) throw err;
      // SQS redelivers after the visibility timeout; the dead worker's lease has run out by then.
      for (const entry of h.ports.ledgers.files.values()) entry.leaseUntil = 0;
    }
  }
  throw new Error('file never completed');
}

describe('ingestObject against in-memory ports', () => {
  const fileA: [string, string] = ['incoming/survey/a.csv', exportRows(1, 45)];

  it('counts one file, with accounting that adds up and one File Processed event', async () => {
    const h = harness();

    const result = await h.ingest(h.ports.put(...fileA));

    expect(result.status).toBe('processed');
    expect(result.report?.rows).toEqual({
      total: 45,
      accepted: 45,
      rejected: 0,
      duplicates: 0,
      withText: 45,
      lines: 46,
    });
    expect(result.report?.segments).toBe(5);
    const types = h.ports.published.map((e) => e.detailType);
    expect(types.filter((t) => t === 'Feedback File Processed')).toHaveLength(1);
    expect(types.filter((t) => t === 'Detractor Feedback Received').length).toBe(result.report?.kpis.nps.detractors);
  });

  it('counts redeliveries and a re-upload under a new key once', async () => {
    const expected = await cleanCells([fileA]);
    const h = harness();
    const target = h.ports.put(...fileA);

    const statuses = [await h.ingest(target), await h.ingest(target)].map((r) => r.status);
    const renamed = await h.ingest(h.ports.put('incoming/survey/copy.csv', fileA[1]));

    expect(statuses).toEqual(['processed', 'already-done']);
    expect(renamed.report?.rows).toMatchObject({ total: 45, accepted: 0, duplicates: 45 });
    expect(renamed.report?.duplicates.crossFile).toBe(45);
    expect(h.ports.ledgers.cellLines()).toEqual(expected);
  });

  it('counts overlapping exports, with and without ids, like one export of their union', async () => {
    for (const withIds of [true, false]) {
      const expected = await cleanCells([['incoming/s/all.csv', exportRows(1, 60, withIds)]]);
      const h = harness();
      await h.ingest(h.ports.put('incoming/s/w1.csv', exportRows(1, 40, withIds)));
      await h.ingest(h.ports.put('incoming/s/w2.csv', exportRows(21, 60, withIds)));
      expect(h.ports.ledgers.cellLines()).toEqual(expected);
    }
  });

  it("keeps the customer's text as written in records, events and verbatims", async () => {
    const h = harness();
    const text = '质量太差，退货！客服也不回。';
    const body = `ResponseId,Recorded Date,How likely are you to recommend us?,Comment\nR_zh,2026-10-02 10:00:00,2,"${text}"\n`;

    await h.ingest(h.ports.put('incoming/survey/zh.csv', body));

    const lines = [...h.ports.objectsByKey].filter(([k]) => k.startsWith('processed/')).map(([, v]) => v.body);
    const detractor = h.ports.published.find((e) => e.detailType === 'Detractor Feedback Received');
    expect(lines.join('')).toContain(text);
    expect(JSON.stringify(detractor?.detail)).toContain(text);
    expect(h.ports.ledgers.verbatims).toMatchObject([{ text }]);
  });

  it('says in the File Processed event when its column mapping is in doubt, naming columns only', async () => {
    // Prepare: no column is named like feedback text; the guess is a short categorical answer.
    const lines = ['Score,Your major?'];
    for (let i = 0; i < 20; i++) lines.push(`${i % 11},${['Econ', 'Nursing', 'Law'][i % 3]}`);
    const h = harness();
    // Act
    await h.ingest(h.ports.put('incoming/survey/majors.csv', `${lines.join('\n')}\n`));
    await h.ingest(h.ports.put('incoming/survey/plain.csv', fileA[1]));
    // Assess
    const [doubtful, plain] = h.ports.published.filter((e) => e.detailType === 'Feedback File Processed');
    const warnings = doubtful?.detail.mappingWarnings as { code: string; detail: string }[];
    expect(warnings.map((w) => w.code)).toContain('MAPPING_UNCERTAIN');
    expect(JSON.stringify(warnings)).toContain('Your major?');
    expect(JSON.stringify(warnings)).not.toContain('Nursing');
    expect(plain?.detail.mappingWarnings).toBeUndefined();
    // The digest's footnote: one notice per day the doubtful file counted rows for, none for the plain file.
    const notices = [...h.ports.ledgers.notices.values()];
    expect(notices.length).toBeGreaterThan(0);
    expect(new Set(notices.map((n) => n.file))).toEqual(new Set(['incoming/survey/majors.csv']));
    expect(notices[0]?.warnings.map((w) => w.code)).toContain('MAPPING_UNCERTAIN');
  });

  it('cuts segments before their cells outgrow one atomic commit, with the same cells', async () => {
    const lines = ['ResponseId,Date,Product,Score,Comment'];
    for (let i = 1; i <= 4000; i++) lines.push(`R_${i},2026-10-0${1 + (i % 9)},product ${i},${i % 11},comment ${i}`);
    const file: [string, string] = ['incoming/survey/wide.csv', `${lines.join('\n')}\n`];
    const unbounded = memoryHarness(analyzer, memoryIngestConfig(5000));
    await unbounded.ingest(unbounded.ports.put(...file));
    const bounded = memoryHarness(analyzer, memoryIngestConfig(5000));
    bounded.ports.ledgers.maxSegmentCells = 3400;

    const result = await bounded.ingest(bounded.ports.put(...file));

    expect(unbounded.ports.ledgers.largestCommit).toBeGreaterThan(3400);
    expect(bounded.ports.ledgers.largestCommit).toBeLessThanOrEqual(3400);
    expect(result.report?.segments).toBeGreaterThan(1);
    expect(bounded.ports.ledgers.cellLines()).toEqual(unbounded.ports.ledgers.cellLines());
  });

  it('refuses a second worker while the first holds the lease', async () => {
    const h = harness();
    const target = h.ports.put(...fileA);
    await h.ports.files.acquireFile({ fileId: fileIdOf(target), ...target }, 'other', 60_000);

    await expect(h.ingest(target)).rejects.toBeInstanceOf(FileLeaseHeldError);
  });

  it('recovers exactly when the worker is killed at any commit, then hands off and resumes', async () => {
    const expected = await cleanCells([fileA]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.boolean(), async (k, handOff) => {
        const h = harness();
        const target = h.ports.put(...fileA);
        h.ports.ledgers.failOnCommit = k;
        let calls = 0;
        const first = await h
          .ingest(target, handOff ? { remainingMs: () => (++calls > 25 ? 1_000 : 600_000) } : {})
          .catch(() => undefined);
        // Whatever happened, the lease is released or expires; the next delivery takes over.
        for (const entry of h.ports.ledgers.files.values()) entry.leaseUntil = 0;
        const result = first?.status === 'processed' ? first : await untilDone(h, target);
        expect(result.report?.rows).toMatchObject({ total: 45, accepted: 45, rejected: 0, duplicates: 0, lines: 46 });
        expect(h.ports.ledgers.cellLines()).toEqual(expected);
        const processed = h.ports.published.filter((e) => e.detailType === 'Feedback File Processed');
        expect(processed).toHaveLength(1);
      }),
      { numRuns: 20 },
    );
  });

  it('counts the lines of a file with a broken row exactly across continuations', async () => {
    // Prepare: row 12's comment lost its closing quote; row 30's comment spans two lines.
    const body = exportRows(1, 45).replace(', order 12"', ', order 12').replace(', order 30"', ',\norder 30"');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5, max: 40 }), async (handOffAfter) => {
        const h = harness();
        const target = h.ports.put('incoming/survey/broken.csv', body);
        let calls = 0;
        // Act: each invocation hands off after `handOffAfter` clock reads; continuations resume from the checkpoint.
        const remainingMs = () => (++calls % handOffAfter === 0 ? 1_000 : 600_000);
        let result = await h.ingest(target, { remainingMs });
        while (result.status === 'continued')
          result = await h.ingest(h.ports.continued.at(-1) ?? target, { remainingMs });
        // Assess
        expect(h.ports.continued.length).toBeGreaterThan(0);
        expect(result.report?.rows).toMatchObject({ total: 45, accepted: 44, rejected: 1, lines: 47 });
        expect(result.report?.rejects).toMatchObject([{ row: 12, code: 'MALFORMED_QUOTING' }]);
      }),
      { numRuns: 12 },
    );
  });

  it('replaces an edited record across files and counts only its newest version', async () => {
    const header = 'ResponseId,Recorded Date,Last Modified,How likely are you to recommend us?,Comment';
    const v1 = `${header}\nR_1,2026-10-01 10:00:00,2026-10-01 10:00:00,2,"Delivery was late"\n`;
    const v2 = `${header}\nR_1,2026-10-01 10:00:00,2026-10-02 10:00:00,10,"Love the new design"\n`;
    const expected = await cleanCells([['incoming/s/v2.csv', v2]]);
    const h = harness();

    await h.ingest(h.ports.put('incoming/s/v1.csv', v1));
    const second = await h.ingest(h.ports.put('incoming/s/v2.csv', v2));

    expect(second.report?.duplicates.superseded).toBe(1);
    expect(h.ports.ledgers.cellLines()).toEqual(expected);
  });

  describe('objects by version', () => {
    const fileEvents = (h: ReturnType<typeof harness>, type: string) =>
      h.ports.published.filter((e) => e.detailType === type);

    it('fails a file deleted before it is read at once: report, rejection event, lease released', async () => {
      const h = harness();
      const target = h.ports.put(...fileA);
      h.ports.objectsByKey.delete(target.key);

      const result = await h.ingest(target);
      const again = await h.ingest(target);

      expect(result.status).toBe('failed');
      expect(result.report?.error?.code).toBe('OBJECT_DELETED');
      expect(h.ports.objectsByKey.has(reportKeyOf(target.key, target.etag))).toBe(true);
      expect(fileEvents(h, 'Feedback File Rejected')).toHaveLength(1);
      expect(again.status).toBe('already-done');
      expect(h.ports.ledgers.cellLines()).toEqual([]);
    });

    it('fails a file deleted mid-way with a report of what was committed, counted once', async () => {
      const h = harness();
      const target = h.ports.put(...fileA);
      let calls = 0;
      const first = await h.ingest(target, { remainingMs: () => (++calls > 25 ? 1_000 : 600_000) });
      expect(first.status).toBe('continued');
      const committed = h.ports.ledgers.cellLines();
      h.ports.objectsByKey.delete(target.key);

      const [continuation] = h.ports.continued;
      const second = await h.ingest(continuation ?? target);
      await h.ingest(continuation ?? target);

      expect(second.status).toBe('failed');
      expect(second.report?.error?.code).toBe('OBJECT_DELETED');
      expect(second.report?.rows.total).toBeGreaterThan(0);
      expect(second.report?.rows.total).toBeLessThan(45);
      expect(h.ports.ledgers.cellLines()).toEqual(committed);
      expect(fileEvents(h, 'Feedback File Rejected')).toHaveLength(1);
      expect(fileEvents(h, 'Feedback File Processed')).toHaveLength(0);
    });

    it('fails a file past the row limit with a report of what was committed, counted once', async () => {
      const h = memoryHarness(analyzer, { ...config, readLimits: { maxRows: 30 } });
      const target = h.ports.put(...fileA);

      const result = await h.ingest(target);

      expect(result.status).toBe('failed');
      expect(result.report?.error?.code).toBe('TOO_MANY_ROWS');
      expect(result.report?.format).toBe('csv');
      expect(result.report?.rows).toEqual({
        total: 30,
        accepted: 30,
        rejected: 0,
        duplicates: 0,
        withText: 30,
        lines: 31,
      });
      expect(h.ports.ledgers.cellLines()).toEqual(await cleanCells([['incoming/survey/a.csv', exportRows(1, 30)]]));
      expect(fileEvents(h, 'Feedback File Rejected')).toHaveLength(1);
      expect(fileEvents(h, 'Feedback File Processed')).toHaveLength(0);
    });

    it('processes an overwrite as its own version; the old one stops with OBJECT_REPLACED under its own report', async () => {
      const next = exportRows(100, 130);
      const h = harness();
      const old = h.ports.put(...fileA);
      let calls = 0;
      await h.ingest(old, { remainingMs: () => (++calls > 20 ? 1_000 : 600_000) });
      const replacement = h.ports.put(fileA[0], next);

      const oldResult = await h.ingest(h.ports.continued[0] ?? old);
      const newResult = await h.ingest(replacement);

      expect(oldResult.report?.error?.code).toBe('OBJECT_REPLACED');
      expect(oldResult.report?.etag).toBe(old.etag);
      expect(newResult.status).toBe('processed');
      expect(newResult.report?.etag).toBe(replacement.etag);
      expect(reportKeyOf(old.key, old.etag)).not.toBe(reportKeyOf(replacement.key, replacement.etag));
      expect(fileEvents(h, 'Feedback File Processed')).toHaveLength(1);
      expect(fileEvents(h, 'Feedback File Rejected')).toHaveLength(1);
      // The old version's committed rows stay counted once; the new version's rows count on their own.
      const committedRows = oldResult.report?.rows.total ?? 0;
      expect(committedRows).toBeGreaterThan(0);
      expect(committedRows).toBeLessThan(45);
      const expected = await cleanCells([
        ['incoming/survey/a.csv', exportRows(1, committedRows)],
        ['incoming/survey/b.csv', next],
      ]);
      expect(h.ports.ledgers.cellLines()).toEqual(expected);
    });
  });
});
