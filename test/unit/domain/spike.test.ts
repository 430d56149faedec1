import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../shared/domain/errors.js';
import { detectSpikes } from '../../../shared/domain/spike.js';

describe('detectSpikes', () => {
  const quietWeek = (negative: number) =>
    ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07'].map((day) => ({
      day,
      volume: 20,
      negative,
    }));

  it('flags a day above ratio × the trailing mean, not one at it', () => {
    // trailing mean 4 → threshold 6: 6 is not above it, 7 is
    expect(detectSpikes([...quietWeek(4), { day: '2026-11-08', volume: 20, negative: 6 }])).toEqual([]);
    expect(detectSpikes([...quietWeek(4), { day: '2026-11-08', volume: 20, negative: 7 }])).toEqual([
      { day: '2026-11-08', negative: 7, baseline: 4, ratio: 1.75 },
    ]);
  });

  it('requires the minimum volume', () => {
    expect(detectSpikes([...quietWeek(0), { day: '2026-11-08', volume: 20, negative: 4 }])).toEqual([]);
    expect(detectSpikes([...quietWeek(0), { day: '2026-11-08', volume: 20, negative: 4 }], { minVolume: 3 })).toEqual([
      { day: '2026-11-08', negative: 4, baseline: 0, ratio: null },
    ]);
  });

  it('does not judge a day without any trailing data', () => {
    expect(detectSpikes([{ day: '2026-11-08', volume: 50, negative: 40 }])).toEqual([]);
  });

  it('treats missing days as zero, sums duplicate days and honours the window and options', () => {
    // trailing 1–7 Nov: only 1 Nov has data (negative 7) → mean 1; 8 Nov = 3 + 3 = 6 > 1.5 → spike
    const series = [
      { day: '2026-11-08', volume: 10, negative: 3 },
      { day: '2026-11-01', volume: 10, negative: 7 },
      { day: '2026-11-08', volume: 10, negative: 3 },
    ];
    expect(detectSpikes(series)).toEqual([{ day: '2026-11-08', negative: 6, baseline: 1, ratio: 6 }]);
    expect(detectSpikes(series, { to: '2026-11-07' })).toEqual([]);
    // a 3-day window holds no data before 8 Nov → not judged
    expect(detectSpikes(series, { trailingDays: 3 })).toEqual([]);
    expect(() => detectSpikes(series, { trailingDays: 0 })).toThrow(InvalidOptionsError);
  });
});
