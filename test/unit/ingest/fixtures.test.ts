import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, FIXTURES, personalDataIn, runBytes, runFile } from './helpers.js';

const cases = [
  {
    file: 'surveymonkey_nps_2row.csv',
    format: 'csv',
    encoding: 'utf-8-bom',
    columns: {
      text: 'What is the primary reason for your score?',
      sourceRecordId: 'Respondent ID',
      nps: 'How likely is it that you would recommend Acme to a friend or colleague?',
    },
    rows: { total: 5, accepted: 3, rejected: 1, duplicates: 1, withText: 3, lines: 8 },
    nps: { n: 2, promoters: 1, detractors: 1, score: 0 },
    csat: { n: 3, satisfied: 1, score: 33.3, average: 2.67 },
    forbidden: ['Ann', 'Lee', '203.0.113.7', '7946 0958'],
  },
  {
    file: 'trustpilot_semicolon.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: {
      title: 'Review Title',
      text: 'Review Content',
      rating: 'Review Stars',
      submittedAt: 'Review Created (UTC)',
    },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 2, lines: 4 },
    csat: { n: 3, satisfied: 2, score: 66.7, average: 3.33 },
    forbidden: ['Jane D', '4111', '138 0013', '李雷'],
  },
  {
    file: 'zendesk_pipe.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: { title: 'Subject', rating: 'Satisfaction Score' },
    rows: { total: 4, accepted: 3, rejected: 1, duplicates: 0, withText: 3, lines: 5 },
    csat: { n: 2, satisfied: 1, score: 50, average: 3 },
    forbidden: ['Pat Doe'],
  },
  {
    file: 'typeform_responses.tsv',
    format: 'tsv',
    encoding: 'utf-8',
    columns: { sourceRecordId: '#', text: 'What could we do better?', submittedAt: 'Submit Date (UTC)' },
    rows: { total: 3, accepted: 2, rejected: 1, duplicates: 0, withText: 2, lines: 4 },
    nps: { n: 2, promoters: 1, detractors: 1, score: 0 },
    forbidden: ['192.168.10.20', '7f3c2a'],
  },
  {
    file: 'delighted_nps.json',
    format: 'json',
    encoding: 'utf-8',
    columns: { nps: 'score', text: 'comment', email: 'person.email' },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 2 },
    nps: { n: 3, promoters: 1, detractors: 1, score: 0 },
    forbidden: ['X Y'],
  },
  {
    file: 'amazon_reviews.jsonl',
    format: 'jsonl',
    encoding: 'utf-8',
    columns: { text: 'reviewText', title: 'summary', rating: 'overall' },
    rows: { total: 4, accepted: 2, rejected: 2, duplicates: 0, withText: 2, lines: 5 },
    csat: { n: 2, satisfied: 1, score: 50, average: 3.5 },
    forbidden: ['Sam Q', '555-123-4567'],
  },
  {
    file: 'appstore_connect_reviews.json',
    format: 'json',
    encoding: 'utf-8',
    columns: {
      text: 'attributes.body',
      title: 'attributes.title',
      rating: 'attributes.rating',
      region: 'attributes.territory',
    },
    rows: { total: 2, accepted: 2, rejected: 0, duplicates: 0, withText: 2 },
    csat: { n: 2, satisfied: 1, score: 50, average: 3.5 },
    forbidden: ['happyuser', '小明'],
  },
  {
    file: 'wjx_survey_utf16be.csv',
    format: 'csv',
    encoding: 'utf-16be',
    columns: {
      text: '3、您还有什么意见或建议？',
      rating: '1、您对我们的服务满意吗？',
      nps: '2、您向朋友推荐我们的可能性有多大？',
    },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 2, lines: 4 },
    csat: { n: 3, satisfied: 1, score: 33.3, average: 3.33 },
    nps: { n: 2, promoters: 1, detractors: 1, score: 0 },
    forbidden: ['116.62.1.9'],
  },
  {
    file: 'taobao_gb18030_emoji.csv',
    format: 'csv',
    encoding: 'gb18030',
    columns: { text: '评论内容', rating: '评分' },
    rows: { total: 3, accepted: 2, rejected: 1, duplicates: 0, withText: 2, lines: 4 },
    csat: { n: 2, satisfied: 2, score: 100, average: 4.5 },
    forbidden: ['13912345678', 't***3'],
  },
  {
    file: 'excel_cp1252_dmy.csv',
    format: 'csv',
    encoding: 'windows-1252',
    columns: { text: 'Comment', rating: 'Rating' },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 3, lines: 4 },
    csat: { n: 2, satisfied: 2, score: 100, average: 4.5 },
  },
  {
    file: 'google_play_edited_utf16le.csv',
    format: 'csv',
    encoding: 'utf-16le',
    columns: { text: 'Review Text', rating: 'Star Rating', updatedAt: 'Review Last Update Millis Since Epoch' },
    rows: { total: 3, accepted: 1, rejected: 1, duplicates: 1, withText: 1, lines: 4 },
    csat: { n: 1, satisfied: 1, score: 100, average: 4 },
    forbidden: ['Thanks for the update'],
  },
  {
    file: 'qualtrics_timezone.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: { text: 'Q2_TEXT', nps: 'Q1' },
    rows: { total: 1, accepted: 1, rejected: 0, duplicates: 0, withText: 1, lines: 4 },
    nps: { n: 1, promoters: 1, detractors: 0, score: 100 },
  },
  {
    file: 'feedback_workbook.xlsx',
    format: 'xlsx',
    encoding: 'utf-8',
    columns: { text: 'Comment', rating: 'Satisfaction', submittedAt: 'Submitted' },
    rows: { total: 3, accepted: 2, rejected: 1, duplicates: 0, withText: 2 },
    csat: { n: 2, satisfied: 1, score: 50, average: 3.5 },
    forbidden: ['Ann', 'Bob'],
  },
];

describe('readExport over fixture exports in real tools’ formats', () => {
  it.each(cases)('reads $file', async (c) => {
    // Act
    const { report, records } = await runFile(new URL(c.file, FIXTURES));
    // Assess
    expect(report.format).toBe(c.format);
    expect(report.encoding).toBe(c.encoding);
    expect(report.columns).toMatchObject(c.columns);
    expect(report.rows).toEqual(c.rows);
    if (c.csat !== undefined) expect(report.kpis.csat).toMatchObject(c.csat);
    else expect(report.kpis.csat.score).toBeNull();
    if (c.nps !== undefined) expect(report.kpis.nps).toMatchObject(c.nps);
    else expect(report.kpis.nps.score).toBeNull();
    expect(personalDataIn(records, c.forbidden ?? [])).toEqual([]);
  });

  it('reads the Qualtrics ImportId time zone', async () => {
    // Act
    const { records, report } = await runFile(new URL('qualtrics_timezone.csv', FIXTURES));
    // Assess
    expect(report.details.timeZone).toBe('America/Denver');
    expect(records[0]?.submittedAt).toBe('2024-07-01T14:05:00.000Z');
  });

  it('keeps the newest edit of a Google Play review and normalises both link formats', async () => {
    // Act
    const { records } = await runFile(new URL('google_play_edited_utf16le.csv', FIXTURES));
    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      sourceRecordId: 'gp:AOqpTOEDIT1',
      rating: 4,
      updatedAt: '2024-01-05T10:00:00.000Z',
    });
  });

  it('redacts cards, e-mails and phones and decodes HTML', async () => {
    // Act
    const { records } = await runFile(new URL('trustpilot_semicolon.csv', FIXTURES));
    // Assess
    expect(records[0]?.text).toBe('Terrible & slow. Card [CARD] was charged twice! Mail me: [EMAIL]');
    expect(records[1]?.text).toContain('[PHONE]');
    expect(records[0]?.customerHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('infers day-first dates from a 13th day', async () => {
    // Act
    const { records } = await runFile(new URL('excel_cp1252_dmy.csv', FIXTURES));
    // Assess
    expect(records[0]?.submittedAt).toBe('2024-02-03T10:00:00.000Z');
    expect(records[0]?.text).toBe('It’s fine');
  });

  it.each([
    ['empty.csv', 'EMPTY_FILE'],
    ['binary.dat', 'BINARY_FILE'],
    ['no_usable_columns.csv', 'NO_USABLE_COLUMNS'],
  ])('rejects %s with %s', async (file, code) => {
    // Act
    const run = runFile(new URL(file, FIXTURES));
    // Assess
    await expect(run).rejects.toMatchObject({ name: 'FileRejectedError', code });
  });
});

describe('readExport resume', () => {
  it.each([
    'surveymonkey_nps_2row.csv',
    'amazon_reviews.jsonl',
    'google_play_edited_utf16le.csv',
    'wjx_survey_utf16be.csv',
  ])('continues %s after a checkpoint exactly where it stopped', async (file) => {
    // Prepare
    const bytes = readFileSync(new URL(file, FIXTURES));
    const full = await collect(readExport(chunks(bytes), { ...baseOptions, fileName: file }));
    const first = readExport(chunks(bytes), { ...baseOptions, fileName: file });
    const head = await collect(first, 2);
    const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
    // Act
    const rest = state.byteOffset === undefined ? bytes : bytes.subarray(state.byteOffset);
    const tail = await collect(readExport(chunks(rest), { ...baseOptions, fileName: file, resume: state }));
    // Assess
    expect(state.recordsDone).toBe(2);
    expect([...head, ...tail]).toEqual(full);
  });

  it('offers byte offsets for UTF-8 CSV', async () => {
    // Prepare
    const reader = readExport(chunks(readFileSync(new URL('surveymonkey_nps_2row.csv', FIXTURES))), {
      ...baseOptions,
      fileName: 'x.csv',
    });
    // Act
    await collect(reader, 1);
    // Assess
    expect((await reader.meta()).resumeMode).toBe('byte-offset');
    expect(reader.checkpoint()?.byteOffset).toBeGreaterThan(0);
  });

  it('rejects a JSON Lines file whose every line is broken as malformed', async () => {
    // Act
    const run = runBytes(chunks(Buffer.from('{"a":\n{"b":\n')), 'x.jsonl');
    // Assess
    await expect(run).rejects.toBeInstanceOf(FileRejectedError);
  });
});
