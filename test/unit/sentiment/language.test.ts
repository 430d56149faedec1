import { describe, expect, it } from 'vitest';
import { documentUnits } from '../../../shared/sentiment/comprehend-adapter.js';
import { detectScript, mapLanguageTag } from '../../../shared/sentiment/language.js';

describe('mapLanguageTag', () => {
  it.each([
    ['en-US', 'en'],
    ['EN', 'en'],
    ['zh-Hans', 'zh'],
    ['zh_CN', 'zh'],
    ['zh-Hant', 'zh-TW'],
    ['ZH-TW', 'zh-TW'],
    ['zh_TW', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['ZH-S', 'zh'],
    ['ZH-T', 'zh-TW'],
    ['pt-BR', 'pt'],
    ['de', 'de'],
    ['id', 'unsupported'],
    ['sv-SE', 'unsupported'],
  ])('maps %s to %s', (tag, expected) => {
    expect(mapLanguageTag(tag)).toBe(expected);
  });

  it('returns undefined for an empty tag', () => {
    expect(mapLanguageTag('  ')).toBeUndefined();
    expect(mapLanguageTag(undefined)).toBeUndefined();
  });
});

describe('detectScript', () => {
  it.each([
    ['这家店的服务很好', 'zh'],
    ['這家店的服務態度很好，東西也不錯', 'zh-TW'],
    ['とても良いサービスでした', 'ja'],
    ['서비스가 아주 좋았어요', 'ko'],
    ['الخدمة ممتازة', 'ar'],
    ['सेवा बहुत अच्छी थी', 'hi'],
    ['iPhone 屏幕很好', 'zh'],
    ['Great service', 'latin'],
    ['12345 !!!', 'unknown'],
  ])('detects %s as %s', (text, expected) => {
    expect(detectScript(text)).toBe(expected);
  });
});

describe('documentUnits', () => {
  it('charges units of 100 characters with a 3-unit minimum', () => {
    expect(documentUnits('short')).toBe(3);
    expect(documentUnits('x'.repeat(301))).toBe(4);
    expect(documentUnits('好'.repeat(450))).toBe(5);
  });
});
