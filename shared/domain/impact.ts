/**
 * How much one theme moves a score. A theme's impact on NPS (or CSAT) over a period is the score of all responses
 * minus the score of the responses that do not mention it: a theme detractors keep raising drags the score down, so
 * its impact is negative, and taking it away would gain exactly that many points.
 *
 * With w = n_theme / n_all the impact is w × (score_theme − score_rest), so its 95 % interval follows from the two
 * groups' variances (normal approximation). Small themes are marked unreliable rather than hidden, so the reader sees
 * why a big number is not acted on.
 */

/** Score counts of a group of responses: each response scores +100 (plus), −100 (minus) or 0. */
export interface ScoreSplit {
  n: number;
  /** NPS promoters, or CSAT satisfied ratings. */
  plus: number;
  /** NPS detractors (CSAT has none: 0). */
  minus: number;
}

export interface Impact {
  /** Responses that mention the theme and have this score. */
  n: number;
  /** The score among them; null when n = 0. */
  score: number | null;
  /** The score of the responses that do not mention it; null when there are none. */
  without: number | null;
  /** score(all) − score(without): null when n = 0 or when the theme is in every response. */
  impact: number | null;
  /** 95 % interval of the impact; null with the impact. */
  ci95: { low: number; high: number } | null;
  /** Both groups have at least `minN` responses and the interval excludes 0. */
  reliable: boolean;
}

/** The largest variance a response scored −100, 0 or +100 can have; used where a group is too small to estimate it. */
const MAX_VARIANCE = 100 * 100;
const Z95 = 1.959964;

function mean(s: ScoreSplit): number {
  return (100 * (s.plus - s.minus)) / s.n;
}

/** Sample variance of the per-response scores (unbiased), or the maximum when one response cannot estimate it. */
function variance(s: ScoreSplit): number {
  if (s.n < 2) return MAX_VARIANCE;
  const m = mean(s);
  const secondMoment = (100 * 100 * (s.plus + s.minus)) / s.n;
  return Math.max(0, ((secondMoment - m * m) * s.n) / (s.n - 1));
}

/** The theme's impact on a score, given all responses of the period and those that mention the theme. */
export function themeImpact(all: ScoreSplit, theme: ScoreSplit, minN: number): Impact {
  const rest: ScoreSplit = { n: all.n - theme.n, plus: all.plus - theme.plus, minus: all.minus - theme.minus };
  const score = theme.n > 0 ? mean(theme) : null;
  const without = rest.n > 0 ? mean(rest) : null;
  if (score === null || without === null)
    return { n: theme.n, score, without, impact: null, ci95: null, reliable: false };
  const w = theme.n / all.n;
  const impact = mean(all) - without;
  const se = w * Math.sqrt(variance(theme) / theme.n + variance(rest) / rest.n);
  const ci95 = { low: impact - Z95 * se, high: impact + Z95 * se };
  const reliable = theme.n >= minN && rest.n >= minN && (ci95.low > 0 || ci95.high < 0);
  return { n: theme.n, score, without, impact, ci95, reliable };
}
