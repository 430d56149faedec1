/**
 * English words for theme matching: lower-case tokens without apostrophes, reduced to Porter stems so that
 * "deliveries", "delivered" and "delivery" meet the keyword "delivery" (both sides go through the same stemmer).
 */
import { stemmer } from 'stemmer';

const WORD = /[a-z0-9]+(?:['\u2019][a-z]+)?/g;
/** Stems of words seen, bounded: feedback's vocabulary is small and skewed, so most words are found here. */
const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 50_000;

/** The words of a text: lower case, apostrophes dropped ("doesn't" → "doesnt"). */
export function englishWords(text: string): string[] {
  const words = text.toLowerCase().match(WORD);
  if (!words) return [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.includes("'") || w.includes('\u2019')) words[i] = w.replace(/['\u2019]/g, '');
  }
  return words;
}

export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : stemmer(word);
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** The stems of a text's words, in order. */
export function englishStems(text: string): string[] {
  return englishWords(text).map(stem);
}

/** A readable singular of a lower-case noun for display ("deliveries" → "delivery", "boxes" → "box"). */
export function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is|ness)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}
