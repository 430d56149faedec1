import type { Contribution } from '../domain/contribution.js';
import type { SentimentLabel } from '../domain/types.js';

/**
 * A contribution as the row ledger stores it: one-letter attributes, because one is written per record and the
 * ledger's size is billed. This shape is the storage format (ledgers written by earlier versions read the same);
 * the rest of the code sees only the readable {@link Contribution}.
 */
export interface StoredContribution {
  d: string;
  s: Contribution['segments'];
  t: 0 | 1;
  l?: 'P' | 'N' | 'U' | 'M';
  n?: number;
  r?: number;
  th?: string[];
}

const INITIAL: Record<SentimentLabel, NonNullable<StoredContribution['l']>> = {
  POSITIVE: 'P',
  NEGATIVE: 'N',
  NEUTRAL: 'U',
  MIXED: 'M',
};
const LABEL: Record<NonNullable<StoredContribution['l']>, SentimentLabel> = {
  P: 'POSITIVE',
  N: 'NEGATIVE',
  U: 'NEUTRAL',
  M: 'MIXED',
};

export function encodeContribution(c: Contribution): StoredContribution {
  return {
    d: c.day,
    s: c.segments,
    t: c.hasText ? 1 : 0,
    l: c.sentiment === undefined ? undefined : INITIAL[c.sentiment],
    n: c.nps,
    r: c.rating,
    th: c.themes,
  };
}

export function decodeContribution(s: StoredContribution): Contribution {
  return {
    day: s.d,
    segments: { ...s.s },
    hasText: s.t === 1,
    sentiment: s.l === undefined ? undefined : LABEL[s.l],
    nps: s.n,
    rating: s.r,
    themes: s.th,
  };
}
