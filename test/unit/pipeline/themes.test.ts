import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../shared/config/resources.js';
import { cellKey } from '../../../shared/domain/cells.js';
import { DETAIL_SCHEMAS } from '../../../shared/events/contract.js';
import type { TextAnalyzer } from '../../../shared/pipeline/text-analyzer.js';
import { emptyUsage } from '../../../shared/sentiment/comprehend-adapter.js';
import { memoryHarness, memoryIngestConfig } from '../../helpers/memory-ports.js';

/** Negative when the text complains; key phrases as the local endpoint would give them. */
const analyzer: TextAnalyzer = {
  analyze: async (requests) => ({
    results: new Map(
      requests.map((r) => {
        const negative = /late|lawyer|rattle|never/i.test(r.text);
        const label = negative ? ('NEGATIVE' as const) : ('POSITIVE' as const);
        const score = { Positive: negative ? 0.05 : 0.95, Negative: negative ? 0.95 : 0.05, Neutral: 0, Mixed: 0 };
        return [r.key, { sentiment: { label, score, language: 'en' as const }, keyPhrases: ['the odd rattles'] }];
      }),
    ),
    usage: emptyUsage(),
    deferred: new Map(),
  }),
};

const HEADER = 'ResponseId,Recorded Date,Rating,Comment';
const csv = (rows: [id: string, day: string, rating: number, text: string][]) =>
  `${[HEADER, ...rows.map(([id, day, rating, text]) => `${id},2026-10-${day} 10:00:00,${rating},"${text}"`)].join('\n')}\n`;

describe('themes in the pipeline', () => {
  it('counts theme cells with the scores of the responses that name them, and emerging phrases otherwise', async () => {
    const h = memoryHarness(analyzer, memoryIngestConfig(100));

    await h.ingest(
      h.ports.put(
        'incoming/survey/a.csv',
        csv([
          ['R1', '05', 1, 'Delivery was late again'],
          ['R2', '05', 5, 'Friendly staff'],
          ['R3', '05', 2, 'An odd rattle inside'],
        ]),
      ),
    );

    const cells = h.ports.ledgers.cells;
    expect(cells.get(cellKey('all', 'all', '2026-10-05', 'delivery.speed'))).toMatchObject({
      volume: 1,
      negative: 1,
      ratingN: 1,
      rating1: 1,
    });
    expect(cells.get(cellKey('all', 'all', '2026-10-05', 'staff.people'))).toMatchObject({ volume: 1, rating5: 1 });
    // Only the negative text that named no theme keeps its key phrase, normalised.
    expect(cells.get(cellKey('all', 'all', '2026-10-05'))?.phrases).toEqual({ 'odd rattle': 1 });
    expect([...h.ports.ledgers.quotes.values()].map((q) => [q.theme, q.polarity])).toEqual(
      expect.arrayContaining([
        ['delivery.speed', 'negative'],
        ['staff.people', 'positive'],
      ]),
    );
  });

  it('flags urgent feedback on the detractor event, even when its scores are not a detractor', async () => {
    const h = memoryHarness(analyzer, memoryIngestConfig(100));

    await h.ingest(
      h.ports.put(
        'incoming/survey/u.csv',
        csv([
          ['R1', '05', 4, 'Fine product but my lawyer will hear about the late delivery'],
          ['R2', '05', 5, 'Love it, I will never shop elsewhere again'],
          ['R3', '05', 1, 'Late'],
        ]),
      ),
    );

    const detractors = h.ports.published.filter((e) => e.detailType === EVENTS.detailTypes.detractor);
    expect(detractors.map((e) => [e.detail.rating, e.detail.urgent, e.detail.urgency])).toEqual([
      [4, true, ['legal']],
      [1, false, undefined],
    ]);
    for (const e of detractors) expect(DETAIL_SCHEMAS[e.detailType].safeParse(e.detail).success).toBe(true);
  });

  it('sends a theme spike once, as a version 2 spike event naming the theme', async () => {
    const h = memoryHarness(analyzer, memoryIngestConfig(100));
    const rows: [string, string, number, string][] = [];
    for (let d = 1; d <= 7; d++) rows.push([`R${d}`, `0${d}`, 3, 'Delivery was late']);
    for (let i = 0; i < 5; i++) rows.push([`S${i}`, '08', 2, `Late delivery, order ${i}`]);
    const target = h.ports.put('incoming/survey/s.csv', csv(rows));

    await h.ingest(target);
    await h.ingest(h.ports.put('incoming/survey/s-again.csv', csv(rows)));

    const spikes = h.ports.published.filter(
      (e) => e.detailType === EVENTS.detailTypes.spike && e.detail.version === '2',
    );
    // "Late delivery" names delivery time and delivery service: one spike each, not again for the second file.
    expect(spikes.map((e) => [e.detail.day, (e.detail.theme as { id: string }).id, e.detail.negative]).sort()).toEqual([
      ['2026-10-08', 'delivery.shipping', 5],
      ['2026-10-08', 'delivery.speed', 5],
    ]);
    const speed = spikes.find((e) => (e.detail.theme as { id: string }).id === 'delivery.speed');
    expect(speed?.detail).toMatchObject({
      segment: { dimension: 'all', value: 'all' },
      baseline: 1,
      theme: { category: 'delivery', label: { en: 'Delivery time', zh: '配送时效' } },
    });
    expect(DETAIL_SCHEMAS[EVENTS.detailTypes.spike].safeParse(speed?.detail).success).toBe(true);
  });
});
