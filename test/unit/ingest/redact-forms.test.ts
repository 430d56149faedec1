import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../shared/ingest/clean.js';

function luhnValid(s: string): boolean {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let x = Number(s[s.length - 1 - i]);
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return sum % 10 === 0;
}

/** Whether 18 digits carry a valid Chinese identity-number check character (ISO 7064 MOD 11-2). */
function cnIdCheckValid(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * (weights[i] ?? 0);
  return '10X98765432'.charAt(sum % 11) === s[17];
}

/** `body` followed by its Luhn check digit. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable');
}

/** `n` random digits, the first one from `first`. */
const digits = (n: number, first = '0123456789') =>
  fc
    .tuple(
      fc.constantFrom(...first),
      fc.array(fc.constantFrom(...'0123456789'), { minLength: n - 1, maxLength: n - 1 }),
    )
    .map(([h, t]) => h + t.join(''));

/** Text around a redacted value: no letters, digits or characters other patterns read ('@', ':', '.', '+', brackets). */
const context = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\p{L}\p{N}:@.+()[\]{}<>#$¥€£%,/-]/gu, '_'));

describe('redact: e-mail addresses', () => {
  it.each([
    ['用户@例子.中国', '[EMAIL]'],
    ['我的邮箱 用户@例子.中国 谢谢', '我的邮箱 [EMAIL] 谢谢'],
    ['邮箱dave@例子.中国，谢谢', '邮箱[EMAIL]，谢谢'],
    ['邮箱：用户@例子.公司。', '邮箱：[EMAIL]。'],
    ['write to josé@exämple.de today', 'write to [EMAIL] today'],
    ['zoë.smith@example.com wrote', '[EMAIL] wrote'],
    ['dave@mail.exämple.com', '[EMAIL]'],
    ['почта иван@пример.рф ок', 'почта [EMAIL] ок'],
    ['dave (at) example (dot) com', '[EMAIL]'],
    ['Reach me: dave [at] example [dot] com.', 'Reach me: [EMAIL].'],
    ['dave(at)example.com', '[EMAIL]'],
    ['dave {AT} example {DOT} co {DOT} uk, thanks', '[EMAIL], thanks'],
    ['dave.smith [at] mail.example.org', '[EMAIL]'],
    ['email me at dave at example dot com please', 'email me at [EMAIL] please'],
    ['my address: dave at example dot com', 'my address: [EMAIL]'],
    ['dave at gmail dot com', '[EMAIL]'],
    ['dave.smith at example dot com', '[EMAIL]'],
    ['dave99 at example dot co dot uk', '[EMAIL]'],
    ['dave dot smith at example dot com', '[EMAIL]'],
  ])('%s → %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    'look at this dot com bubble',
    'We met at Example dot com last year',
    'dave at example dot com', // no cue, a plain name and an unknown domain: could be prose
    'at the dot, not before',
    'Great service @united, thanks @delta!',
    'Rated it (at) 5 stars',
    'Sold at 3.5 times, the dot-com crash',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('never leaves an internationalised address between spaces', () => {
    const han = fc.string({ unit: fc.constantFrom(...'用户张伟例子网店客服'), minLength: 1, maxLength: 8 });
    const latin = fc.string({ unit: fc.constantFrom(...'abcdeéèüößñ.'), minLength: 1, maxLength: 12 });
    const local = fc.oneof(han, latin).filter((s) => !s.startsWith('.') && !s.endsWith('.'));
    const label = fc.oneof(han, fc.string({ unit: fc.constantFrom(...'abcxyzäöü'), minLength: 1, maxLength: 10 }));
    const tld = fc.constantFrom('中国', '公司', 'com', 'de', 'рф', 'cn');
    fc.assert(
      fc.property(context, local, label, tld, context, (before, l, d, t, after) => {
        const address = `${l}@${d}.${t}`;
        expect(redact(`${before} ${address} ${after}`)).toBe(`${before} [EMAIL] ${after}`);
      }),
    );
  });

  it('never leaves a bracketed address in any spacing or case', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdexyz019_'), minLength: 1, maxLength: 10 });
    const domain = fc.string({ unit: fc.constantFrom(...'abcdexyz019-'), minLength: 1, maxLength: 10 });
    const bracket = fc.constantFrom(['(', ')'], ['[', ']'], ['{', '}'], ['<', '>']);
    const space = fc.constantFrom('', ' ');
    const at = fc.constantFrom('at', 'AT', 'At');
    fc.assert(
      fc.property(
        context,
        word,
        bracket,
        space,
        at,
        domain,
        fc.constantFrom('com', 'org', 'de'),
        context,
        (b, l, [o, c], sp, a, d, t, e) => {
          const address = `${l}${sp}${o}${a}${c}${sp}${d}${sp}${o}dot${c}${sp}${t}`;
          expect(redact(`${b} ${address} ${e}`)).toBe(`${b} [EMAIL] ${e}`);
        },
      ),
    );
  });
});

describe('redact: national phone forms', () => {
  const numbers = [
    // China: dotted or spaced mobiles
    '158.1234.5678',
    '158 1234 5678',
    // France
    '06 12 34 56 78',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '01.23.45.67.89',
    '+33 6 12 34 56 78',
    '+33 (0)1 23 45 67 89',
    // India
    '+91 98765 43210',
    '098765 43210',
    '9876543210',
    '9810012345',
    '09810012345',
    // Brazil
    '(11) 91234-5678',
    '(21) 3456-7890',
    '11 91234-5678',
    '+55 11 91234-5678',
    // Russia
    '8 (912) 345-67-89',
    '8 912 345-67-89',
    '8-912-345-67-89',
    '+7 912 345-67-89',
    '+7 (912) 345-67-89',
  ];
  it.each(numbers)('redacts %s in an English sentence', (n) => {
    expect(redact(`Call me on ${n} after 5pm.`)).toBe('Call me on [PHONE] after 5pm.');
  });
  it.each(numbers)('redacts %s in a Chinese sentence', (n) => {
    expect(redact(`请联系${n}，谢谢`)).toBe('请联系[PHONE]，谢谢');
  });

  it('never leaves a number of these forms in surrounding text', () => {
    const pairs = fc.array(digits(2), { minLength: 4, maxLength: 4 });
    const phone = fc.oneof(
      fc
        .tuple(digits(2, '3456789'), digits(4), digits(4), fc.constantFrom('.', ' '))
        .map(([a, b, c, s]) => `1${a}${s}${b}${s}${c}`),
      fc
        .tuple(fc.constantFrom(...'1234567'), pairs, fc.constantFrom(' ', '.', '-'))
        .map(([first, rest, sep]) => [`0${first}`, ...rest].join(sep)),
      fc
        .tuple(digits(5, '6789'), digits(5))
        .chain(([a, b]) => fc.constantFrom(`${a}${b}`, `0${a} ${b}`, `+91 ${a} ${b}`)),
      fc
        .tuple(digits(2, '123456789'), digits(4), digits(4))
        .chain(([ddd, a, b]) => fc.constantFrom(`(${ddd.replace('0', '1')}) 9${a}-${b}`, `+55 ${ddd} 9${a}-${b}`)),
      fc
        .tuple(digits(3, '9'), digits(3), digits(2), digits(2))
        .chain(([a, b, c, d]) =>
          fc.constantFrom(`8 (${a}) ${b}-${c}-${d}`, `8 ${a} ${b}-${c}-${d}`, `+7 ${a} ${b}-${c}-${d}`),
        ),
    );
    fc.assert(
      fc.property(context, phone, context, (before, n, after) => {
        expect(redact(`${before} ${n} ${after}`)).toBe(`${before} [PHONE] ${after}`);
      }),
    );
  });

  it.each([
    // A lottery draw, times, dates
    'Open 0930-1800 every day, 08 09 10 07 09 in the draw',
    'Delivered 01.05.2024 at 10:30, back on 2024.05.08',
    // Labelled numbers
    'Order #9876543210 was late',
    '订单号 098765 43210',
    'Ticket: 06 12 34 56 78',
    // Brazil: a DDD with 0 is no area code; a price range
    '(10) 91234-5678 and 1234-5678',
    // Russia: grouped otherwise
    '8 912 34 56 789',
    // Decimals and quantities
    '9876543210.5 points and 9876543210mAh',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('redact: card numbers separated by dots', () => {
  it.each([
    ['Paid with 4111.1111.1111.1111 twice', 'Paid with [CARD] twice'],
    ['Amex 3782.822463.10005.', 'Amex [CARD].'],
    ['Card 4111.1111.1111.1112 (Luhn fails)', 'Card 4111.1111.1111.1112 (Luhn fails)'],
    ['Pi is 3.14159265358979, ok', 'Pi is 3.14159265358979, ok'],
    ['Build 4111.1111.1111.1111.2 is a version', 'Build 4111.1111.1111.1111.2 is a version'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('takes every Luhn-valid 16-digit number in dotted groups of four, and no Luhn-invalid one', () => {
    fc.assert(
      fc.property(context, digits(15, '3456'), fc.integer({ min: 1, max: 9 }), context, (before, body, bump, after) => {
        const valid = withLuhn(body);
        const invalid = body + ((Number(valid.slice(-1)) + bump) % 10);
        const dotted = (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1.');
        expect(redact(`${before} ${dotted(valid)} ${after}`)).toBe(`${before} [CARD] ${after}`);
        expect(redact(`${before} ${dotted(invalid)} ${after}`)).toBe(`${before} ${dotted(invalid)} ${after}`);
      }),
    );
  });
});

describe('redact: 15-digit Chinese resident identity numbers', () => {
  it.each([
    ['身份证110105900307123，请核实', '身份证[ID]，请核实'],
    ['ID 440306880229105.', 'ID [ID].'], // 29 February 1988, a leap year
    ['issued to 310115000101001 in 1984', 'issued to [ID] in 1984'], // 1 January 1900
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  // (None passes the Luhn check: CARD would take it.)
  it.each([
    ['province 10', '100105900307123'],
    ['province 90', '900105900307124'],
    ['month 13', '110105901307123'],
    ['30 February', '110105900230124'],
    ['29 February of 1985', '440306850229105'],
    ['labelled as an order', '订单号 110105900307123'],
    ['an order number of the brief', '订单号 202405011234567'],
    ['16 digits', '1101059003071234'],
  ])('leaves one with %s alone', (_, text) => {
    expect(redact(`号码 ${text}`)).toBe(`号码 ${text}`);
  });

  it('never leaves a valid one in surrounding text', () => {
    const provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51];
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const id = fc
      .tuple(
        fc.constantFrom(...provinces),
        fc.integer({ min: 0, max: 9999 }),
        fc.date({ min: new Date('1900-01-01T12:00:00'), max: new Date('1999-12-31T12:00:00'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(
        ([p, area, d, seq]) =>
          `${p}${pad(area, 4)}${pad(d.getFullYear() % 100, 2)}${pad(d.getMonth() + 1, 2)}${pad(d.getDate(), 2)}${pad(seq, 3)}`,
      );
    fc.assert(
      fc.property(context, id, context, (before, n, after) => {
        expect(redact(`${before} ${n} ${after}`)).toBe(`${before} [ID] ${after}`);
      }),
    );
  });
});

describe('redact: numbers that are no personal data', () => {
  it.each([
    '10:30',
    '2024-05-01',
    '2024.05.01',
    '01.05.2024',
    '¥1,299.00',
    'v2.10.3',
    '订单号 202405011234567',
    'Order #202405011234567',
    '3.5 stars',
    '99.9%',
    'Arrived 2024.05.01 10:30, paid ¥1,299.00 (v2.10.3), 3.5 stars, 99.9% sure',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('leaves times, dates, prices, versions, ratings, percentages, labelled order numbers and ordinary numbers alone', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = fc.tuple(
      fc.integer({ min: 1990, max: 2035 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    );
    const piece = fc.oneof(
      // Times
      fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
        .chain(([h, m, s]) => fc.constantFrom(`${pad(h)}:${pad(m)}`, `${pad(h)}:${pad(m)}:${pad(s)}`, `${h}点${m}分`)),
      // Dates, written the ISO, dotted, European, US and Chinese ways
      date.chain(([y, m, d]) =>
        fc.constantFrom(
          `${y}-${pad(m)}-${pad(d)}`,
          `${y}.${pad(m)}.${pad(d)}`,
          `${pad(d)}.${pad(m)}.${y}`,
          `${m}/${d}/${y}`,
          `${y}年${m}月${d}日`,
        ),
      ),
      // Prices
      fc
        .tuple(
          fc.integer({ min: 1, max: 99_999_999 }),
          fc.integer({ min: 0, max: 99 }),
          fc.constantFrom('¥', '$', '€', '£'),
        )
        .chain(([n, c, cur]) =>
          fc.constantFrom(
            `${cur}${n.toLocaleString('en-US')}.${pad(c)}`,
            `${cur}${n}`,
            `${n.toLocaleString('de-DE')},${pad(c)} €`,
          ),
        ),
      // Versions
      fc
        .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }))
        .chain(([a, b, c]) => fc.constantFrom(`v${a}.${b}.${c}`, `${a}.${b}.${c}`, `version ${a}.${b}`)),
      // Ratings and percentages
      fc.integer({ min: 0, max: 50 }).map((n) => `${(n / 10).toFixed(1)} stars`),
      fc.integer({ min: 0, max: 1000 }).map((n) => `${(n / 10).toFixed(1)}%`),
      // Order numbers labelled as such: a date, then a sequence (the brief's 订单号 202405011234567)
      fc
        .tuple(date, fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 12 }))
        .map(([[y, m, d], seq]) => `${y}${pad(m)}${pad(d)}${seq}`)
        // A Luhn-valid one of 13–19 digits reads as a card number even after a label (the card rule wins).
        .filter((n) => n.length < 13 || !luhnValid(n))
        // Nor can one that is a valid 18-digit identity number (redacted even when labelled, as documented).
        .filter((n) => !cnIdCheckValid(n))
        .chain((n) =>
          fc
            .constantFrom('订单号 ', '订单号：', '订单', 'Order #', 'order number ', 'Order no. ', 'ticket ')
            .map((l) => l + n),
        ),
      // Ordinary numbers, with or without thousands separators
      fc.integer({ min: 0, max: 99_999_999 }).chain((n) => fc.constantFrom(String(n), n.toLocaleString('en-US'))),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(', ', '，', ' and ', '; ', ' - ', '。'),
        (ps, sep) => {
          const text = ps.join(sep);
          expect(redact(text)).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
