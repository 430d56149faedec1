/**
 * A strict check of the digest HTML's structure. Because every `<` in text must be escaped, every `<` left in
 * the document starts a tag (or a comment): so listing the tags shows exactly what a mail client would parse.
 */

const VOID = new Set(['meta', 'br']);
const ALLOWED = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'div',
  'table',
  'tr',
  'td',
  'th',
  'span',
  'bdi',
  'h1',
  'h2',
  'strong',
  'br',
]);

export interface Tag {
  name: string;
  closing: boolean;
  attributes: string[];
  raw: string;
}

/** Tags of the document, with comments (including Outlook's conditional comments) and the style block removed. */
export function tags(html: string): Tag[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE html>/i, '');
  const withoutStyle = withoutComments.replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2');
  const result: Tag[] = [];
  const pattern = /<(\/?)([^\s/>]*)([^>]*)>/g;
  for (const match of withoutStyle.matchAll(pattern)) {
    const [raw, slash = '', name = '', rest = ''] = match;
    const attributes = [...rest.matchAll(/([^\s=]+)(?:="[^"]*")?/g)].map((m) => (m[1] ?? '').toLowerCase());
    result.push({ name: name.toLowerCase(), closing: slash === '/', attributes, raw });
  }
  return result;
}

/** Problems found: unknown tags, event-handler attributes, unbalanced or misnested elements. */
export function structureProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  if (/<(?!\/?[a-zA-Z!])/.test(html)) problems.push('a "<" that starts no tag (unescaped text)');
  for (const tag of tags(html)) {
    if (!ALLOWED.has(tag.name)) problems.push(`unexpected tag <${tag.closing ? '/' : ''}${tag.name}>`);
    for (const attribute of tag.attributes) {
      if (attribute.startsWith('on') || attribute === 'src' || attribute === 'href') {
        problems.push(`attribute ${attribute} in ${tag.raw.slice(0, 80)}`);
      }
    }
    if (VOID.has(tag.name)) continue;
    if (!tag.closing) {
      stack.push(tag.name);
      continue;
    }
    const open = stack.pop();
    if (open !== tag.name) problems.push(`</${tag.name}> closes <${open ?? 'nothing'}>`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

/** The text content (tags removed, entities of the five escaped characters decoded). */
export function textContent(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
