import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextAnalyzer } from '../../../shared/pipeline/text-analyzer.js';
import { emptyUsage } from '../../../shared/sentiment/comprehend-adapter.js';
import { memoryHarness, memoryIngestConfig } from '../../helpers/memory-ports.js';

/** Score-only answers have no text: the analyser is never asked. */
const analyzer: TextAnalyzer = {
  analyze: async () => ({ results: new Map(), usage: emptyUsage(), deferred: new Map() }),
};

const config = memoryIngestConfig(4);

function harness() {
  return memoryHarness(analyzer, config);
}

interface Answer {
  day: number;
  channel: 'web' | 'email';
  nps: number;
}

/** A survey export of score-only answers (no comment column), in the order given. */
function exportOf(answers: readonly Answer[]): string {
  const lines = ['Recorded Date,Channel,How likely are you to recommend us?'];
  for (const a of answers) lines.push(`2026-10-0${a.day} 10:00:00,${a.channel},${a.nps}`);
  return `${lines.join('\n')}\n`;
}

async function cellsOf(files: readonly string[]): Promise<string[]> {
  const h = harness();
  for (const [i, body] of files.entries()) await h.ingest(h.ports.put(`incoming/survey/f${i}.csv`, body));
  return h.ports.ledgers.cellLines();
}

// Few distinct values, so that identical answers are common.
const answer = fc.record({
  day: fc.integer({ min: 1, max: 4 }),
  channel: fc.constantFrom<Answer['channel']>('web', 'email'),
  nps: fc.constantFrom(0, 7, 10),
});

describe('score-only answers through the pipeline', () => {
  it('counts every identical answer once, and overlapping date-window exports like one export of their union', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(answer, { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        async (unsorted, from, span, laterFirst) => {
          // Prepare: the whole period, and two windows of whole days that overlap (from … to).
          const all = [...unsorted].sort((x, y) => x.day - y.day);
          const to = Math.min(4, from + span);
          const first = exportOf(all.filter((a) => a.day <= to));
          const second = exportOf(all.filter((a) => a.day >= from));
          const expected = await cellsOf([exportOf(all)]);

          // Act
          const h = harness();
          const order = laterFirst ? [second, first] : [first, second];
          const reports = [];
          for (const [i, body] of order.entries()) {
            reports.push((await h.ingest(h.ports.put(`incoming/survey/w${i}.csv`, body))).report);
          }

          // Assess: each file counts all its rows, and the union is counted once per distinct occurrence.
          expect(reports[0]?.rows).toMatchObject({ accepted: reports[0]?.rows.total, duplicates: 0 });
          expect(h.ports.ledgers.cellLines()).toEqual(expected);
          const total = (reports[0]?.rows.accepted ?? 0) + (reports[1]?.rows.accepted ?? 0);
          expect(total).toBe(all.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts a re-upload of score-only answers once, even when a worker dies mid-file', async () => {
    const answers: Answer[] = Array.from({ length: 11 }, (_, i) => ({ day: 1 + (i % 2), channel: 'web', nps: 10 }));
    const body = exportOf(answers);
    const expected = await cellsOf([body]);
    const h = harness();
    const target = h.ports.put('incoming/survey/a.csv', body);
    h.ports.ledgers.failOnCommit = 2;

    await h.ingest(target).catch(() => undefined);
    for (const entry of h.ports.ledgers.files.values()) entry.leaseUntil = 0;
    const resumed = await h.ingest(target);
    const copy = await h.ingest(h.ports.put('incoming/survey/copy.csv', body));

    expect(resumed.report?.rows).toMatchObject({ total: 11, accepted: 11, duplicates: 0 });
    expect(copy.report?.rows).toMatchObject({ total: 11, accepted: 0, duplicates: 11 });
    expect(h.ports.ledgers.cellLines()).toEqual(expected);
  });

  it('undercounts a run of identical answers that neither overlapping export holds whole', async () => {
    // The documented limit: with no date finer than the run, 3 identical answers split 2 + 2 (one shared) read as 2.
    const same: Answer = { day: 1, channel: 'web', nps: 10 };
    const h = harness();

    const a = await h.ingest(h.ports.put('incoming/survey/a.csv', exportOf([same, same])));
    const b = await h.ingest(h.ports.put('incoming/survey/b.csv', exportOf([same, same])));

    expect([a.report?.rows.accepted, b.report?.rows.accepted]).toEqual([2, 0]);
  });
});
