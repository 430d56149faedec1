import { describe, expect, it } from 'vitest';
import { inferDateOrder, parseDate } from '../../../shared/ingest/dates.js';
import { parseNps, parseRating } from '../../../shared/ingest/scores.js';
import { chunks, runBytes } from './helpers.js';

const now = Date.UTC(2026, 0, 1);

/** The parsed instant as an ISO string (with ` conflict` when flagged), or the problem code. */
function iso(raw: string, zone = 'UTC', order?: 'DMY' | 'MDY'): string {
  const r = parseDate(raw, zone, order, now);
  if (!('ms' in r)) return r.problem;
  return new Date(r.ms).toISOString() + ('conflict' in r ? ' conflict' : '');
}

function csv(lines: readonly string[]) {
  return runBytes(chunks(Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'), 64), 'values-more.csv');
}

describe('dates with an explicit offset (the offset wins over the zone)', () => {
  it.each([
    ['2024/05/01 10:00:00 +08:00', '2024-05-01T02:00:00.000Z'],
    ['2024/05/01 10:00:00 +0800', '2024-05-01T02:00:00.000Z'],
    ['2024/05/01T10:00:00+08:00', '2024-05-01T02:00:00.000Z'],
    ['2024/05/01 10:00 +08:00', '2024-05-01T02:00:00.000Z'],
    ['2024/5/1 10:00:00 -05:00', '2024-05-01T15:00:00.000Z'],
    ['2024-05-01 10:00:00+08', '2024-05-01T02:00:00.000Z'],
    ['2024-05-01T10:00:00.250-05', '2024-05-01T15:00:00.250Z'],
    ['2024-05-01 10:00:00 +08:00', '2024-05-01T02:00:00.000Z'],
    ['20240501T100000Z', '2024-05-01T10:00:00.000Z'],
    ['20240501T100000+0800', '2024-05-01T02:00:00.000Z'],
    ['20240501T100000.5-0130', '2024-05-01T11:30:00.500Z'],
    ['Wednesday, May 1, 2024 at 10:00:00 AM GMT+2', '2024-05-01T08:00:00.000Z'],
    ['Wednesday, May 1, 2024 at 10:00:00\u202fAM GMT+2', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01 10:00:00 GMT+02:00', '2024-05-01T08:00:00.000Z'],
    ['2024-05-01 10:00:00 UTC+8', '2024-05-01T02:00:00.000Z'],
    ['2024-05-01 10:00 UTC+05:30', '2024-05-01T04:30:00.000Z'],
    ['2024/05/01 10:00:00 GMT-0700', '2024-05-01T17:00:00.000Z'],
    ['Wed May 01 2024 10:00:00 GMT+0200 (Central European Summer Time)', '2024-05-01T08:00:00.000Z'],
    ['Wed, 01 May 2024 10:00:00 +0200', '2024-05-01T08:00:00.000Z'],
    ['Wed, 01 May 2024 10:00:00 GMT', '2024-05-01T10:00:00.000Z'],
    ['2024年5月1日 10:00 +08:00', '2024-05-01T02:00:00.000Z'],
  ])('%s → %s in any zone', (raw, expected) => {
    expect(iso(raw, 'UTC')).toBe(expected);
    expect(iso(raw, 'America/New_York')).toBe(expected);
    expect(iso(raw, 'Asia/Tokyo')).toBe(expected);
  });
});

describe('zone abbreviations: one fixed table', () => {
  const wall = Date.UTC(2024, 4, 1, 10, 0, 0);
  it.each([
    ['UTC', 0],
    ['GMT', 0],
    ['Z', 0],
    ['WET', 0],
    ['WEST', 60],
    ['BST', 60],
    ['CET', 60],
    ['CEST', 120],
    ['EET', 120],
    ['EEST', 180],
    ['JST', 540],
    ['KST', 540],
    ['HKT', 480],
    ['SGT', 480],
    ['AEST', 600],
    ['AEDT', 660],
    ['PST', -480],
    ['PDT', -420],
    ['MST', -420],
    ['MDT', -360],
    ['CST', -360],
    ['CDT', -300],
    ['EST', -300],
    ['EDT', -240],
  ])('%s is UTC%+d minutes, after ISO and slash dates and after AM/PM', (abbr, minutes) => {
    const expected = new Date(wall - minutes * 60_000).toISOString();
    expect(iso(`2024-05-01T10:00:00 ${abbr}`, 'Asia/Shanghai')).toBe(expected);
    expect(iso(`2024-05-01 10:00 ${abbr}`, 'Asia/Shanghai')).toBe(expected);
    expect(iso(`2024/05/01 10:00:00 ${abbr}`, 'Asia/Shanghai')).toBe(expected);
    expect(iso(`May 1, 2024 10:00 AM ${abbr}`, 'Asia/Shanghai')).toBe(expected);
    expect(iso(`2024-05-01T10:00:00 ${abbr.toLowerCase()}`, 'Asia/Shanghai')).toBe(expected);
  });

  it('reads PDT the same in every shape (and a/b/yyyy by the file order)', () => {
    expect(iso('05/01/2024 10:00 PM PDT')).toBe('2024-05-02T05:00:00.000Z');
    expect(iso('05/01/2024 10:00 PM PDT', 'UTC', 'MDY')).toBe('2024-05-02T05:00:00.000Z');
    expect(iso('01/05/2024 10:00 PM PDT', 'UTC', 'DMY')).toBe('2024-05-02T05:00:00.000Z');
    expect(iso('2024-05-01T22:00:00 PDT')).toBe('2024-05-02T05:00:00.000Z');
    expect(iso('May 1 2024 10:00 PM PDT')).toBe('2024-05-02T05:00:00.000Z');
    // A value against the file's order is still flagged.
    expect(iso('13/05/2024 10:00 PDT', 'UTC', 'MDY')).toBe('2024-05-13T17:00:00.000Z conflict');
  });

  it.each([
    '2024-05-01 10:00 IST', // India, Ireland or Israel: not guessed
    '2024-05-01 10:00 XYZ',
    '2024/05/01 10:00:00 +25:00',
    '2024-05-01 10:00 GMT+15',
    '2024-05-01 10:00 CEST PDT',
    '2024/13/01 10:00 +08:00',
    '2024/02/30 10:00:00 +0800',
    '2024-05-01 25:00:00+08',
    '20241340T100000Z',
  ])('%s stays unparseable', (raw) => {
    expect(iso(raw)).toBe('DATE_UNPARSEABLE');
  });
});

describe('numeric dates', () => {
  it.each([
    ['1714557600000.0', '2024-05-01T10:00:00.000Z'],
    ['1714557600000.00', '2024-05-01T10:00:00.000Z'],
    ['1714557600.0', '2024-05-01T10:00:00.000Z'],
    ['1714557600.25', '2024-05-01T10:00:00.250Z'],
    ['1714557600000', '2024-05-01T10:00:00.000Z'],
    ['1714557600', '2024-05-01T10:00:00.000Z'],
    ['45413', '2024-05-01T00:00:00.000Z'],
    ['45413.000', '2024-05-01T00:00:00.000Z'],
    ['20240501', '2024-05-01T00:00:00.000Z'],
    ['19900101', '1990-01-01T00:00:00.000Z'],
    ['20240229', '2024-02-29T00:00:00.000Z'],
  ])('%s → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it('reads a compact date as a wall date in the zone', () => {
    expect(iso('20240501', 'Asia/Shanghai')).toBe('2024-04-30T16:00:00.000Z');
    expect(iso('20240501T1000', 'Asia/Shanghai')).toBe('2024-05-01T02:00:00.000Z');
  });

  it.each([
    '20241340', // month 13
    '20240230', // 30 February
    '20230229', // not a leap year
    '19891231', // before 1990
    '20991231', // in the future
    '12345678',
    '99999999',
    '10000000',
    '1714557600000.5e3',
    '171455760000000.0',
  ])('8-digit and other numbers that are no date stay unparseable: %s', (raw) => {
    expect(iso(raw)).toBe('DATE_UNPARSEABLE');
  });
});

describe('dates that kept working', () => {
  it.each([
    ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ['2024-05-01 10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01T10:00:00.000+0800', '2024-05-01T02:00:00.000Z'],
    ['2024-05-01 10:00:00 UTC', '2024-05-01T10:00:00.000Z'],
    ['2024/05/01 10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024.05.01 10:00', '2024-05-01T10:00:00.000Z'],
    ['01.05.2024 10:00', '2024-05-01T10:00:00.000Z'],
    ['May 1, 2024 10:00 AM', '2024-05-01T10:00:00.000Z'],
    ['01-May-2024', '2024-05-01T00:00:00.000Z'],
    ['01 May 2024 10:00', '2024-05-01T10:00:00.000Z'],
    ['1 May 2024, 10:00 am', '2024-05-01T10:00:00.000Z'],
    ['May 1st, 2024', '2024-05-01T00:00:00.000Z'],
    ['Wed May 01 10:00:00 EDT 2024', '2024-05-01T14:00:00.000Z'],
  ])('%s → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it('reads zone-less wall times in the zone, written out or not', () => {
    expect(iso('2024-05-01 10:00:00', 'Asia/Shanghai')).toBe('2024-05-01T02:00:00.000Z');
    expect(iso('2024/05/01T10:00:00', 'Asia/Shanghai')).toBe('2024-05-01T02:00:00.000Z');
    expect(iso('May 1, 2024 10:00 AM', 'Asia/Shanghai')).toBe('2024-05-01T02:00:00.000Z');
    expect(iso('Wed, 01 May 2024 10:00:00', 'America/New_York')).toBe('2024-05-01T14:00:00.000Z');
  });

  it('keeps M/D/YYYY vs D/M/YYYY inference', () => {
    expect(inferDateOrder(['13/05/2024', '01/05/2024'])).toBe('DMY');
    expect(inferDateOrder(['05/13/2024', '05/01/2024'])).toBe('MDY');
    expect(inferDateOrder(['05/01/2024', '04/03/2024'])).toBe('ambiguous');
    expect(iso('05/01/2024 10:00', 'UTC', 'DMY')).toBe('2024-01-05T10:00:00.000Z');
    expect(iso('05/01/2024 10:00', 'UTC', 'MDY')).toBe('2024-05-01T10:00:00.000Z');
    expect(iso('13/05/2024', 'UTC', 'MDY')).toBe('2024-05-13T00:00:00.000Z conflict');
    expect(iso('5/1/2024 10:00 PM')).toBe('2024-05-01T22:00:00.000Z');
  });
});

describe('score labels', () => {
  it.each([
    ['Extremely Happy', 5],
    ['Happy', 4],
    ['Neutral', 3],
    ['Unhappy', 2],
    ['Extremely Unhappy', 1],
    ['🤩 Amazing', 5],
    ['😃 Great', 4],
    ['😐 OK', 3],
    ['🙂 OK', 3],
    ['😐 Okay', 3],
    ['🙁 Bad', 2],
    ['😕 Bad', 2],
    ['☹️ Bad', 2],
    ['😠 Terrible', 1],
    ['Amazing', 5],
    ['great', 4],
    ['OK', 3],
    ['Terrible', 1],
    ['Great!', 4],
    ['Amazing 🤩', 5],
    ['👍🏽 Very good', 4],
    ['⭐ 4', 4],
    ['5 ⭐', 5],
    ['(3)', 3],
    ['🙂 满意', 4],
    // Star ratings scraped with their CSS class (Mafengwo, Dianping).
    ['s-star5', 5],
    ['s-star1', 1],
    ['sml-rank-stars sml-str40'.split(' ')[1] ?? '', 4],
    ['allstar30', 3],
    // The existing 5-level scale is unchanged.
    ['Excellent', 5],
    ['Very good', 4],
    ['Good', 3],
    ['Fair', 2],
    ['Poor', 1],
  ])('rating %s → %d', (raw, value) => {
    expect(parseRating(raw, 'numeric')).toEqual({ value });
  });

  it('keeps Zendesk Good/Bad on its own scale, emoji or not', () => {
    expect(parseRating('Good', 'good-bad')).toEqual({ value: 5 });
    expect(parseRating('Bad', 'good-bad')).toEqual({ value: 1 });
    expect(parseRating('👍 Good', 'good-bad')).toEqual({ value: 5 });
    expect(parseRating('👎 Bad', 'good-bad')).toEqual({ value: 1 });
  });

  it.each(['🤩', '🤩 Fantastic', '😃 Great service', '★ ★ x', '六星', '6 ⭐'])('%s is no rating', (raw) => {
    expect(parseRating(raw, 'numeric')).toMatchObject({ problem: expect.stringMatching(/^SCORE_/) });
  });

  it('reports a decorated out-of-range number as such', () => {
    expect(parseRating('6 ⭐', 'numeric')).toEqual({ problem: 'SCORE_OUT_OF_RANGE' });
    expect(parseNps('(10)')).toEqual({ value: 10 });
    expect(parseNps('(11)')).toEqual({ problem: 'SCORE_OUT_OF_RANGE' });
  });
});

describe('"no answer" options in score cells', () => {
  it.each([
    'Not applicable',
    'not applicable',
    'N/A - not applicable',
    'N/A – Not applicable',
    'N/A-not applicable',
    "Don't know",
    'Don’t know',
    'Do not know',
    'Prefer not to say',
    'Prefer not to answer',
    '不适用',
    '不適用',
    '不清楚',
    '(Not applicable)',
    '🤷 Don’t know',
  ])('%s is missing for NPS and rating', (raw) => {
    expect(parseNps(raw)).toBeUndefined();
    expect(parseRating(raw, 'numeric')).toBeUndefined();
    expect(parseRating(raw, 'good-bad')).toBeUndefined();
  });

  it.each(['Not happy at all', 'Know', 'Applicable'])('%s is still a bad score', (raw) => {
    expect(parseNps(raw)).toEqual({ problem: 'SCORE_UNPARSEABLE' });
    expect(parseRating(raw, 'numeric')).toEqual({ problem: 'SCORE_UNPARSEABLE' });
  });
});

describe('through the reader', () => {
  it('takes Intercom emoji ratings and their UTC timestamps', async () => {
    const { report, records } = await csv([
      'Conversation ID,Rating,Remark,Rated at,Teammate',
      '7500001,🤩 Amazing,"Super quick, thanks!",2024-05-01 10:22:31 UTC,Sam',
      '7500002,😠 Terrible,Bot loop,2024-05-01 11:02:00 UTC,Operator',
      '7500003,🙂 OK,,2024-05-02 08:00:00 UTC,Sam',
      '7500004,😃 Great,ok,2024-05-02 19:45:00 UTC,Lee',
      '7500005,,,2024-05-03 09:00:00 UTC,Lee',
      '7500006,😕 Bad,Slow,2024-05-03 23:30:00 UTC,Sam',
    ]);
    expect(report.rows).toMatchObject({ total: 6, accepted: 5, rejected: 1 });
    expect(report.details.rejectCounts).toEqual({ NO_CONTENT: 1 });
    expect(report.details.warningCounts).toEqual({});
    expect(records.map((r) => r.rating)).toEqual([5, 1, 3, 4, 2]);
  });

  it('reads slash dates with an offset, and counts "Not applicable" as no answer', async () => {
    const { report, records } = await csv([
      'id,created_at,How likely are you to recommend us?,comment',
      'd0,2024/05/01 10:00:00 +08:00,9,fine',
      'd1,2024/05/01 10:00:00 +0800,Not applicable,ok',
      'd2,2024-05-01T10:00:00 CEST,Don’t know,meh',
      'd3,20240501T100000Z,Prefer not to say,great',
    ]);
    expect(report.details.warningCounts).toEqual({});
    expect(records.map((r) => r.submittedAt)).toEqual([
      '2024-05-01T02:00:00.000Z',
      '2024-05-01T02:00:00.000Z',
      '2024-05-01T08:00:00.000Z',
      '2024-05-01T10:00:00.000Z',
    ]);
    expect(records.map((r) => r.nps)).toEqual([9, undefined, undefined, undefined]);
  });
});
