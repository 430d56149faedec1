import crypto, { createHash } from 'node:crypto';
import { normaliseName } from './column-mapping.js';

/** The first 128 bits of SHA-256 of `text`, in hex. */
export function sha(text: string): string {
  // One-shot hashing (Node ≥ 20.12) skips building a Hash object per record.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex').slice(0, 32);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const REVIEW_ID_IN_LINK = /[?&#]review[iI]d=([^&#]+)/;

/** Google Play review links (old `…#ReviewDetailsPlace:…&reviewid=gp:…`, new `…review-details?reviewId=gp%3A…`) → id. */
export function normaliseSourceId(value: string): string {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v)) return v;
  const m = REVIEW_ID_IN_LINK.exec(v);
  if (m?.[1] !== undefined) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
  return v;
}

/**
 * Id columns that number the rows of one survey's export (问卷星's 序号, Hotjar's Number): 1, 2, 3… again in every
 * other survey of the same source, so such an id names a response only together with the survey, known here by its
 * set of columns (exports of one survey share them; another survey has other questions).
 */
const SEQUENCE_ID_NAMES = new Set(['序号', 'number', 'no', 'rownumber', 'rowno', 'responsenumber']);

/** The survey identity a per-export row number needs (see {@link SEQUENCE_ID_NAMES}); undefined for other ids. */
export function idScopeOf(columns: readonly string[], idColumn: number | undefined): string | undefined {
  if (idColumn === undefined || !SEQUENCE_ID_NAMES.has(normaliseName(columns[idColumn] ?? ''))) return undefined;
  const names = columns.map(normaliseName).filter((n) => n !== '');
  return sha([...new Set(names)].sort().join('\u0000')).slice(0, 16);
}
