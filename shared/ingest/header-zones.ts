import { isValidTimeZone } from '../domain/days.js';

/** Zone abbreviations a header may carry, as the zone whose clock (with its daylight saving) the column follows. */
const HEADER_ZONES: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  CT: 'America/Chicago',
  CDT: 'America/Chicago',
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  BST: 'Europe/London',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  HKT: 'Asia/Hong_Kong',
  SGT: 'Asia/Singapore',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  北京时间: 'Asia/Shanghai',
  北京時間: 'Asia/Shanghai',
};
/** Half-hour offsets have no Etc/GMT zone: the zone that keeps them all year. */
const ODD_OFFSETS: Record<string, string> = {
  '+5:30': 'Asia/Kolkata',
  '+5:45': 'Asia/Kathmandu',
  '+9:30': 'Australia/Darwin',
  '+3:30': 'Asia/Tehran',
};

/**
 * The time zone a column header states in brackets: `(UTC)`, `(UTC+8)`, `(GMT+08:00)`, `(PST)`, `(北京时间)`,
 * `(America/Los_Angeles)`; a bare `UTC` word counts too. CST is US Central unless the header is Chinese (China
 * Standard Time). `undefined` when it names none.
 */
export function zoneInHeader(header: string): string | undefined {
  const h = header.normalize('NFKC');
  const offset =
    /[([]\s*(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*[)\]]|\b(?:UTC|GMT)([+-])(\d{1,2})(?::?(\d{2}))?\b/i.exec(
      h,
    );
  if (offset) {
    const sign = offset[1] ?? offset[4] ?? '+';
    const hours = Number(offset[2] ?? offset[5]);
    const minutes = Number(offset[3] ?? offset[6] ?? 0);
    if (minutes !== 0) return ODD_OFFSETS[`${sign}${hours}:${String(minutes).padStart(2, '0')}`];
    if (hours > 14) return undefined;
    // IANA's Etc zones count the other way round: UTC+8 is Etc/GMT-8.
    return hours === 0 ? 'UTC' : `Etc/GMT${sign === '+' ? '-' : '+'}${hours}`;
  }
  const named = /[([]\s*([A-Za-z]{1,5}|北京时间|北京時間|[A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?)\s*[)\]]/.exec(h)?.[1];
  if (named !== undefined) {
    if (named.includes('/')) return isValidTimeZone(named) ? named : undefined;
    const upper = named.toUpperCase();
    if (upper === 'CST') return /[\u3400-\u9fff]/.test(h) ? 'Asia/Shanghai' : 'America/Chicago';
    const zone = HEADER_ZONES[upper];
    if (zone !== undefined) return zone;
  }
  return /\bUTC\b/i.test(h) ? 'UTC' : undefined;
}

/**
 * A zone stated in brackets, as `normaliseName` sees it (lower-cased, after NFKC): the same forms {@link zoneInHeader}
 * reads, so that `Created at (PST)` is still named `createdat`.
 */
export const ZONE_IN_BRACKETS = new RegExp(
  String.raw`\((?:(?:utc|gmt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|` +
    [...Object.keys(HEADER_ZONES).filter((k) => k !== 'Z' && k !== 'UTC' && k !== 'GMT'), 'CST']
      .map((k) => k.toLowerCase())
      .join('|') +
    String.raw`|[a-z]+\/[a-z_]+(?:\/[a-z_]+)?)\)`,
  'g',
);
