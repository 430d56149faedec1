import { describe, expect, it } from 'vitest';
import { detectSentimentOffline, sentimentEvidence } from '../../../../local/comprehend/offline/model.js';

/**
 * Exact evidence for texts that take the tokenizers' less common paths: elongations, hyphens, capitals outside ASCII,
 * bigrams, "like", emoticons (one with a non-ASCII letter), emoji, Traditional characters, 好/快, English inside
 * Chinese and no language at all. The numbers are pinned: the tokenizers are tuned for speed, and a change to them must
 * not change what the model outputs (a change to the lexicons or rules is expected to update this table).
 */
const CASES: Array<[string, string | null, string, number, number]> = [
  ['Sooo goood, wayyy better than expected', 'en', 'POSITIVE', 4.093, 0],
  ["It's a rip-off, don't buy", 'en', 'NEGATIVE', 0, 5.52],
  ['A must-have, top-notch quality', 'en', 'POSITIVE', 5.3, 0],
  ['CAFÉ was GREAT but the service was TERRIBLE', 'en', 'NEGATIVE', 1.9165, 6.5394000000000005],
  ['THIS IS TERRIBLE', 'en', 'NEGATIVE', 0, 3.48],
  ['This is GREAT', 'en', 'POSITIVE', 3.833, 0],
  ['Naïve design, NAÏVE pricing', 'en', 'NEGATIVE', 0, 3.5999999999999996],
  ['I like it. Looks like rain.', 'en', 'POSITIVE', 1.2, 0],
  ['we won’t be back, not worth it', 'en', 'NEGATIVE', 0, 5.279999999999999],
  ["Can't complain, no problems, works great", 'en', 'POSITIVE', 6.3, 0],
  ['Highly recommended :) <3', 'en', 'POSITIVE', 7.4, 0],
  ['Awful :-( :Þ', 'en', 'NEGATIVE', 1.1, 5.640000000000001],
  ['Order #123456: terrible!!!', 'en', 'NEGATIVE', 0, 4.356],
  ['Too small, too bad', 'en', 'NEGATIVE', 0, 3.12],
  ['Although the screen is nice, the battery is awful', 'en', 'NEGATIVE', 0.9, 3.24],
  ['Overall happy 👍 but 😡 about delivery', 'en', 'NEGATIVE', 4.7, 10.079999999999998],
  ['Is it good? Good.', 'en', 'POSITIVE', 2.8499999999999996, 0],
  ['not not good', 'en', 'POSITIVE', 1.9, 0],
  ['good\nbad\n', 'en', 'NEGATIVE', 1.9, 3],
  ['質量很好，服務態度很差', 'zh', 'NEGATIVE', 2.08, 2.6],
  ['还不错，就是有点贵', 'zh', 'POSITIVE', 1.9, 0.672],
  ['快2个小时才送到，太慢了！', 'zh', 'NEGATIVE', 0, 4.792],
  ['好贵啊', 'zh', 'NEGATIVE', 0, 1.8199999999999998],
  ['不是不好吃', 'zh', 'POSITIVE', 1.776, 0],
  ['总体来说很满意 good :)', 'zh', 'POSITIVE', 9, 0],
  ['没有送水没有送水没有送水', 'zh', 'NEGATIVE', 0, 3],
  ['@united http://t.co/x1 &lt;3 :/', 'en', 'POSITIVE', 2.6, 1.44],
  ['@商家 www.example.com 打不开 :/', 'zh', 'NEGATIVE', 0, 1.8],
  ['物流很快 👍', 'zh', 'POSITIVE', 3.6, 0],
  ['出差住的酒店，差评', 'zh', 'NEGATIVE', 0, 2.6],
  ['Great product, 很好', null, 'POSITIVE', 3.1, 0],
  ['非常满意', null, 'POSITIVE', 3.2, 0],
  ['', 'en', 'NEUTRAL', 0, 0],
  ['   ', 'zh', 'NEUTRAL', 0, 0],
];

describe('offline sentiment model (pinned evidence)', () => {
  it.each(CASES)('%j (%s) → %s, evidence %d / %d', (text, language, label, positive, negative) => {
    const e = sentimentEvidence(text, language ?? undefined);
    expect(e.positive).toBe(positive);
    expect(e.negative).toBe(negative);
    expect(detectSentimentOffline(text, language ?? undefined).label).toBe(label);
  });
});
