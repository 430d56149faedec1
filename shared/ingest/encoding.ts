import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import { FileRejectedError } from '../domain/errors.js';
import { diagnostic } from './diagnostic.js';
import type { TextEncoding } from './types.js';

/**
 * Traditional Chinese as Excel saves it on Taiwanese and Hong Kong Windows (code page 950, decoded with iconv-lite's
 * Big5-HKSCS table, a superset).
 */
export const BIG5: TextEncoding = 'big5';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /**
   * The sample held only ASCII (no BOM, no byte ≥ 0x80): it is evidence for no encoding. `encoding` is then `utf-8`,
   * which reads ASCII like every candidate; {@link LateEncoding} settles it at the first non-ASCII byte.
   */
  undecided?: boolean;
}

/** Bytes that Windows-1252 leaves undefined: their presence rules it out. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Chooses the encoding from evidence in the file's first bytes: a BOM, the NUL pattern of UTF-16, strict UTF-8
 * validity, then how plausible the text reads as GB18030, Big5 and Windows-1252 (see {@link chooseLegacy}). A cp1252
 * file also decodes as GBK or Big5 without error, so a clean decode alone is never taken as proof.
 */
export function sniffEncoding(sample: Uint8Array, atEof: boolean): EncodingGuess {
  const b0 = sample[0];
  const b1 = sample[1];
  const b2 = sample[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8-bom', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  const utf16 = utf16WithoutBom(sample);
  if (utf16 !== undefined) return { encoding: utf16, bomLength: 0 };
  if (isAscii(sample)) return { encoding: 'utf-8', bomLength: 0, undecided: true };
  if (readsAsUtf8(sample, atEof)) return { encoding: 'utf-8', bomLength: 0 };
  const legacy = chooseLegacy(sample, atEof);
  if (legacy !== undefined) return { encoding: legacy, bomLength: 0 };
  throw new FileRejectedError(
    'UNKNOWN_ENCODING',
    diagnostic`The file is not valid UTF-8 or UTF-16, and its high bytes fit neither GB18030, Big5 nor Windows-1252.`,
  );
}

/** UTF-16 without BOM: most code units of ASCII text have a zero high byte on one side. */
function utf16WithoutBom(sample: Uint8Array): TextEncoding | undefined {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZero++;
    if (sample[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.6 && evenZero / pairs < 0.05) return 'utf-16le';
  if (evenZero / pairs > 0.6 && oddZero / pairs < 0.05) return 'utf-16be';
  return undefined;
}

/** Strict UTF-8 check; a sequence cut by the end of a non-final sample is allowed. */
export function isUtf8(bytes: Uint8Array, atEof: boolean): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = utf8SequenceLength(bytes, i);
    if (need === 0) return false;
    if (need < 0) return !atEof && tailIsContinuation(bytes, i + 1, n);
    i += need;
  }
  return true;
}

/**
 * Length of the well-formed UTF-8 sequence at `i` (a byte ≥ 0x80): 2–4, 0 when malformed, -1 when the bytes end
 * inside it.
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const c = bytes[i] as number;
  let need: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) {
    need = 1;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    min = 0x10000;
  } else return 0;
  if (i + need >= bytes.length) return -1;
  let cp = c & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const t = bytes[i + k] as number;
    if ((t & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (t & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

function tailIsContinuation(bytes: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) return false;
  return true;
}

/**
 * UTF-8 with a few stray bytes (a corrupted cell): nearly all high bytes form well-formed multi-byte sequences. Text
 * in a legacy encoding forms them only by accident (GBK about one character in six, cp1252 almost never), so this
 * keeps such a file UTF-8 (the stray bytes become U+FFFD) instead of reading all of it as mojibake.
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] as number) < 0x80) {
      i++;
      continue;
    }
    const need = utf8SequenceLength(bytes, i);
    if (need > 0) {
      valid++;
      i += need;
    } else {
      if (need < 0) break;
      invalid++;
      i++;
    }
  }
  return valid >= 8 && valid >= 19 * invalid;
}

/**
 * Whether the bytes are UTF-8 on the whole evidence: strictly valid, mostly valid ({@link mostlyUtf8}), or valid but
 * for a character cut by the end of the file or stray bytes confined to one line while other lines hold well-formed
 * multi-byte characters. A cut last character or one corrupted row then keeps the file UTF-8 (the bad bytes become
 * U+FFFD and their row an `INVALID_BYTES` warning) instead of switching the whole file to a legacy reading. Legacy
 * text (GBK, Big5, cp1252) has ill-formed sequences on every line that holds non-ASCII text.
 */
function readsAsUtf8(bytes: Uint8Array, atEof: boolean): boolean {
  if (isUtf8(bytes, atEof) || mostlyUtf8(bytes)) return true;
  const flaws = utf8Flaws(bytes);
  if (flaws.badLines.size === 0) return true;
  if (flaws.badLines.size > 1) return false;
  const [bad] = flaws.badLines;
  let otherLines = 0;
  for (const line of flaws.validLines) if (line !== bad) otherLines++;
  return otherLines >= 2;
}

/** Lines with well-formed and with ill-formed multi-byte sequences (a sequence cut by the end of the bytes is neither). */
function utf8Flaws(bytes: Uint8Array): { validLines: Set<number>; badLines: Set<number> } {
  const validLines = new Set<number>();
  const badLines = new Set<number>();
  let line = 0;
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      if (c === 0x0a) line++;
      i++;
      continue;
    }
    const need = utf8SequenceLength(bytes, i);
    if (need < 0) break;
    if (need > 0) {
      validLines.add(line);
      i += need;
    } else {
      badLines.add(line);
      i++;
    }
  }
  return { validLines, badLines };
}

// ---------------------------------------------------------------------------------------------------------------
// GB18030, Big5 or Windows-1252: which reading makes sense.

/**
 * The most frequent characters of written Chinese (about 1,000 Simplified, then the Traditional forms of the same
 * ranks that differ), plus feedback vocabulary. Correctly decoded Chinese is ~90 % these; GBK bytes read as Big5 (or
 * the reverse) land on them about one time in twenty, as the code spaces overlap but do not line up.
 */
const COMMON_HAN_TEXT =
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实' +
  '日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解' +
  '水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直资命山金指许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色' +
  '路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具字爱流备连调深商算质团集百' +
  '需价花华城石级整府离况请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列红响虽推势参希古众构房' +
  '半节土投某案黑维划致律足态护七兴派孩验责营星够章音跟志底站严例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害双境客纪采举父密低朝友诉止细愿千值仍男钱破网热助倒育属坐限船脸职速刻乐否刚' +
  '毛状率甚独球般普怕校苦创假久错承印晚试股拿脑预谁益若哪微继送急血惊伤素药适波夜省初喜源食险待述置居劳财环排福纳欢获模充负停木游树疑层冷射略范竟句室异激简卡罪判担静退既衣您宗积余痛检差富灵角占配征修皮胜' +
  '降审沉坚善妈读啊超免压银买养怀执副乱抗追帮宣岁优怪香著田控左右份穿背草脚概恶块顿敢守酒托央户烈洋哥款靠评版宝座释景顾弟登货互付慢换闻危忙核暗姐介坏讨良序升监临亮露永呼味野架域沙掉括鱼杂误减编肯测败屋跑' +
  '梦散温困渐封救贵缺楼尚毫移朋画班智亦耳短掌恐遗固席松秘谢遇康虑幸均销钟藏赶剧票损忽巨旧端探录春附吸予礼雨呀板庭归睛饭额含顺输招婚脱补督油旅材灭逐莫笔亡鲜词择寻厂睡烟授诺岸卖载健堂旁宫喝借禁阴园避抓荣逃' +
  '牙束跳顶玉雪午练迫篇肉嘴馆遍凡础洞卷牛宁纸训私祖丝翻暴森默握戏隐熟骨访弱歌店鬼软典欲伙遭盘爸扩盖弄稳忘亿刺拥徒齐赛趣曲刀床迎冰虚玩析窗醒妻透购替休途侵绿兄迅套贸毕唯轮库迹尤竞街促延震弃伟麻缓潜闪售灯针' +
  '這個們來為國說時會對於過發後裡種經麼學現當沒動還進樣開從實軍無與長機關點業將兩間問並應戰頭體見產製話內給門兒東聲員論處義幾認條氣題別變總電數報結務場計資許統區隊決馬書則聽卻達強難權設記類據邊張該規萬覺' +
  '術領確傳師觀讓識帶導爭運飛風乾聯組濟車親極辦議證轉準遠單愛備連調質團價華級離況請際約復線斷滿視須寫稱嗎輕農裝廣顯標談圖歷醫專費號盡較語僅隨選紅響雖勢參眾構節維劃態護興驗責營夠嚴續講終緊黃絕項圍織雙紀採' +
  '舉訴細願錢網熱屬臉職樂剛狀獨創錯試腦預誰繼驚傷藥適險勞財環納歡獲負遊樹層範異簡擔靜積餘檢靈佔徵勝審堅媽讀壓銀買養懷執亂幫歲優腳惡塊頓戶評寶釋顧貨換聞壞討監臨魚雜誤減編測敗夢溫漸貴樓畫遺祕謝慮銷鐘趕劇損' +
  '舊錄禮歸飯額順輸脫補滅筆鮮詞擇尋廠煙諾賣載宮陰園榮頂練館礎寧紙訓絲戲隱訪軟夥盤擴蓋穩億擁齊賽虛購綠貿畢輪庫跡競棄偉緩潛閃燈針絡' +
  '荐薦垃圾昵暱嗯耶航账帳馈饋歉盒週哈嘿喔嘛赞讚';

const HAN_FIRST = 0x4e00;
const HAN_LAST = 0x9fff;
const COMMON_HAN = (() => {
  const set = new Uint8Array(HAN_LAST - HAN_FIRST + 1);
  for (let i = 0; i < COMMON_HAN_TEXT.length; i++) set[COMMON_HAN_TEXT.charCodeAt(i) - HAN_FIRST] = 1;
  return set;
})();

/**
 * Hanzi an encoding's main block holds: GB2312 (B0A1–F7FE) for GB18030, Big5 level 1 (A440–C67E, the 5,401 "常用字")
 * for Big5. A rare character from there is neutral evidence; one from GBK's or Big5's extensions (what a wrong
 * decoding mostly lands on) counts against. Built on first use, from the decoders themselves.
 */
let primaryHan: { gb: Uint8Array; big5: Uint8Array } | undefined;

function primaryHanTables(): { gb: Uint8Array; big5: Uint8Array } {
  primaryHan ??= {
    gb: hanDecodedFrom('gb18030', 0xb0, 0xf7, [[0xa1, 0xfe]]),
    big5: hanDecodedFrom('big5', 0xa4, 0xc6, [
      [0x40, 0x7e],
      [0xa1, 0xfe],
    ]),
  };
  return primaryHan;
}

function hanDecodedFrom(encoding: string, firstLead: number, lastLead: number, trails: [number, number][]): Uint8Array {
  const pairs: number[] = [];
  for (let lead = firstLead; lead <= lastLead; lead++) {
    for (const [from, to] of trails) for (let t = from; t <= to; t++) pairs.push(lead, t);
  }
  const set = new Uint8Array(HAN_LAST - HAN_FIRST + 1);
  const text = iconv.decode(Buffer.from(pairs), encoding);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= HAN_FIRST && c <= HAN_LAST) set[c - HAN_FIRST] = 1;
  }
  return set;
}

/** Big5 must read this much better than GB18030 (the more common encoding among our users) to be chosen. */
const BIG5_MARGIN = 0.1;

/**
 * Between GB18030, Big5 and Windows-1252, the reading whose characters look most like real text (mean plausibility per
 * non-ASCII character, see {@link hanPlausibility} and {@link cp1252Plausibility}). Chinese wins a tie unless it reads
 * worse than neutral: a common hanzi is stronger evidence than an accented letter, which Big5 trail bytes in the ASCII
 * range imitate (`是` = AC 4F, `¬O`), and a lone rare hanzi (a name) reads as odd Latin-1 pairs (`鑫` = F6 CE, `öÎ`).
 */
function chooseLegacy(sample: Uint8Array, atEof: boolean): TextEncoding | undefined {
  const bytes = asBuffer(atEof ? sample : wholeLines(sample));
  const tables = primaryHanTables();
  const gb = hanPlausibility(iconv.decode(bytes, 'gb18030'), tables.gb);
  const big5 = hanPlausibility(iconv.decode(bytes, 'big5'), tables.big5);
  const cjk = big5 > gb + BIG5_MARGIN ? BIG5 : 'gb18030';
  const cjkScore = Math.max(gb, big5);
  const western = cp1252Plausibility(bytes);
  if (cjkScore >= 0 && cjkScore >= western) return cjk;
  if (western > Number.NEGATIVE_INFINITY) return 'windows-1252';
  return undefined;
}

/** The sample up to its last line break, so that no multi-byte character is cut (0x0A is never a trail byte). */
function wholeLines(sample: Uint8Array): Uint8Array {
  const nl = sample.lastIndexOf(0x0a);
  return nl > 0 ? sample.subarray(0, nl + 1) : sample;
}

function asBuffer(c: Uint8Array): Buffer {
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/**
 * Mean plausibility of the non-ASCII characters of a Chinese decoding: a common hanzi or an emoji (a GB18030 four-byte
 * sequence, a shape Western text never makes) 1, CJK punctuation 0.5, another hanzi of the main block, symbols and
 * shapes 0, a hanzi from
 * its extensions -0.5, replacement and private-use characters -2 (bytes the encoding does not define, or user-defined
 * areas no export uses), and anything else -1 (kana, bopomofo, radicals, extension-A and compatibility ideographs,
 * Latin-1, Cyrillic, box drawing: what a wrong decoding yields).
 */
function hanPlausibility(text: string, primary: Uint8Array): number {
  let n = 0;
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    n++;
    if (c >= HAN_FIRST && c <= HAN_LAST) {
      if (COMMON_HAN[c - HAN_FIRST] === 1) score += 1;
      else if (primary[c - HAN_FIRST] !== 1) score -= 0.5;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const cp = text.codePointAt(i) as number;
      i++;
      score += cp >= 0x1f000 && cp <= 0x1faff ? 1 : -1;
    } else if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff5e) || (c >= 0x2010 && c <= 0x2027))
      score += 0.5;
    else if (c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) score -= 2;
    else if (
      c === 0xb7 ||
      c === 0xd7 ||
      c === 0xf7 ||
      (c >= 0x2100 && c <= 0x24ff) ||
      (c >= 0x25a0 && c <= 0x27bf) ||
      (c >= 0xfe30 && c <= 0xfe6f) ||
      (c >= 0xffe0 && c <= 0xffe6)
    ) {
      // Neutral: letterlike symbols, arrows, circled numbers, shapes, stars, small and full-width forms.
    } else score -= 1;
  }
  return n === 0 ? 0 : score / n;
}

/** Windows-1252 bytes ≥ 0x80 that are letters: Š Œ Ž š œ ž Ÿ and À–ÿ except × ÷. */
function cp1252Letter(b: number): boolean {
  return b >= 0xc0
    ? b !== 0xd7 && b !== 0xf7
    : b === 0x8a || b === 0x8c || b === 0x8e || b === 0x9a || b === 0x9c || b === 0x9e || b === 0x9f;
}

/** Windows-1252 punctuation common in Western text: € ‚ „ … ‹ ‘ ’ “ ” • – — ™ › NBSP ¡ £ © « ® ° · » ¿. */
const CP1252_PUNCTUATION = new Set([
  0x80, 0x82, 0x84, 0x85, 0x8b, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x99, 0x9b, 0xa0, 0xa1, 0xa3, 0xa9, 0xab,
  0xae, 0xb0, 0xb7, 0xbb, 0xbf,
]);

function asciiLetter(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
}

/**
 * Mean plausibility of the high bytes read as Windows-1252 (-Infinity when one is undefined there). Western text has
 * them isolated: a letter touching an ASCII letter (`Café`) 1, a lone letter (` à `) 0.5, common punctuation 1 in a run
 * of at most two, rarer symbols (`¤ ¦ ª ¬ ³ º ½`: the Big5 lead bytes 0xA4–0xBF) -0.5. Every byte of a run of three or
 * more high bytes, as Chinese makes and Western text hardly does, costs a further 0.5.
 */
function cp1252Plausibility(bytes: Uint8Array): number {
  let n = 0;
  let score = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] as number) < 0x80) {
      i++;
      continue;
    }
    let j = i;
    while (j < bytes.length && (bytes[j] as number) >= 0x80) j++;
    const run = j - i;
    const letterBefore = asciiLetter(bytes[i - 1]);
    const letterAfter = asciiLetter(bytes[j]);
    for (let k = i; k < j; k++) {
      const b = bytes[k] as number;
      if (CP1252_UNDEFINED.has(b)) return Number.NEGATIVE_INFINITY;
      n++;
      if (cp1252Letter(b)) {
        if ((k === i && letterBefore) || (k === j - 1 && letterAfter)) score += 1;
        else if (run === 1) score += 0.5;
      } else if (CP1252_PUNCTUATION.has(b)) {
        if (run <= 2) score += 1;
      } else score -= 0.5;
      if (run >= 3) score -= 0.5;
    }
    i = j;
  }
  return n === 0 ? 0 : score / n;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding.

/** A streaming decoder from raw bytes to text for the chosen encoding. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
    const td = new TextDecoder(label, { ignoreBOM: true });
    return { write: (c) => td.decode(c, { stream: true }), end: () => td.decode() };
  }
  if (encoding === 'windows-1252' || encoding === BIG5) {
    // iconv-lite's Big5 decoder keeps a lead byte cut off by the chunk end for the next write.
    const dec = iconv.getDecoder(encoding === BIG5 ? 'big5' : 'windows-1252');
    return {
      write: (c) => dec.write(asBuffer(c)),
      end: () => dec.end() ?? '',
    };
  }
  // iconv-lite's streaming GB18030 decoder drops a character when a chunk ends three bytes into a four-byte
  // sequence (emoji, rare CJK). Hand it only whole sequences and carry an incomplete tail to the next chunk.
  const dec = iconv.getDecoder('gb18030');
  let carry: Uint8Array = new Uint8Array(0);
  return {
    write: (c) => {
      const bytes = carry.length === 0 ? c : concatBytes(carry, c);
      const whole = gb18030WholeLength(bytes);
      carry = bytes.slice(whole);
      return whole === 0 ? '' : dec.write(Buffer.from(bytes.buffer, bytes.byteOffset, whole));
    },
    end: () => {
      const tail = carry.length > 0 ? dec.write(Buffer.from(carry)) : '';
      carry = new Uint8Array(0);
      return tail + (dec.end() ?? '');
    },
  };
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Length of the prefix of `bytes` made of whole GB18030 sequences: one byte below 0x81 (or 0xFF), two bytes after a
 * lead byte 0x81–0xFE, four bytes when the second byte is a digit 0x30–0x39.
 */
export function gb18030WholeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x81 || b === 0xff) {
      i++;
      continue;
    }
    if (i + 1 >= n) return i;
    const b2 = bytes[i + 1] as number;
    const size = b2 >= 0x30 && b2 <= 0x39 ? 4 : 2;
    if (i + size > n) return i;
    i += size;
  }
  return n;
}

/** Node Buffer encoding that csv-parse can consume directly (keeping byte offsets exact), if any. */
export function nativeBufferEncoding(encoding: TextEncoding): 'utf8' | 'utf16le' | undefined {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return 'utf8';
  if (encoding === 'utf-16le') return 'utf16le';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Files whose sniffed beginning is pure ASCII.

/** Bytes sniffed from a file's first non-ASCII byte on, and ASCII context kept before it. */
const LATE_SNIFF_BYTES = 64 * 1024;
const LATE_CONTEXT_BYTES = 256;

/**
 * Settles the encoding of a file whose sniff window held only ASCII (English rows first, Chinese rows later). The
 * bytes are handed on unchanged, to be parsed as UTF-8, while they are ASCII, which every candidate decodes the same.
 * At the first byte ≥ 0x80 the next {@link LATE_SNIFF_BYTES} are sniffed (with a little ASCII context); if they are
 * UTF-8 nothing changes, otherwise the rest of the stream is decoded with the encoding found and handed on as UTF-8.
 * Memory stays bounded by the sniff window, however far into the file the first non-ASCII byte is.
 *
 * After such a switch the parser's byte offsets no longer match the raw file: {@link rows} drops them from the records
 * that end past the switch (their checkpoints then resume by skipping records, reading the file in the encoding
 * found), and {@link onSettle} lets the caller record the encoding.
 */
export class LateEncoding {
  /** Encoding of the file once its first non-ASCII byte has been seen; undefined while all of it is ASCII. */
  encoding: TextEncoding | undefined;
  /** Offset, in the bytes handed on (counted from `startOffset`), where transcoded bytes begin. */
  private switchAt = Number.POSITIVE_INFINITY;
  private readonly listeners: ((encoding: TextEncoding) => void)[] = [];

  /** @param startOffset offset of the first byte handed on, as the parser counts its record ends. */
  constructor(private readonly startOffset = 0) {}

  /**
   * Calls `listener` with the encoding once it is settled at the first non-ASCII byte (at once if it already is):
   * `utf-8` leaves the stream as it was; anything else means the rest is transcoded and byte offsets are gone. Never
   * called for a file that is ASCII to the end.
   */
  onSettle(listener: (encoding: TextEncoding) => void): void {
    if (this.encoding !== undefined) listener(this.encoding);
    else this.listeners.push(listener);
  }

  /** The input with everything from a non-UTF-8 switch on transcoded to UTF-8. */
  async *bytes(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const it = input[Symbol.asyncIterator]();
    let offset = this.startOffset;
    let previous: Uint8Array | undefined;
    let done = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done === true) {
          done = true;
          return;
        }
        const chunk = r.value;
        if (isAscii(chunk)) {
          offset += chunk.byteLength;
          if (chunk.byteLength > 0) previous = chunk;
          yield chunk;
          continue;
        }
        const k = firstNonAscii(chunk);
        const context = asciiContext(previous, chunk.subarray(0, k));
        if (k > 0) yield chunk.subarray(0, k);
        offset += k;
        const parts: Uint8Array[] = [chunk.subarray(k)];
        let size = chunk.byteLength - k;
        while (size < LATE_SNIFF_BYTES) {
          const n = await it.next();
          if (n.done === true) {
            done = true;
            break;
          }
          parts.push(n.value);
          size += n.value.byteLength;
        }
        const window = Buffer.concat(parts);
        const encoding = sniffLate(Buffer.concat([context, window]), done);
        this.encoding = encoding;
        if (encoding !== 'utf-8') this.switchAt = offset;
        for (const listener of this.listeners.splice(0)) listener(encoding);
        if (encoding === 'utf-8') {
          yield window;
        } else {
          const decoder = createDecoder(encoding);
          yield Buffer.from(decoder.write(window), 'utf8');
          while (!done) {
            const n = await it.next();
            if (n.done === true) done = true;
            else {
              const text = decoder.write(n.value);
              if (text.length > 0) yield Buffer.from(text, 'utf8');
            }
          }
          const tail = decoder.end();
          if (tail.length > 0) yield Buffer.from(tail, 'utf8');
          return;
        }
        while (!done) {
          const n = await it.next();
          if (n.done === true) done = true;
          else yield n.value;
        }
        return;
      }
    } finally {
      if (!done) await it.return?.();
    }
  }

  /** Parsed records of {@link bytes}, without the raw byte offsets a switch made wrong. */
  async *rows<T extends { end?: number }>(rows: AsyncIterable<T[]>): AsyncGenerator<T[]> {
    for await (const batch of rows) {
      if (this.switchAt !== Number.POSITIVE_INFINITY) {
        for (const row of batch) if (row.end !== undefined && row.end > this.switchAt) row.end = undefined;
      }
      yield batch;
    }
  }
}

function firstNonAscii(chunk: Uint8Array): number {
  for (let i = 0; i < chunk.length; i++) if ((chunk[i] as number) >= 0x80) return i;
  return chunk.length;
}

/** Up to {@link LATE_CONTEXT_BYTES} ASCII bytes before the first non-ASCII one (for cp1252's letter adjacency). */
function asciiContext(previous: Uint8Array | undefined, before: Uint8Array): Uint8Array {
  if (before.length >= LATE_CONTEXT_BYTES || previous === undefined) {
    return before.subarray(Math.max(0, before.length - LATE_CONTEXT_BYTES));
  }
  const fromPrevious = previous.subarray(Math.max(0, previous.length - (LATE_CONTEXT_BYTES - before.length)));
  return concatBytes(fromPrevious, before);
}

/** The encoding of the bytes from a file's first non-ASCII byte on; UTF-8 when nothing fits (as before the switch). */
function sniffLate(sample: Uint8Array, atEof: boolean): TextEncoding {
  if (readsAsUtf8(sample, atEof)) return 'utf-8';
  return chooseLegacy(sample, atEof) ?? 'utf-8';
}
