/** Generated text for the hostile cases: as compressible as real feedback, or not at all. */

/** A deterministic generator of words, for text that compresses about as well as real feedback (3–4×). */
export function words(seed: number): (n: number) => string {
  const vocabulary = 'app slow crash love great support refund price delivery update login screen button order late'
    .split(' ')
    .concat(['很好', '物流', '客服', '退款']);
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push(`${vocabulary[Math.floor(next() * vocabulary.length)]}${Math.floor(next() * 1000)}`);
    return out.join(' ');
  };
}

/** Text that does not compress (base64 of a repeating pseudo-random block): a big cell that is not a zip bomb. */
export function incompressible(chars: number): string {
  const block = Buffer.alloc(3 * 65536);
  for (let i = 0, x = 2463534242; i < block.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block[i] = x & 0xff;
  }
  const b64 = block.toString('base64');
  return b64.repeat(Math.ceil(chars / b64.length)).slice(0, chars);
}

/** A deterministic generator of Chinese text (two bytes a character in memory, three in UTF-8). */
export function chinese(seed: number): (n: number) => string {
  const chars = '服务很好物流太慢客服态度质量不错价格便宜包装破损退款发货速度满意失望推荐产品体验';
  let s = seed >>> 0;
  return (n) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out += chars[s % chars.length];
    }
    return out;
  };
}
