import { describe, expect, it } from 'vitest';
import { detectKeyPhrasesOffline } from '../../../../local/comprehend/offline/key-phrases.js';
import { detectSentimentOffline, evidenceToSentiment } from '../../../../local/comprehend/offline/model.js';

const label = (text: string, language?: string) => detectSentimentOffline(text, language).label;
const polarity = (text: string, language?: string) => {
  const { score } = detectSentimentOffline(text, language);
  return score.Positive > score.Negative ? 'pos' : 'neg';
};

describe('offline sentiment model (English)', () => {
  it.each([
    ['I love this phone, the battery lasts for days!', 'POSITIVE'],
    ['Great service and friendly staff.', 'POSITIVE'],
    ['Terrible customer service, I want a refund.', 'NEGATIVE'],
    ['It stopped working after two days.', 'NEGATIVE'],
    ['The package arrived on Tuesday.', 'NEUTRAL'],
    ['Please update my shipping address.', 'NEUTRAL'],
  ])('labels %j as %s', (text, expected) => {
    expect(label(text, 'en')).toBe(expected);
  });

  it('handles negation', () => {
    expect(polarity('This is not good at all', 'en')).toBe('neg');
    expect(polarity("It doesn't work", 'en')).toBe('neg');
    expect(polarity('Not bad, no problems so far', 'en')).toBe('pos');
    expect(label('not very good', 'en')).not.toBe('POSITIVE');
  });

  it('ignores links and @handles and decodes HTML entities', () => {
    expect(label('@united http://t.co/abc123 https://example.com/a/b www.example.com', 'en')).toBe('NEUTRAL');
    expect(label('Flight is on time &amp; the crew rocks &lt;3', 'en')).toBe('POSITIVE');
    expect(label('@VirginAmerica what does that mean &gt;&gt;', 'en')).toBe('NEUTRAL');
    expect(label('Sad :/', 'en')).toBe('NEGATIVE');
  });

  it('reads negated and unanswered complaints as negative', () => {
    expect(label("I don't like it", 'en')).toBe('NEGATIVE');
    expect(label('No response from support', 'en')).toBe('NEGATIVE');
    expect(label('Not bad', 'en')).toBe('POSITIVE');
    expect(label('No problems', 'en')).toBe('POSITIVE');
    expect(label('不好', 'zh')).toBe('NEGATIVE');
    expect(label('不太满意', 'zh')).toBe('NEGATIVE');
    expect(label('没有任何回复', 'zh')).toBe('NEGATIVE');
  });

  it('gives negated intent to return or recommend its own strong valence', () => {
    expect(label("Nice enough lobby, but we won't be back.", 'en')).toBe('NEGATIVE');
    expect(label('I would not recommend this charger to anyone.', 'en')).toBe('NEGATIVE');
    expect(label('The upgrade is not worth the money.', 'en')).toBe('NEGATIVE');
    expect(polarity("We wouldn't stay there again.", 'en')).toBe('neg');
    expect(polarity('I will never return to this gym.', 'en')).toBe('neg');
    expect(polarity("We'll be back next month.", 'en')).toBe('pos');
  });

  it('reads negated complaints and challenges as praise', () => {
    expect(polarity("Can't complain about the price.", 'en')).toBe('pos');
    expect(polarity("You can't beat this hotel's location.", 'en')).toBe('pos');
    expect(polarity("You can't go wrong with the basic plan.", 'en')).toBe('pos');
    expect(polarity("I can't wait to try the new version.", 'en')).toBe('pos');
  });

  it('treats "definitely", "honestly", "seriously" as intensifiers, not praise', () => {
    expect(label('The course was definitely not worth it.', 'en')).toBe('NEGATIVE');
    expect(polarity('I honestly did not enjoy the tour.', 'en')).toBe('neg');
    const plain = detectSentimentOffline('The tea is good', 'en').score.Positive;
    expect(detectSentimentOffline('The tea is seriously good', 'en').score.Positive).toBeGreaterThan(plain);
  });

  it('reads "X at best" as faint praise and common review idioms', () => {
    expect(polarity('The room service was fair at best.', 'en')).toBe('neg');
    expect(polarity('The pasta was decent at best.', 'en')).toBe('neg');
    expect(label('The chocolate cake is to die for.', 'en')).toBe('POSITIVE');
    expect(label('Two thumbs up for the new dashboard.', 'en')).toBe('POSITIVE');
    expect(label('This adapter is a must for travellers.', 'en')).toBe('POSITIVE');
  });

  it('knows common evaluative adjectives missing from VADER and AFINN', () => {
    expect(label('The view from the balcony was incredible.', 'en')).toBe('POSITIVE');
    expect(label('A phenomenal concert.', 'en')).toBe('POSITIVE');
    expect(polarity('The coffee arrived lukewarm.', 'en')).toBe('neg');
    expect(polarity('The sequel was underwhelming and overrated.', 'en')).toBe('neg');
  });

  it('weighs what follows "but" more than what precedes it', () => {
    expect(polarity('The screen is nice but the battery is awful', 'en')).toBe('neg');
    expect(polarity('The battery is awful but the screen is really great', 'en')).toBe('pos');
    expect(polarity('Although the staff were rude, the food was excellent', 'en')).toBe('pos');
  });

  it('scales with intensifiers and diminishers', () => {
    const plain = detectSentimentOffline('good', 'en').score.Positive;
    expect(detectSentimentOffline('extremely good', 'en').score.Positive).toBeGreaterThan(plain);
    expect(detectSentimentOffline('slightly good', 'en').score.Positive).toBeLessThan(plain);
    expect(polarity('The room was too small', 'en')).toBe('neg');
  });

  it('reads emoji and emoticons', () => {
    expect(label('Delivery 👍👍', 'en')).toBe('POSITIVE');
    expect(label('My order again 😡', 'en')).toBe('NEGATIVE');
    expect(polarity('arrived today :(', 'en')).toBe('neg');
    expect(polarity('arrived today :)', 'en')).toBe('pos');
  });

  it('reports MIXED for strong praise and strong complaint together', () => {
    expect(label('The food was amazing and delicious. The waiter was rude and the place was filthy.', 'en')).toBe(
      'MIXED',
    );
  });
});

describe('offline sentiment model (Chinese)', () => {
  it.each([
    ['味道很好，送餐也很快，好评！', 'POSITIVE'],
    ['服务态度非常差，再也不来了', 'NEGATIVE'],
    ['房间干净，早餐丰富，性价比高', 'POSITIVE'],
    ['等了两个多小时，饭都凉了', 'NEGATIVE'],
    ['我下午三点到的酒店', 'NEUTRAL'],
  ])('labels %j as %s', (text, expected) => {
    expect(label(text, 'zh')).toBe(expected);
  });

  it('handles negation, including softened and double negation', () => {
    expect(polarity('一点也不好吃', 'zh')).toBe('neg');
    expect(polarity('房间不干净', 'zh')).toBe('neg');
    expect(polarity('价格不贵', 'zh')).toBe('pos');
    expect(polarity('没吃过这么难吃的东西', 'zh')).toBe('neg');
  });

  it('weighs contrast (但是, 不过, 可是) and treats 就是 as a minor caveat', () => {
    expect(polarity('环境不错，但是服务太差了', 'zh')).toBe('neg');
    expect(polarity('价格有点贵，不过味道真的很棒', 'zh')).toBe('pos');
    expect(polarity('东西挺好的，就是有点贵', 'zh')).toBe('pos');
  });

  it('reads degree words before unknown words as complaints ("太小", "有点咸")', () => {
    expect(polarity('房间太小', 'zh')).toBe('neg');
    expect(polarity('菜有点咸', 'zh')).toBe('neg');
  });

  it('does not read sentiment characters inside neutral words (出差, 快递)', () => {
    expect(label('来上海出差，住了一晚', 'zh')).toBe('NEUTRAL');
  });

  it('reads Traditional Chinese and picks Chinese by script when no language is given', () => {
    expect(polarity('服務態度很差', 'zh-TW')).toBe('neg');
    expect(label('非常满意，下次还会再来')).toBe('POSITIVE');
  });
});

describe('evidenceToSentiment', () => {
  it('returns four scores that sum to 1', () => {
    for (const [p, n] of [
      [0, 0],
      [3, 0],
      [0, 2],
      [2.5, 2.4],
    ] as const) {
      const { score } = evidenceToSentiment(p, n);
      expect(score.Positive + score.Negative + score.Neutral + score.Mixed).toBeCloseTo(1, 4);
    }
    expect(evidenceToSentiment(0, 0).label).toBe('NEUTRAL');
  });
});

describe('detectKeyPhrasesOffline', () => {
  it('extracts noun-phrase-ish runs in English and words in Chinese', () => {
    expect(
      detectKeyPhrasesOffline('The battery life is short and the screen cracked', 'en').map((p) => p.Text),
    ).toEqual(expect.arrayContaining(['battery life', 'screen cracked']));
    expect(detectKeyPhrasesOffline('酒店的隔音效果很差，空调噪音大', 'zh').map((p) => p.Text)).toEqual(
      expect.arrayContaining(['酒店', '空调噪音']),
    );
  });
});
