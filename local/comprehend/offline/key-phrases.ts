/**
 * Key phrases for the local Comprehend endpoint, shaped like the real service's (noun phrases with offsets):
 * - English: runs of content words ("battery life", "customer service"), stop words from the theme module;
 * - Chinese: words from jieba (a real segmenter, with part-of-speech tags) merged into noun runs ("客服 态度" →
 *   "客服态度"); the taxonomy's Chinese keywords are in its dictionary, so "送得慢" or "服务态度" stay whole.
 * Taxonomy-aware, so the local digest's themes and emerging phrases read like those from the real service.
 */
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { CHINESE_STOP_WORDS, ENGLISH_STOP_WORDS } from '../../../shared/themes/stop-words.js';
import { loadTaxonomy, type Taxonomy, themesOf } from '../../../shared/themes/taxonomy.js';

export interface OfflineKeyPhrase {
  Text: string;
  Score: number;
  BeginOffset: number;
  EndOffset: number;
}

const PROJECT_TAXONOMY = fileURLToPath(new URL('../../../config/taxonomy.json', import.meta.url));
/** jieba's noun-like tags: nouns, names, places, organisations, other proper nouns, verbal nouns, Latin words. */
const NOUN_TAGS = /^(n|nr|ns|nt|nz|nw|vn|an|eng|ng)$/;
/** A frequency high enough that a taxonomy keyword wins over splitting it. */
const KEYWORD_FREQUENCY = 100_000;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 39 || c === 0x2019;
}

export class OfflineKeyPhrases {
  private readonly jieba: Jieba;

  constructor(taxonomy: Taxonomy) {
    this.jieba = Jieba.withDict(dict);
    const keywords = [...themesOf(taxonomy), ...taxonomy.urgency].flatMap((t) => t.keywords.zh);
    this.jieba.loadDict(Buffer.from(keywords.map((k) => `${k} ${KEYWORD_FREQUENCY} n`).join('\n')));
  }

  /** Key phrases of a text; `language` is a Comprehend code (Chinese codes use the segmenter). */
  detect(text: string, language: string, max = 20): OfflineKeyPhrase[] {
    return language === 'zh' || language === 'zh-TW' ? this.chinese(text, max) : englishPhrases(text, max);
  }

  private chinese(text: string, max: number): OfflineKeyPhrase[] {
    const out: OfflineKeyPhrase[] = [];
    let at = 0;
    let run: { start: number; end: number } | undefined;
    const flush = (): void => {
      if (run && out.length < max) {
        const phrase = text.slice(run.start, run.end).trim();
        if ([...phrase].length >= 2 && !CHINESE_STOP_WORDS.has(phrase) && !/^[\d\s\p{P}\p{S}]+$/u.test(phrase)) {
          out.push({ Text: phrase, Score: 0.9, BeginOffset: run.start, EndOffset: run.end });
        }
      }
      run = undefined;
    };
    for (const { word, tag } of this.jieba.tag(text, true)) {
      const start = text.indexOf(word, at);
      if (start < 0) continue;
      at = start + word.length;
      const noun = NOUN_TAGS.test(tag) && !CHINESE_STOP_WORDS.has(word);
      if (!noun) {
        if (word.trim() !== '') flush();
        continue;
      }
      if (run && start === run.end) run.end = at;
      else {
        flush();
        run = { start, end: at };
      }
    }
    flush();
    return out;
  }
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
      if (ENGLISH_STOP_WORDS.has(word) || word.length < 2 || /^\d+$/.test(word) || runWords >= 4) {
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

let projectExtractor: OfflineKeyPhrases | undefined;

/** Key phrases with the project's taxonomy (built on first use: loading jieba's dictionary takes a moment). */
export function detectKeyPhrasesOffline(text: string, language: string, max = 20): OfflineKeyPhrase[] {
  projectExtractor ??= new OfflineKeyPhrases(loadTaxonomy(PROJECT_TAXONOMY));
  return projectExtractor.detect(text, language, max);
}
