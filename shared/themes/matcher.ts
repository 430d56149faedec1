/**
 * Themes of a piece of feedback from the taxonomy: keywords matched on the text itself (English by word stems,
 * Chinese by characters), so every response with text gets its themes whatever its sentiment, at no Comprehend
 * cost. Key phrases of negative feedback that matched no theme become "emerging" candidates, normalised so that the
 * same topic counts once ("The deliveries" and "delivery" → "delivery").
 */
import { ChineseKeywordIndex, hasHan } from './chinese.js';
import { englishStems, englishWords, singular } from './english.js';
import { CHINESE_EDGE_CHARACTERS, CHINESE_STOP_WORDS, ENGLISH_STOP_WORDS, GENERIC_TOPIC_WORDS } from './stop-words.js';
import { type Taxonomy, type TaxonomyEntry, themesOf } from './taxonomy.js';

/** Themes counted per response: enough for a long review, bounded so a pasted essay cannot touch every cell. */
export const MAX_THEMES_PER_RESPONSE = 5;
const MAX_EMERGING_PER_RESPONSE = 5;
const MAX_PHRASE_WORDS = 4;

export interface ThemeMatch {
  /** Theme ids, each once: those named by English keywords first, then by Chinese ones, in the order of the text. */
  themes: string[];
  /** Urgency cue ids (safety, legal, churn, escalation…). */
  urgency: string[];
}

type Kind = 'theme' | 'urgency' | 'ignore';
interface Target {
  id: string;
  kind: Kind;
}
interface Span {
  target: Target;
  start: number;
  end: number;
}

export class ThemeMatcher {
  private readonly english = new Map<string, { stems: string[]; target: Target }[]>();
  private readonly chinese = new ChineseKeywordIndex<Target>();

  constructor(readonly taxonomy: Taxonomy) {
    for (const t of themesOf(taxonomy)) this.addEntry(t, 'theme');
    for (const u of taxonomy.urgency) this.addEntry(u, 'urgency');
    this.addKeywords(taxonomy.ignore, { id: '', kind: 'ignore' });
  }

  match(text: string): ThemeMatch {
    const spans = this.englishSpans(text);
    if (hasHan(text)) spans.push(...withoutIgnored(this.chinese.find(text).map(toSpan)));
    const themes: string[] = [];
    const urgency: string[] = [];
    for (const { target } of spans) {
      const list = target.kind === 'theme' ? themes : urgency;
      if (!list.includes(target.id)) list.push(target.id);
    }
    return { themes: themes.slice(0, MAX_THEMES_PER_RESPONSE), urgency };
  }

  /** Key phrases as emerging-theme candidates: normalised, stop words dropped, each once. */
  emerging(phrases: readonly string[]): string[] {
    const out: string[] = [];
    for (const phrase of phrases) {
      const p = normalisePhrase(phrase);
      if (p !== undefined && !out.includes(p)) out.push(p);
      if (out.length >= MAX_EMERGING_PER_RESPONSE) break;
    }
    return out;
  }

  private addEntry(entry: TaxonomyEntry, kind: Kind): void {
    this.addKeywords(entry.keywords, { id: entry.id, kind });
  }

  private addKeywords(keywords: { en: string[]; zh: string[] }, target: Target): void {
    for (const k of keywords.en) {
      const stems = englishStems(k);
      const first = stems[0];
      if (first === undefined) continue;
      const list = this.english.get(first) ?? [];
      list.push({ stems, target });
      list.sort((a, b) => b.stems.length - a.stems.length);
      this.english.set(first, list);
    }
    for (const k of keywords.zh) this.chinese.add(k.trim(), target);
  }

  /** Keyword matches over the text's word stems; the longest keyword at a position wins. */
  private englishSpans(text: string): Span[] {
    const stems = englishStems(text);
    const spans: Span[] = [];
    for (let i = 0; i < stems.length; i++) {
      const candidates = this.english.get(stems[i] as string);
      if (!candidates) continue;
      for (const c of candidates) {
        if (startsWith(stems, i, c.stems)) spans.push({ target: c.target, start: i, end: i + c.stems.length });
      }
    }
    return withoutIgnored(spans);
  }
}

/** Whether `words` holds `keyword` from position `at`. */
function startsWith(words: readonly string[], at: number, keyword: readonly string[]): boolean {
  if (at + keyword.length > words.length) return false;
  for (let k = 0; k < keyword.length; k++) if (words[at + k] !== keyword[k]) return false;
  return true;
}

function toSpan(m: { value: Target; start: number; end: number }): Span {
  return { target: m.value, start: m.start, end: m.end };
}

/** Drops the ignore phrases and any keyword inside one ("room" in "room for improvement"). */
function withoutIgnored(spans: Span[]): Span[] {
  if (!spans.some((s) => s.target.kind === 'ignore')) return spans;
  const ignored = spans.filter((s) => s.target.kind === 'ignore');
  return spans.filter((s) => s.target.kind !== 'ignore' && !ignored.some((g) => s.start < g.end && g.start < s.end));
}

/** A key phrase as a theme candidate, or undefined when nothing topical is left. */
export function normalisePhrase(phrase: string): string | undefined {
  const p = hasHan(phrase) ? chinesePhrase(phrase) : englishPhrase(phrase);
  return p === undefined || GENERIC_TOPIC_WORDS.has(p) ? undefined : p;
}

function englishPhrase(phrase: string): string | undefined {
  const words = englishWords(phrase);
  let from = 0;
  let to = words.length;
  while (from < to && isStop(words[from] as string)) from++;
  while (to > from && isStop(words[to - 1] as string)) to--;
  const kept = words.slice(from, to);
  if (kept.length === 0 || kept.length > MAX_PHRASE_WORDS) return undefined;
  kept[kept.length - 1] = singular(kept[kept.length - 1] as string);
  const out = kept.join(' ');
  return out.length >= 3 ? out : undefined;
}

function isStop(word: string): boolean {
  return ENGLISH_STOP_WORDS.has(word) || /^\d+$/.test(word) || word.length < 2;
}

function chinesePhrase(phrase: string): string | undefined {
  let chars = [...phrase.replace(/[\s\p{P}\p{S}]+/gu, '')];
  while (chars.length > 0 && CHINESE_EDGE_CHARACTERS.has(chars[0] as string)) chars = chars.slice(1);
  while (chars.length > 0 && CHINESE_EDGE_CHARACTERS.has(chars[chars.length - 1] as string)) chars = chars.slice(0, -1);
  const out = chars.join('');
  if (chars.length < 2 || chars.length > 12 || CHINESE_STOP_WORDS.has(out) || /^\d+$/.test(out)) return undefined;
  return out;
}
