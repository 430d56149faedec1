/** Segments whose share, net sentiment or NPS moved most against the previous period. */
import type { SegmentDimension } from '../domain/cells.js';
import { percentOf, roundTo } from '../domain/kpis.js';
import type { CellIndex } from './cell-index.js';
import type { MoverMetric, SegmentMove } from './figure-types.js';
import { difference, rawScores, sentimentFigure } from './kpi-figures.js';

export function segmentMovers(
  index: CellIndex,
  dimension: SegmentDimension,
  current: { from: string; to: string; total: number },
  previous: { from: string; to: string; total: number },
  minN: number,
): SegmentMove[] {
  const moves: SegmentMove[] = [];
  for (const { value } of index.segments(dimension)) {
    const cur = index.sum(dimension, value, current.from, current.to);
    const prev = index.sum(dimension, value, previous.from, previous.to);
    const curRaw = rawScores(cur);
    const prevRaw = rawScores(prev);
    const candidates: { metric: MoverMetric; c: number | null; p: number | null; n: number; pn: number }[] = [
      {
        metric: 'share',
        c: percentOf(cur.volume, current.total),
        p: percentOf(prev.volume, previous.total),
        n: cur.volume,
        pn: prev.volume,
      },
      {
        metric: 'netSentiment',
        c: curRaw.netSentiment,
        p: prevRaw.netSentiment,
        n: sentimentFigure(cur).n,
        pn: sentimentFigure(prev).n,
      },
      { metric: 'nps', c: curRaw.nps, p: prevRaw.nps, n: cur.npsN, pn: prev.npsN },
    ];
    for (const { metric, c, p, n, pn } of candidates) {
      // Share compares a segment with the whole, so one side may be small; scores need n on both sides.
      const enough = metric === 'share' ? Math.max(n, pn) >= minN : n >= minN && pn >= minN;
      const change = difference(c, p);
      if (!enough || c === null || p === null || change === null || roundTo(change, 1) === 0) continue;
      moves.push({
        dimension,
        value,
        metric,
        current: roundTo(c, 1),
        previous: roundTo(p, 1),
        change: roundTo(change, 1),
        n,
        previousN: pn,
      });
    }
  }
  return moves;
}

export function rankMoves(moves: SegmentMove[], limit: number): SegmentMove[] {
  return moves
    .sort(
      (a, b) =>
        Math.abs(b.change) - Math.abs(a.change) ||
        b.n - a.n ||
        a.dimension.localeCompare(b.dimension) ||
        a.value.localeCompare(b.value),
    )
    .slice(0, limit);
}
