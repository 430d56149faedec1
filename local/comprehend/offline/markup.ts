/**
 * Markup in feedback text that names no sentiment, for the offline model's tokenizers (see `model.ts`).
 */

/**
 * Links, @handles and HTML entities: a link or handle is removed (it names no sentiment: "http://" is not the emoticon
 * ":/", "@united" is not "united"), an entity is decoded ("&lt;3" is "<3", "&amp;" is "&"). One regular expression, run
 * only on texts with one of "http", "www.", "@" or "&" (`hasMarkup`).
 */
const MARKUP =
  /(?:\bhttps?:\/\/|\bwww\.)[^\s<>"]*|(?<![\w.])@\w+|&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,6}|#x[0-9a-f]{1,5});/gi;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function hasMarkup(text: string): boolean {
  return text.includes('@') || text.includes('&') || text.includes('http') || text.includes('www.');
}

function replaceMarkup(match: string): string {
  if (match.charCodeAt(0) !== 38) return ' ';
  const name = match.slice(1, -1).toLowerCase();
  if (name.charCodeAt(0) !== 35) return ENTITIES[name] ?? ' ';
  const cp = name.charCodeAt(1) === 120 ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
}

/** The text without links and @handles, with HTML entities decoded (itself when it has none). */
export function withoutMarkup(text: string): string {
  return hasMarkup(text) ? text.replace(MARKUP, replaceMarkup) : text;
}
