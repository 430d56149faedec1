import { describe, expect, it } from 'vitest';
import { readExport } from '../../../shared/ingest/read-export.js';
import { jsonRows, KeyIndex, quoteBigIntegers, type RawRow } from '../../../shared/ingest/sources.js';
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
  jsonRows(text, keys, 99, 1_000_000, rows);
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
