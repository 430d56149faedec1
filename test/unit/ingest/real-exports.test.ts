import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { personalDataIn, runFile, SAMPLES } from './helpers.js';

interface Expected {
  file: string;
  format: string;
  encoding: string;
  columns: Record<string, string>;
  rows: { total: number; accepted: number; rejected: number; duplicates: number; withText: number; lines: number };
  csat?: { n: number; score: number | null };
  forbidden?: string[];
}

const cases: Expected[] = [
  {
    file: 'google_play/reviews_org.mozilla.firefox_201803_excerpt_utf8.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: {
      text: 'Review Text',
      title: 'Review Title',
      rating: 'Star Rating',
      submittedAt: 'Review Submit Date and Time',
      sourceRecordId: 'Review Link',
    },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 2, lines: 4 },
    csat: { n: 3, score: 100 },
  },
  {
    file: 'google_play/reviews_org.mozilla.firefox_201803_excerpt_REENCODED_utf16le_bom_crlf.csv',
    format: 'csv',
    encoding: 'utf-16le',
    columns: { text: 'Review Text', rating: 'Star Rating' },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 2, lines: 4 },
    csat: { n: 3, score: 100 },
  },
  {
    file: 'qualtrics/qualtrics_v3_sample.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: { text: 'Q2', sourceRecordId: 'ResponseId', submittedAt: 'RecordedDate', language: 'UserLanguage' },
    rows: { total: 1, accepted: 1, rejected: 0, duplicates: 0, withText: 1, lines: 4 },
    forbidden: ['130.92.34.66'],
  },
  {
    file: 'qualtrics/qualtrics_legacy_sample.csv',
    format: 'csv',
    encoding: 'utf-8-bom',
    columns: { text: 'Q2', sourceRecordId: 'ResponseID', submittedAt: 'EndDate' },
    rows: { total: 1, accepted: 1, rejected: 0, duplicates: 0, withText: 1, lines: 3 },
    forbidden: ['Anonym', '130.92.34.66'],
  },
  {
    file: 'google_forms/google_sheets_form_responses_excerpt.csv',
    format: 'csv',
    encoding: 'utf-8',
    columns: { text: 'What is the rationale behind your opinion?', submittedAt: 'Timestamp' },
    rows: { total: 30, accepted: 28, rejected: 2, duplicates: 0, withText: 28, lines: 34 },
  },
  {
    file: 'excel_resaved/msforms_export_resaved_cp1252_excerpt.csv',
    format: 'csv',
    encoding: 'windows-1252',
    columns: { text: 'What is your major?', submittedAt: 'Completion time', sourceRecordId: 'Id' },
    rows: { total: 16, accepted: 16, rejected: 0, duplicates: 0, withText: 16, lines: 17 },
  },
  {
    file: 'chinese_survey_gbk/All_Data_Readable_excerpt_gbk_PII_redacted.csv',
    format: 'csv',
    encoding: 'gb18030',
    // 答卷编号 runs 1, 2, 3: a row number, not a record id.
    columns: { submittedAt: '结束时间' },
    rows: { total: 3, accepted: 3, rejected: 0, duplicates: 0, withText: 3, lines: 4 },
    forbidden: ['REDACTED', '0.0.0.0'],
  },
  {
    file: 'chinese_reviews/taobao_comments_excerpt_gb18030.csv',
    format: 'csv',
    encoding: 'gb18030',
    columns: { text: '评论内容', submittedAt: '购买时间', customerId: '用户ID' },
    rows: { total: 28, accepted: 20, rejected: 5, duplicates: 3, withText: 20, lines: 29 },
    forbidden: ['t***3', 'y***6'],
  },
];

describe('readExport over the real sample exports', () => {
  it('covers every sample file in the folder', () => {
    // Prepare
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const name of readdirSync(new URL(rel, SAMPLES))) {
        const path = `${rel}${name}`;
        if (statSync(new URL(path, SAMPLES)).isDirectory()) walk(`${path}/`);
        else if (name.endsWith('.csv')) files.push(path);
      }
    };
    walk('');
    // Assess
    const known = new Set([...cases.map((c) => c.file), 'google_play/supported_devices_head_utf16le_bom.raw.csv']);
    expect(files.filter((f) => !known.has(f))).toEqual([]);
  });

  it.each(cases)('reads $file', async (c) => {
    // Act
    const { report, records } = await runFile(new URL(c.file, SAMPLES));
    // Assess
    expect(report.format).toBe(c.format);
    expect(report.encoding).toBe(c.encoding);
    expect(report.columns).toMatchObject(c.columns);
    expect(report.rows).toEqual(c.rows);
    const r = report.rows;
    expect(r.total).toBe(r.accepted + r.rejected + r.duplicates);
    if (c.csat !== undefined) expect(report.kpis.csat).toMatchObject(c.csat);
    expect(report.kpis.nps.score).toBeNull();
    expect(personalDataIn(records, c.forbidden ?? [])).toEqual([]);
    for (const rec of records) expect(rec.submittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('decodes the cp1252 apostrophe instead of reading the file as GBK', async () => {
    // Act
    const { records } = await runFile(new URL('excel_resaved/msforms_export_resaved_cp1252_excerpt.csv', SAMPLES));
    // Assess
    expect(records.some((r) => r.text === 'Computer Science’s')).toBe(true);
  });

  it('decodes GB18030 emoji and flags scientific-notation ids', async () => {
    // Act
    const { records, report } = await runFile(new URL('chinese_reviews/taobao_comments_excerpt_gb18030.csv', SAMPLES));
    // Assess
    expect(records.some((r) => r.text?.includes('👍'))).toBe(true);
    expect(report.details.warningCounts.UNRELIABLE_ID).toBeGreaterThan(0);
    expect(records.every((r) => r.fingerprintKind === 'content')).toBe(true);
  });

  it('keeps Google Play review ids from old-style links', async () => {
    // Act
    const { records } = await runFile(
      new URL('google_play/reviews_org.mozilla.firefox_201803_excerpt_utf8.csv', SAMPLES),
    );
    // Assess
    expect(records[0]?.sourceRecordId).toMatch(/^gp:AOqpTOGF/);
    expect(records[0]?.updatedAt).toBe('2018-03-01T00:00:22.278Z');
    expect(records[1]?.text).toMatch(/^😉😉😉\. This app is totally lit/);
    expect(records[2]?.fingerprintKind).toBe('content');
  });

  it('rejects a Play Console file that holds no feedback, naming its columns', async () => {
    // Act
    const run = runFile(new URL('google_play/supported_devices_head_utf16le_bom.raw.csv', SAMPLES));
    // Assess
    await expect(run).rejects.toBeInstanceOf(FileRejectedError);
    await expect(run).rejects.toMatchObject({
      code: 'NO_USABLE_COLUMNS',
      message: expect.stringContaining('"Marketing Name"'),
    });
  });
});
