import { type AggregateCell, parseCellKey } from '../domain/cells.js';
import { addDays } from '../domain/days.js';
import { detectSpikes, type SpikeOptions, type SpikeSeriesPoint } from '../domain/spike.js';
import { spikeDetail, spikeEvent, themeSpikeDetail } from '../events/factories.js';
import type { PendingEvent } from '../events/publisher.js';
import type { CellReader, SpikeLedger } from '../ports/ingest.js';
import { type Taxonomy, themeLabels } from '../themes/taxonomy.js';

const SPIKE_TRAILING_DAYS = 7;

type Candidate = ReturnType<typeof parseCellKey>;
type Series = Map<string, SpikeSeriesPoint[]>;

/**
 * After a file commits, checks every day × segment (and every theme's overall cell) it touched against the trailing
 * window and returns each new spike's event once (the spike ledger's conditional put makes a second file or a
 * redelivery skip it). A theme's spike counts its negative and mixed mentions and goes out as a version 2 event.
 */
export async function newSpikes(
  touched: ReadonlySet<string>,
  ports: { cells: CellReader; spikes: SpikeLedger },
  rule: Omit<SpikeOptions, 'trailingDays'>,
  taxonomy?: Taxonomy,
): Promise<PendingEvent[]> {
  if (touched.size === 0) return [];
  const candidates = [...touched].map(parseCellKey);
  const days = candidates.map((c) => c.day).sort();
  const window = { from: addDays(days[0] ?? '', -SPIKE_TRAILING_DAYS), to: days[days.length - 1] ?? '' };
  const segmentCandidates = candidates.filter((c) => c.theme === undefined);
  const themeCandidates = taxonomy ? candidates.filter((c) => c.theme !== undefined) : [];
  const [cells, themeCells] = await Promise.all([
    ports.cells.readCells({ ...window, dimensions: [...new Set(segmentCandidates.map((c) => c.dimension))] }),
    themeCandidates.length > 0 ? ports.cells.readThemeCells({ ...window, dimensions: ['all'] }) : [],
  ]);
  const series = seriesOf([...cells, ...themeCells]);
  const labels = taxonomy ? themeLabels(taxonomy) : new Map();
  const events: PendingEvent[] = [];
  for (const cand of [...segmentCandidates, ...themeCandidates]) {
    const point = series.get(seriesKey(cand))?.find((p) => p.day === cand.day);
    const spike = spikeOn(series, cand, rule);
    if (!spike || !point) continue;
    const common = {
      day: spike.day,
      segment: { dimension: cand.dimension, value: cand.value },
      negative: spike.negative,
      volume: point.volume,
      baseline: Math.round(spike.baseline * 100) / 100,
      ratio: spike.ratio === null ? null : Math.round(spike.ratio * 100) / 100,
      trailingDays: SPIKE_TRAILING_DAYS,
    };
    const label = cand.theme === undefined ? undefined : labels.get(cand.theme);
    const detail =
      cand.theme === undefined || !taxonomy || !label
        ? spikeDetail(common)
        : themeSpikeDetail({
            ...common,
            theme: {
              id: cand.theme,
              category: label.category,
              label: { en: label.en, zh: label.zh },
              taxonomyVersion: taxonomy.version,
            },
          });
    const ledgerDimension = cand.theme === undefined ? cand.dimension : `theme:${cand.theme}:${cand.dimension}`;
    if (await ports.spikes.claimSpike(spike.day, ledgerDimension, cand.value, detail)) events.push(spikeEvent(detail));
  }
  return events;
}

function seriesKey(c: { dimension: string; value: string; theme?: string }): string {
  return `${c.dimension}\u0000${c.value}\u0000${c.theme ?? ''}`;
}

/** Daily volume and negative count per segment (and theme); a theme's negative count includes mixed mentions. */
function seriesOf(cells: readonly (AggregateCell & { theme?: string })[]): Series {
  const series: Series = new Map();
  for (const c of cells) {
    const key = seriesKey(c);
    const list = series.get(key) ?? [];
    const negative = c.theme === undefined ? c.counts.negative : c.counts.negative + c.counts.mixed;
    list.push({ day: c.day, volume: c.counts.volume, negative });
    series.set(key, list);
  }
  return series;
}

function spikeOn(series: Series, cand: Candidate, rule: Omit<SpikeOptions, 'trailingDays'>) {
  const [spike] = detectSpikes(series.get(seriesKey(cand)) ?? [], {
    ...rule,
    trailingDays: SPIKE_TRAILING_DAYS,
    from: cand.day,
    to: cand.day,
  });
  return spike;
}
