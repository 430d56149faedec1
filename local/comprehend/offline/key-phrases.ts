/**
 * A small key-phrase extractor for the local Comprehend endpoint: noun-phrase-ish runs of content words in English
 * ("battery life", "customer service"), and content words from `Intl.Segmenter` in Chinese ("服务态度", "房间").
 */
import { segmentChinese } from './model.js';

export interface OfflineKeyPhrase {
  Text: string;
  Score: number;
  BeginOffset: number;
  EndOffset: number;
}

/** Words that never start, end or sit inside a key phrase: function words, common verbs and sentiment adverbs. */
const EN_STOP = new Set(
  `a an the and or but if then than so to of in on at by for with from as into onto about over under after before
  i me my mine we us our you your he him his she her it its they them their this that these those there here
  is am are was were be been being do does did done doing have has had having will would shall should can could
  may might must not no never very really too quite just also only even still again ever all any some more most
  what which who whom whose when where why how
  get got gets getting go goes went gone going make made makes come came take took give gave say said tell told
  use used using want wanted need needed like liked love loved hate hated know knew think thought feel felt look
  looked seem seemed try tried keep kept let put see saw seen buy bought order ordered work works worked working
  good great bad nice poor terrible awful excellent amazing horrible best worst better worse fine ok okay
  well much many lot lots thing things something anything everything nothing way time times day days
  one two three first last other another same new old own such every each both either neither
  please thanks thank yes yeah hi hello dont doesnt didnt cant wont isnt wasnt arent werent im ive id youre its`.split(
    /\s+/,
  ),
);

const ZH_STOP = new Set(
  `我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这样 那样 这么 那么 什么 怎么 为什么 因为 所以 但是 不过 可是 然后
  而且 还是 或者 如果 虽然 就是 只是 已经 一直 一个 一些 一下 一点 有点 非常 特别 比较 还有 没有 不是 可以 觉得 感觉 知道
  时候 现在 今天 昨天 明天 以后 以前 下次 东西 问题 真的 确实 应该 需要 出来 起来 一样 好像 不错 很好 满意 喜欢 推荐`.split(
    /\s+/,
  ),
);

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 39 || c === 0x2019;
}

function englishPhrases(text: string, max: number): OfflineKeyPhrase[] {
  const out: OfflineKeyPhrase[] = [];
  let runStart = -1;
  let runEnd = -1;
  let runWords = 0;
  const flush = (): void => {
    if (runStart >= 0 && runWords > 0 && out.length < max) {
      out.push({
        Text: text.slice(runStart, runEnd),
        Score: Math.min(0.99, 0.8 + 0.05 * runWords),
        BeginOffset: runStart,
        EndOffset: runEnd,
      });
    }
    runStart = -1;
    runWords = 0;
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text
        .slice(start, i)
        .toLowerCase()
        .replace(/['\u2019]/g, '');
      if (EN_STOP.has(word) || word.length < 2 || /^\d+$/.test(word) || runWords >= 4) {
        flush();
      } else {
        if (runStart < 0) runStart = start;
        runEnd = i;
        runWords++;
      }
      continue;
    }
    if (c !== 32 && c !== 45) flush();
    i++;
  }
  flush();
  return out;
}

function chinesePhrases(text: string, max: number): OfflineKeyPhrase[] {
  const out: OfflineKeyPhrase[] = [];
  let from = 0;
  for (const word of segmentChinese(text)) {
    const at = text.indexOf(word, from);
    if (at < 0) continue;
    from = at + word.length;
    if ([...word].length < 2 || ZH_STOP.has(word) || /^[\d\s\p{P}]+$/u.test(word)) continue;
    out.push({ Text: word, Score: 0.9, BeginOffset: at, EndOffset: at + word.length });
    if (out.length >= max) break;
  }
  return out;
}

/** Key phrases of a text; `language` is a Comprehend code (Chinese codes use the Chinese extractor). */
export function detectKeyPhrasesOffline(text: string, language: string, max = 20): OfflineKeyPhrase[] {
  return language === 'zh' || language === 'zh-TW' || language === 'ja'
    ? chinesePhrases(text, max)
    : englishPhrases(text, max);
}
