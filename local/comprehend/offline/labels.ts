/**
 * From evidence to Comprehend's labels and scores, for the offline model (see `model.ts`).
 */
import type { SentimentLabel, SentimentScore } from '../../../shared/domain/types.js';

export interface OfflineSentiment {
  label: SentimentLabel;
  score: SentimentScore;
}

/**
 * Neutral base when the evidence leans positive. Feedback is one or two sentences, and a single mild word of praise
 * ("I like it", "fast delivery", "还可以") is what the customer meant, so one word of valence 1.1 or more leaves neutral.
 */
const NEUTRAL_BASE = 1.2;
/**
 * Neutral base when the evidence leans negative: complaints are often stated with one mild or negated word ("not
 * happy", "不太满意", "no reply", "still processing"), so less negative evidence is needed to leave neutral than
 * positive. Neutral feedback (questions, requests, plain facts) rarely carries a negative word at all.
 */
const NEUTRAL_BASE_NEGATIVE = 0.5;
const MIXED_GAIN = 1.6;

/**
 * Turns evidence into Comprehend-style scores (summing to 1) and a label.
 * More evidence means less neutral; balanced strong evidence on both sides means MIXED.
 */
export function evidenceToSentiment(positive: number, negative: number): OfflineSentiment {
  const lo = Math.min(positive, negative);
  const hi = Math.max(positive, negative);
  const balance = hi > 0 ? lo / hi : 0;
  const mixed = MIXED_GAIN * lo * balance * balance;
  const p = positive * positive;
  const n = negative * negative;
  const m = mixed * mixed;
  const u = negative > positive ? NEUTRAL_BASE_NEGATIVE : NEUTRAL_BASE;
  const total = p + n + m + u;
  const score: SentimentScore = {
    Positive: round(p / total),
    Negative: round(n / total),
    Neutral: round(u / total),
    Mixed: round(m / total),
  };
  let label: SentimentLabel = 'NEUTRAL';
  let best = score.Neutral;
  if (score.Positive > best) {
    label = 'POSITIVE';
    best = score.Positive;
  }
  if (score.Negative > best) {
    label = 'NEGATIVE';
    best = score.Negative;
  }
  if (score.Mixed > best) label = 'MIXED';
  return { label, score };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
