import { addDays } from './days.js';
import { InvalidOptionsError } from './errors.js';

export interface SpikeOptions {
  /** A day is a spike when its negative count is above `ratio` × the trailing mean. @default 1.5 */
  ratio: number;
  /** Minimum negative count on the day for it to count as a spike. @default 5 */
  minVolume: number;
  /** Days in the trailing window whose mean negative count is the baseline. @default 7 */
  trailingDays: number;
}

export const DEFAULT_SPIKE_OPTIONS: Readonly<SpikeOptions> = { ratio: 1.5, minVolume: 5, trailingDays: 7 };

export interface SpikeSeriesPoint {
  day: string;
  /** Accepted rows that day (tells a quiet day from a day without any data). */
  volume: number;
  negative: number;
}

export interface Spike {
  day: string;
  negative: number;
  /** Mean negative count over the `trailingDays` days before `day` (days without data count as 0). */
  baseline: number;
  /** negative / baseline; null when the baseline is 0. */
  ratio: number | null;
}

export function resolveSpikeOptions(options: Partial<SpikeOptions> = {}): SpikeOptions {
  const merged = { ...DEFAULT_SPIKE_OPTIONS, ...options };
  if (!(Number.isFinite(merged.ratio) && merged.ratio > 0)) {
    throw new InvalidOptionsError(`spike.ratio must be a positive number, got ${merged.ratio}`);
  }
  if (!(Number.isFinite(merged.minVolume) && merged.minVolume >= 0)) {
    throw new InvalidOptionsError(`spike.minVolume must be a number ≥ 0, got ${merged.minVolume}`);
  }
  if (!(Number.isInteger(merged.trailingDays) && merged.trailingDays >= 1)) {
    throw new InvalidOptionsError(`spike.trailingDays must be an integer ≥ 1, got ${merged.trailingDays}`);
  }
  return merged;
}

/**
 * The negative-sentiment spike rule, shared by the digest and the ingest side's spike events.
 *
 * A day is a spike when `negative ≥ minVolume` and `negative > ratio × baseline`, where the baseline is the
 * mean negative count of the `trailingDays` calendar days before it. Days missing from the series count as
 * 0; a day is only judged when at least one trailing day had any feedback (volume > 0), so the first day of
 * data never counts as a spike. Points may come in any order; only days in [`from`, `to`] (default: all) are
 * judged.
 */
export function detectSpikes(
  series: readonly SpikeSeriesPoint[],
  options: Partial<SpikeOptions> & { from?: string; to?: string } = {},
): Spike[] {
  const { ratio, minVolume, trailingDays } = resolveSpikeOptions({
    ...(options.ratio === undefined ? {} : { ratio: options.ratio }),
    ...(options.minVolume === undefined ? {} : { minVolume: options.minVolume }),
    ...(options.trailingDays === undefined ? {} : { trailingDays: options.trailingDays }),
  });
  const byDay = new Map<string, { volume: number; negative: number }>();
  for (const point of series) {
    const seen = byDay.get(point.day) ?? { volume: 0, negative: 0 };
    byDay.set(point.day, { volume: seen.volume + point.volume, negative: seen.negative + point.negative });
  }
  const spikes: Spike[] = [];
  for (const day of [...byDay.keys()].sort()) {
    if ((options.from !== undefined && day < options.from) || (options.to !== undefined && day > options.to)) continue;
    const negative = byDay.get(day)?.negative ?? 0;
    if (negative < minVolume) continue;
    let trailingNegative = 0;
    let trailingHasData = false;
    for (let back = 1; back <= trailingDays; back += 1) {
      const point = byDay.get(addDays(day, -back));
      if (point === undefined) continue;
      trailingNegative += point.negative;
      if (point.volume > 0) trailingHasData = true;
    }
    if (!trailingHasData) continue;
    const baseline = trailingNegative / trailingDays;
    if (negative > ratio * baseline) {
      spikes.push({ day, negative, baseline, ratio: baseline > 0 ? negative / baseline : null });
    }
  }
  return spikes;
}
