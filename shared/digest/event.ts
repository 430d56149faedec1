/** The `KPI Digest Published` event detail (issue 7). Counts only: no e-mail addresses, no feedback text. */
import { EVENTS } from '../config/resources.js';
import type { DigestKeys } from './archive.js';
import type { CsatFigure, DigestFigures, NpsFigure } from './figures.js';
import type { PeriodKind } from './period.js';

export const DIGEST_PUBLISHED_DETAIL_TYPE = EVENTS.detailTypes.digest;

export interface KpiDigestPublishedDetail {
  version: typeof EVENTS.version;
  period: PeriodKind;
  from: string;
  to: string;
  volume: number;
  nps: NpsFigure;
  csat: CsatFigure;
  /** One decimal; null when no row has a sentiment. */
  netSentiment: number | null;
  htmlKey: string;
  jsonKey: string;
  /** Number of recipients the digest was sent to (0 when built without sending). */
  recipients: number;
}

export function digestPublishedDetail(
  figures: DigestFigures,
  keys: DigestKeys,
  recipients: number,
): KpiDigestPublishedDetail {
  return {
    version: EVENTS.version,
    period: figures.kind,
    from: figures.period.from,
    to: figures.period.to,
    volume: figures.period.volume,
    nps: { ...figures.period.nps },
    csat: { ...figures.period.csat },
    netSentiment: figures.period.sentiment.net,
    htmlKey: keys.htmlKey,
    jsonKey: keys.jsonKey,
    recipients,
  };
}
