/**
 * Run-wide memo of analysed texts, keyed by a 64-bit hash of the text, in an open-addressing table of typed arrays
 * (9 bytes a slot): the in-memory stand-in for the pipeline's text-hash cache, with a cost per unique text that does
 * not depend on the text's length. A 64-bit collision (≈ n²/2⁶⁵) would reuse another text's sentiment.
 */
export class TextMemo {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  private value = new Uint8Array(1 << 12);
  private slot = 0;
  private keyHi = 0;
  private keyLo = 0;
  size = 0;

  /** Looks `text` up; returns the stored value (1–255) or 0, and remembers the slot for {@link TextMemo.set}. */
  get(text: string): number {
    // Two 32-bit FNV-1a style lanes with different primes: one pass, no allocation.
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h2 ^= text.length;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) >>> 0;
    h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) >>> 0;
    this.keyHi = h1;
    this.keyLo = h2;
    const mask = this.hi.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const v = this.value[i] as number;
      if (v === 0) break;
      if (this.hi[i] === h1 && this.lo[i] === h2) return v;
      i = (i + 1) & mask;
    }
    this.slot = i;
    return 0;
  }

  /** Stores `value` (1–255) for the text of the last missed {@link TextMemo.get}. */
  set(value: number): void {
    const i = this.slot;
    this.hi[i] = this.keyHi;
    this.lo[i] = this.keyLo;
    this.value[i] = value;
    this.size++;
    if (this.size * 4 > this.hi.length * 3) this.grow();
  }

  private grow(): void {
    const { hi, lo, value } = this;
    const cap = hi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.value = new Uint8Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < hi.length; j++) {
      const v = value[j] as number;
      if (v === 0) continue;
      const h = hi[j] as number;
      const l = lo[j] as number;
      let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
      while ((this.value[i] as number) !== 0) i = (i + 1) & mask;
      this.hi[i] = h;
      this.lo[i] = l;
      this.value[i] = v;
    }
  }
}
