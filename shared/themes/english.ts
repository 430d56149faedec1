/**
 * English words for theme matching, reduced by inflection only: plurals, -ed, -ing and a final e go, so "deliveries",
 * "delivered" and "delivering" meet "delivery"/"deliver", "charged" meets "charge". Derivations stay apart ("helpful"
 * is not "help", "update" is not "up"): on real app reviews a Porter stemmer merged them and matched "keep it up" to
 * the courier UPS and every "help" to service attitude. Keywords and text go through the same function.
 */
const WORD = /[a-z0-9]+(?:['\u2019][a-z]+)?/g;
/** Word forms seen, bounded: feedback's vocabulary is small and skewed, so most words are found here. */
const forms = new Map<string, string>();
const MAX_CACHED_FORMS = 50_000;
const VOWEL = /[aeiouy]/;

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

/** A word without its inflection (see the module comment). */
export function stem(word: string): string {
  let s = forms.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : uninflect(word);
    if (forms.size >= MAX_CACHED_FORMS) forms.clear();
    forms.set(word, s);
  }
  return s;
}

function uninflect(word: string): string {
  let w = word;
  if (w.length > 4 && (w.endsWith('ies') || w.endsWith('ied'))) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing') && VOWEL.test(w.slice(0, -3))) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed') && VOWEL.test(w.slice(0, -2))) w = w.slice(0, -2);
  else if (w.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // "stopped" → "stopp" → "stop"; "charge"/"charg(ed)" → "charg".
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** The stems of a text's words, in order. */
export function englishStems(text: string): string[] {
  const words = englishWords(text);
  for (let i = 0; i < words.length; i++) words[i] = stem(words[i] as string);
  return words;
}

/** A readable singular of a lower-case noun for display ("deliveries" → "delivery", "boxes" → "box"). */
export function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is|ness)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}
