import { parseCellKey } from '../domain/cells.js';
import { addDays } from '../domain/days.js';
import { detectSpikes, type SpikeOptions } from '../domain/spike.js';
import { spikeDetail, spikeEvent } from '../events/factories.js';
import type { PendingEvent } from '../events/publisher.js';
import type { CellReader, SpikeLedger } from '../ports/ingest.js';

const SPIKE_TRAILING_DAYS = 7;

/**
 * After a file commits, checks every day × segment it touched against the trailing window and returns each new
 * spike's event once (the spike ledger's conditional put makes a second file or a redelivery skip it).
 */
export async function newSpikes(
  touched: ReadonlySet<string>,
  ports: { cells: CellReader; spikes: SpikeLedger },
  rule: Omit<SpikeOptions, 'trailingDays'>,
): Promise<PendingEvent[]> {
  if (touched.size === 0) return [];
  const candidates = [...touched].map(parseCellKey);
  const days = candidates.map((c) => c.day).sort();
  const from = addDays(days[0] ?? '', -SPIKE_TRAILING_DAYS);
  const to = days[days.length - 1] ?? from;
  const dimensions = [...new Set(candidates.map((c) => c.dimension))];
  const cells = await ports.cells.readCells({ from, to, dimensions });
  const series = new Map<string, { day: string; volume: number; negative: number }[]>();
  for (const c of cells) {
    const key = `${c.dimension}\u0000${c.value}`;
    const list = series.get(key) ?? [];
    list.push({ day: c.day, volume: c.counts.volume, negative: c.counts.negative });
    series.set(key, list);
  }
  const events: PendingEvent[] = [];
  for (const cand of candidates) {
    const [spike] = detectSpikes(series.get(`${cand.dimension}\u0000${cand.value}`) ?? [], {
      ...rule,
      trailingDays: SPIKE_TRAILING_DAYS,
      from: cand.day,
      to: cand.day,
    });
    if (!spike) continue;
    const volume = cells.find((c) => c.dimension === cand.dimension && c.value === cand.value && c.day === cand.day);
    const detail = spikeDetail({
      day: spike.day,
      segment: { dimension: cand.dimension, value: cand.value },
      negative: spike.negative,
      volume: volume?.counts.volume ?? 0,
      baseline: Math.round(spike.baseline * 100) / 100,
      ratio: spike.ratio === null ? null : Math.round(spike.ratio * 100) / 100,
      trailingDays: SPIKE_TRAILING_DAYS,
    });
    if (await ports.spikes.claimSpike(spike.day, cand.dimension, cand.value, detail)) events.push(spikeEvent(detail));
  }
  return events;
}
