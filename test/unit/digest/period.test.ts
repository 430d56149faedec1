import { describe, expect, it } from 'vitest';
import {
  businessDayOf,
  customPeriod,
  dailyPeriod,
  InvalidPeriodError,
  periodLabel,
  previousPeriod,
  resolvePeriod,
  weeklyPeriod,
} from '../../../shared/digest/period.js';
import { addDays, daysInRange } from '../../../shared/domain/days.js';

describe('digest periods', () => {
  it.each([
    // Berlin springs forward 2026-03-29 01:00 UTC: 00:30 UTC is 01:30 CET, 01:30 UTC is 03:30 CEST.
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-28T22:59:00Z', 'Europe/Berlin', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Berlin', '2026-03-29'],
    // After the change midnight is 22:00 UTC.
    ['2026-03-29T22:00:00Z', 'Europe/Berlin', '2026-03-30'],
    // Los Angeles falls back 2026-11-01: 07:30 UTC is 00:30 PDT; 08:30 UTC is 01:30 PDT/PST ambiguity, still 1 Nov.
    ['2026-11-01T07:30:00Z', 'America/Los_Angeles', '2026-11-01'],
    ['2026-11-02T07:59:00Z', 'America/Los_Angeles', '2026-11-01'],
    ['2026-11-02T08:00:00Z', 'America/Los_Angeles', '2026-11-02'],
    // Chatham +13:45 in (southern) summer: already the next day.
    ['2026-11-16T10:30:00Z', 'Pacific/Chatham', '2026-11-17'],
  ])('puts %s on business day %s in %s', (instant, timeZone, day) => {
    expect(businessDayOf(new Date(instant), timeZone)).toBe(day);
  });

  it('gives yesterday as the daily period, on either side of a DST change', () => {
    // 08:00 CEST on 30 March (06:00 UTC): yesterday is 29 March, the 23-hour day of the switch.
    expect(dailyPeriod(new Date('2026-03-30T06:00:00Z'), 'Europe/Berlin')).toEqual({
      kind: 'daily',
      from: '2026-03-29',
      to: '2026-03-29',
      days: 1,
    });
    // 00:30 CET on 29 March (before the switch): yesterday is 28 March.
    expect(dailyPeriod(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin').from).toBe('2026-03-28');
  });

  it('gives the last full ISO week as the weekly period', () => {
    // Monday 16 Nov 08:00 Berlin → Mon 9 – Sun 15 Nov
    expect(weeklyPeriod(new Date('2026-11-16T07:00:00Z'), 'Europe/Berlin')).toEqual({
      kind: 'weekly',
      from: '2026-11-09',
      to: '2026-11-15',
      days: 7,
    });
    // Same instant is still Sunday 15 Nov in Los Angeles → Mon 2 – Sun 8 Nov
    expect(weeklyPeriod(new Date('2026-11-16T07:00:00Z'), 'America/Los_Angeles').from).toBe('2026-11-02');
    // Run on a Thursday, still the previous calendar week; a week spanning the Berlin DST change is 7 days.
    expect(weeklyPeriod(new Date('2026-04-02T10:00:00Z'), 'Europe/Berlin')).toMatchObject({
      from: '2026-03-23',
      to: '2026-03-29',
      days: 7,
    });
    // Across a year end.
    expect(weeklyPeriod(new Date('2027-01-05T10:00:00Z'), 'Europe/Berlin')).toMatchObject({
      from: '2026-12-28',
      to: '2027-01-03',
    });
  });

  it('validates explicit periods and finds the previous period of the same length', () => {
    expect(customPeriod('2026-02-01', '2026-02-28')).toEqual({
      kind: 'custom',
      from: '2026-02-01',
      to: '2026-02-28',
      days: 28,
    });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2026-01-29',
      to: '2026-02-28',
      days: 31,
    });
    expect(() => customPeriod('2026-02-30', '2026-03-01')).toThrow(InvalidPeriodError);
    expect(() => customPeriod('2026-3-1', '2026-03-02')).toThrow(InvalidPeriodError);
    expect(() => customPeriod('2026-03-02', '2026-03-01')).toThrow(InvalidPeriodError);
    expect(() => dailyPeriod(new Date(), 'Mars/Olympus_Mons')).toThrow(InvalidPeriodError);
    expect(resolvePeriod({ kind: 'custom', from: '2024-02-28', to: '2024-03-01' }, new Date(), 'UTC').days).toBe(3);
  });

  it('does calendar arithmetic and labels', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysInRange('2026-03-28', '2026-03-30')).toBe(3);
    expect(periodLabel('2026-11-16', '2026-11-22')).toBe('2026-11-16–22');
    expect(periodLabel('2026-11-30', '2026-12-06')).toBe('2026-11-30–12-06');
    expect(periodLabel('2026-12-28', '2027-01-03')).toBe('2026-12-28–2027-01-03');
    expect(periodLabel('2026-11-16', '2026-11-16')).toBe('2026-11-16');
  });
});
