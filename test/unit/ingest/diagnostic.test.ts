import { describe, expect, it } from 'vitest';
import { columnLabels, describeCell, diagnostic, looksLikeName } from '../../../shared/ingest/diagnostic.js';

describe('diagnostic', () => {
  it('describes a cell by its shape, never by its value', () => {
    // Act
    const details = [
      diagnostic`nps: not a 0–10 score (${{ cell: '13812345678' }})`,
      diagnostic`submittedAt: not a date (${{ cell: 'zhang.wei@example.com' }})`,
      diagnostic`rating: not a 1–5 rating (${{ cell: '  13 ' }})`,
      diagnostic`x: ${{ cell: '' }}`,
    ];
    // Assess
    expect(details).toEqual([
      'nps: not a 0–10 score (11 digits)',
      "submittedAt: not a date (21 characters: letters, '.', '@')",
      'rating: not a 1–5 rating ("13")',
      'x: empty',
    ]);
  });

  it.each([
    ['zhang.wei@example.com'],
    ['13812345678'],
    ['+1 415-555-0199'],
    ['4111 1111 1111 1111'],
    ['203.0.113.42'],
    ['110101199003074514'],
    ['CUST-58213-ZW'],
    ['１３８１２３４５６７８'],
  ])('hides a name that is a value: %s', (value) => {
    // Act
    const detail = diagnostic`Column "${value}" numbers the rows`;
    // Assess
    expect(looksLikeName(value)).toBe(false);
    expect(detail).not.toContain(value);
    expect(detail).toMatch(/^Column "\[hidden: .+\]" numbers the rows$/);
  });

  it('shows real column names, cut to 60 characters', () => {
    // Prepare
    const question = 'How likely are you to recommend our store to a friend or a colleague, on a scale of 0 to 10?';
    // Act
    const detail = diagnostic`Columns seen: ${{ names: ['Review Text', '评价内容', 'Submit Date (UTC)', question] }}`;
    // Assess
    expect(detail).toBe(`Columns seen: "Review Text", "评价内容", "Submit Date (UTC)", "${question.slice(0, 59)}…"`);
  });

  it('lists at most 20 names and caps the whole detail', () => {
    // Act
    const listed = diagnostic`${{ names: Array.from({ length: 25 }, (_, i) => `Question ${i + 1}`) }}`;
    const long = diagnostic`${{ names: Array.from({ length: 20 }, () => 'x'.repeat(80)) }}`;
    // Assess
    expect(listed).toMatch(/"Question 20" \(\+5 more\)$/);
    expect([...long].length).toBeLessThanOrEqual(600);
  });

  it.each([
    [
      'V8, token excerpt',
      `Unexpected token 'z', "{"email": zhang.wei@example.com, "id": "CUST-58213-ZW"}" is not valid JSON`,
    ],
    ['V8, cut excerpt', `Unexpected token 'C', "Call me 13812345678 or 4111 1111 1111 1111"... is not valid JSON`],
    ['V8, mid-text excerpt', `Unexpected token 'C', ..."omer_id": CUST-58213-ZW"... is not valid JSON`],
    [
      'csv-parse, value',
      'Invalid Opening Quote: a quote is found on field 0 at line 1, value is "CUST-58213-ZW 13812345678"',
    ],
    ['unbalanced quote', 'Invalid Closing Quote: got "CUST-58213-ZW at line 3'],
    ['bare number', 'Unexpected number 110101199003074514 in JSON at position 10'],
  ])('drops what a library message quotes of the input (%s)', (_, message) => {
    // Act
    const detail = diagnostic`${{ message }}`;
    // Assess
    for (const planted of ['zhang.wei', '13812345678', '4111', 'CUST-58213', '110101199003074514'])
      expect(detail).not.toContain(planted);
    expect(detail).toMatch(/^[A-Z]/);
  });

  it('keeps what a library message says of the problem', () => {
    // Act
    const detail = diagnostic`${{ message: "Expected ',' or '}' after property value in JSON at position 20 (line 1 column 21)" }}`;
    // Assess
    expect(detail).toBe("Expected ',' or '}' after property value in JSON at position 20 (line 1 column 21)");
  });
});

describe('columnLabels', () => {
  it('keeps a header whose cells read as names', () => {
    expect(columnLabels(['Comment', 'NPS', 'Email', 'customer_id'])).toEqual([
      'Comment',
      'NPS',
      'Email',
      'customer_id',
    ]);
  });

  it('numbers every column of a header row that holds a value: the row is a record', () => {
    // Act
    const labels = columnLabels(['Zhang Wei', 'zhang.wei@example.com', 'Great product', '5']);
    // Assess
    expect(labels).toEqual(['column 1', 'column 2', 'column 3', 'column 4']);
  });

  it('judges JSON keys one by one', () => {
    expect(columnLabels(['text', 'zhang.wei@example.com', 'rating'], true)).toEqual(['text', 'column 2', 'rating']);
  });
});

describe('describeCell', () => {
  it.each([
    ['4.5', '"4.5"'],
    ['2024-13-45', "10 characters: digits, '-'"],
    ['非常满意!!', "6 characters: Chinese characters, '!'"],
    ['a/b-c.d_e:f', "11 characters: letters, '-', '.', '/', ':', other symbols"],
  ])('%s → %s', (cell, shape) => {
    expect(describeCell(cell)).toBe(shape);
  });
});
