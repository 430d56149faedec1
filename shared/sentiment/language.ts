/**
 * Free language hints: raw language tags from exports mapped to Comprehend's 12 sentiment languages, and a script
 * detector that recognises the languages whose script gives them away. Safe for Lambda bundles (no lexicons).
 */
import { COMPREHEND_LANGUAGES, type ComprehendLanguage } from '../domain/types.js';

export type LanguageMapping = ComprehendLanguage | 'unsupported';

/** Scripts that identify a language (or a Comprehend language group) on their own. */
export type ScriptGuess = 'zh' | 'zh-TW' | 'ja' | 'ko' | 'ar' | 'hi' | 'latin' | 'other' | 'unknown';

const SUPPORTED = new Set<string>(COMPREHEND_LANGUAGES);

/** Chinese tags that mean Traditional script. */
const TRADITIONAL_HINTS = new Set(['hant', 'tw', 'hk', 'mo', 't', 'cht', 'zht']);
/** Qualtrics and other tools' non-BCP-47 spellings. */
const ALIASES: Record<string, LanguageMapping> = {
  'zh-s': 'zh',
  'zh-t': 'zh-TW',
  chs: 'zh',
  cht: 'zh-TW',
  'pt-br': 'pt',
  'es-es': 'es',
  'es-419': 'es',
  'zh-hans': 'zh',
  'zh-hant': 'zh-TW',
  iw: 'unsupported',
  jp: 'ja',
  kr: 'ko',
  cn: 'zh',
};

/**
 * Maps a raw language tag (`en-US`, `zh-Hans`, `zh_CN`, `zh-Hant`, `ZH-TW`, `pt-BR`, Qualtrics `EN`, `ZH-S`, `ZH-T`,
 * Google Play `id`, `zh_TW`) to a Comprehend language code, `'unsupported'` for a recognisable tag Comprehend cannot
 * analyse, or `undefined` when the tag is empty.
 */
export function mapLanguageTag(raw: string | undefined | null): LanguageMapping | undefined {
  if (raw === undefined || raw === null) return undefined;
  const tag = raw.trim().toLowerCase().replace(/_/g, '-');
  if (tag === '') return undefined;
  const alias = ALIASES[tag];
  if (alias) return alias;
  const parts = tag.split('-');
  const primary = parts[0] ?? '';
  if (primary === 'zh' || primary === 'cmn' || primary === 'yue') {
    if (parts.slice(1).some((p) => TRADITIONAL_HINTS.has(p))) return 'zh-TW';
    return primary === 'yue' ? 'zh-TW' : 'zh';
  }
  if (SUPPORTED.has(primary)) return primary as ComprehendLanguage;
  return 'unsupported';
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** Characters common in Traditional text whose Simplified form differs (a cheap Traditional marker). */
const TRADITIONAL_CHARS = new Set([
  ...'們說這個來時會為對過還麼樣點發現們後體實問題錢買賣東電話間開關聲無沒愛歡應該讓給頭號們從們裡們說們們與專業際務處較謝',
]);

/**
 * Guesses a language from its script, for free. Counts the first 500 characters: Kana → ja (even with Han), Hangul →
 * ko, Arabic → ar, Devanagari → hi, Han alone → zh (zh-TW when Traditional-only characters dominate), Latin → 'latin'
 * (the language still has to come from a hint or detection), 'unknown' for no letters.
 */
export function detectScript(text: string): ScriptGuess {
  let han = 0;
  let trad = 0;
  let kana = 0;
  let hangul = 0;
  let arabic = 0;
  let devanagari = 0;
  let latin = 0;
  let other = 0;
  const limit = Math.min(text.length, 500);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
    } else if (isHan(c)) {
      han++;
      if (TRADITIONAL_CHARS.has(text.charAt(i))) trad++;
    } else if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff)) kana++;
    else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) hangul++;
    else if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfdff)) arabic++;
    else if (c >= 0x0900 && c <= 0x097f) devanagari++;
    else if (c >= 0xc0 && c <= 0x24f) latin++;
    else if ((c >= 0x0370 && c <= 0x052f) || (c >= 0x0590 && c <= 0x05ff) || (c >= 0x0e00 && c <= 0x0e7f)) other++;
  }
  const cjk = han + kana + hangul;
  const letters = cjk + arabic + devanagari + latin + other;
  if (letters === 0) return 'unknown';
  if (kana > 0 && kana * 10 >= cjk) return 'ja';
  if (hangul > 0 && hangul >= han) return 'ko';
  // Han characters carry a word each; a few Latin brand names (iPhone, WiFi) do not make a text English.
  if (han > 0 && han * 3 >= latin) return trad * 20 >= han && trad > 0 ? 'zh-TW' : 'zh';
  if (arabic > latin && arabic >= other) return 'ar';
  if (devanagari > latin && devanagari >= other) return 'hi';
  if (latin >= other) return 'latin';
  return 'other';
}

/** The Comprehend language that a script implies, if the script alone decides it. */
export function languageFromScript(guess: ScriptGuess): ComprehendLanguage | undefined {
  switch (guess) {
    case 'zh':
    case 'zh-TW':
    case 'ja':
    case 'ko':
    case 'ar':
    case 'hi':
      return guess;
    default:
      return undefined;
  }
}

/** Whether a code returned by DetectDominantLanguage can be analysed, mapped to the 12 codes. */
export function mapDetectedLanguage(code: string | undefined): LanguageMapping {
  return mapLanguageTag(code) ?? 'unsupported';
}
