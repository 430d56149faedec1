import { describe, expect, it } from 'vitest';
import { isRowNumberSequence } from '../../../shared/ingest/fingerprint.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { AcceptedOutcome, ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

const bytesOf = (lines: readonly string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

/** Reads a small CSV through the core and the in-file dedupe, as `feedback check` does. */
function csv(lines: readonly string[]) {
  return runBytes(chunks(bytesOf(lines), 64), 'dupes.csv');
}

const fingerprints = (r: Awaited<ReturnType<typeof csv>>) => r.records.map((x) => x.fingerprint);

describe('duplicates by what identifies a response', () => {
  it('counts the same short text on other days or about other products as other responses', async () => {
    const { report } = await csv([
      '评论时间,商品,评论',
      '2026-09-01,坚果,好',
      '2026-09-02,坚果,好',
      '2026-09-02,饼干,好',
    ]);

    expect(report.rows).toMatchObject({ total: 3, accepted: 3, duplicates: 0, withText: 3 });
  });

  it('tells apart two authors who wrote the same words, without copying their names', async () => {
    const { report, records } = await csv(['昵称,评论', '张***三,好', '李***四,好', '张***三,好']);

    expect(report.rows).toMatchObject({ total: 3, accepted: 2, duplicates: 1 });
    expect(JSON.stringify(records)).not.toMatch(/张|李/);
  });

  it('counts an identical record with text once: the same response seen twice', async () => {
    const { report } = await csv([
      'Date,Rating,Review',
      '2026-09-01,5,Great service',
      '2026-09-01,5,Great service',
      '2026-09-01,4,Great service',
    ]);

    expect(report.rows).toMatchObject({ total: 3, accepted: 2, duplicates: 1, withText: 2 });
  });

  it('counts each identical answer without text, and a re-upload matches them one to one', async () => {
    const lines = [
      'Recorded Date,Channel,How likely are you to recommend us?',
      '2026-09-01 10:00,web,9',
      '2026-09-01 10:00,web,9',
      '2026-09-01 10:00,web,9',
      '2026-09-01 10:00,email,9',
    ];

    const first = await csv(lines);
    const again = await csv([lines[0] as string, ...lines.slice(1).reverse()]);

    expect(first.report.rows).toMatchObject({ total: 4, accepted: 4, duplicates: 0 });
    expect(first.report.kpis.nps.n).toBe(4);
    expect(new Set(fingerprints(first)).size).toBe(4);
    expect([...fingerprints(again)].sort()).toEqual([...fingerprints(first)].sort());
  });

  it('matches the k-th identical score-only answer of an overlapping export to the k-th of the first', async () => {
    const header = 'Recorded Date,How likely are you to recommend us?';
    const a = await csv([header, '2026-09-01,9', '2026-09-02,7', '2026-09-02,7']);
    const b = await csv([header, '2026-09-02,7', '2026-09-02,7', '2026-09-02,7', '2026-09-03,9']);

    const union = new Set([...fingerprints(a), ...fingerprints(b)]);

    // Day 2 holds three answers of 7 (b saw all of them, a the first two), plus one 9 on each of days 1 and 3.
    expect(union.size).toBe(5);
  });
});

describe('row numbers are not ids', () => {
  it.each([
    [['1', '2', '3'], true],
    [['0', '1', '2'], true],
    [['1'], true],
    [['1.0', '2.0'], true],
    [['44', '45', '46'], false],
    [['1', '3', '4'], false],
    [['3', '2', '1'], false],
    [['R_1', 'R_2'], false],
    [[], false],
  ])('reads %j as a row number: %s', (values, expected) => {
    expect(isRowNumberSequence(values)).toBe(expected);
  });

  it('never lets two exports numbered 1, 2, 3 collide, whichever comes first', async () => {
    const a = await csv(['No,Date,Score,Comment', '1,2026-09-01,5,Good', '2,2026-09-01,2,Slow', '3,2026-09-02,4,Fine']);
    const b = await csv([
      'No,Date,Score,Comment',
      '1,2026-09-03,1,Broken',
      '2,2026-09-03,5,Good',
      '3,2026-09-04,3,Meh',
    ]);

    expect(fingerprints(b).filter((f) => fingerprints(a).includes(f))).toEqual([]);
    expect(a.records.every((r) => r.fingerprintKind === 'content' && r.sourceRecordId === undefined)).toBe(true);
  });

  it('keeps an id column that does not count rows as the id', async () => {
    const { records } = await csv(['ID,Comment', '1001,Good', '1007,Good']);

    expect(records.map((r) => [r.fingerprintKind, r.sourceRecordId])).toEqual([
      ['sourceId', '1001'],
      ['sourceId', '1007'],
    ]);
  });
});

describe('occurrence numbers across a resumed read', () => {
  it('gives the records after a checkpoint the fingerprints a whole read gives', async () => {
    const lines = ['Recorded Date,How likely are you to recommend us?'];
    for (let i = 0; i < 12; i++) lines.push(`2026-09-01,${i % 3 === 0 ? 9 : 6}`);
    const bytes = bytesOf(lines);
    const options = { ...baseOptions, fileName: 'scores.csv' };
    const accepted = (os: Awaited<ReturnType<typeof collect>>) =>
      os.filter((o): o is AcceptedOutcome => o.kind === 'accepted').map((o) => [o.row, o.record.fingerprint]);
    const whole = accepted(await collect(readExport(chunks(bytes, 16), options)));

    const first = readExport(chunks(bytes, 16), options);
    const head = accepted(await collect(first, 5));
    const checkpoint = first.checkpoint() as ResumeState;
    const rest = accepted(await collect(readExport(chunks(bytes, 16), { ...options, resume: checkpoint })));

    expect(checkpoint).toMatchObject({ recordsDone: 5, recountOccurrences: true });
    expect(checkpoint.byteOffset).toBeUndefined();
    expect([...head, ...rest]).toEqual(whole);
  });
});
