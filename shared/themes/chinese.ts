/**
 * Chinese keywords found in a text. Chinese has no spaces, so a keyword is looked for where it starts: an index by
 * first character keeps this one pass over the text however long the taxonomy grows.
 */
export class ChineseKeywordIndex<T> {
  /** By the first UTF-16 unit's code: no one-character string a position of the text. */
  private readonly byFirst = new Map<number, { keyword: string; value: T }[]>();

  add(keyword: string, value: T): void {
    if (keyword === '') return;
    const first = keyword.charCodeAt(0);
    const list = this.byFirst.get(first) ?? [];
    list.push({ keyword, value });
    // Longest first, so "服务态度" is seen before "服务".
    list.sort((a, b) => b.keyword.length - a.keyword.length);
    this.byFirst.set(first, list);
  }

  /** Each match's value and where it starts and ends in `text`. */
  find(text: string): { value: T; start: number; end: number }[] {
    const out: { value: T; start: number; end: number }[] = [];
    for (let i = 0; i < text.length; i++) {
      const candidates = this.byFirst.get(text.charCodeAt(i));
      if (!candidates) continue;
      for (const c of candidates) {
        if (text.startsWith(c.keyword, i)) out.push({ value: c.value, start: i, end: i + c.keyword.length });
      }
    }
    return out;
  }
}

const HAN = /\p{Script=Han}/u;

export function hasHan(text: string): boolean {
  return HAN.test(text);
}
