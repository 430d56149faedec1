import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../shared/ingest/clean.js';
import { mapColumns } from '../../../shared/ingest/column-mapping.js';
import { profileColumn } from '../../../shared/ingest/column-profile.js';
import { detectHeader } from '../../../shared/ingest/headers.js';
import { chunks, runBytes } from './helpers.js';

const REVIEWS = [
  'Love my Echo, it plays music all day long',
  'Sound is great but the app keeps logging me out',
  'Bought it for my mum and she uses it every morning',
  'Not worth the price, the speaker is tinny',
  'Setup took two minutes and it just works',
  'It stopped responding after the last update',
  'Alexa understands my kids better than I do',
];

/** Rows `0…n-1` of a table, each cell made by its column's function. */
function table(n: number, cols: Record<string, (i: number) => string>): { columns: string[]; sample: string[][] } {
  const columns = Object.keys(cols);
  const sample = Array.from({ length: n }, (_, i) => columns.map((c) => cols[c]?.(i) ?? ''));
  return { columns, sample };
}

function map(t: { columns: string[]; sample: string[][] }) {
  return mapColumns({ columns: t.columns, aliases: t.columns.map(() => []), sample: t.sample });
}

const review = (i: number) => `${REVIEWS[i % REVIEWS.length]} (${i})`;
const usDate = (i: number) => `${1 + (i % 12)}/${1 + (i % 28)}/2024 ${i % 24}:0${i % 10}`;

function csv(lines: readonly string[]) {
  return runBytes(chunks(Buffer.from(`${lines.join('\n')}\n`, 'utf8'), 64), 'roles.csv');
}

/** Values tools write for an empty answer (read as blank). */
const PLACEHOLDER = /^(?:n\/?a|null|none|nil|nan|undefined|-+|无|空|\(空\)|（空）)$/i;

describe('column roles: text', () => {
  it('never keeps a 0/1 label named feedback as the text when a prose column exists', () => {
    // Prepare
    const t = table(60, {
      rating: (i) => String(1 + (i % 5)),
      feedback: (i) => String(i % 2),
      verified_reviews: review,
    });
    // Act
    const m = map(t);
    // Assess
    expect(t.columns[m.fieldIndex.text ?? -1]).toBe('verified_reviews');
    const text = m.explained.find((c) => c.field === 'text');
    expect(text?.evidence).toMatch(/prose/);
  });

  it('drops Likert answers from the text role even with no prose column', () => {
    const likert = ['Strongly agree', 'Agree', 'Neutral', 'Disagree', 'Strongly disagree'];
    const t = table(60, { Comments: (i) => likert[i % 5] ?? '', Score: (i) => String(i % 11) });
    expect(map(t).fieldIndex.text).toBeUndefined();
  });

  it('takes the open question Q2 over a sparse "other, please specify" Q1_TEXT', () => {
    const t = table(30, { Q1: (i) => String(1 + (i % 4)), Q1_TEXT: (i) => (i % 6 === 0 ? 'Other' : ''), Q2: review });
    expect(t.columns[map(t).fieldIndex.text ?? -1]).toBe('Q2');
  });

  it('takes My Review, not the repeated book title', () => {
    const t = table(40, { Title: (i) => ['Dune', 'Emma'][i % 2] ?? '', 'My Review': review });
    const m = map(t);
    expect(t.columns[m.fieldIndex.text ?? -1]).toBe('My Review');
  });

  it('never chooses a column of at most 10 distinct values over 50 rows as text', () => {
    fc.assert(
      fc.property(
        // Filled values: a column blank in the whole sample (a sparse comment column) may keep its named role.
        fc.array(
          fc
            .string({ minLength: 1, maxLength: 80 })
            // Values that are values once cleaned (`<A>` is markup, read as blank like a placeholder).
            .filter((v) => /[\p{L}\p{N}]/u.test(v) && !PLACEHOLDER.test(v.trim()) && cleanText(v) !== undefined),
          { minLength: 1, maxLength: 10 },
        ),
        fc.integer({ min: 50, max: 120 }),
        fc.constantFrom('Comment', 'feedback', 'Review Text', '评论内容', 'text', 'Q5 Why?'),
        fc.boolean(),
        (values, n, name, withProse) => {
          const cols: Record<string, (i: number) => string> = { [name]: (i) => values[i % values.length] ?? '' };
          if (withProse) cols.other = review;
          const t = table(n, cols);
          try {
            expect(map(t).fieldIndex.text).not.toBe(0);
          } catch (err) {
            // A file with neither text nor score is refused: the categorical column was not chosen either.
            if ((err as Error).name !== 'FileRejectedError') throw err;
          }
        },
      ),
    );
  });
});

describe('column roles: dates', () => {
  it.each([
    'at',
    'tweet_created',
    'RatingDate',
    '评论日期',
    'Date Read',
  ])('finds the date in a column named %s', (name) => {
    const t = table(20, { content: review, [name]: usDate });
    const m = map(t);
    expect(t.columns[m.fieldIndex.submittedAt ?? -1]).toBe(name);
  });

  it('prefers the time the customer wrote over the crawl time', () => {
    const iso = (i: number) => `2024-05-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`;
    const t = table(20, { comment: review, created_at: iso, comment_at: iso, updated_at: iso });
    expect(t.columns[map(t).fieldIndex.submittedAt ?? -1]).toBe('comment_at');
  });

  it('keeps a created_at that is the only date', () => {
    const t = table(20, { text: review, created_at: (i) => `2024-05-0${1 + (i % 9)}T10:00:00Z` });
    expect(t.columns[map(t).fieldIndex.submittedAt ?? -1]).toBe('created_at');
  });

  it('never reads item, room or version numbers as dates (V8 parses `Item 3` as March 2001)', () => {
    const t = table(30, { 'Name of item': (i) => `Item ${i % 7}`, Grades: (i) => String(1 + (i % 5)), review });
    expect(map(t).fieldIndex.submittedAt).toBeUndefined();
  });

  it('reads a D/M column as European once a day above 12 settles it', async () => {
    const { report, records } = await csv(['at,content', '05/04/2024 9:30,First', '13/04/2024 10:00,Second']);
    expect(report.details.dateOrder).toBe('DMY');
    expect(records[0]?.submittedAt).toBe('2024-04-05T09:30:00.000Z');
  });
});

describe('column roles: scores', () => {
  it.each([
    ['得分', (i: number) => String(1 + (i % 5))],
    ['Grades', (i: number) => String(1 + (i % 5))],
    ['评星', (i: number) => ['力荐', '推荐', '还行', '较差', '很差'][i % 5] ?? ''],
  ])('reads %s as the rating', (name, value) => {
    const t = table(20, { 评论内容: review, [name]: value });
    expect(t.columns[map(t).fieldIndex.rating ?? -1]).toBe(name);
  });

  it('takes the one column of Douban star words as the rating, whatever its name', () => {
    const t = table(20, { comments: review, stars_cn: (i) => ['力荐', '推荐', '还行', '较差', '很差'][i % 5] ?? '' });
    expect(t.columns[map(t).fieldIndex.rating ?? -1]).toBe('stars_cn');
  });

  it('takes the one unnamed column of 0–10 answers as NPS, and says so', () => {
    const t = table(40, { Date: usDate, Q3: (i) => String((i * 7) % 11), Q4: review });
    const m = map(t);
    expect(t.columns[m.fieldIndex.nps ?? -1]).toBe('Q3');
    expect(m.warnings.find((w) => w.code === 'SCORE_KIND_INFERRED')?.detail).toContain('"Q3" has no score name');
  });

  it('takes no score on values alone from a named column, or when two unnamed columns could be it', () => {
    const visits = table(40, { Visits: (i) => String((i * 7) % 11), comment: review });
    const two = table(40, { Q3: (i) => String((i * 7) % 11), Q5: (i) => String((i * 3) % 11), comment: review });
    const few = table(40, { Q3: (i) => String(i % 3), comment: review });
    for (const t of [visits, two, few]) {
      const m = map(t);
      expect([m.fieldIndex.nps, m.fieldIndex.rating]).toEqual([undefined, undefined]);
    }
  });

  it('never takes a date column as the rating', () => {
    const t = table(20, { review: review, rating: usDate });
    expect(map(t).fieldIndex.rating).toBeUndefined();
  });
});

describe('column roles: ids', () => {
  it('takes a unique, id-shaped column as the record id without a known name', () => {
    const t = table(20, { tweet_id: (i) => String(570306133677760500n + BigInt(i * 7919)), text: review });
    expect(t.columns[map(t).fieldIndex.sourceRecordId ?? -1]).toBe('tweet_id');
  });

  it('never takes a row number 1, 2, 3… as the record id, and says so', () => {
    const t = table(20, { id: (i) => String(i + 1), text: review });
    const m = map(t);
    expect(m.fieldIndex.sourceRecordId).toBeUndefined();
    expect(m.warnings.map((w) => w.code)).toContain('ROW_NUMBER_NOT_ID');
  });

  it('keeps a numbering that starts mid-way (a slice of a running response number) as the id', () => {
    const t = table(20, { Id: (i) => String(i + 44), text: review });
    expect(map(t).fieldIndex.sourceRecordId).toBe(0);
  });
});

describe('headerless files', () => {
  it('reads the first line as data when it types like its columns, and warns NO_HEADER', async () => {
    const stars = ['力荐', '推荐', '还行', '较差', '很差'];
    const lines = Array.from({ length: 8 }, (_, i) => `${stars[i % 5]},${i * 3},"${review(i)}"`);
    const { report } = await csv(lines);
    expect(report.rows.total).toBe(8);
    expect(report.columns).toMatchObject({ text: 'text', rating: 'rating' });
    expect(report.details.seenColumns).toContain('column 2');
    expect(report.details.fileWarnings.map((w) => w.code)).toContain('NO_HEADER');
  });

  it('reads a first line of e-mail, phone and customer id over such columns as a record', async () => {
    // Prepare: a help-desk dump without a header; the first line is a customer's.
    const lines = Array.from(
      { length: 8 },
      (_, i) =>
        `user${i}.li@example.com,1390000${String(i).padStart(4, '0')},CUST-5821${i},"${review(i)}",${1 + (i % 5)}`,
    );
    // Act
    const { report } = await csv(lines);
    // Assess
    expect(report.rows.total).toBe(8);
    expect(report.details.fileWarnings.map((w) => w.code)).toContain('NO_HEADER');
    expect(JSON.stringify(report)).not.toMatch(/user0|13900000000|CUST-58210/);
  });

  it('keeps a header of names as the header', async () => {
    const { report } = await csv(['Rating,Comment', ...Array.from({ length: 5 }, (_, i) => `4,"${review(i)}"`)]);
    expect(report.rows.total).toBe(5);
    expect(report.details.fileWarnings.map((w) => w.code)).not.toContain('NO_HEADER');
  });
});

describe('older Qualtrics layout', () => {
  it('reads the 2016 ImportId row written with single quotes as a header row', () => {
    const h = detectHeader([
      ['ResponseId', 'Q1'],
      ['Response ID', 'How was it?'],
      ["{'ImportId': 'responseId'}", "{'ImportId': 'QID1'}"],
    ]);
    expect(h.headerRows).toBe(3);
    expect(h.aliases[1]).toContain('QID1');
  });
});

describe('feedback check explains the mapping', () => {
  it('gives each role its column, confidence and evidence, and a runner-up', async () => {
    const lines = [
      'rating,feedback,verified_reviews',
      ...Array.from({ length: 60 }, (_, i) => `${1 + (i % 5)},${i % 2},"${review(i)}"`),
    ];
    const { report } = await csv(lines);
    const text = report.details.mapping?.find((c) => c.field === 'text');
    expect(text).toMatchObject({ column: 'verified_reviews' });
    expect(text?.confidence).toBeGreaterThan(0.5);
    expect(text?.runnerUp?.column).toBe('feedback');
  });

  it('warns MAPPING_UNCERTAIN with column names only when the text is a guess', () => {
    const t = table(20, {
      Score: (i) => String(i % 11),
      'Your major?': (i) => ['Econ', 'Nursing', 'Law'][i % 3] ?? '',
    });
    const m = map(t);
    const doubt = m.warnings.find((w) => w.code === 'MAPPING_UNCERTAIN');
    expect(doubt?.detail).toContain('Your major?');
    expect(doubt?.detail).not.toContain('Nursing');
  });
});

describe('column profile', () => {
  it('measures fill, distinctness, prose and row numbers', () => {
    const p = profileColumn(0, ['1', '2', '3', '', 'N/A']);
    expect(p).toMatchObject({ filled: 3, consecutive: true, proseShare: 0 });
    expect(profileColumn(0, [review(1), review(2)]).proseShare).toBe(1);
  });
});
