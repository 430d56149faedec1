/**
 * Digest periods as business days (YYYY-MM-DD) in an IANA time zone.
 *
 * Only "which business day is it now" depends on the time zone; it is answered by `Intl` from the instant,
 * so it is right on both sides of a DST change. Everything after that is civil-calendar arithmetic on
 * dates (no instants, no hours), which DST cannot affect: a business day is one day whether it has 23, 24
 * or 25 hours.
 */

import { addDays, businessDay, daysInRange, isCalendarDay, isoWeekday, isValidTimeZone } from '../domain/days.js';

export type PeriodKind = 'daily' | 'weekly' | 'custom';

export interface Period {
  kind: PeriodKind;
  /** First business day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last business day, inclusive (YYYY-MM-DD). */
  to: string;
  /** Number of business days in [from, to]. */
  days: number;
}

export class InvalidPeriodError extends Error {
  override name = 'InvalidPeriodError';
}

function assertDay(value: string, what: string): void {
  if (!isCalendarDay(value)) throw new InvalidPeriodError(`${what} must be a calendar date YYYY-MM-DD, got "${value}"`);
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new InvalidPeriodError(`Unknown IANA time zone "${timeZone}"`);
}

/** The business day (YYYY-MM-DD) that `instant` falls on in `timeZone`. */
export function businessDayOf(instant: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  return businessDay(instant, timeZone);
}

/** Yesterday in the business time zone. */
export function dailyPeriod(now: Date, timeZone: string): Period {
  const yesterday = addDays(businessDayOf(now, timeZone), -1);
  return { kind: 'daily', from: yesterday, to: yesterday, days: 1 };
}

/**
 * The last complete ISO week (Monday–Sunday) before the week that contains `now` in the business time zone.
 * Chosen over "the last 7 days" because a calendar week is what stakeholders compare week to week, and it
 * stays the same whichever day the digest is re-run; on the scheduled Monday morning the two are identical.
 */
export function weeklyPeriod(now: Date, timeZone: string): Period {
  const today = businessDayOf(now, timeZone);
  const thisMonday = addDays(today, 1 - isoWeekday(today));
  return { kind: 'weekly', from: addDays(thisMonday, -7), to: addDays(thisMonday, -1), days: 7 };
}

/** An explicit [from, to] period (inclusive), validated. */
export function customPeriod(from: string, to: string): Period {
  assertDay(from, 'from');
  assertDay(to, 'to');
  if (to < from) throw new InvalidPeriodError(`from (${from}) must not be after to (${to})`);
  return { kind: 'custom', from, to, days: daysInRange(from, to) };
}

/** The period of the same length that ends the day before `period` starts. */
export function previousPeriod(period: Pick<Period, 'from' | 'to'>): { from: string; to: string; days: number } {
  const days = daysInRange(period.from, period.to);
  return { from: addDays(period.from, -days), to: addDays(period.from, -1), days };
}

export type PeriodRequest = { kind: 'daily' | 'weekly' } | { kind: 'custom'; from: string; to: string };

/** Resolves a period request against the clock in the business time zone. */
export function resolvePeriod(request: PeriodRequest, now: Date, timeZone: string): Period {
  switch (request.kind) {
    case 'daily':
      return dailyPeriod(now, timeZone);
    case 'weekly':
      return weeklyPeriod(now, timeZone);
    case 'custom':
      return customPeriod(request.from, request.to);
  }
}

/**
 * Compact label: `2026-11-16` (one day), `2026-11-16–22` (same month), `2026-11-30–12-06` (same year),
 * `2026-12-28–2027-01-03` otherwise. The dash is an en dash.
 */
export function periodLabel(from: string, to: string): string {
  if (from === to) return from;
  if (from.slice(0, 7) === to.slice(0, 7)) return `${from}–${to.slice(8)}`;
  if (from.slice(0, 4) === to.slice(0, 4)) return `${from}–${to.slice(5)}`;
  return `${from}–${to}`;
}
