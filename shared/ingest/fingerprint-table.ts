/**
 * Fingerprint → positive 32-bit number, in flat memory: 64-bit prefixes of hex fingerprints in an open-addressing
 * table of typed arrays (12 bytes a slot, at most 3/4 full), so a file of a million rows stays small whatever its
 * text. The one table behind the in-file deduper (fingerprint → kept row) and the occurrence counter (fingerprint →
 * count). A 64-bit prefix collision (≈ n²/2⁶⁵) is ~3·10⁻⁸ at a million rows.
 */
export class FingerprintTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Uint32Array;
  private count = 0;

  /** @param capacity entries held before the table first doubles. */
  constructor(capacity = 768) {
    const want = Math.max(1, Math.ceil((capacity * 4) / 3));
    let cap = 1 << 10;
    while (cap < want && cap < 1 << 30) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.values = new Uint32Array(cap);
  }

  get size(): number {
    return this.count;
  }

  /** The value of `fingerprint`, or 0 when it is new: it is then stored with `value` (≥ 1). */
  getOrInsert(fingerprint: string, value: number): number {
    const hi = hexWord(fingerprint, 0);
    const lo = hexWord(fingerprint, 8);
    const i = this.slot(hi, lo);
    const found = this.values[i] as number;
    if (found !== 0) return found;
    this.insert(i, hi, lo, value);
    return 0;
  }

  /** Adds one to the value of `fingerprint` (0 when new) and returns it. */
  increment(fingerprint: string): number {
    const hi = hexWord(fingerprint, 0);
    const lo = hexWord(fingerprint, 8);
    const i = this.slot(hi, lo);
    const next = (this.values[i] as number) + 1;
    if (next === 1) this.insert(i, hi, lo, 1);
    else this.values[i] = next;
    return next;
  }

  /** The slot holding the fingerprint whose 64-bit prefix is `hi`:`lo`, or the empty slot where it goes. */
  private slot(hi: number, lo: number): number {
    const mask = this.hi.length - 1;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    while ((this.values[i] as number) !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  private insert(i: number, hi: number, lo: number, value: number): void {
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.values[i] = value;
    if (++this.count * 4 > this.hi.length * 3) this.grow();
  }

  private grow(): void {
    const { hi, lo, values } = this;
    const cap = hi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.values = new Uint32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < hi.length; j++) {
      const v = values[j] as number;
      if (v === 0) continue;
      const h = hi[j] as number;
      const l = lo[j] as number;
      let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
      while ((this.values[i] as number) !== 0) i = (i + 1) & mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.values[i] = v;
    }
  }
}

/** The 32-bit word of 8 hex digits at `at` (parsed as `parseInt(slice, 16)` would, without the slice). */
function hexWord(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = s.charCodeAt(i);
    const d = c <= 57 ? c - 48 : (c | 32) - 87;
    if (!(d >= 0 && d < 16)) return Number.parseInt(s.slice(at, at + 8), 16) >>> 0;
    v = (v << 4) | d;
  }
  return v >>> 0;
}
