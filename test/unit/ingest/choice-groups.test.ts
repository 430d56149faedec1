import { describe, expect, it } from 'vitest';
import { collapseCells, findChoiceGroups } from '../../../shared/ingest/choice-groups.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { AcceptedOutcome, ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

const QUESTION = 'How likely is it that you would recommend us to a friend or colleague?';
/** SurveyMonkey's answer labels for an NPS question: the ends carry their wording. */
const LABELS = [
  '0 - Not at all likely',
  ...Array.from({ length: 9 }, (_, i) => String(i + 1)),
  '10 - Extremely likely',
];

/**
 * A SurveyMonkey "All responses" export laid out as FORMATS.md describes it (two header rows, question text over the
 * first column of each question, `Response` / `Open-Ended Response` below), with the NPS question expanded to one
 * column per answer; `scores[i]` is respondent i's answer, or undefined when skipped.
 */
function surveyMonkeyCsv(scores: readonly (number | undefined)[]): string {
  const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const row1 = [
    'Respondent ID',
    'Collector ID',
    'Start Date',
    'End Date',
    'IP Address',
    QUESTION,
    ...Array(10).fill(''),
  ];
  row1.push('Why did you give that score?');
  const row2 = ['', '', '', '', '', ...LABELS, 'Open-Ended Response'];
  const lines = [row1, row2].map((r) => r.map(quote).join(','));
  scores.forEach((score, i) => {
    const answer = LABELS.map((label, k) => (k === score ? label : ''));
    const when = `11/${String(1 + (i % 28)).padStart(2, '0')}/2024 09:${String(i % 60).padStart(2, '0')}:00 AM`;
    lines.push([`11${4000000 + i}`, '425112233', when, when, '', ...answer, `Reason number ${i}`].map(quote).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

const SCORES = [10, 9, 0, 7, undefined, 3, 10, 8, 6, 9, 2, 10, 5, undefined, 9, 1, 4, 10, 7, 9];

describe('single-choice questions spread over one column per answer', () => {
  it('reads a SurveyMonkey NPS question exported as eleven columns as one score per row', async () => {
    const { report, records } = await runBytes(chunks(Buffer.from(surveyMonkeyCsv(SCORES)), 97), 'sm.csv');

    const given = SCORES.filter((s): s is number => s !== undefined);
    const promoters = given.filter((s) => s >= 9).length;
    const detractors = given.filter((s) => s <= 6).length;
    expect(report.columns.nps).toBe(QUESTION);
    expect(records.map((r) => r.nps)).toEqual(SCORES);
    expect(report.kpis.nps).toMatchObject({ n: given.length, promoters, detractors });
    expect(report.rows).toMatchObject({ total: SCORES.length, accepted: SCORES.length, rejected: 0 });
  });

  it('keeps reading the question as one column after a checkpoint', async () => {
    const bytes = Buffer.from(surveyMonkeyCsv(SCORES));
    const options = { ...baseOptions, fileName: 'sm.csv' };
    const scores = (os: Awaited<ReturnType<typeof collect>>) =>
      os.filter((o): o is AcceptedOutcome => o.kind === 'accepted').map((o) => o.record.nps);

    const first = readExport(chunks(bytes, 64), options);
    const head = scores(await collect(first, 8));
    const checkpoint = first.checkpoint() as ResumeState;
    const from = bytes.subarray(checkpoint.byteOffset ?? 0);
    const rest = scores(await collect(readExport(chunks(from, 64), { ...options, resume: checkpoint })));

    expect([...head, ...rest]).toEqual(SCORES);
  });

  it('finds a run by its header labels and its values, not by its names alone', () => {
    const columns = ['Id', ...LABELS.map((l) => `${QUESTION} - ${l}`), 'Comment'];
    const oneEach = [['1', '', '', '', '', '', '', '', '7', '', '', '', 'ok']];
    const twoInARow = [['1', '', 'x', '', '', '', '', '', 'x', '', '', '', 'ok']];
    const outOfOrder = ['Id', ...LABELS.map((l, i) => `${QUESTION} - ${i === 3 ? '4' : l}`), 'Comment'];

    const [group] = findChoiceGroups(columns, oneEach);
    expect(group).toEqual({ start: 1, labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], name: QUESTION });
    expect(collapseCells(oneEach[0] ?? [], [group ?? { start: 0, labels: [], name: '' }])).toEqual(['1', '7', 'ok']);
    // A multi-select question (two answers in one row) or labels that are not 0…10 in order are left alone.
    expect(findChoiceGroups(columns, twoInARow)).toEqual([]);
    expect(findChoiceGroups(outOfOrder, oneEach)).toEqual([]);
    // No row answers it: nothing says the columns are one question.
    expect(findChoiceGroups(columns, [['1', ...Array(11).fill(''), 'ok']])).toEqual([]);
  });
});
