import { describe, expect, it } from 'vitest';
import { readExport } from '../../../shared/ingest/read-export.js';
import { KeyIndex, quoteBigIntegers } from '../../../shared/ingest/rows/json-flatten.js';
import { jsonRows } from '../../../shared/ingest/rows/json-text.js';
import type { RawRow } from '../../../shared/ingest/rows/raw-row.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

function run(text: string, fileName: string, chunkSize = 13) {
  return runBytes(chunks(utf8(text), chunkSize), fileName);
}

/** Rows of one JSON text, with cells keyed by column name. */
function rowsOf(text: string): { rows: RawRow[]; named: Record<string, string>[] } {
  const keys = new KeyIndex();
  const rows: RawRow[] = [];
  jsonRows(text, keys, { end: 99 }, 1_000_000, rows);
  const named = rows.map((r) => Object.fromEntries(r.cells.map((c, i) => [keys.keys[i] ?? '', c])));
  return { rows, named };
}

describe('JSON integers beyond 2^53', () => {
  it('quotes only unsafe integer literals, never strings, fractions or exponents', () => {
    // Prepare
    const text =
      '{"id":7312345678901234567,"neg":-9007199254740993,"safe":9007199254740991,"frac":12345678901234567.5,' +
      '"exp":1234567890123456789e2,"s":"7312345678901234567 \\"9007199254740993\\"","list":[18446744073709551615,1]}';
    // Act
    const out = quoteBigIntegers(text);
    // Assess
    expect(out).toBe(
      '{"id":"7312345678901234567","neg":"-9007199254740993","safe":9007199254740991,"frac":12345678901234567.5,' +
        '"exp":1234567890123456789e2,"s":"7312345678901234567 \\"9007199254740993\\"","list":["18446744073709551615",1]}',
    );
    expect(JSON.parse(out)).toMatchObject({ id: '7312345678901234567', s: '7312345678901234567 "9007199254740993"' });
  });

  it('leaves texts without a 16-digit run untouched and invalid literals invalid', () => {
    const plain = '{"id":123456789012345,"t":"x"}';
    expect(quoteBigIntegers(plain)).toBe(plain);
    expect(() => JSON.parse(quoteBigIntegers('{"id":07312345678901234567}'))).toThrow();
  });

  it('keeps the exact digits in cells, nested and in arrays of scalars', () => {
    // Act
    const { named } = rowsOf(
      '{"id":7312345678901234567,"user":{"uid":3456789012345678901},"tags":[7312345678901234568,2],"n":5}',
    );
    // Assess
    expect(named).toEqual([
      { id: '7312345678901234567', 'user.uid': '3456789012345678901', tags: '7312345678901234568, 2', n: '5' },
    ]);
  });

  it.each([
    ['douyin.jsonl', (lines: string[]) => `${lines.join('\n')}\n`, 'jsonl'],
    ['douyin.json', (lines: string[]) => `[${lines.join(',\n')}]`, 'json'],
  ])('counts Douyin-style 19-digit ids in %s as different records', async (file, layout, format) => {
    // Prepare
    const lines = [1, 2, 3, 4].map(
      (i) =>
        `{"id":731234567890123456${i},"text":"评论 ${i}","create_time":170961855${i},"user":{"uid":345678901234567890${i}}}`,
    );
    // Act
    const { report, records } = await run(layout(lines), file);
    // Assess
    expect(report.format).toBe(format);
    expect(report.rows).toMatchObject({ total: 4, accepted: 4, rejected: 0, duplicates: 0 });
    expect(records.map((r) => r.sourceRecordId)).toEqual([
      '7312345678901234561',
      '7312345678901234562',
      '7312345678901234563',
      '7312345678901234564',
    ]);
    expect(new Set(records.map((r) => r.customerHash)).size).toBe(4);
  });
});

describe('JSON document laid out one record a line', () => {
  it('reads a wrapper object with one record a line as a document, not JSON Lines', async () => {
    // Prepare
    const text = [
      '{"应用":"某某外卖","评论列表":[',
      ' {"评论ID":"a1","评分":"5","标题":"好用","内容":"送餐很快","评论时间":"2024-03-05 14:02"},',
      ' {"评论ID":"a2","评分":"2","标题":"红包","内容":"满减红包全是套路","评论时间":"2024-03-05 15:30"},',
      ' {"评论ID":"a3","评分":"4","标题":"","内容":"整体不错","评论时间":"2024-03-07 11:00"}',
      ']}',
      '',
    ].join('\n');
    // Act
    const { report, records } = await run(text, 'appstore_cn.json');
    // Assess
    expect(report.format).toBe('json');
    expect(report.rows).toMatchObject({ total: 3, accepted: 3, rejected: 0, duplicates: 0 });
    expect(records.map((r) => r.sourceRecordId)).toEqual(['a1', 'a2', 'a3']);
  });

  it.each([
    [
      'pretty-printed object',
      '{\n  "data": [\n    {\n      "id": "1",\n      "text": "good"\n    },\n    {\n      "id": "2",\n      "text": "bad"\n    }\n  ]\n}\n',
    ],
    [
      'pretty-printed array',
      '[\n  {\n    "id": "1",\n    "text": "good"\n  },\n  {\n    "id": "2",\n    "text": "bad"\n  }\n]\n',
    ],
    ['first record on the opening line', '{"data":[{"id":"1","text":"good"},\n{"id":"2","text":"bad"}\n]}\n'],
  ])('still reads a %s as a document', async (_, text) => {
    const { report } = await run(text, 'doc.json');
    expect(report.format).toBe('json');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
  });

  it('keeps JSON Lines whose first line is truncated inside a string as JSON Lines', async () => {
    // Prepare
    const text = [
      '{"id":"1","text":"Broke after a da',
      '{"id":"2","text":"fine"}',
      '{"id":"3","text":"great"}',
      '',
    ].join('\n');
    // Act
    const { report } = await run(text, 'lines.jsonl');
    // Assess
    expect(report.format).toBe('jsonl');
    expect(report.rows).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    expect(report.rejects).toEqual([expect.objectContaining({ row: 1, reason: 'MALFORMED_JSON' })]);
  });

  it('keeps JSON Lines of objects as JSON Lines', async () => {
    const { report } = await run('{"id":"1","text":"a"}\n{"id":"2","text":"b"}\n', 'lines.jsonl');
    expect(report.format).toBe('jsonl');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
  });
});

/** An App Store Connect API `customerReviews` page as `jq -c` writes it. */
function page(ids: number[], next = true): string {
  return JSON.stringify({
    data: ids.map((id) => ({
      type: 'customerReviews',
      id: `r-${id}`,
      attributes: {
        rating: (id % 5) + 1,
        title: `T${id}`,
        body: `Review number ${id}`,
        createdDate: '2024-05-01T08:00:00-07:00',
      },
      links: { self: `https://api.example/v1/customerReviews/${id}` },
    })),
    links: next ? { self: 'https://api.example/x', next: 'https://api.example/x?cursor=1' } : { self: 'x' },
    meta: { paging: { total: 6, limit: 3 } },
  });
}

describe('API response pages one a line or slurped into an array', () => {
  it('reads every record of every page of a JSON Lines file, one row each', async () => {
    // Act
    const { report, records } = await run(`${page([1, 2, 3])}\n${page([4, 5, 6], false)}\n`, 'pages.jsonl', 97);
    // Assess
    expect(report.format).toBe('jsonl');
    expect(report.rows).toMatchObject({ total: 6, accepted: 6, rejected: 0, duplicates: 0 });
    expect(report.columns).toMatchObject({ text: 'attributes.body', sourceRecordId: 'id' });
    expect(records.map((r) => [r.row, r.sourceRecordId])).toEqual([
      [1, 'r-1'],
      [2, 'r-2'],
      [3, 'r-3'],
      [4, 'r-4'],
      [5, 'r-5'],
      [6, 'r-6'],
    ]);
  });

  it('reads every record of pages slurped into one array (jq -s)', async () => {
    const { report, records } = await run(`[${page([1, 2, 3])},${page([4, 5])}]`, 'pages.json', 97);
    expect(report.format).toBe('json');
    expect(report.rows).toMatchObject({ total: 5, accepted: 5 });
    expect(records.map((r) => r.sourceRecordId)).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
  });

  it('counts a broken line between pages as one rejected row and keeps the totals exact', async () => {
    // Act
    const { report } = await run(`${page([1, 2])}\n{"data":[{"id":"x"\n${page([3, 4, 5], false)}\n`, 'pages.jsonl');
    // Assess
    expect(report.rows).toMatchObject({ total: 6, accepted: 5, rejected: 1, duplicates: 0 });
    expect(report.rejects).toEqual([expect.objectContaining({ row: 3, reason: 'MALFORMED_JSON' })]);
  });

  it('keeps a record holding an array of objects as one record', () => {
    // An order with its items and its own comment; a Typeform response with its answers; an empty page.
    expect(rowsOf('{"id":"o1","comment":"fast","items":[{"sku":"a"},{"sku":"b"}]}').rows).toHaveLength(1);
    expect(
      rowsOf('{"token":"t","answers":[{"type":"text","text":"ok"},{"type":"number","number":9}]}').rows,
    ).toHaveLength(1);
    expect(rowsOf('{"data":[],"meta":{"paging":{"total":0}}}').rows).toHaveLength(1);
    expect(rowsOf('{"data":[{"id":"1"},"x"]}').rows).toHaveLength(1);
  });

  it('gives only the last record of a page the line end offset', () => {
    // Act
    const { rows, named } = rowsOf('{"reviews":[{"id":"1","text":"a"},{"id":"2","text":"b"}],"nextPageToken":"n"}');
    // Assess
    expect(rows.map((r) => r.end)).toEqual([undefined, 99]);
    expect(named).toEqual([
      { id: '1', text: 'a' },
      { id: '2', text: 'b' },
    ]);
  });

  it('resumes exactly after a checkpoint inside a page and after one at the end of a page', async () => {
    const bytes = utf8(`${page([1, 2, 3])}\n${page([4, 5, 6], false)}\n`);
    const options = { ...baseOptions, fileName: 'pages.jsonl' };
    const full = await collect(readExport(chunks(bytes, 211), options));
    for (const stop of [2, 3, 5]) {
      // Prepare
      const first = readExport(chunks(bytes, 211), options);
      const head = await collect(first, stop);
      const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
      // Act
      const rest = state.byteOffset === undefined ? bytes : bytes.subarray(state.byteOffset);
      const tail = await collect(readExport(chunks(rest, 211), { ...options, resume: state }));
      // Assess
      expect(state.recordsDone).toBe(stop);
      expect(state.byteOffset !== undefined).toBe(stop === 3);
      expect([...head, ...tail]).toEqual(full);
    }
  });
});

/** Two records as inline JSON, one a line, so the file reads as a document rather than JSON Lines. */
const TWO =
  '\n{"id":"k1","text":"good","created_at":"2024-05-01T10:00:00Z"},\n{"id":"k2","text":"bad","created_at":"2024-05-02T10:00:00Z"}\n';

describe('finding the records array of a JSON document', () => {
  it.each([
    ['an empty array before the records (Trustpilot links)', `{"links":[],"reviews":[${TWO}]}`],
    ['an array of strings before the records', `{"tags":["a","b]"],"reviews":[${TWO}]}`],
    ['an array of numbers nested in an object before the records', `{"meta":{"ids":[1,2]},"data":[${TWO}]}`],
    ['an empty array inside the envelope before the records', `{"data":{"hot":[],"comments":[${TWO}]}}`],
    ['records under an object under the root (Weibo)', `{"ok":1,"data":{"comments":[${TWO}],"max_id":0}}`],
    ['records after an envelope object (iTunes feed)', `{"feed":{"author":{"name":{"label":"x"}},"entry":[${TWO}]}}`],
    ['a root array', `[${TWO}]`],
    ['a data array', `{"data":[${TWO}]}`],
    ['a data array after a links object (App Store Connect)', `{"links":{"self":"x","next":"y"},"data":[${TWO}]}`],
  ])('reads %s', async (_, text) => {
    for (const size of [5, 13, 4096]) {
      const { report, records } = await run(text, 'doc.json', size);
      expect(report.format).toBe('json');
      expect(report.rows).toMatchObject({ total: 2, accepted: 2, rejected: 0 });
      expect(records.map((r) => r.sourceRecordId)).toEqual(['k1', 'k2']);
    }
  });

  it.each([
    ['an array of arrays', `{"pairs":[["a"],[{"id":"bad","text":"no"}]],"reviews":[${TWO}]}`],
    ['a scalar first element', `{"mixed":["a",[{"id":"bad","text":"no"}],{"id":"bad2"}],"reviews":[${TWO}]}`],
    ['an envelope', `{"data":{"tags":["x",[{"id":"bad","text":"no"}]],"comments":[${TWO}]}}`],
  ])('never takes an array inside an abandoned array (%s)', async (_, text) => {
    const { report, records } = await run(text, 'doc.json', 7);
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
    expect(records.map((r) => r.sourceRecordId)).toEqual(['k1', 'k2']);
  });

  it('takes the first array of objects in document order and never one inside a record', async () => {
    const text = `{"data":{"top":[{"id":"t","text":"pinned"}]},"reviews":[${TWO}]}`;
    const { records } = await run(text, 'doc.json');
    expect(records.map((r) => r.sourceRecordId)).toEqual(['t']);
    const inner = `{"reviews":[\n{"id":"k1","text":"a","replies":[{"id":"r","text":"x"}]},\n{"id":"k2","text":"b"}\n]}`;
    expect((await run(inner, 'doc.json')).records.map((r) => r.sourceRecordId)).toEqual(['k1', 'k2']);
  });

  it('reports a document with only empty arrays as empty and one without arrays of objects as unsupported', async () => {
    await expect(run('{"links":[],\n"data":[]\n}', 'doc.json')).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(run('{"tags":["a"],\n"n":{"ids":[1]}\n}', 'doc.json')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
  });

  it('reads a one-line envelope (read as JSON Lines) record by record', async () => {
    const weibo = `{"ok":1,"data":{"comments":[${TWO.replace(/\n/g, '')}]}}\n`;
    const itunes = `{"feed":{"author":{"name":{"label":"x"}},"entry":[${TWO.replace(/\n/g, '')}]}}`;
    for (const text of [weibo, itunes]) {
      const { report, records } = await run(text, 'one.json');
      expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
      expect(records.map((r) => r.sourceRecordId)).toEqual(['k1', 'k2']);
    }
    // A record with its own content keeps its nested data as one record.
    expect(rowsOf('{"id":"1","text":"t","data":{"comments":[{"id":"c"}]}}').rows).toHaveLength(1);
  });

  it('resumes a nested document by skipping records', async () => {
    const bytes = utf8(`{"links":[],"data":{"tags":["x"],"comments":[${TWO},{"id":"3","text":"ok"}]}}`);
    const options = { ...baseOptions, fileName: 'doc.json' };
    const full = await collect(readExport(chunks(bytes, 11), options));
    expect(full.filter((o) => o.kind === 'accepted')).toHaveLength(3);
    for (const stop of [1, 2]) {
      const first = readExport(chunks(bytes, 11), options);
      const head = await collect(first, stop);
      const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
      const rest = state.byteOffset === undefined ? bytes : bytes.subarray(state.byteOffset);
      const tail = await collect(readExport(chunks(rest, 11), { ...options, resume: state }));
      expect([...head, ...tail]).toEqual(full);
    }
  });
});

describe('JSON keys that are personal data', () => {
  const lines = [0, 1, 2, 3, 4, 5]
    .map((i) =>
      JSON.stringify({
        [`customer${i % 2}@example.com`]: 'x',
        text: `Review number ${['one', 'two', 'three', 'four', 'five', 'six'][i]} of the shop`,
        rating: 1 + (i % 5),
      }),
    )
    .join('\n');

  it('resumes with each key at its index, from a checkpoint that holds the keys only hashed', async () => {
    // Prepare
    const bytes = utf8(`${lines}\n`);
    const options = { ...baseOptions, fileName: 'keys.jsonl' };
    const full = await collect(readExport(chunks(bytes, 17), options));
    for (const stop of [1, 3]) {
      // Act
      const first = readExport(chunks(bytes, 17), options);
      const head = await collect(first, stop);
      const checkpoint = JSON.stringify(first.checkpoint());
      const state = JSON.parse(checkpoint) as ResumeState;
      const rest = state.byteOffset === undefined ? bytes : bytes.subarray(state.byteOffset);
      const resumed = readExport(chunks(rest, 17), { ...options, resume: state });
      const tail = await collect(resumed);
      // Assess
      expect([...head, ...tail]).toEqual(full);
      expect(checkpoint).not.toContain('@example.com');
      expect((await resumed.meta()).seenColumns).toEqual(['column 1', 'text', 'rating', 'column 4']);
    }
  });

  it('finds a concealed key through the concealer, and takes new keys after the known ones', () => {
    // Prepare
    const conceal = (k: string) => (k.includes('@') ? `#${k.length}` : k);
    const keys = new KeyIndex(['text', '#13', 'rating'], { conceal });
    // Act, Assess
    expect(keys.index('a@example.com')).toBe(1);
    expect(keys.index('rating')).toBe(2);
    expect(keys.index('b@example.org')).toBe(1);
    expect(keys.index('other')).toBe(3);
  });
});

describe('Google Play reviews with developer replies', () => {
  const review = (id: string, text: string, reply?: string) =>
    JSON.stringify({
      reviewId: id,
      authorName: 'A',
      comments: [
        { userComment: { text, starRating: 2, lastModified: { seconds: '1714557600', nanos: 0 } } },
        ...(reply === undefined ? [] : [{ developerComment: { text: reply } }]),
      ],
    });

  it('keeps one row a review, keyed by comment kind, without the developer reply', () => {
    const { rows, named } = rowsOf(review('r1', 'Crashes', 'Sorry, fixed'));
    expect(rows).toHaveLength(1);
    expect(named[0]).toMatchObject({ reviewId: 'r1', 'comments.userComment.text': 'Crashes' });
    expect(Object.values(named[0] ?? {})).not.toContain('Sorry, fixed');
    expect(rowsOf(review('r2', 'Great')).named).toEqual([
      expect.objectContaining({ reviewId: 'r2', 'comments.userComment.text': 'Great' }),
    ]);
  });

  it('reads a reviews.list page as one record a review', async () => {
    const text = `{"reviews":[\n${review('r1', 'Crashes', 'Sorry, fixed')},\n${review('r2', 'Great')}\n],"tokenPagination":{}}`;
    const { report, records } = await run(text, 'gplay.json');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2, rejected: 0 });
    expect(records.map((r) => r.sourceRecordId)).toEqual(['r1', 'r2']);
    expect(JSON.stringify(records)).not.toContain('Sorry, fixed');
  });
});

describe('JSON records written as arrays of values', () => {
  const REVIEWS = [
    'Great food, slow service',
    'Never again, cold soup',
    'Lovely staff and fair prices',
    'Okay I guess',
  ];
  const body = (header: boolean) => {
    const rows = Array.from({ length: 24 }, (_, i) => [
      `${REVIEWS[i % 4]} (${i})`,
      i % 2 === 0 ? 'positive' : 'negative',
      1 + (i % 5),
    ]);
    return JSON.stringify(header ? [['review', 'label', 'stars'], ...rows] : rows);
  };

  it('reads a header record as the header and the rest as rows by position', async () => {
    const { report, records } = await run(body(true), 'values.json');

    expect(report.columns).toMatchObject({ text: 'review', rating: 'stars' });
    expect(report.rows).toMatchObject({ total: 24, accepted: 24, withText: 24 });
    expect(records[1]).toMatchObject({ text: 'Never again, cold soup (1)', rating: 2 });
  });

  it('reads arrays without a header record as headerless rows (NO_HEADER), none taken as a header', async () => {
    const { report } = await run(body(false), 'values.json');

    expect(report.rows).toMatchObject({ total: 24, accepted: 24, withText: 24 });
    expect(report.details.fileWarnings.map((w) => w.code)).toContain('NO_HEADER');
  });

  it('keeps every digit of a long integer id and resumes past the header record', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `[73123456789012345${10 + i},"${REVIEWS[i % 4]} ${i}"]`);
    const text = `[["review_id","comment"],${rows.join(',')}]`;
    const options = { ...baseOptions, fileName: 'ids.json' };
    const ids = (os: Awaited<ReturnType<typeof collect>>) =>
      os.flatMap((o) => (o.kind === 'accepted' ? [o.record.sourceRecordId] : []));

    const whole = ids(await collect(readExport(chunks(utf8(text), 50), options)));
    const first = readExport(chunks(utf8(text), 50), options);
    const head = ids(await collect(first, 4));
    const checkpoint = first.checkpoint() as ResumeState;
    const rest = ids(await collect(readExport(chunks(utf8(text), 50), { ...options, resume: checkpoint })));

    expect(whole[0]).toBe('7312345678901234510');
    expect(whole).toHaveLength(12);
    expect([...head, ...rest]).toEqual(whole);
  });
});
