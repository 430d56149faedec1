import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, redact } from '../../../shared/ingest/clean.js';

describe('redact', () => {
  it.each([
    ['Mail me at jane.doe+feedback@example.co.uk please', 'Mail me at [EMAIL] please'],
    ['Paid with 4111 1111 1111 1111 twice', 'Paid with [CARD] twice'],
    ['Paid with 4111-1111-1111-1111', 'Paid with [CARD]'],
    ['Order 4111 1111 1111 1112 is not a card (Luhn)', 'Order 4111 1111 1111 1112 is not a card (Luhn)'],
    ['Call +44 20 7946 0958 or +1 (415) 555-0100', 'Call [PHONE] or [PHONE]'],
    ['我的手机 138 1234 5678，座机 010-12345678', '我的手机 [PHONE]，座机 [PHONE]'],
    ['Phone (415) 555-0100 or 415.555.0100', 'Phone [PHONE] or [PHONE]'],
    ['Server 192.168.10.254 was down', 'Server [IP] was down'],
    ['Version 1.2.3 is fine, so is 10.5', 'Version 1.2.3 is fine, so is 10.5'],
    ['From 2001:db8::8a2e:370:7334 and fe80::1', 'From [IP] and [IP]'],
    ['Full 2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'Full [IP]'],
    ['At 10:30:45 the app froze. Note: again at 11:02', 'At 10:30:45 the app froze. Note: again at 11:02'],
    ['Order #858873: checkout broke on 2026-11-03', 'Order #858873: checkout broke on 2026-11-03'],
    ['No digits, no colon, nothing to hide', 'No digits, no colon, nothing to hide'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('never leaves a Luhn-valid 16-digit card number in any surrounding text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (before, after) => {
        const card = '4111111111111111';
        const text = `${before.replace(/\d/g, 'x')} ${card} ${after.replace(/\d/g, 'x')}`;
        expect(redact(text)).not.toContain(card);
      }),
    );
  });
});

describe('cleanText', () => {
  it.each([
    ['  padded   value  ', 'padded value'],
    ['Tidy ASCII stays as it is.', 'Tidy ASCII stays as it is.'],
    ['<b>Bold</b> &amp; bright', 'Bold & bright'],
    ['ＡＢＣ１２３，全角', 'ABC123,全角'],
    ['N/A', undefined],
    ['  n/a  ', undefined],
    ['-', undefined],
    ['tab\tand\nnewline', 'tab and newline'],
    ['zero\u200bwidth', 'zerowidth'],
  ])('%j → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('returns printable ASCII unchanged exactly when it has no markup and no stray spaces', () => {
    const ascii = fc.string({
      unit: fc.constantFrom(...' !"#$%\'()*+,-./0123456789:;=>?@AZaz[\\]^_`{|}~'),
      maxLength: 30,
    });
    fc.assert(
      fc.property(ascii, (s) => {
        const tidy = s.length > 0 && s === s.trim() && !s.includes('  ');
        const cleaned = cleanText(s);
        if (tidy && cleaned !== undefined) expect(cleaned).toBe(s);
        if (!tidy && cleaned !== undefined) expect(cleaned).toBe(s.trim().replace(/ {2,}/g, ' '));
      }),
    );
  });
});
