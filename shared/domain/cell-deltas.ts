import {
  type CellCounts,
  cellKey,
  emptyCounts,
  isZeroCounts,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
} from './cells.js';
import type { Contribution } from './contribution.js';
import { npsCategory } from './kpis.js';

/** Adds (or with `sign` −1 takes back) what one record contributes to one cell. */
function addTo(counts: CellCounts, c: Contribution, sign: 1 | -1): void {
  counts.volume += sign;
  if (c.hasText) counts.texts += sign;
  switch (c.sentiment) {
    case 'POSITIVE':
      counts.positive += sign;
      break;
    case 'NEGATIVE':
      counts.negative += sign;
      break;
    case 'NEUTRAL':
      counts.neutral += sign;
      break;
    case 'MIXED':
      counts.mixed += sign;
      break;
    default:
      break;
  }
  if (c.nps !== undefined) {
    counts.npsN += sign;
    counts.npsSum += sign * c.nps;
    const category = npsCategory(c.nps);
    if (category === 'promoter') counts.npsPromoters += sign;
    else if (category === 'passive') counts.npsPassives += sign;
    else counts.npsDetractors += sign;
  }
  if (c.rating !== undefined) {
    counts.ratingN += sign;
    counts.ratingSum += sign * c.rating;
    const star = Math.round(c.rating);
    if (star === 1) counts.rating1 += sign;
    else if (star === 2) counts.rating2 += sign;
    else if (star === 3) counts.rating3 += sign;
    else if (star === 4) counts.rating4 += sign;
    else if (star === 5) counts.rating5 += sign;
  }
}

function addPhrases(counts: CellCounts, phrases: readonly string[], sign: 1 | -1): void {
  for (const phrase of phrases) counts.phrases[phrase] = (counts.phrases[phrase] ?? 0) + sign;
}

/** The cells of one dimension value (or value and theme) by day, with the last one used. */
interface DayIndex {
  days: Map<string, CellCounts>;
  lastDay: string | undefined;
  last: CellCounts | undefined;
}

/** value → its cells by day, for one dimension. */
type ValueIndex = Map<string, DayIndex>;
/** value → theme → its cells by day, for one dimension. */
type ThemeIndex = Map<string, Map<string, DayIndex>>;

function newDayIndex(): DayIndex {
  return { days: new Map(), lastDay: undefined, last: undefined };
}

/** Cell deltas accumulated in memory; its size grows with the cells touched, never with rows. */
export class CellDeltas {
  readonly cells = new Map<string, CellCounts>();
  /**
   * value → day → the counts object in `cells`, one index per dimension (in fields, so a row costs no lookup of its
   * dimension): finding a cell needs no key string per row (only a new cell builds its key).
   */
  private readonly all: ValueIndex = new Map();
  private readonly channel: ValueIndex = new Map();
  private readonly source: ValueIndex = new Map();
  private readonly product: ValueIndex = new Map();
  private readonly region: ValueIndex = new Map();
  private readonly language: ValueIndex = new Map();
  /** The same for theme cells, per chosen dimension: value → theme → day. */
  private readonly themeIndexes: { dimension: SegmentDimension; byValue: ThemeIndex }[];

  /** @param themeDimensions the segment dimensions that get theme cells (`all` is what the digest reads). */
  constructor(themeDimensions: readonly SegmentDimension[] = SEGMENT_DIMENSIONS) {
    this.themeIndexes = themeDimensions.map((dimension) => ({ dimension, byValue: new Map() }));
  }

  add(c: Contribution, sign: 1 | -1 = 1): void {
    this.addCell(this.all, 'all', 'all', c, sign);
    // The dimensions one by one rather than `for…in` over the segments, whose shape varies with the values present.
    const s = c.segments;
    if (s.channel !== undefined) this.addCell(this.channel, 'channel', s.channel, c, sign);
    if (s.source !== undefined) this.addCell(this.source, 'source', s.source, c, sign);
    if (s.product !== undefined) this.addCell(this.product, 'product', s.product, c, sign);
    if (s.region !== undefined) this.addCell(this.region, 'region', s.region, c, sign);
    if (s.language !== undefined) this.addCell(this.language, 'language', s.language, c, sign);
    if (c.themes && c.themes.length > 0) this.addThemeCells(c.themes, c, sign);
  }

  /** Each theme's cell in each chosen segment of the record (the same additive counters, without phrases). */
  private addThemeCells(themes: readonly string[], c: Contribution, sign: 1 | -1): void {
    for (const { dimension, byValue } of this.themeIndexes) {
      const value = dimension === 'all' ? 'all' : c.segments[dimension];
      if (value === undefined) continue;
      let byTheme = byValue.get(value);
      if (!byTheme) {
        byTheme = new Map();
        byValue.set(value, byTheme);
      }
      for (const theme of themes) {
        let byDay = byTheme.get(theme);
        if (!byDay) {
          byDay = newDayIndex();
          byTheme.set(theme, byDay);
        }
        addTo(this.cellOf(byDay, dimension, value, c.day, theme), c, sign);
      }
    }
  }

  private addCell(
    byValue: ValueIndex,
    dimension: SegmentDimension,
    value: string,
    c: Contribution,
    sign: 1 | -1,
  ): void {
    let byDay = byValue.get(value);
    if (!byDay) {
      byDay = newDayIndex();
      byValue.set(value, byDay);
    }
    const counts = this.cellOf(byDay, dimension, value, c.day, undefined);
    addTo(counts, c, sign);
    if (c.phrases) addPhrases(counts, c.phrases, sign);
  }

  /** The counts of the cell for `day` in `byDay`, created (and its key built) on first use. */
  private cellOf(
    byDay: DayIndex,
    dimension: SegmentDimension,
    value: string,
    day: string,
    theme: string | undefined,
  ): CellCounts {
    // Records come in day order: the last day answers most calls without a lookup.
    let counts = day === byDay.lastDay ? byDay.last : byDay.days.get(day);
    if (!counts) {
      const key = cellKey(dimension, value, day, theme);
      counts = this.cells.get(key);
      if (!counts) {
        counts = emptyCounts();
        this.cells.set(key, counts);
      }
      byDay.days.set(day, counts);
    }
    byDay.lastDay = day;
    byDay.last = counts;
    return counts;
  }

  get size(): number {
    return this.cells.size;
  }

  /**
   * The cells whose deltas are not all zero: the writes a commit makes (a retraction and a re-addition of the same
   * record in one segment cancel out).
   */
  nonZeroCells(): [string, CellCounts][] {
    const out: [string, CellCounts][] = [];
    for (const entry of this.cells) if (!isZeroCounts(entry[1])) out.push(entry);
    return out;
  }

  clear(): void {
    this.cells.clear();
    for (const index of [this.all, this.channel, this.source, this.product, this.region, this.language]) index.clear();
    for (const { byValue } of this.themeIndexes) byValue.clear();
  }
}
