import { daysBetween } from '../store/aggregate-reader.js';
import type { AggregateCell, SegmentDimension } from '../store/cells.js';

export interface SpikeRule {
  /** A day is a spike when its negative count exceeds ratio × the trailing mean. */
  ratio: number;
  /** …and the day has at least this many rows. */
  minVolume: number;
  /** Length of the trailing window, in days. */
  trailingDays: number;
}

export interface Spike {
  day: string;
  dimension: SegmentDimension;
  value: string;
  negative: number;
  volume: number;
  baseline: number;
  ratio: number | null;
}

/** Shifts a YYYY-MM-DD day by n calendar days. */
export function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Spikes among `candidates` (cell keys of day × segment), judged against the cells of the trailing window.
 * Days missing from `cells` count as zero, so a quiet week followed by a burst is a spike.
 */
export function findSpikes(
  cells: readonly AggregateCell[],
  candidates: readonly { day: string; dimension: SegmentDimension; value: string }[],
  rule: SpikeRule,
): Spike[] {
  const byKey = new Map<string, AggregateCell>();
  for (const c of cells) byKey.set(`${c.dimension}\u0000${c.value}\u0000${c.day}`, c);
  const spikes: Spike[] = [];
  for (const cand of candidates) {
    const cell = byKey.get(`${cand.dimension}\u0000${cand.value}\u0000${cand.day}`);
    if (!cell || cell.counts.volume < rule.minVolume) continue;
    let sum = 0;
    for (const d of daysBetween(shiftDay(cand.day, -rule.trailingDays), shiftDay(cand.day, -1))) {
      sum += byKey.get(`${cand.dimension}\u0000${cand.value}\u0000${d}`)?.counts.negative ?? 0;
    }
    const baseline = sum / rule.trailingDays;
    const negative = cell.counts.negative;
    if (negative > rule.ratio * baseline && negative > 0) {
      spikes.push({
        ...cand,
        negative,
        volume: cell.counts.volume,
        baseline,
        ratio: baseline === 0 ? null : negative / baseline,
      });
    }
  }
  return spikes;
}
