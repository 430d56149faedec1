import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/ingest/types.js';
import { freeLanguage, jobDocument, planAsyncJobs } from '../../../shared/pipeline/async-sentiment/plan.js';
import { textKey } from '../../../shared/pipeline/chunk-analysis.js';
import { createMemoryTextCache } from '../../../shared/sentiment/text-cache.js';

function reader(texts: [string, string | undefined][]) {
  const batch = texts.map(
    ([text, language], i) =>
      ({ kind: 'accepted', row: i + 1, record: { row: i + 1, text, language } }) as unknown as RowOutcome,
  );
  return {
    async *batches() {
      yield batch;
    },
  };
}

describe('planAsyncJobs', () => {
  it('plans one group per language of the unique, uncached texts whose language is free', async () => {
    // Prepare
    const cache = createMemoryTextCache();
    const cached = 'Cached already, no need to pay again';
    await cache.putMany(
      new Map([
        [
          textKey(cached),
          {
            sentiment: { label: 'NEUTRAL', score: { Positive: 0, Negative: 0, Neutral: 1, Mixed: 0 }, language: 'en' },
          },
        ],
      ]),
    );
    const texts: [string, string | undefined][] = [
      ['Great app', 'en-US'],
      ['Great app', 'en-US'],
      ['物流很快', undefined],
      ['A long English text with no language tag at all', undefined],
      ['Texto en un idioma sin etiqueta', 'xx'],
      [cached, 'en'],
      ['Bad\nupdate', 'en'],
    ];
    // Act
    const plan = await planAsyncJobs(reader(texts), cache, 2);
    // Assess: duplicates once, the cached text and the ones needing paid detection left to the normal path.
    expect(plan?.documents).toBe(3);
    expect(plan?.groups.map((g) => [g.language, g.part, g.docs])).toEqual([
      ['en', 0, ['Great app', 'Bad update']],
      ['zh', 0, ['物流很快']],
    ]);
    expect(plan?.groups[0]?.keys).toEqual([textKey('Great app'), textKey('Bad\nupdate')]);
  });

  it('plans nothing at or under the threshold', async () => {
    const plan = await planAsyncJobs(
      reader([
        ['one', 'en'],
        ['two', 'en'],
      ]),
      createMemoryTextCache(),
      2,
    );
    expect(plan).toBeUndefined();
  });
});

describe('job documents and free languages', () => {
  it('puts a text on one line, cut to the document limit', () => {
    expect(jobDocument('  line one\r\nline two\u2028three ')).toBe('line one line two three');
    expect(Buffer.byteLength(jobDocument('好'.repeat(3000)), 'utf8')).toBeLessThanOrEqual(5000);
  });

  it.each([
    ['Hello there', 'en-GB', 'en'],
    ['还不错', undefined, 'zh'],
    ['short one', undefined, 'en'],
    ['A sentence long enough to need detection', undefined, undefined],
    ['Shalom', 'he', undefined],
  ])('%s (%s) → %s', (text, hint, expected) => {
    expect(freeLanguage(text, hint)).toBe(expected);
  });
});
