import { describe, expect, it } from 'vitest';
import { LIST_PRICES_USD_PER_UNIT, type UnitPrices } from '../../../shared/config/cost.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import { analysisRequestOf } from '../../../shared/pipeline/chunk-analysis.js';
import { estimateFileCost } from '../../../shared/pipeline/cost-estimate.js';
import { budgetMonth, decideBudget, estimateCost } from '../../../shared/sentiment/cost.js';
import { createMemoryTextCache } from '../../../shared/sentiment/text-cache.js';

const PRICES: UnitPrices = { sentiment: 0.0001, keyPhrases: 0.0002, dominantLanguage: 0.0003 };

/** Words of plain letters, exactly `n` characters long (no trailing space: cleaning would trim it). */
function latin(n: number): string {
  const text = 'good service but slow delivery '.repeat(Math.ceil(n / 31) + 1).slice(0, n);
  return text.endsWith(' ') ? `${text.slice(0, -1)}x` : text;
}

/** `n` CJK characters: three UTF-8 bytes each, one code point each. */
function chinese(n: number): string {
  return '质量很好但是物流太慢了'.repeat(Math.ceil(n / 11)).slice(0, n);
}

/** A CSV export: one row per text, with a language column so no text needs paid language detection. */
function exportOf(rows: { text: string; language: string }[]): string {
  const lines = ['ResponseId,Submitted,Language,Comment'];
  rows.forEach((r, i) => {
    lines.push(`R${i + 1},2026-11-0${1 + (i % 9)} 10:00:00,${r.language},"${r.text}"`);
  });
  return `${lines.join('\n')}\n`;
}

function reader(csv: string) {
  return readExport(
    async function* () {
      yield Buffer.from(csv);
    },
    {
      fileName: 'incoming/survey/cost.csv',
      source: 'survey',
      hashKey: 'test-hash-key-0123456789',
      defaultTimeZone: 'UTC',
      uploadTime: new Date('2026-11-30T00:00:00Z'),
    },
  );
}

describe('estimateFileCost', () => {
  // Texts of known lengths, and the units Comprehend bills for each, worked out by hand from the rule
  // max(3, ceil(characters / 100)) on the text as sent (at most 5,000 UTF-8 bytes):
  const texts = [
    { text: latin(120), language: 'en', units: 3 }, // under 300 characters: the 3-unit minimum
    { text: latin(300), language: 'en', units: 3 }, // exactly 300: still 3
    { text: latin(301), language: 'en', units: 4 }, // one more character: a fourth unit
    { text: latin(5000), language: 'en', units: 50 }, // 5,000 bytes = 5,000 characters: 50
    { text: latin(6000), language: 'en', units: 50 }, // over the limit: cut to 5,000 bytes, 50
    { text: chinese(400), language: 'zh', units: 4 }, // 400 characters (1,200 bytes): units count characters
    { text: chinese(2000), language: 'zh', units: 17 }, // 6,000 bytes cut to 1,666 characters (4,998 bytes): 17
  ];
  const billed = texts.reduce((sum, t) => sum + t.units, 0); // 131

  it('equals the units billed for each text, computed by hand', async () => {
    // Prepare: every text once, and the first again (a duplicate within the file is free)
    const csv = exportOf([...texts, texts[0] as (typeof texts)[number]]);

    // Act
    const estimate = await estimateFileCost(reader(csv), {
      cost: { unitPrices: PRICES },
      themes: false,
    });

    // Assess
    expect(billed).toBe(131);
    expect(estimate.byOperation.sentiment).toEqual({ documents: 7, units: 131, usd: 0.0131 });
    expect(estimate.byOperation.keyPhrases).toEqual({ documents: 0, units: 0, usd: 0 });
    expect(estimate.byOperation.dominantLanguage).toEqual({ documents: 0, units: 0, usd: 0 });
    expect(estimate).toMatchObject({ units: 131, usd: 0.0131, uniqueTexts: 7, cachedTexts: 0 });
  });

  it('prices key phrases (themes on) as an upper bound: every text not yet analysed', async () => {
    // Act
    const estimate = await estimateFileCost(reader(exportOf(texts)), { cost: { unitPrices: PRICES }, themes: true });

    // Assess: 131 units at $0.0001 for sentiment and 131 at $0.0002 for key phrases
    expect(estimate.byOperation.keyPhrases).toEqual({ documents: 7, units: 131, usd: 0.0262 });
    expect(estimate).toMatchObject({ units: 262, usd: 0.0393 });
  });

  it('charges nothing for texts already in the sentiment cache, except key phrases never fetched', async () => {
    // Prepare: the 5,000-byte text cached as positive, the Chinese 400 as negative without phrases
    const records: Parameters<typeof analysisRequestOf>[0][] = [];
    for await (const o of reader(exportOf(texts))) if (o.kind === 'accepted') records.push(o.record);
    const keyOf = (i: number) => {
      const r = records[i];
      if (!r?.text) throw new Error(`no record ${i}`);
      return analysisRequestOf(r, r.text).key;
    };
    const score = { Positive: 0, Negative: 1, Neutral: 0, Mixed: 0 };
    const cache = createMemoryTextCache();
    await cache.putMany(
      new Map([
        [keyOf(3), { sentiment: { label: 'POSITIVE' as const, score, language: 'en' as const }, keyPhrases: [] }],
        [keyOf(5), { sentiment: { label: 'NEGATIVE' as const, score, language: 'zh' as const } }],
      ]),
    );

    // Act
    const estimate = await estimateFileCost(reader(exportOf(texts)), {
      cost: { unitPrices: PRICES },
      themes: true,
      cache,
    });

    // Assess: sentiment without the two cached texts (131 − 50 − 4); phrases also for the cached negative one
    expect(estimate.byOperation.sentiment.units).toBe(77);
    expect(estimate.byOperation.keyPhrases.units).toBe(81);
    expect(estimate.cachedTexts).toBe(2);
  });
});

describe('estimateCost', () => {
  it('adds paid language detection only for untagged texts of 20 characters or more in an unclear script', async () => {
    // Prepare
    const requests = [
      { key: 'a', text: latin(250) }, // Latin script, no tag: detected (3 units), then scored (3)
      { key: 'b', text: latin(19) }, // too short to detect: the default language, scored only
      { key: 'c', text: chinese(30) }, // the script tells: scored only
      { key: 'd', text: latin(40), languageHint: 'en-US' }, // tagged: scored only
      { key: 'e', text: latin(40), languageHint: 'xx-unknown' }, // tagged with a language Comprehend lacks: free
      { key: 'f', text: '   ' }, // nothing to send
    ];

    // Act
    const estimate = await estimateCost(requests, { prices: LIST_PRICES_USD_PER_UNIT, themes: false });

    // Assess
    expect(estimate.byOperation.dominantLanguage).toEqual({ documents: 1, units: 3, usd: 0.0003 });
    expect(estimate.byOperation.sentiment).toEqual({ documents: 4, units: 12, usd: 0.0012 });
  });
});

describe('decideBudget', () => {
  it.each([
    { budgetUsd: 10, spentUsd: 0, estimateUsd: 10, admit: true, remainingUsd: 10 },
    { budgetUsd: 10, spentUsd: 9.5, estimateUsd: 0.5, admit: true, remainingUsd: 0.5 },
    { budgetUsd: 10, spentUsd: 9.5, estimateUsd: 0.500001, admit: false, remainingUsd: 0.5 },
    { budgetUsd: 10, spentUsd: 12, estimateUsd: 0.01, admit: false, remainingUsd: 0 },
    { budgetUsd: 10, spentUsd: 12, estimateUsd: 0, admit: true, remainingUsd: 0 },
    { budgetUsd: 0.1, spentUsd: 0.2 - 0.1, estimateUsd: 0, admit: true, remainingUsd: 0 },
  ])('admits $estimateUsd against $spentUsd of $budgetUsd: $admit', ({ admit, remainingUsd, ...input }) => {
    expect(decideBudget(input)).toEqual({ admit, remainingUsd });
  });

  it('counts whole dollars without floating-point drift (0.1 + 0.2 fits in 0.3)', () => {
    expect(decideBudget({ budgetUsd: 0.3, spentUsd: 0.1 + 0.2 - 0.2, estimateUsd: 0.2 }).admit).toBe(true);
  });
});

describe('budgetMonth', () => {
  it('is the UTC calendar month, as AWS bills', () => {
    expect(budgetMonth(new Date('2026-11-30T23:30:00-05:00'))).toBe('2026-12');
    expect(budgetMonth(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12');
  });
});
