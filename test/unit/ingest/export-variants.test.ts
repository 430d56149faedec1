import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../cli/check.js';
import { joinSentences } from '../../../shared/ingest/canonical.js';
import { parseDate } from '../../../shared/ingest/dates.js';
import { zoneInHeader } from '../../../shared/ingest/header-zones.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import { parseNps, parseRating } from '../../../shared/ingest/scores.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

/** Reads a small CSV (as UTF-8) the way `feedback check` does. */
function csv(lines: readonly string[]) {
  return runBytes(chunks(Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'), 64), 'variant.csv');
}

describe('score parsing', () => {
  it.each([
    ['５', 5],
    ['５分', 5],
    ['五星', 5],
    ['四颗星', 4],
    ['三星级', 3],
    ['5颗星', 5],
    ['非常滿意', 5],
    ['滿意', 4],
    ['普通', 3],
    ['不滿意', 2],
    ['好評', 5],
  ])('rating %s → %d', (raw, value) => {
    expect(parseRating(raw, 'numeric')).toEqual({ value });
  });

  it.each([
    ['Good, I’m satisfied', 5],
    ["Good, I'm satisfied", 5],
    ['Bad, I’m unsatisfied', 1],
  ])('Zendesk label %s → %d', (raw, value) => {
    expect(parseRating(raw, 'good-bad')).toEqual({ value });
  });

  it.each([
    ['10 (Extremely likely)', 10],
    ['Not at all likely 0', 0],
    ['10（非常愿意）', 10],
    ['8.999999999999998', 9],
    ['7.000000000000001', 7],
  ])('NPS %s → %d (labels around the number, formula float noise)', (raw, value) => {
    expect(parseNps(raw)).toEqual({ value });
  });

  it('takes 问卷星 (跳过) as no answer', () => {
    expect(parseNps('(跳过)')).toBeUndefined();
    expect(parseRating('（跳过）', 'numeric')).toBeUndefined();
  });

  it('reads full-width NPS digits and still rejects what is no score', () => {
    expect(parseNps('１０')).toEqual({ value: 10 });
    expect(parseNps('十分')).toEqual({ problem: 'SCORE_UNPARSEABLE' });
    expect(parseRating('六星', 'numeric')).toEqual({ problem: 'SCORE_UNPARSEABLE' });
    expect(parseRating('价格┋物流速度', 'numeric')).toEqual({ problem: 'SCORE_UNPARSEABLE' });
  });
});

describe('Chinese date forms', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    ['2024年3月8日 14时20分', '2024-03-08T14:20:00.000Z'],
    ['2024年3月8日 14时20分05秒', '2024-03-08T14:20:05.000Z'],
    ['2024年3月8日 14点20分', '2024-03-08T14:20:00.000Z'],
    ['2024/3/5 下午2:02', '2024-03-05T14:02:00.000Z'],
    ['2024-03-05 晚上9点05分', '2024-03-05T21:05:00.000Z'],
    ['2024/3/5 上午12:30', '2024-03-05T00:30:00.000Z'],
    ['2024/3/5 2:02 PM', '2024-03-05T14:02:00.000Z'],
    ['２０２４年３月５日', '2024-03-05T00:00:00.000Z'],
    ['2024年3月8日 14時20分', '2024-03-08T14:20:00.000Z'],
  ])('%s', (raw, iso) => {
    const r = parseDate(raw, 'UTC', undefined, now);
    expect('ms' in r ? new Date(r.ms).toISOString() : r).toBe(iso);
  });

  it.each([
    ['Wed May 01 10:00:00 +0800 2024', '2024-05-01T02:00:00.000Z'],
    ['Tue Apr 30 19:00:00 -0700 2024', '2024-05-01T02:00:00.000Z'],
  ])('Twitter/Weibo form %s keeps its offset', (raw, iso) => {
    const r = parseDate(raw, 'UTC', undefined, now);
    expect('ms' in r ? new Date(r.ms).toISOString() : r).toBe(iso);
  });

  it('rejects impossible fields', () => {
    expect(parseDate('2024年13月8日 14时20分', 'UTC', undefined, now)).toEqual({ problem: 'DATE_UNPARSEABLE' });
    expect(parseDate('2024/3/5 下午25:02', 'UTC', undefined, now)).toEqual({ problem: 'DATE_UNPARSEABLE' });
  });
});

describe('joinSentences', () => {
  it.each([
    ['Great', 'Works well', 'Great. Works well'],
    ['Great!', 'Works well', 'Great! Works well'],
    ['闪退严重', '更新后打不开', '闪退严重。更新后打不开'],
    ['闪退严重。', '更新后打不开', '闪退严重。更新后打不开'],
  ])('%s + %s', (a, b, joined) => {
    expect(joinSentences(a, b)).toBe(joined);
  });
});

describe('column mapping by header and values', () => {
  it('skips a score-named question whose answers are not scores (wjx multi-select, "friend recommended")', async () => {
    const { report } = await csv([
      '序号,提交答卷时间,1、您是通过什么途径了解到我们的？（如朋友推荐）,2、您对我们哪些方面比较满意？（多选）,3、您对本次购物的满意度,4、您向朋友推荐我们的可能性有多大？,5、您还有什么意见或建议？',
      '1,2026/09/03 12:00:00,朋友推荐,价格┋物流速度,非常满意,9,很好',
      '2,2026/09/03 12:05:00,广告,物流速度,满意,8,不错',
      '3,2026/09/03 12:10:00,朋友推荐,价格,不满意,3,太慢了',
      '4,2026/09/03 12:15:00,(空),客服态度┋价格,一般,6,(空)',
    ]);
    expect(report.columns.rating).toBe('3、您对本次购物的满意度');
    expect(report.columns.nps).toBe('4、您向朋友推荐我们的可能性有多大？');
    expect(report.kpis.csat.n).toBe(4);
    expect(report.kpis.nps.n).toBe(4);
    expect(report.warnings).toEqual([]);
  });

  it('reads Traditional Chinese headers and labels', async () => {
    const { report, records } = await csv([
      '評論編號,評論內容,追加評論,評分,評論時間',
      'A1,手機很好用,用了一個月還是很好,非常滿意,2024/3/5 14:02',
      'A2,物流太慢,,不滿意,2024/3/6 09:00',
    ]);
    expect(report.columns).toMatchObject({ text: '評論內容', followUp: '追加評論', rating: '評分' });
    expect(report.columns.submittedAt).toBe('評論時間');
    expect(report.kpis.csat).toMatchObject({ n: 2, satisfied: 1 });
    expect(records[0]?.text).toBe('手機很好用。用了一個月還是很好');
  });

  it('appends the follow-up review and accepts a row that has only one', async () => {
    const { report, records } = await csv([
      '评论内容,追加评论,评分,评论时间',
      '手机很流畅,用了一个月电池不行了,5,2024-03-05',
      ',外观好看，手感一流,4,2024-03-06',
    ]);
    expect(report.rows).toMatchObject({ total: 2, accepted: 2, withText: 2 });
    expect(records.map((r) => r.text)).toEqual(['手机很流畅。用了一个月电池不行了', '外观好看，手感一流']);
  });

  it('does not take a count column found by a substring (comment_count) for the text', async () => {
    const { report } = await csv([
      'note_id,comment_count,user_comment_body',
      'n1,45,用了一周续航很强',
      'n2,3,发热严重',
    ]);
    expect(report.columns).toMatchObject({ text: 'user_comment_body', sourceRecordId: 'note_id' });
  });

  it('maps "How would you rate…" questions to rating', async () => {
    const { report } = await csv([
      'Timestamp,"Overall, how would you rate the workshop? (1 = poor, 5 = excellent)",Any other comments?',
      '1/15/2025 21:53:05,4,Loved it',
      '1/16/2025 08:01:10,2,Too long',
    ]);
    expect(report.columns.rating).toBe('Overall, how would you rate the workshop? (1 = poor, 5 = excellent)');
    expect(report.kpis.csat).toMatchObject({ n: 2, satisfied: 1 });
  });

  it('reads a generic Score column holding a 0 as NPS (detractors-only export)', async () => {
    const { report } = await csv(['Response ID,Score,Comment', 'r1,3,slow', 'r2,0,awful', 'r3,5,meh', 'r4,1,no']);
    expect(report.columns.nps).toBe('Score');
    expect(report.columns.rating).toBeUndefined();
    expect(report.kpis.nps).toMatchObject({ n: 4, detractors: 4 });
    expect(report.details.fileWarnings.map((w) => w.code)).toContain('SCORE_KIND_INFERRED');
  });

  it("reads a generic score as NPS when the export's survey_type says nps, whatever the values", async () => {
    const { report } = await csv(['id,survey_type,score,comment', '1,nps,3,slow', '2,nps,4,meh', '3,nps,5,ok']);
    expect(report.columns.nps).toBe('score');
    expect(report.kpis.nps).toMatchObject({ n: 3, detractors: 3 });
    const csat = await csv(['id,survey_type,score,comment', '1,csat,3,slow', '2,csat,4,meh']);
    expect(csat.report.columns.rating).toBe('score');
  });

  it('reads Zendesk satisfaction labels, with one odd value warned per row', async () => {
    const { report } = await csv([
      'Ticket ID,Ticket created - Timestamp,Satisfaction rating,Satisfaction comment',
      '1,2024-02-01 09:15,"Good, I’m satisfied",quick fix',
      '2,2024-02-01 10:15,"Bad, I\'m unsatisfied",never answered',
      '3,2024-02-02 11:00,Offered,',
      '4,2024-02-02 12:00,"Good, I\'m satisfied",',
      '5,2024-02-03 12:00,Neutral-ish,ok',
    ]);
    expect(report.columns.submittedAt).toBe('Ticket created - Timestamp');
    expect(report.kpis.csat).toMatchObject({ n: 3, satisfied: 2 });
    expect(report.rows).toMatchObject({ total: 5, accepted: 4, rejected: 1 });
    // The detail says what is wrong with the cell, never what it holds.
    expect(report.warnings).toEqual([
      { row: 5, code: 'SCORE_UNPARSEABLE', detail: "rating: not a 1–5 rating (11 characters: letters, '-')" },
    ]);
  });

  it('uses Medallia request_id as the record id', async () => {
    const { report } = await csv([
      'request_id,response_received_at,likelihood_to_recommend,comments',
      'REQ-1,2024-05-01T10:00:00Z,9,great',
      'REQ-2,2024-05-01T11:00:00Z,3,bad',
      'REQ-1,2024-05-01T10:00:05Z,9,great',
    ]);
    expect(report.columns.sourceRecordId).toBe('request_id');
    expect(report.rows).toMatchObject({ accepted: 2, duplicates: 1 });
  });

  it('does not warn NO_DATE_COLUMN when the last-update date supplies the date', async () => {
    const { report } = await csv([
      'id,updated,score,text',
      '1,2024-04-01T18:48:09Z,5,nice',
      '2,2024-04-02T18:48:09Z,2,bad',
    ]);
    expect(report.details.fileWarnings.map((w) => w.code)).not.toContain('NO_DATE_COLUMN');
    expect(report.warnings).toEqual([]);
  });

  it('does not take a name-matched timestamp column without dates', async () => {
    const { report } = await csv(['Comment,Timestamp format', 'fine,ISO', 'bad,ISO']);
    expect(report.columns.submittedAt).toBeUndefined();
  });
});

describe('lines above the header', () => {
  it('skips a report title and blank padded lines, and says so', async () => {
    const { report, records } = await csv([
      'Customer Feedback Report,,,',
      'Report generated 2024-05-01,,,',
      ',,,',
      'Ticket,Date,CSAT,Comment',
      'T-1,2024-04-01,5,Great help',
      'T-2,2024-04-02,2,Slow',
    ]);
    expect(report.columns).toMatchObject({ text: 'Comment', rating: 'CSAT', submittedAt: 'Date' });
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
    expect(records.map((r) => r.row)).toEqual([1, 2]);
    expect(report.details.fileWarnings).toEqual([
      {
        code: 'LINES_ABOVE_HEADER',
        detail: 'Skipped 3 line(s) above the header: "Customer Feedback Report", "Report generated 2024-05-01".',
      },
    ]);
  });

  it("takes the delimiter from Excel's sep= line and skips it quietly", async () => {
    const { report } = await csv([
      'sep=;',
      'Response ID;Date;Satisfaction (1-5);Comment',
      'r1;31.12.2024;4,5;Gut',
      'r2;30.12.2024;2;Schlecht',
    ]);
    expect(report.details.delimiter).toBe(';');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
    expect(report.details.fileWarnings).toEqual([]);
  });

  it('leaves a one-column file and a file whose first row is the header alone', async () => {
    const one = await csv(['Comment', 'Great', 'Bad', 'Okay']);
    expect(one.report.rows).toMatchObject({ total: 3, accepted: 3 });
    const plain = await csv(['id,comment,rating', '1,Great,5', '2,Bad,1']);
    expect(plain.report.details.headerRows).toBe(1);
    expect(plain.report.rows.total).toBe(2);
  });
});

describe('Typeform Responses API JSON', () => {
  const answer = (ref: string, fieldType: string, type: string, value: unknown) => ({
    field: { id: `id-${ref}`, ref, type: fieldType },
    type,
    [type]: value,
  });
  const item = (token: string, answers: unknown[]) => ({
    token,
    response_id: token,
    submitted_at: '2024-05-01T10:00:00Z',
    calculated: { score: 0 },
    answers,
  });

  it('keys answers by question, whatever their order or which are missing, and ignores the quiz score', async () => {
    const doc = {
      total_items: 3,
      items: [
        item('t1', [
          answer('nps_q', 'opinion_scale', 'number', 9),
          answer('csat_q', 'rating', 'number', 4),
          answer('why', 'long_text', 'text', 'Fast and easy'),
          answer('plan', 'multiple_choice', 'choice', { id: 'c1', label: 'Pro' }),
        ]),
        item('t2', [
          answer('why', 'long_text', 'text', 'Terrible onboarding'),
          answer('nps_q', 'opinion_scale', 'number', 0),
        ]),
        item('t3', [answer('csat_q', 'rating', 'number', 2), answer('nps_q', 'opinion_scale', 'number', 7)]),
      ],
    };
    const { report, records } = await runBytes(chunks(Buffer.from(JSON.stringify(doc)), 256), 'responses.json');
    expect(report.columns).toMatchObject({ nps: 'answers.nps_q', rating: 'answers.csat_q', text: 'answers.why' });
    expect(report.kpis.nps).toMatchObject({ n: 3, promoters: 1, passives: 1, detractors: 1 });
    expect(report.kpis.csat).toMatchObject({ n: 2, satisfied: 1 });
    expect(records.map((r) => r.text)).toEqual(['Fast and easy', 'Terrible onboarding', undefined]);
  });
});

describe('XLSX: which worksheet holds the table', () => {
  async function workbook(sheets: Record<string, readonly (readonly (string | number)[])[]>): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    for (const [name, rows] of Object.entries(sheets)) {
      const ws = wb.addWorksheet(name);
      for (const r of rows) ws.addRow([...r]);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const data = (n: number) => [
    ['Response ID', 'Submitted At', 'Rating', 'Comment'],
    ...Array.from({ length: n }, (_, i) => [`R${i + 1}`, '2024-05-01 10:00', (i % 5) + 1, `comment ${i + 1}`]),
  ];

  it('passes over a README sheet and a summary sheet to the response table, and resumes on the same sheet', async () => {
    const bytes = await workbook({
      README: [['Customer Feedback Export'], ['Contact: ops@example.com'], ['Generated 2024-05-01']],
      Summary: [
        ['Question', 'Responses', 'Average'],
        ['How satisfied are you?', 250, 3.2],
      ],
      Responses: data(250),
    });
    const { report } = await runBytes(chunks(bytes, 8192), 'export.xlsx');
    expect(report.columns).toMatchObject({ text: 'Comment', rating: 'Rating', sourceRecordId: 'Response ID' });
    expect(report.rows).toMatchObject({ total: 250, accepted: 250 });
    const options = { ...baseOptions, fileName: 'export.xlsx' };
    const full = await collect(readExport(chunks(bytes, 8192), options));
    const first = readExport(chunks(bytes, 8192), options);
    const head = await collect(first, 100);
    const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
    expect(state.parser.sheet).toBe(2);
    const rest = await collect(readExport(chunks(bytes, 8192), { ...options, resume: state }));
    expect([...head, ...rest]).toEqual(full);
  });

  it('reads every row of a lone sheet that has only a comment column', async () => {
    const bytes = await workbook({
      Sheet1: [['Comment'], ...Array.from({ length: 300 }, (_, i) => [`note ${i + 1}`])],
    });
    const { report } = await runBytes(chunks(bytes, 8192), 'comments.xlsx');
    expect(report.rows).toMatchObject({ total: 300, accepted: 300 });
  });
});

describe('a time zone stated in the date header', () => {
  it.each([
    ['Submit Date (UTC)', 'UTC'],
    ['Date UTC', 'UTC'],
    ['Submitted (UTC+8)', 'Etc/GMT-8'],
    ['Date (GMT+08:00)', 'Etc/GMT-8'],
    ['Created (UTC-05:00)', 'Etc/GMT+5'],
    ['Time (UTC+5:30)', 'Asia/Kolkata'],
    ['Created at (PST)', 'America/Los_Angeles'],
    ['Created at (CST)', 'America/Chicago'],
    ['提交时间（CST）', 'Asia/Shanghai'],
    ['提交时间（北京时间）', 'Asia/Shanghai'],
    ['Created (Europe/Berlin)', 'Europe/Berlin'],
    ['Rating (1-5)', undefined],
    ['Score (NPS)', undefined],
    ['Created (Mars/Base)', undefined],
  ])('%s → %s', (header, zone) => {
    expect(zoneInHeader(header)).toBe(zone);
  });

  it('reads the column in that zone (with its daylight saving) and still maps it by name', async () => {
    const { report, records } = await csv([
      'id,Created at (PST),Comment',
      '1,2024-03-01 07:30,ok',
      '2,2024-07-01 07:30,fine',
    ]);
    expect(report.columns.submittedAt).toBe('Created at (PST)');
    expect(records.map((r) => r.submittedAt)).toEqual(['2024-03-01T15:30:00.000Z', '2024-07-01T14:30:00.000Z']);
    const cn = await csv(['序号,提交时间（北京时间）,评论内容', '1,2024-03-01 08:00,好']);
    expect(cn.records[0]?.submittedAt).toBe('2024-03-01T00:00:00.000Z');
  });
});

describe('per-export row numbers as ids', () => {
  const survey = (question: string, rows: readonly string[]) =>
    csv([`序号,提交答卷时间,1、${question},2、您还有什么意见或建议？`, ...rows]);

  it('scopes a 问卷星 序号 with gaps (a filtered export) by the survey, so two surveys do not collide', async () => {
    const a = await survey('您向朋友推荐本店的可能性有多大？', [
      '3,2026/09/03 12:00:00,9,好',
      '8,2026/09/03 12:05:00,3,差',
    ]);
    const b = await survey('您向同事推荐本课程的可能性有多大？', [
      '3,2026/09/04 12:00:00,9,好',
      '8,2026/09/04 12:05:00,3,差',
    ]);
    const again = await survey('您向朋友推荐本店的可能性有多大？', [
      '8,2026/09/03 12:05:00,3,差',
      '12,2026/09/05 08:00:00,10,很好',
    ]);
    const fp = (r: typeof a) => r.records.map((x) => x.fingerprint);
    expect(a.records.map((r) => r.fingerprintKind)).toEqual(['sourceId', 'sourceId']);
    expect(fp(b).filter((f) => fp(a).includes(f))).toEqual([]);
    // An overlapping export of the same survey still names response 8 the same way.
    expect(fp(again)[0]).toBe(fp(a)[1]);
  });

  it('reads a 序号 that counts the rows from 1 as a row number, never as an id', async () => {
    const a = await survey('您向朋友推荐本店的可能性有多大？', [
      '1,2026/09/03 12:00:00,9,好',
      '2,2026/09/03 12:05:00,3,差',
    ]);
    const b = await survey('您向朋友推荐本店的可能性有多大？', [
      '1,2026/09/04 12:00:00,9,好',
      '2,2026/09/04 12:05:00,3,差',
    ]);
    const fp = (r: typeof a) => r.records.map((x) => x.fingerprint);
    expect(a.records.map((r) => [r.fingerprintKind, r.sourceRecordId])).toEqual([
      ['content', undefined],
      ['content', undefined],
    ]);
    expect(fp(b).filter((f) => fp(a).includes(f))).toEqual([]);
  });

  it('leaves real ids (Response ID) unscoped, so exports with other columns still meet', async () => {
    const a = await csv(['Response ID,Comment,NPS', 'R_1,fine,9']);
    const b = await csv(['Response ID,Comment,NPS,Region', 'R_1,fine,9,EU']);
    expect(a.records[0]?.fingerprint).toBe(b.records[0]?.fingerprint);
  });
});

describe('feeds that wrap each value', () => {
  it('names iTunes RSS JSON columns by their wrapper (content.label is the text)', async () => {
    const entry = (id: string, rating: string, title: string, content: string) => ({
      author: { name: { label: 'someone' } },
      'im:rating': { label: rating },
      title: { label: title },
      content: { label: content, attributes: { type: 'text' } },
      id: { label: id },
      updated: { label: '2024-05-01T10:00:00-07:00' },
    });
    const doc = {
      feed: {
        author: { name: { label: 'iTunes Store' } },
        entry: [entry('1', '5', 'Great', 'Works well'), entry('2', '1', 'Bad', 'Crashes')],
      },
    };
    const { report, records } = await runBytes(chunks(Buffer.from(JSON.stringify(doc, null, 2)), 128), 'reviews.json');
    expect(report.columns).toMatchObject({
      text: 'content.label',
      title: 'title.label',
      rating: 'im:rating.label',
      sourceRecordId: 'id.label',
    });
    expect(records.map((r) => [r.text, r.rating, r.submittedAt])).toEqual([
      ['Great. Works well', 5, '2024-05-01T17:00:00.000Z'],
      ['Bad. Crashes', 1, '2024-05-01T17:00:00.000Z'],
    ]);
  });
});

describe('two columns with the same name', () => {
  it('joins a second Comment column to the text instead of dropping it', async () => {
    const { report, records } = await csv([
      'id,Comment,Rating,Comment',
      'a1,Love it,5,Also love dark mode',
      'a2,,2,Crashes on login',
    ]);
    expect(report.columns).toMatchObject({ text: 'Comment', followUp: 'Comment' });
    expect(records.map((r) => r.text)).toEqual(['Love it. Also love dark mode', 'Crashes on login']);
  });
});

describe('totals lines under a table', () => {
  it('rejects them as SUMMARY_ROW and keeps rows whose text merely starts so', async () => {
    const { report } = await csv([
      'Ticket,Date,CSAT,Comment',
      'T-1,2024-04-01,5,Great help',
      'T-2,2024-04-02,2,Total waste of time',
      'T-3,,4,no date here',
      'Total,,3.7,3 responses',
      'Average CSAT,,3.7,',
      '合计,,3.7,',
    ]);
    expect(report.rows).toMatchObject({ total: 6, accepted: 3, rejected: 3 });
    expect(report.rejects.map((r) => r.reason)).toEqual(['SUMMARY_ROW', 'SUMMARY_ROW', 'SUMMARY_ROW']);
    expect(report.kpis.csat.n).toBe(3);
  });

  it('never takes the feedback text or a label column for a totals label', async () => {
    const { report } = await csv(['Comment,Date,Rating', 'Total waste of money,,1', 'Average at best,,3']);
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
    const products = await csv(['Product,Date,Rating,Comment', 'Total Wireless,,4,ok', 'Sum Phone,2024-05-01,5,great']);
    expect(products.report.rows).toMatchObject({ total: 2, accepted: 2 });
  });
});

describe('stray NUL bytes', () => {
  it('reads a file with one NUL in a cell instead of calling it binary', async () => {
    const lines = ['id,comment,rating'];
    for (let i = 1; i <= 30; i++) lines.push(`${i},${i === 7 ? 'bro\u0000ken' : `fine ${i}`},4`);
    const { report, records } = await csv(lines);
    expect(report.rows).toMatchObject({ total: 30, accepted: 30 });
    expect(records[6]?.text).toBe('broken');
  });
});

describe('help-desk and survey tool columns', () => {
  it.each([
    [
      ['Conversation ID', 'Rated at', 'Rating (1-5)', 'Remark'],
      { sourceRecordId: 'Conversation ID', submittedAt: 'Rated at', text: 'Remark' },
    ],
    [
      ['Number', 'Date Submitted', 'How would you rate your experience today?', 'Comments'],
      { sourceRecordId: 'Number', submittedAt: 'Date Submitted' },
    ],
    [
      ['Ticket ID', 'Subject', 'Description', 'Created time', 'Survey results'],
      { text: 'Description', title: 'Subject', submittedAt: 'Created time', rating: 'Survey results' },
    ],
  ])('%j', async (header, expected) => {
    const { report } = await csv([
      header.map((h) => `"${h}"`).join(','),
      header.map((_, i) => (i === 1 || i === 3 ? '2024-05-01 10:00' : '5')).join(','),
    ]);
    expect(report.columns).toMatchObject(expected);
  });
});

describe('SurveyMonkey header with single-column questions only', () => {
  it('takes row 2 as a header row', async () => {
    const { report } = await csv([
      'Respondent ID,Collector ID,Start Date,End Date,How likely is it that you would recommend us to a friend?,Why did you give that score?',
      ',,,,Response,Open-Ended Response',
      '114235512301,412339871,11/04/2024 08:14:33 AM,11/04/2024 08:17:02 AM,10,Great',
      '114235512302,412339871,11/04/2024 09:01:10 AM,11/04/2024 09:03:40 AM,3,Fees',
    ]);
    expect(report.rows).toMatchObject({ total: 2, accepted: 2 });
    expect(report.warnings).toEqual([]);
    expect(report.kpis.nps.n).toBe(2);
  });
});

describe('feedback check --records', () => {
  it('leaves out the versions that a newer edit of the same review replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'check-records-'));
    const file = join(dir, 'reviews.csv');
    await writeFile(
      file,
      [
        'Review Link,Review Submit Date and Time,Review Last Update Millis Since Epoch,Star Rating,Review Text',
        'https://play.google.com/x?reviewId=gp%3AA1,2024-05-01T10:00:00Z,1714557600000,1,logs me out',
        'https://play.google.com/x?reviewId=gp%3AB2,2024-05-01T11:00:00Z,1714561200000,5,great',
        'https://play.google.com/x?reviewId=gp%3AA1,2024-05-01T10:00:00Z,1714644000000,4,fixed now',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'records.jsonl');
    const stdout: string[] = [];
    const code = await runCheck([file, '--json', '--records', out], {
      stdout: { write: (c: string) => stdout.push(c) },
      stderr: { write: () => undefined },
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout.join('')) as { rows: { accepted: number; duplicates: number } };
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { row: number; text: string }).text)).toEqual(['great', 'fixed now']);
    expect(lines.length).toBe(report.rows.accepted);
  });
});
