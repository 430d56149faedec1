import { type AggregateCell, addCounts, type CellCounts, emptyCounts, type SegmentDimension } from '../domain/cells.js';

const segmentKey = (dimension: SegmentDimension, value: string): string => `${dimension}\u0000${value}`;

/** Cells indexed by segment and day; cells for the same segment and day are summed (they are additive). */
export class CellIndex {
  private readonly bySegment = new Map<
    string,
    { dimension: SegmentDimension; value: string; days: Map<string, CellCounts> }
  >();

  constructor(cells: readonly AggregateCell[]) {
    for (const cell of cells) {
      const key = segmentKey(cell.dimension, cell.value);
      let entry = this.bySegment.get(key);
      if (entry === undefined) {
        entry = { dimension: cell.dimension, value: cell.value, days: new Map() };
        this.bySegment.set(key, entry);
      }
      const sum = entry.days.get(cell.day) ?? emptyCounts();
      entry.days.set(cell.day, addCounts(sum, cell.counts));
    }
  }

  segments(dimension: SegmentDimension): { value: string; days: Map<string, CellCounts> }[] {
    return [...this.bySegment.values()].filter((s) => s.dimension === dimension);
  }

  day(dimension: SegmentDimension, value: string, day: string): CellCounts | undefined {
    return this.bySegment.get(segmentKey(dimension, value))?.days.get(day);
  }

  sum(dimension: SegmentDimension, value: string, from: string, to: string): CellCounts {
    const total = emptyCounts();
    const days = this.bySegment.get(segmentKey(dimension, value))?.days;
    if (days === undefined) return total;
    for (const [day, counts] of days) {
      if (day >= from && day <= to) addCounts(total, counts);
    }
    return total;
  }
}
