/**
 * Offline dominant-language guess for the local endpoint: script first, then a vote of frequent function words for
 * Latin-script languages.
 */
import { detectScript, languageFromScript } from '../../shared/sentiment/language.js';

export interface DetectedLanguage {
  LanguageCode: string;
  Score: number;
}

const FUNCTION_WORDS: Record<string, string[]> = {
  en: 'the and is are was were it this that not with for you have very but of to in my'.split(' '),
  es: 'el la los las es muy pero con para que por una un del no lo se mi'.split(' '),
  fr: 'le la les est et très mais avec pour que une un des du pas je ce mon il'.split(' '),
  de: 'der die das ist und sehr aber mit für nicht ein eine ich zu den von es'.split(' '),
  it: 'il lo la gli le è e molto ma con per che una un non di mi sono'.split(' '),
  pt: 'o a os as é e muito mas com para que uma um não do da em meu'.split(' '),
  id: 'yang dan ini itu tidak sangat dengan untuk saya ada di ke dari bagus'.split(' '),
  nl: 'de het een is en zeer maar met voor niet ik van dat zijn'.split(' '),
};

const INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const w of words) INDEX.set(w, [...(INDEX.get(w) ?? []), lang]);
}

/** Guesses the dominant language of a text, as DetectDominantLanguage would report it. */
export function detectDominantLanguageOffline(text: string): DetectedLanguage[] {
  const script = detectScript(text);
  const fromScript = languageFromScript(script);
  if (fromScript !== undefined) return [{ LanguageCode: fromScript, Score: 0.99 }];
  if (script === 'unknown') return [];
  if (script === 'other') return [{ LanguageCode: /[\u0400-\u04ff]/.test(text) ? 'ru' : 'und', Score: 0.6 }];
  const votes = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    for (const lang of INDEX.get(word) ?? []) votes.set(lang, (votes.get(lang) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return [{ LanguageCode: 'en', Score: 0.5 }];
  return ranked.slice(0, 3).map(([lang, n]) => ({ LanguageCode: lang, Score: Math.round((n / total) * 1000) / 1000 }));
}
