import { describe, expect, it } from 'vitest';
import { CellDeltas } from '../../../shared/domain/cell-deltas.js';
import { cellKey, SEGMENT_DIMENSIONS } from '../../../shared/domain/cells.js';
import { toContribution } from '../../../shared/domain/contribution.js';
import { businessDay } from '../../../shared/domain/days.js';
import type { CanonicalRecord } from '../../../shared/domain/types.js';

const record = (over: Partial<CanonicalRecord>): CanonicalRecord => ({
  fingerprint: 'fp',
  fingerprintKind: 'content',
  row: 1,
  source: 'survey',
  submittedAt: '2026-03-29T00:30:00.000Z',
  ...over,
});

describe('businessDay', () => {
  it.each([
    // 00:30 UTC on the night Berlin moves to summer time is 01:30 local: still the 29th.
    ['2026-03-29T00:30:00.000Z', 'Europe/Berlin', '2026-03-29'],
    // 23:30 UTC is already the next day in Berlin (UTC+2 in summer) and in Shanghai.
    ['2026-07-01T23:30:00.000Z', 'Europe/Berlin', '2026-07-02'],
    ['2026-07-01T16:30:00.000Z', 'Asia/Shanghai', '2026-07-02'],
    // …and still the previous day in Los Angeles.
    ['2026-07-02T03:00:00.000Z', 'America/Los_Angeles', '2026-07-01'],
  ])('puts %s in the business day of %s', (instant, zone, day) => {
    expect(businessDay(instant, zone)).toBe(day);
  });
});

describe('CellDeltas', () => {
  it('adds a record to the all cell and one cell per segment it has', () => {
    // Prepare
    const c = toContribution(
      record({ channel: ' email ', product: 'App', nps: 3, rating: 2, text: 'Slow' }),
      { label: 'NEGATIVE', language: 'en', phrases: ['checkout'] },
      'UTC',
    );
    // Act
    const deltas = new CellDeltas();
    deltas.add(c);
    // Assess
    expect([...deltas.cells.keys()].sort()).toEqual(
      [
        cellKey('all', 'all', '2026-03-29'),
        cellKey('channel', 'email', '2026-03-29'),
        cellKey('language', 'en', '2026-03-29'),
        cellKey('product', 'App', '2026-03-29'),
        cellKey('source', 'survey', '2026-03-29'),
      ].sort(),
    );
    expect(deltas.cells.get(cellKey('all', 'all', '2026-03-29'))).toMatchObject({
      volume: 1,
      texts: 1,
      negative: 1,
      npsN: 1,
      npsDetractors: 1,
      npsSum: 3,
      ratingN: 1,
      ratingSum: 2,
      rating2: 1,
      phrases: { checkout: 1 },
    });
  });

  it('adds a theme cell per segment for each theme the text names, with the same counters and no phrases', () => {
    // Prepare: two themes, segments channel + source + language (+ all).
    const c = toContribution(
      record({ channel: 'app', nps: 2, rating: 1, text: 'Crashes, and no refund' }),
      { label: 'NEGATIVE', language: 'en', themes: ['app.stability', 'payment.refund'], phrases: ['crash'] },
      'UTC',
    );
    // Act
    const deltas = new CellDeltas();
    deltas.add(c);
    // Assess: 4 segment cells + 2 themes × 4 segments; a text with themes keeps no emerging phrases.
    expect(deltas.size).toBe(12);
    const theme = deltas.cells.get(cellKey('channel', 'app', '2026-03-29', 'payment.refund'));
    expect(theme).toMatchObject({ volume: 1, negative: 1, npsDetractors: 1, rating1: 1, phrases: {} });
    expect(deltas.cells.get(cellKey('all', 'all', '2026-03-29'))?.phrases).toEqual({});
  });

  it('adds theme cells only in the chosen dimensions', () => {
    const c = toContribution(
      record({ channel: 'app', rating: 1, text: 'Crashes' }),
      { label: 'NEGATIVE', language: 'en', themes: ['app.stability'] },
      'UTC',
    );
    const deltas = new CellDeltas(['all']);
    deltas.add(c);
    // 4 segment cells (all, channel, source, language) and the theme's overall cell only.
    expect(deltas.size).toBe(5);
    expect(deltas.cells.has(cellKey('all', 'all', '2026-03-29', 'app.stability'))).toBe(true);
    expect(deltas.cells.has(cellKey('channel', 'app', '2026-03-29', 'app.stability'))).toBe(false);
  });

  it('keeps emerging phrases only for negative or mixed text that named no theme', () => {
    const base = record({ text: 'Odd smell from the box' });
    expect(toContribution(base, { label: 'NEGATIVE', phrases: ['odd smell'] }, 'UTC').phrases).toEqual(['odd smell']);
    expect(toContribution(base, { label: 'POSITIVE', phrases: ['odd smell'] }, 'UTC').phrases).toBeUndefined();
    expect(
      toContribution(base, { label: 'MIXED', themes: ['delivery.damage'], phrases: ['box'] }, 'UTC').phrases,
    ).toBeUndefined();
  });

  it('has a cell for every segment dimension when a record has them all', () => {
    const c = toContribution(
      record({ channel: 'web', product: 'App', region: 'DE', language: 'de', rating: 4 }),
      {},
      'UTC',
    );
    const deltas = new CellDeltas();
    deltas.add(c);
    const dimensions = [...deltas.cells.keys()].map((k) => k.split('\u0000')[0]).sort();
    expect(dimensions).toEqual([...SEGMENT_DIMENSIONS].sort());
  });

  it('writes only the cells whose deltas do not cancel out', () => {
    // An edit that keeps the rating but moves the record to another channel: the `all` and `source` cells net to zero.
    const before = toContribution(record({ channel: 'web', rating: 3 }), {}, 'UTC');
    const after = toContribution(record({ channel: 'app', rating: 3 }), {}, 'UTC');
    const deltas = new CellDeltas();
    deltas.add(before, -1);
    deltas.add(after);
    expect(deltas.size).toBe(4);
    expect(
      deltas
        .nonZeroCells()
        .map(([k]) => k)
        .sort(),
    ).toEqual([cellKey('channel', 'app', '2026-03-29'), cellKey('channel', 'web', '2026-03-29')]);
  });

  it('takes a retracted contribution back out exactly', () => {
    const old = toContribution(
      record({ rating: 1, text: 'Broken' }),
      { label: 'NEGATIVE', themes: ['product.quality'], phrases: ['crash'] },
      'UTC',
    );
    const newer = toContribution(record({ rating: 5, text: 'Fixed' }), { label: 'POSITIVE' }, 'UTC');
    const deltas = new CellDeltas();
    deltas.add(old);
    deltas.add(old, -1);
    deltas.add(newer);
    const all = deltas.cells.get(cellKey('all', 'all', '2026-03-29'));
    expect(all).toMatchObject({ volume: 1, negative: 0, positive: 1, rating1: 0, rating5: 1, ratingSum: 5 });
    expect(deltas.cells.get(cellKey('all', 'all', '2026-03-29', 'product.quality'))).toMatchObject({
      volume: 0,
      negative: 0,
      rating1: 0,
    });
    expect(deltas.nonZeroCells().some(([k]) => k.endsWith('product.quality'))).toBe(false);
  });

  it('keeps missing scores missing, never zero', () => {
    const deltas = new CellDeltas();
    deltas.add(toContribution(record({ text: 'Just text' }), {}, 'UTC'));
    expect(deltas.cells.get(cellKey('all', 'all', '2026-03-29'))).toMatchObject({ volume: 1, npsN: 0, ratingN: 0 });
  });
});
