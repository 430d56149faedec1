import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../shared/ingest/encoding.js';

function decodeInChunks(bytes: Uint8Array, cuts: number[]): string {
  const decoder = createDecoder('gb18030');
  let out = '';
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out += decoder.write(bytes.subarray(start, cut));
    start = cut;
  }
  return out + decoder.end();
}

describe('createDecoder("gb18030")', () => {
  it('keeps a four-byte sequence split after its third byte', () => {
    // Prepare: 😡 is the four-byte sequence 95 30 81 39 in GB18030.
    const bytes = Uint8Array.from(Buffer.from('953081392041', 'hex'));
    // Act + Assess: every split point gives the whole text.
    for (let cut = 0; cut <= bytes.length; cut++) expect(decodeInChunks(bytes, [cut])).toBe('😡 A');
  });

  it('decodes any text the same whatever the chunk boundaries', () => {
    const text = fc
      .array(fc.constantFrom('a', ',', '\n', '好', '评', '价', '😡', '👍', '€', 'ǎ', '龘', '𠀀'), { maxLength: 60 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (t, rawCuts) => {
        const bytes = Uint8Array.from(iconv.encode(t, 'gb18030'));
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(decodeInChunks(bytes, cuts)).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});
