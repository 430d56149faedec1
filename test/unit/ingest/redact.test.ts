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

/** ISO 7064 MOD 11-2 check character of the first 17 digits of a Chinese resident identity number. */
function cnIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] ?? 0);
  return '10X98765432'.charAt(sum % 11);
}

/** A valid identity number: the 17 digits and their check character. */
const cnId = (first17: string): string => first17 + cnIdCheck(first17);

/** The same 17 digits with a wrong check character. */
const cnIdWrong = (first17: string): string => first17 + (cnIdCheck(first17) === '0' ? '1' : '0');

/** `body` followed by its Luhn check digit. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

describe('redact: phone numbers', () => {
  const numbers = [
    // UK
    '07700 900123',
    '07700 900 123',
    '07700900123',
    '(020) 7946 0958',
    '020 7946 0958',
    '0161 496 0000',
    '+44 20 7946 0958',
    '(+44) 20 7946 0958',
    '+44 (0)20 7946 0958',
    // Australia
    '0412 345 678',
    '(02) 9374 4000',
    '02 9374 4000',
    // North America
    '4155550133',
    '14155550133',
    '1-800-555-0199',
    '1 (800) 555-0199',
    '1.800.555.0199',
    '(415) 555-0100',
    // China
    '8613800138000',
    '0086 138 0013 8000',
    '86-138-0013-8000',
    '(+86) 13800138000',
    '(010)12345678',
    '(010) 1234 5678',
    '010 8765 4321',
    '010-87654321',
    '0755-8765 4321',
    '075587654321',
    // Taiwan
    '0912-345-678',
    '0912345678',
    '(02) 2345-6789',
  ];
  it.each(numbers)('redacts %s in an English sentence', (n) => {
    expect(redact(`Call me on ${n} after 5pm.`)).toBe('Call me on [PHONE] after 5pm.');
  });
  it.each(numbers)('redacts %s in a Chinese sentence', (n) => {
    expect(redact(`请联系${n}，谢谢`)).toBe('请联系[PHONE]，谢谢');
  });

  it('never leaves a phone number of these formats in surrounding text', () => {
    const d = (n: number, first = '0123456789') =>
      fc
        .tuple(
          fc.constantFrom(...first),
          fc.array(fc.constantFrom(...'0123456789'), { minLength: n - 1, maxLength: n - 1 }),
        )
        .map(([h, t]) => h + t.join(''));
    const phone = fc.oneof(
      // North America (area codes from 3: 20x followed by a date, 2024030514, reads as a time stamp)
      fc
        .tuple(d(3, '3456789'), d(3, '23456789'), d(4))
        .chain(([a, b, c]) =>
          fc.constantFrom(`${a}${b}${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `(${a}) ${b}-${c}`, `1-${a}-${b}-${c}`),
        ),
      // UK and Australian mobiles, Taiwanese mobiles
      fc.tuple(d(3), d(6)).chain(([a, b]) => fc.constantFrom(`07${a} ${b}`, `07${a}${b}`)),
      fc.tuple(d(2), d(3), d(3)).chain(([a, b, c]) => fc.constantFrom(`04${a} ${b} ${c}`, `09${a}-${b}-${c}`)),
      // Chinese mobiles, with or without 86
      fc.tuple(d(1, '3456789'), d(9)).chain(([a, b]) => fc.constantFrom(`1${a}${b}`, `861${a}${b}`, `0086 1${a}${b}`)),
      // Chinese landlines (local numbers start 2–8)
      fc
        .tuple(fc.constantFrom('010', '021', '0755', '0571'), d(4, '2345678'), d(4))
        .chain(([a, b, c]) => fc.constantFrom(`(${a})${b}${c}`, `${a}-${b}${c}`, `${a} ${b} ${c}`)),
    );
    // No digits, letters (a label such as "ref" keeps a bare number), ':' or '@' (other patterns) around the number.
    const context = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\dA-Za-z:@]/g, '_'));
    fc.assert(
      fc.property(context, phone, context, (before, n, after) => {
        expect(redact(`${before} ${n} ${after}`)).toBe(`${before} [PHONE] ${after}`);
      }),
    );
  });

  it('takes 86 + a mobile number as a phone even when it passes the Luhn check of a card', () => {
    const n = withLuhn('861380013800');
    expect(redact(`座机${n}`)).toBe('座机[PHONE]');
  });

  it('still redacts a Chinese landline glued to a word or after a label, as before', () => {
    expect(redact('tel010-12345678')).toBe('tel[PHONE]');
    expect(redact('订单号010-12345678')).toBe('订单号[PHONE]');
  });

  it.each([
    // Times, dates, time stamps
    'Arrived at 14:30, left at 09:15 on 2024-03-05',
    'Delivered 20240305 at 1430, ordered 2024/03/01',
    'Logged 2024030514 then 1709650000 (unix time)',
    'Open 0930-1800 every day, 08 09 10 07 09 in the draw',
    'From 2008-12-09 1000 1002 to 12/09 1000 1001, at 00:01 1000 1000',
    'At 0100 19901117 and 0930 20240305',
    '2024年3月5日14:30到货，3月8日09:00退货',
    // Prices, amounts, percentages, quantities
    'Paid $1,299.00 instead of $999.99, 15% off',
    '花了¥2999，又退了¥1299.50，打了85折',
    '¥86130 1000 2031 and ¥86130 1000 2032',
    'Total 1 000 000 000 or 12,345,678,901 points',
    'A ratio of 0.4155550133 and $4155550133 are no phones',
    '3000mAh battery, 128GB storage, 4155550133mAh nonsense',
    '1000 100 1000mAh',
    // Versions, years, rooms, short numbers
    'Version 2.24.10 and 10.5, since 2019, in 2023 and 2024',
    'Room 1203 then room 0412, floor 12, 3 nights',
    // Order numbers labelled as such stay (the bare-digit phone patterns do not take them)
    'Order #858873: checkout broke on 2026-11-03',
    'Order #4155550133 was late',
    'Order no. 4155550133 was late',
    'My order number is 4155550133',
    'Tracking 0912345678 shows nothing',
    'Ticket: 020 7946 0958',
    '订单号：4155550133',
    '订单号0912345678，快递单号 075587654321',
    'Order 8613800138000',
    // Too few or too many digits for a phone
    'Call 0412 345 67 maybe',
    'Serial 0412345678901234 is a long code',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('redact: Chinese resident identity numbers', () => {
  const valid = [
    cnId('11010519900307123'),
    cnId('44030619900101105'), // check character X
    cnId('51010820000229002'), // 29 February of a leap year
    cnId('31011519000101001'), // 1900, the earliest year taken
  ];

  it('builds the test identities right (one ends in X)', () => {
    expect(valid[0]).toBe('110105199003071239');
    expect(valid[1]).toBe('44030619900101105X');
  });

  it.each(valid)('redacts %s', (id) => {
    expect(redact(`身份证号${id}，请核实`)).toBe('身份证号[ID]，请核实');
    expect(redact(`ID: ${id}.`)).toBe('ID: [ID].');
  });

  it('accepts a lower-case x as the check character', () => {
    expect(redact(`身份证 ${valid[1]?.toLowerCase()}`)).toBe('身份证 [ID]');
  });

  const today = new Date();
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  const ymd = (d: Date) =>
    `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;

  it.each([
    ['the examples as given (wrong check characters)', '110105199003071234'],
    ['the X example as given (its check character is 6)', '44030619900101123X'],
    ['a wrong check character', cnIdWrong('11010519900307123')],
    ['month 13', cnId('11010519901307123')],
    ['day 32', cnId('11010519900132123')],
    ['30 February', cnId('11010519900230123')],
    ['29 February of a common year', cnId('11010519000229123')],
    ['a birth date before 1900', cnId('11010518991231123')],
    ['a birth date after today', cnId(`110105${ymd(tomorrow)}123`)],
    ['19 digits', `${cnId('11010519900307123')}5`],
    ['18 digits inside a longer number', `9${cnId('11010519900307123')}`],
  ])('leaves %s alone', (_, id) => {
    expect(redact(`号码${id}`)).toBe(`号码${id}`);
  });

  it('does not take an X followed by letters (its 17 digits, Luhn-valid, are still a card number)', () => {
    expect(redact(`号码${valid[1]}YZ`)).toBe('号码[CARD]XYZ');
  });

  it('takes a birth date of today', () => {
    expect(redact(cnId(`110105${ymd(today)}123`))).toBe('[ID]');
  });

  it('never leaves a valid identity number in surrounding text', () => {
    const first17 = fc
      .tuple(
        fc.integer({ min: 110000, max: 829999 }),
        fc.date({ min: new Date('1900-01-01T12:00:00'), max: new Date(), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([area, d, seq]) => `${area}${ymd(d)}${String(seq).padStart(3, '0')}`);
    const noDigits = fc.string({ maxLength: 30 }).map((s) => s.replace(/[\dA-Za-z:]/g, '-'));
    fc.assert(
      fc.property(noDigits, first17, noDigits, (before, f, after) => {
        const id = cnId(f);
        expect(redact(`${before}${id}${after}`)).toBe(`${before}[ID]${after}`);
      }),
    );
  });
});

describe('redact: US social security numbers', () => {
  it.each([
    ['my ssn 123-45-6789 was asked twice', 'my ssn [ID] was asked twice'],
    ['SSN: 078-05-1120.', 'SSN: [ID].'],
    ['never issued 000-12-3456', 'never issued 000-12-3456'],
    ['never issued 666-12-3456', 'never issued 666-12-3456'],
    ['never issued 912-34-5678', 'never issued 912-34-5678'],
    ['group 00: 123-00-4567', 'group 00: 123-00-4567'],
    ['longer run 1-123-45-6789-2', 'longer run 1-123-45-6789-2'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('redact: numbers that are no personal data', () => {
  it('leaves dates, times, prices, versions, percentages and quantities alone, in any mix', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const piece = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1990, max: 2035 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
        .chain(([y, m, d]) =>
          fc.constantFrom(`${y}-${pad(m)}-${pad(d)}`, `${y}${pad(m)}${pad(d)}`, `${y}年${m}月${d}日`),
        ),
      fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
      fc
        .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b, c]) => `$${a},${String(b).padStart(3, '0')}.${pad(c)}`),
      fc.integer({ min: 1, max: 99999 }).map((n) => `¥${n}`),
      fc
        .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`),
      fc.integer({ min: 1, max: 20000 }).map((n) => `${n}mAh`),
      fc.constantFrom('64GB', '128GB', '256GB', '1TB'),
      fc.integer({ min: 100, max: 9999 }).map((n) => `room ${n}`),
      fc.integer({ min: 0, max: 999 }).map(String),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(', ', '，', ' and ', '; ', ' - '),
        (ps, sep) => {
          const text = ps.join(sep);
          expect(redact(text)).toBe(text);
        },
      ),
    );
  });
});

describe('cleanText', () => {
  it.each([
    ['  padded   value  ', 'padded value'],
    ['Tidy ASCII stays as it is.', 'Tidy ASCII stays as it is.'],
    ['<b>Bold</b> &amp; bright', 'Bold & bright'],
    ['ＡＢＣ１２３，全角', 'ＡＢＣ１２３，全角'],
    ['（空）', undefined],
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
