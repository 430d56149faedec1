import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BIG5, createDecoder, sniffEncoding } from '../../../shared/ingest/encoding.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { ResumeState } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, runBytes } from './helpers.js';

/** Feedback in Traditional Chinese as a Taiwanese shop writes it (Big5 has trail bytes in the ASCII range: 許 = B3 5C). */
const TRADITIONAL = [
  '整體來說還不錯，但客服回覆太慢了。',
  '東西很好用，會再回購！',
  '退貨流程很麻煩，等了三天才有人處理',
  '電池續航力很差，一天要充兩次電',
  '包裝完整，出貨快速，推薦給大家',
  '螢幕顯示很清楚，價格也合理',
  'APP常常閃退，無法登入，希望盡快改善',
  '許功蓋',
];

/** The same feedback in Simplified Chinese, about as long. */
const SIMPLIFIED = [
  '整体来说还不错，但客服回复太慢了。',
  '东西很好用，会再回购！',
  '退货流程很麻烦，等了三天才有人处理',
  '电池续航很差，一天要充两次电',
  '包装完整，发货快速，推荐给大家',
  '屏幕显示很清楚，价格也合理',
  'APP经常闪退，无法登录，希望尽快改善',
  '物流很快',
];

/** Western feedback with accents, the euro sign and curly quotes (Excel's cp1252 on Western Windows). */
const WESTERN = [
  'Café was great — merci!',
  'It’s fine, but the “express” delivery took 5 days',
  'Très déçu, la qualité n’est pas au rendez-vous',
  'Größe passt nicht, Rückgabe dauerte zu lange',
  '¿Dónde está mi pedido? Llegó tarde',
  'Not bad for 20 €… would buy again',
  'Não gostei, a aplicação é lenta',
  'Smörgåsbord à la carte, naïve façade',
];

function csv(texts: readonly string[], header = 'Review ID,Date,Rating,Comment'): string {
  const rows = texts.map((t, i) => `r${i + 1},2024-05-0${(i % 9) + 1} 10:00,${(i % 5) + 1},"${t}"`);
  return `${header}\r\n${rows.join('\r\n')}\r\n`;
}

function encode(text: string, encoding: string): Uint8Array {
  return Uint8Array.from(iconv.encode(text, encoding));
}

/** English rows filling more than `bytes`, then `tail` rows: the sniff window sees nothing but ASCII. */
function asciiFirst(bytes: number, tail: readonly string[]): string {
  const rows: string[] = ['Review ID,Date,Rating,Comment'];
  let size = 0;
  for (let i = 1; size <= bytes; i++) {
    const row = `en-${i},2024-05-01 10:00,${(i % 5) + 1},"Review number ${i}: the app works fine but sync could be faster."`;
    rows.push(row);
    size += row.length + 1;
  }
  tail.forEach((t, i) => {
    rows.push(`zz-${i},2024-05-02 10:00,${(i % 5) + 1},"${t}"`);
  });
  return `${rows.join('\n')}\n`;
}

describe('sniffEncoding between GB18030, Big5 and Windows-1252', () => {
  it.each([
    ['Big5 Traditional text', TRADITIONAL, 'big5', BIG5],
    ['GBK Simplified text of similar length', SIMPLIFIED, 'gbk', 'gb18030'],
    ['cp1252 Western text', WESTERN, 'windows-1252', 'windows-1252'],
  ])('recognises %s and reads it back exactly', async (_, texts, as, expected) => {
    // Prepare
    const bytes = encode(csv(texts), as);
    // Act
    const guess = sniffEncoding(bytes, true);
    const { report, records } = await runBytes(chunks(bytes, 5), 'x.csv');
    // Assess
    expect(guess).toEqual({ encoding: expected, bomLength: 0 });
    expect(report.encoding).toBe(expected);
    expect(report.warnings).toEqual([]);
    expect(records.map((r) => r.text)).toEqual(texts);
  });

  it('recognises a short Big5 file: English headers and three one-word rows', async () => {
    // Prepare
    const bytes = encode(csv(['很好', '不錯', '還可以']), 'big5');
    // Act
    const { report, records } = await runBytes(chunks(bytes), 'x.csv');
    // Assess
    expect(bytes.length).toBeLessThan(200);
    expect(report.encoding).toBe('big5');
    expect(records.map((r) => r.text)).toEqual(['很好', '不錯', '還可以']);
  });

  it('recognises a short GBK file of the same shape', async () => {
    // Prepare
    const bytes = encode(csv(['很好', '不错', '还可以']), 'gbk');
    // Act
    const { report, records } = await runBytes(chunks(bytes), 'x.csv');
    // Assess
    expect(report.encoding).toBe('gb18030');
    expect(records.map((r) => r.text)).toEqual(['很好', '不错', '还可以']);
  });

  it('reads Traditional column names from a Big5 header', async () => {
    // Prepare
    const bytes = encode('評論編號,評論內容,評分\r\nt1,東西很好用,5\r\nt2,退貨流程很麻煩,2\r\n', 'big5');
    // Act
    const meta = await readExport(chunks(bytes), { ...baseOptions, fileName: 'x.csv' }).meta();
    // Assess
    expect(meta.encoding).toBe('big5');
    expect(meta.seenColumns).toEqual(['評論編號', '評論內容', '評分']);
  });

  it('keeps the first 64 KiB of a long Big5 file whole when the sample ends mid-character', () => {
    // Prepare: the cut falls inside a two-byte character; the sample is not the whole file.
    const bytes = encode(
      csv(Array.from({ length: 2000 }, (_, i) => TRADITIONAL[i % TRADITIONAL.length] ?? '')),
      'big5',
    );
    let cut = 64 * 1024;
    while ((bytes[cut - 1] as number) < 0x80) cut++;
    // Act
    const guess = sniffEncoding(bytes.subarray(0, cut), false);
    // Assess
    expect(guess.encoding).toBe('big5');
  });

  it('keeps GB18030 four-byte emoji as GB18030', () => {
    // Prepare
    const bytes = encode(csv(['很好😀👍', '😡😡 差评', '还行🙂']), 'gb18030');
    // Act + Assess
    expect(sniffEncoding(bytes, true).encoding).toBe('gb18030');
  });

  it('keeps Traditional text in UTF-8 and UTF-16, with and without BOM', () => {
    // Prepare
    const text = csv(TRADITIONAL);
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    // Act + Assess
    expect(sniffEncoding(encode(text, 'utf-8'), true).encoding).toBe('utf-8');
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), true)).toEqual({
      encoding: 'utf-8-bom',
      bomLength: 3,
    });
    expect(sniffEncoding(Buffer.from(text, 'utf16le'), true).encoding).toBe('utf-16le');
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), true)).toEqual({
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(sniffEncoding(utf16be, true).encoding).toBe('utf-16be');
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), true).encoding).toBe('utf-16be');
  });

  it('keeps UTF-8 with one stray byte as UTF-8 rather than reading it all as mojibake', () => {
    // Prepare
    const good = Buffer.from(csv([...WESTERN, ...SIMPLIFIED]));
    const bytes = Buffer.concat([good, Buffer.from('r99,2024-05-01 10:00,3,"bad \x92 byte"\r\n', 'latin1')]);
    // Act + Assess
    expect(sniffEncoding(bytes, true).encoding).toBe('utf-8');
  });

  it('marks a sample of pure ASCII as undecided', () => {
    // Act + Assess
    expect(sniffEncoding(Buffer.from(csv(['plain text'])), false)).toEqual({
      encoding: 'utf-8',
      bomLength: 0,
      undecided: true,
    });
  });
});

describe('createDecoder("big5")', () => {
  it('decodes any text the same whatever the chunk boundaries', () => {
    const text = fc
      .array(fc.constantFrom('a', ',', '\n', '"', '好', '評', '許', '功', '蓋', '！', '，', '€'), { maxLength: 60 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (t, rawCuts) => {
        const bytes = encode(t, 'big5');
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const decoder = createDecoder(BIG5);
        let out = '';
        let start = 0;
        for (const cut of [...cuts, bytes.length]) {
          out += decoder.write(bytes.subarray(start, cut));
          start = cut;
        }
        expect(out + decoder.end()).toBe(t);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a file whose sniff window is pure ASCII', () => {
  it.each([
    ['GBK', 'gbk', 'gb18030', SIMPLIFIED],
    ['Big5', 'big5', 'big5', TRADITIONAL],
    ['cp1252', 'windows-1252', 'windows-1252', WESTERN],
  ])('switches to %s at the first non-ASCII byte, past 64 KiB', async (_, as, expected, tail) => {
    // Prepare
    const bytes = encode(asciiFirst(300 * 1024, tail), as);
    // Act
    const { report, records } = await runBytes(chunks(bytes, 4093), 'x.csv');
    // Assess
    expect(report.encoding).toBe(expected);
    expect(report.warnings).toEqual([]);
    expect(records.slice(-tail.length).map((r) => r.text)).toEqual(tail);
    expect(records[0]?.text).toBe('Review number 1: the app works fine but sync could be faster.');
  });

  it('switches whatever the chunk boundaries around the first non-ASCII byte', async () => {
    // Prepare
    const bytes = encode(asciiFirst(70 * 1024, SIMPLIFIED), 'gbk');
    // Act
    for (const size of [1, 7, 64 * 1024, 70 * 1024]) {
      const { report, records } = await runBytes(chunks(bytes, size), 'x.csv');
      // Assess
      expect(report.encoding).toBe('gb18030');
      expect(records.slice(-SIMPLIFIED.length).map((r) => r.text)).toEqual(SIMPLIFIED);
    }
  });

  it('stays UTF-8 with exact byte offsets when the later text is UTF-8', async () => {
    // Prepare
    const bytes = encode(asciiFirst(100 * 1024, TRADITIONAL), 'utf-8');
    const reader = readExport(chunks(bytes, 4096), { ...baseOptions, fileName: 'x.csv' });
    // Act
    const out = await collect(reader);
    // Assess
    const meta = await reader.meta();
    expect(meta.encoding).toBe('utf-8');
    expect(meta.resumeMode).toBe('byte-offset');
    expect(reader.checkpoint()?.byteOffset).toBe(bytes.length);
    expect(out.filter((o) => o.kind === 'warning')).toEqual([]);
  });

  it('keeps exact byte offsets for a file that is ASCII to the end', async () => {
    // Prepare
    const bytes = encode(asciiFirst(100 * 1024, ['plain English at the end']), 'utf-8');
    const reader = readExport(chunks(bytes, 4096), { ...baseOptions, fileName: 'x.csv' });
    // Act
    await collect(reader);
    // Assess
    expect((await reader.meta()).resumeMode).toBe('byte-offset');
    expect(reader.checkpoint()).toMatchObject({ byteOffset: bytes.length, parser: { encoding: 'utf-8' } });
  });

  it('switches a JSON Lines file too', async () => {
    // Prepare
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 80 * 1024; i++)
      lines.push(JSON.stringify({ id: i, comment: `fine ${i}` }));
    SIMPLIFIED.forEach((t, i) => {
      lines.push(JSON.stringify({ id: `zh-${i}`, comment: t }));
    });
    const bytes = encode(`${lines.join('\n')}\n`, 'gbk');
    // Act
    const { report, records } = await runBytes(chunks(bytes, 4096), 'x.jsonl');
    // Assess
    expect(report.format).toBe('jsonl');
    expect(report.encoding).toBe('gb18030');
    expect(records.slice(-SIMPLIFIED.length).map((r) => r.text)).toEqual(SIMPLIFIED);
  });

  it('settles the encoding on a resume from a checkpoint taken while the file was still ASCII', async () => {
    // Prepare
    // Far enough before the first non-ASCII byte that the reader has not read ahead to it.
    const bytes = encode(asciiFirst(300 * 1024, SIMPLIFIED), 'gbk');
    const options = { ...baseOptions, fileName: 'x.csv' };
    const full = await collect(readExport(chunks(bytes, 4096), options));
    const first = readExport(chunks(bytes, 4096), options);
    const head = await collect(first, 10);
    const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
    expect(state.parser).toMatchObject({ encoding: 'utf-8', encodingUndecided: true });
    // Act
    const resumed = readExport(chunks(bytes.subarray(state.byteOffset ?? 0), 4096), { ...options, resume: state });
    const rest = await collect(resumed);
    // Assess
    expect(state.byteOffset).toBeGreaterThan(0);
    expect((await resumed.meta()).encoding).toBe('gb18030');
    expect(resumed.checkpoint()?.parser).toMatchObject({ encoding: 'gb18030' });
    expect(resumed.checkpoint()?.parser.encodingUndecided).toBeUndefined();
    expect([...head, ...rest]).toEqual(full);
  });

  it('resumes from a checkpoint taken after the switch by re-reading in the encoding found', async () => {
    // Prepare
    const tail = [...SIMPLIFIED, ...SIMPLIFIED.map((t) => `${t}！`)];
    const bytes = encode(asciiFirst(70 * 1024, tail), 'gbk');
    const options = { ...baseOptions, fileName: 'x.csv' };
    const full = await collect(readExport(chunks(bytes, 4096), options));
    const last = full.at(-1)?.row ?? 0;
    const first = readExport(chunks(bytes, 4096), options);
    const head = await collect(first, last - 4);
    const state = JSON.parse(JSON.stringify(first.checkpoint())) as ResumeState;
    // Act
    const rest = await collect(readExport(chunks(bytes, 4096), { ...options, resume: state }));
    // Assess
    expect(state.byteOffset).toBeUndefined();
    expect(state.parser.encoding).toBe('gb18030');
    expect((await first.meta()).resumeMode).toBe('skip-records');
    expect([...head, ...rest]).toEqual(full);
  });
});

describe('UTF-8 decided on the whole evidence', () => {
  const utf8 = (text: string) => Buffer.from(text, 'utf8');

  it.each([
    ['a two-byte character', 'Merci beaucoup Zoë'],
    ['a three-byte character', '物流很快，非常满意'],
    ['a four-byte emoji', 'Great app 😀'],
  ])('keeps a small file cut inside %s as UTF-8 and warns on the row', async (_what, text) => {
    // Prepare: a short export whose last character lost its last byte (a truncated download).
    const whole = utf8(`Review ID,Rating,Comment\nr1,5,Ça marche\nr2,4,Nice app\nr3,3,${text}`);
    const bytes = whole.subarray(0, whole.length - 1);
    // Act
    const { report } = await runBytes(chunks(bytes, 64), 'cut.csv');
    // Assess
    expect(report.encoding).toBe('utf-8');
    expect(report.rows.total).toBe(3);
    expect(report.warnings.some((w) => w.row === 3 && w.code === 'INVALID_BYTES')).toBe(true);
  });

  it('keeps 3,000 ASCII rows followed by one cut UTF-8 row as UTF-8', async () => {
    const whole = utf8(`${asciiFirst(100_000, [])}zz-1,2024-05-02 10:00,1,质量太差，用了两天就坏了`);
    const bytes = whole.subarray(0, whole.length - 1); // cuts 了
    const { report } = await runBytes(chunks(bytes, 4096), 'late-cut.csv');
    expect(report.encoding).toBe('utf-8');
    expect(report.warnings.some((w) => w.code === 'INVALID_BYTES')).toBe(true);
  });

  it('keeps a UTF-8 file with one corrupted row as UTF-8, warning on that row only', async () => {
    const good = csv([...SIMPLIFIED, ...WESTERN]);
    const bad = Buffer.from('r99,2024-05-01 10:00,3,"caf\xe9 au lait \xe0 volont\xe9"\r\n', 'latin1');
    const { report } = await runBytes(chunks(Buffer.concat([utf8(good), bad]), 512), 'one-bad-row.csv');
    expect(report.encoding).toBe('utf-8');
    expect(report.warnings.filter((w) => w.code === 'INVALID_BYTES').map((w) => w.row)).toEqual([17]);
  });

  it('still reads legacy files whose every non-ASCII line is ill-formed UTF-8', () => {
    expect(sniffEncoding(encode(csv(SIMPLIFIED), 'gb18030'), true).encoding).toBe('gb18030');
    expect(sniffEncoding(encode(csv(WESTERN), 'win1252'), true).encoding).toBe('windows-1252');
    // One accented word at the end of a cp1252 file is no UTF-8 evidence.
    expect(sniffEncoding(encode(csv(['plain', 'café']), 'win1252'), true).encoding).toBe('windows-1252');
  });
});
