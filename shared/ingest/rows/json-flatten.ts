/**
 * Flattening a parsed JSON record into cells: a growing key index, wrappers and threads (Google Play), keyed answers
 * (Typeform), and integers beyond 2^53 kept exact.
 */
/**
 * A growing dictionary of flattened JSON keys → column index, of at most `max` keys: a key past it is refused (-1),
 * and its value dropped. The columns are named from the first records, so a key first seen after them is never mapped.
 */
export class KeyIndex {
  readonly keys: string[] = [];
  private readonly map = new Map<string, number>();
  private readonly hints = new Map<string, string>();
  /** Keys looked up so far, refused ones included: a row's count is its number of values. */
  lookups = 0;
  /** Most keys taken: a key past it is refused (-1), so a key explosion cannot grow the index. */
  readonly max: number;
  private readonly conceal: ((key: string) => string) | undefined;

  /**
   * @param initial keys in index order, as a checkpoint carries them: a key that is personal data is there in the form
   *   `conceal` gives it, and found again through it.
   */
  constructor(initial: readonly string[] = [], opts: { conceal?: (key: string) => string; max?: number } = {}) {
    this.conceal = opts.conceal;
    this.max = opts.max ?? Number.POSITIVE_INFINITY;
    for (const k of initial) this.index(k);
  }

  index(key: string): number {
    this.lookups++;
    let i = this.map.get(key);
    if (i === undefined && this.conceal !== undefined) {
      i = this.map.get(this.conceal(key));
      if (i !== undefined) this.map.set(key, i);
    }
    if (i === undefined) {
      if (this.keys.length >= this.max) return -1;
      i = this.keys.length;
      this.keys.push(key);
      this.map.set(key, i);
    }
    return i;
  }

  /** Forgets the keys added after the first `size` (those of a rejected record). */
  truncate(size: number): void {
    for (let i = size; i < this.keys.length; i++) this.map.delete(this.keys[i] as string);
    this.keys.length = size;
  }

  /** Records what the file says a key holds (a Typeform answer's question type), for the column mapping. */
  hint(key: string, kind: string): void {
    if (!this.hints.has(key)) this.hints.set(key, kind);
  }
  hintOf(key: string): string | undefined {
    return this.hints.get(key);
  }
}

/**
 * A Typeform-style answer (`{"field":{"ref":"nps_q","type":"opinion_scale"},"type":"number","number":9}`): the
 * question it answers and the answer's value, so answers are keyed by question rather than by position.
 */
function keyedAnswer(v: unknown): { key: string; kind: string | undefined; value: unknown } | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const a = v as Record<string, unknown>;
  const field = a.field as Record<string, unknown> | null | undefined;
  if (field === null || typeof field !== 'object' || typeof a.type !== 'string') return undefined;
  const key = typeof field.ref === 'string' ? field.ref : typeof field.id === 'string' ? field.id : undefined;
  if (key === undefined) return undefined;
  let value = a[a.type];
  if (a.type === 'choice' && value !== null && typeof value === 'object') {
    const c = value as { label?: unknown; other?: unknown };
    value = c.label ?? c.other;
  } else if (a.type === 'choices' && value !== null && typeof value === 'object') {
    const c = value as { labels?: unknown; other?: unknown };
    value = [...(Array.isArray(c.labels) ? c.labels : []), ...(c.other === undefined ? [] : [c.other])];
  }
  return { key, kind: typeof field.type === 'string' ? field.type : undefined, value };
}

/** Magnitude from which a JSON number may have lost digits in `JSON.parse` (integers beyond 2^53). */
const EXACT_LIMIT = 2 ** 53;

/** Keys naming a reply to the record (Google Play's `developerComment`): never part of the record's own content. */
const REPLY_KEY = /developer|reply|response/i;

function wrapperKey(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  let only: string | undefined;
  for (const k in v as Record<string, unknown>) {
    if (only !== undefined) return undefined;
    only = k;
  }
  if (only === undefined) return undefined;
  const inner = (v as Record<string, unknown>)[only];
  return inner !== null && typeof inner === 'object' ? only : undefined;
}

/**
 * A thread of single-key wrappers (Google Play `comments: [{"userComment":{…}}, {"developerComment":{…}}]`): the
 * wrapped values keyed by wrapper name, replies left out. `undefined` unless every element is such a wrapper.
 */
function threadEntries(value: unknown[]): [string, unknown][] | undefined {
  if (value.length === 0) return undefined;
  const out: [string, unknown][] = [];
  for (const v of value) {
    const k = wrapperKey(v);
    if (k === undefined) return undefined;
    if (!REPLY_KEY.test(k)) out.push([k, (v as Record<string, unknown>)[k]]);
  }
  return out;
}

/** An array of single-key wrappers is one record's thread, never a page of records. */
export function isThread(value: unknown[]): boolean {
  return threadEntries(value) !== undefined;
}

/** Whether a parsed JSON number may have lost digits (an integer literal beyond 2^53). */
function mayBeInexact(v: unknown): boolean {
  return typeof v === 'number' && (v >= EXACT_LIMIT || v <= -EXACT_LIMIT);
}

/**
 * Writes `value` into `cells` under its flattened key (`a.b.c`), nested values up to depth 6. Returns whether it met a
 * number that may have lost digits in `JSON.parse`: the caller then parses the text again exactly (see
 * {@link quoteBigIntegers}).
 */
export function flatten(value: unknown, prefix: string, keys: KeyIndex, cells: string[], depth: number): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return flattenArray(value, prefix, keys, cells, depth);
  if (typeof value === 'object') {
    if (depth >= 6) return false;
    let inexact = false;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (flatten(v, prefix === '' ? k : `${prefix}.${k}`, keys, cells, depth + 1)) inexact = true;
    }
    return inexact;
  }
  setCell(cells, keys.index(prefix), String(value));
  return mayBeInexact(value);
}

/** A value under its key's column; dropped when the key was refused (-1). */
function setCell(cells: string[], i: number, value: string): void {
  if (i >= 0) cells[i] = value;
}

/** An array: scalars joined into one cell; a thread, keyed answers or other elements flattened one by one. */
function flattenArray(value: unknown[], prefix: string, keys: KeyIndex, cells: string[], depth: number): boolean {
  if (value.every((v) => v === null || typeof v !== 'object')) {
    setCell(cells, keys.index(prefix), value.filter((v) => v !== null).join(', '));
    return value.some(mayBeInexact);
  }
  if (depth >= 6) return false;
  let inexact = false;
  const thread = threadEntries(value);
  if (thread !== undefined) {
    const unique = new Set(thread.map((e) => e[0])).size === thread.length;
    thread.forEach(([k, v], i) => {
      if (flatten(v, unique ? `${prefix}.${k}` : `${prefix}.${i}.${k}`, keys, cells, depth + 1)) inexact = true;
    });
    return inexact;
  }
  // The array holds at least one object here (an all-scalar array was joined above).
  const answers = value.map(keyedAnswer);
  if (answers.every((a) => a !== undefined)) {
    for (const a of answers as NonNullable<(typeof answers)[number]>[]) {
      const key = `${prefix}.${a.key}`;
      if (a.kind !== undefined) keys.hint(key, a.kind);
      if (flatten(a.value, key, keys, cells, depth + 1)) inexact = true;
    }
  } else {
    value.forEach((v, i) => {
      if (flatten(v, `${prefix}.${i}`, keys, cells, depth + 1)) inexact = true;
    });
  }
  return inexact;
}

/** A run of 16 digits: the only way a JSON integer literal can exceed 2^53. */
const LONG_DIGITS = /\d{16}/;
/** JSON string literals (matched whole, so digits inside them are skipped) and number literals. */
const JSON_TOKENS = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?[1-9]\d*$/;

function quoteUnsafeInteger(token: string): string {
  if (token.length < 16 || !INTEGER_LITERAL.test(token) || Number.isSafeInteger(Number(token))) return token;
  return `"${token}"`;
}

/**
 * Rewrites integer literals beyond 2^53 (19-digit Douyin/Weibo/Twitter ids written as JSON numbers) into JSON strings,
 * so `JSON.parse` keeps their exact digits instead of rounding different ids to one. Fractions, exponents and digits
 * inside strings are left alone; so are invalid literals (leading zeros), which still fail to parse. Node 20 has no
 * `JSON.parse` source-text access, hence the rewrite.
 */
export function quoteBigIntegers(text: string): string {
  return LONG_DIGITS.test(text) ? text.replace(JSON_TOKENS, quoteUnsafeInteger) : text;
}
