import type { ThemeQuote } from '../domain/cells.js';
import type { Contribution } from '../domain/contribution.js';
import type { CanonicalRecord } from '../domain/types.js';

/** A quote needs at least this confidence in its polarity to stand for a theme. */
const MIN_QUOTE_SCORE = 0.6;
const MAX_QUOTE_CHARS = 500;

/**
 * The most negative and the most positive response of each day and theme in one segment: the digest quotes one per
 * theme it lists, so a segment writes at most two quotes per day and theme, however many rows name it.
 */
export class ThemeQuotes {
  private readonly best = new Map<string, ThemeQuote>();

  offer(
    r: CanonicalRecord,
    counted: Contribution,
    score: { Positive: number; Negative: number },
    source: string,
  ): void {
    if (!r.text || !counted.themes) return;
    for (const [polarity, value] of [
      ['negative', score.Negative],
      ['positive', score.Positive],
    ] as const) {
      if (value < MIN_QUOTE_SCORE) continue;
      for (const theme of counted.themes) {
        const key = `${counted.day}\u0000${theme}\u0000${polarity}`;
        const seen = this.best.get(key);
        if (seen && seen.score >= value) continue;
        this.best.set(key, {
          day: counted.day,
          theme,
          polarity,
          score: value,
          text: r.text.slice(0, MAX_QUOTE_CHARS),
          source,
          fingerprint: r.fingerprint,
        });
      }
    }
  }

  get size(): number {
    return this.best.size;
  }

  list(): ThemeQuote[] {
    return [...this.best.values()];
  }
}
