import { describe, expect, it } from 'vitest';
import { detectKeyPhrasesOffline } from '../../../../local/comprehend/offline/key-phrases.js';

const phrases = (text: string, language = 'zh') => detectKeyPhrasesOffline(text, language).map((p) => p.Text);

describe('detectKeyPhrasesOffline (Chinese, jieba)', () => {
  it('gives words and noun runs, never character bigrams or function words', () => {
    const out = phrases('送餐的话别的都不对，物流太慢了，客服态度很差');

    expect(out).toEqual(expect.arrayContaining(['物流', '客服态度']));
    for (const bigram of ['的话', '别的', '不对', '太慢']) expect(out).not.toContain(bigram);
  });

  it('segments mixed text: emoji, English brand names and numbers stay out of Chinese words', () => {
    const text = '😡我的iPhone 15用了3天屏幕就坏了，Apple客服说要寄回修理🙄';
    const out = detectKeyPhrasesOffline(text, 'zh');

    expect(out.map((p) => p.Text)).toEqual(expect.arrayContaining(['iPhone', '屏幕']));
    for (const p of out) {
      expect(p.Text).not.toMatch(/[😡🙄]/u);
      expect(p.Text).not.toMatch(/^\d+$/);
      // Offsets point at the phrase in the original text (UTF-16 code units, as the real service reports).
      expect(text.slice(p.BeginOffset, p.EndOffset)).toBe(p.Text);
    }
  });

  it('keeps taxonomy keywords whole', () => {
    expect(phrases('外卖送得慢，骑手也找不到路')).toContain('送得慢');
    expect(phrases('服务态度很好，房间很干净')).toEqual(expect.arrayContaining(['服务态度', '房间']));
  });

  it('returns nothing for text without a noun', () => {
    expect(phrases('哈哈哈！！！')).toEqual([]);
  });
});

describe('detectKeyPhrasesOffline (English)', () => {
  it('keeps noun-phrase runs and drops stop words', () => {
    expect(phrases('The delivery guy was rude and my parcel was damaged', 'en')).toEqual(
      expect.arrayContaining(['delivery guy', 'parcel']),
    );
  });
});
