import { describe, expect, it } from 'vitest';
import { detectSentimentOffline } from '../../../../local/comprehend/offline/model.js';

/**
 * Rules for short, everyday customer feedback: complaint and praise events without sentiment words, persistence
 * ("still", "keeps"), negated functioning, concession in Chinese ("好吃是好吃，就是…") and 一般 as "so-so".
 */
const label = (text: string, language: string) => detectSentimentOffline(text, language).label;

describe('offline sentiment on everyday feedback (English)', () => {
  it.each([
    ['Why is my order still processing?', 'NEGATIVE'],
    ['The app keeps logging me out', 'NEGATIVE'],
    ['Still no reply from support', 'NEGATIVE'],
    ["It still hasn't arrived", 'NEGATIVE'],
  ])('reads persistence %j as a complaint (%s)', (text, expected) => {
    // Prepare: a complaint that names no sentiment word, only that something goes on.
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe(expected);
  });

  it('leaves praise after "still" and "keeps" as praise', () => {
    // Prepare
    const texts = ['It still works great after a year', 'This app keeps getting better'];
    // Act
    const labels = texts.map((t) => label(t, 'en'));
    // Assess
    expect(labels).toEqual(['POSITIVE', 'POSITIVE']);
  });

  it('does not read "still" without an -ing verb or a negator as a complaint', () => {
    // Prepare: "still" as a plain adverb and an -ing noun elsewhere.
    const text = 'I still have the receipt from the wedding';
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe('NEUTRAL');
  });

  it('reads something that does not work as a clear complaint', () => {
    // Prepare
    const texts = ["It didn't work out of the box", 'The charger is not working'];
    // Act
    const labels = texts.map((t) => label(t, 'en'));
    // Assess
    expect(labels).toEqual(['NEGATIVE', 'NEGATIVE']);
  });

  it('reads the absence of trouble as praise', () => {
    // Prepare
    const text = 'Never had a problem with this company';
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe('POSITIVE');
  });

  it.each([
    ['Took forever to get a reply', 'NEGATIVE'],
    ['The screen cracked on day two', 'NEGATIVE'],
    ['Arrived a day early and well packed', 'POSITIVE'],
    ['The agent was patient and solved everything', 'POSITIVE'],
  ])('reads the event %j as %s', (text, expected) => {
    // Prepare: events that say what happened without a general sentiment word.
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe(expected);
  });
});

describe('offline sentiment on everyday feedback (Chinese)', () => {
  it('makes the caveat after a concession (W是W) the point', () => {
    // Prepare: the same praise and complaint, once as a minor caveat and once after a concession.
    const caveat = '挺好吃的，就是有点贵';
    const conceded = '好吃是好吃，就是太贵了';
    // Act
    const labels = [label(caveat, 'zh'), label(conceded, 'zh')];
    // Assess
    expect(labels).toEqual(['POSITIVE', 'NEGATIVE']);
  });

  it('reads 一般 ("so-so") as mildly negative', () => {
    // Prepare
    const text = '质量一般吧';
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe('NEGATIVE');
  });

  it.each([
    ['打了三次电话都没人接', 'NEGATIVE'],
    ['申请售后没人理', 'NEGATIVE'],
    ['说好的赠品没有送', 'NEGATIVE'],
    ['充电器不能用，要求换货', 'NEGATIVE'],
    ['这家店真的很良心', 'POSITIVE'],
  ])('reads the service event %j as %s', (text, expected) => {
    // Prepare: complaints about unanswered calls, broken promises and things that cannot be used.
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe(expected);
  });
});

describe('offline sentiment on everyday feedback: inability, refusal and questions', () => {
  it.each([
    ['The app won’t let me log in', 'NEGATIVE'],
    ["I can't get through to anyone on the phone", 'NEGATIVE'],
    ["The tracking hasn't updated in five days", 'NEGATIVE'],
  ])('reads the negated ability %j as a complaint (%s)', (text, expected) => {
    // Prepare: a negated "can", "will" or "has" with no sentiment word after it.
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe(expected);
  });

  it('keeps negated praise and negated complaints as they were', () => {
    // Prepare
    const texts = ["I can't wait to try it", "Can't complain about the price", "It doesn't disappoint"];
    // Act
    const labels = texts.map((t) => label(t, 'en'));
    // Assess
    expect(labels).toEqual(['POSITIVE', 'POSITIVE', 'POSITIVE']);
  });

  it('keeps the complaint of a "why" question at full weight, and halves a plain question', () => {
    // Prepare: the same complaint, asked with "why" and asked plainly.
    const why = detectSentimentOffline('Why is the app so slow?', 'en').score;
    const plain = detectSentimentOffline('Is the app slow?', 'en').score;
    // Act
    const labels = [label('Why is the app so slow?', 'en'), label('Can you help me change my booking?', 'en')];
    // Assess
    expect(why.Negative).toBeGreaterThan(plain.Negative);
    expect(labels).toEqual(['NEGATIVE', 'NEUTRAL']);
  });

  it.each([
    ['登录不上', 'NEGATIVE'],
    ['耳机充不进电了', 'NEGATIVE'],
    ['盖子盖不严', 'NEGATIVE'],
    ['电话一直打不进去', 'NEGATIVE'],
  ])('reads the potential complement of inability %j as a complaint (%s)', (text, expected) => {
    // Prepare: "verb 不 complement", the verb cannot succeed.
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe(expected);
  });

  it('does not read 不 before a word that starts with a complement character as inability', () => {
    // Prepare: 开心 and 上班 are words, 离不开 and 忘不了 are praise.
    const texts = ['今天不上班', '我离不开这个app', '味道让人忘不了'];
    // Act
    const labels = texts.map((t) => label(t, 'zh'));
    // Assess
    expect(labels).toEqual(['NEUTRAL', 'POSITIVE', 'POSITIVE']);
  });
});

describe('offline sentiment on everyday feedback: negation and superlatives', () => {
  it('keeps two separate negations apart and cancels adjacent ones', () => {
    // Prepare: two negated events in one sentence, and an adjacent double negation.
    const separate = "The technician didn't turn up and didn't call";
    const adjacent = 'not not good';
    // Act
    const labels = [label(separate, 'en'), label(adjacent, 'en')];
    // Assess
    expect(labels).toEqual(['NEGATIVE', 'POSITIVE']);
  });

  it.each([
    ['Could not be more satisfied', 'en', 'POSITIVE'],
    ["Couldn't be more disappointed", 'en', 'NEGATIVE'],
    ['不能再满意了', 'zh', 'POSITIVE'],
    ['不能再差了', 'zh', 'NEGATIVE'],
  ])('reads "cannot be more X" %j as X at its strongest (%s → %s)', (text, language, expected) => {
    // Prepare: the negation says X cannot be exceeded, it does not flip X.
    // Act
    const actual = label(text, language);
    // Assess
    expect(actual).toBe(expected);
  });

  it('reads what comes after 结果 as the outcome', () => {
    // Prepare: praise, then 结果 and a complaint.
    const text = '包装很好，结果打开发现是坏的';
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe('NEGATIVE');
  });

  it.each([
    ['一个小时内就回复了', 'POSITIVE'],
    ['第二天就到了', 'POSITIVE'],
    ['用了两天就坏了', 'NEGATIVE'],
  ])('reads 就 after a short time by what happened (%j → %s)', (text, expected) => {
    // Prepare
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe(expected);
  });
});

describe('offline sentiment on everyday feedback: what did not happen', () => {
  it.each([
    ['My parcel was not delivered', 'NEGATIVE'],
    ['Nobody answered', 'NEGATIVE'],
    ['Still no refund', 'NEGATIVE'],
    ["The agent didn't help at all", 'NEGATIVE'],
    ['Where is my refund???', 'NEGATIVE'],
    ['一直没退款', 'NEGATIVE'],
    ['怎么还没发货？', 'NEGATIVE'],
  ])('reads %j as a complaint (%s)', (text, expected) => {
    // Prepare: a service event that was due and did not happen; negating it is not praise.
    // Act
    const actual = detectSentimentOffline(text).label;
    // Assess
    expect(actual).toBe(expected);
  });

  it.each([
    ['Will definitely order again', 'POSITIVE'],
    ["Won't buy again", 'NEGATIVE'],
    ['没有问题', 'POSITIVE'],
    ['质量没得说', 'POSITIVE'],
  ])('reads intent to return and the absence of trouble: %j → %s', (text, expected) => {
    // Prepare
    // Act
    const actual = detectSentimentOffline(text).label;
    // Assess
    expect(actual).toBe(expected);
  });

  it('leaves a neutral question without complaint words neutral', () => {
    // Prepare: "where" keeps a complaint at full weight but adds none.
    const text = 'Where is the nearest store?';
    // Act
    const actual = label(text, 'en');
    // Assess
    expect(actual).toBe('NEUTRAL');
  });
});

describe('offline sentiment on everyday feedback: Chinese passive and refusal', () => {
  it.each([
    ['在国外银行卡被冻结了', 'NEGATIVE'],
    ['账号莫名其妙被锁了', 'NEGATIVE'],
    ['被子很软，很舒服', 'POSITIVE'],
    ['被店员表扬了，很开心', 'POSITIVE'],
  ])('reads %j as %s', (text, expected) => {
    // Prepare: the passive 被 reports what happened against the speaker's will, unless what happened is praise; 被子
    // is a quilt.
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe(expected);
  });

  it('keeps a plain request with 不 neutral', () => {
    // Prepare
    const text = '我不知道怎么改地址';
    // Act
    const actual = label(text, 'zh');
    // Assess
    expect(actual).toBe('NEUTRAL');
  });
});

describe('offline sentiment on everyday feedback: caveats', () => {
  it('lets a mild caveat stay minor and a strong one win', () => {
    // Prepare: the same praise with a mild and with a strong reservation after 就是.
    const mild = '东西不错就是有点贵';
    const strong = '味道很好，就是送得太慢了';
    // Act
    const mildResult = detectSentimentOffline(mild, 'zh');
    const strongResult = detectSentimentOffline(strong, 'zh');
    // Assess: the strong reservation outweighs the praise (NEGATIVE, or MIXED leaning negative).
    expect(mildResult.label).toBe('POSITIVE');
    expect(strongResult.label).not.toBe('POSITIVE');
    expect(strongResult.score.Negative).toBeGreaterThan(strongResult.score.Positive);
  });
});

describe('offline sentiment on everyday feedback: emoji', () => {
  it.each([
    ['又没送到😤', 'zh', 'NEGATIVE'],
    ['Still not fixed 😡', 'en', 'NEGATIVE'],
    ['Waited ages again 🤦‍♀️', 'en', 'NEGATIVE'],
  ])('does not let a negator reach the emoji in %j (%s → %s)', (text, language, expected) => {
    // Prepare: a face states the writer's own feeling; a negator before it negates the event, not the face.
    // Act
    const actual = label(text, language);
    // Assess
    expect(actual).toBe(expected);
  });
});

describe('offline sentiment on everyday feedback: requests and expectations', () => {
  it.each([
    ["I'd like to change my plan", 'en', 'NEUTRAL'],
    ['麻烦把发票发给我', 'zh', 'NEUTRAL'],
    ['Hardly any flavour', 'en', 'NEGATIVE'],
    ['Was expecting more for the price', 'en', 'NEGATIVE'],
    ['后悔没早点买', 'zh', 'POSITIVE'],
    ['不是我想要的质量', 'zh', 'NEGATIVE'],
  ])('reads %j (%s) as %s', (text, language, expected) => {
    // Prepare: a polite request is not praise or complaint ("I'd like", 麻烦); unmet expectations are complaints; regret
    // at not buying sooner is praise.
    // Act
    const actual = label(text, language);
    // Assess
    expect(actual).toBe(expected);
  });
});

describe('offline sentiment on everyday feedback: faint praise', () => {
  it.each([
    ['Could be better', 'en', 'NEGATIVE'],
    ["Couldn't be better", 'en', 'POSITIVE'],
    ['Nothing to write home about', 'en', 'NEGATIVE'],
    ['Pretty average to be honest', 'en', 'NEGATIVE'],
    ['还可以更好', 'zh', 'NEGATIVE'],
    ['服务有待提高', 'zh', 'NEGATIVE'],
  ])('reads %j (%s) as %s', (text, language, expected) => {
    // Prepare: suggestions and so-so verdicts are mild complaints; their negation can be the top of the scale.
    // Act
    const actual = label(text, language);
    // Assess
    expect(actual).toBe(expected);
  });
});
