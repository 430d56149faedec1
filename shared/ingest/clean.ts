import crypto, { createHash, createHmac } from 'node:crypto';
import { isCalendarDate } from './dates.js';
import { hasNonAscii } from './han.js';

/** Values tools write for an empty answer (compared after cleaning, lower-cased). */
const PLACEHOLDERS = new Set([
  '',
  '-',
  '--',
  '---',
  '.',
  '/',
  '?',
  'n/a',
  'na',
  '#n/a',
  'null',
  'nil',
  'none',
  'nan',
  'undefined',
  '(blank)',
  '(empty)',
  '(none)',
  '(skipped)',
  '(空)',
  '空',
  '无',
  '(跳过)',
  '此用户没有填写评论!',
  '此用户没有填写评价内容',
  '用户未填写评价内容',
  '该用户未填写评价内容',
  '该用户未及时主动评价,系统默认好评!',
  '系统默认好评',
  '用户未及时评价,系统默认好评!',
  '您没有填写内容,默认好评',
]);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  copy: '©',
  reg: '®',
  euro: '€',
};

/** Lower-casing never shortens a string, so anything longer than the longest placeholder is none. */
const MAX_PLACEHOLDER = Math.min(40, Math.max(...[...PLACEHOLDERS].map((p) => p.length)));

/** First characters of the placeholders: ASCII in a table, the rest (Han) in a set. */
const PLACEHOLDER_FIRST_ASCII = new Uint8Array(128);
const PLACEHOLDER_FIRST_OTHER = new Set<number>();
for (const p of PLACEHOLDERS) {
  if (p.length === 0) continue;
  const c = p.charCodeAt(0);
  if (c < 128) PLACEHOLDER_FIRST_ASCII[c] = 1;
  else PLACEHOLDER_FIRST_OTHER.add(c);
}

/**
 * Whether `s` (non-empty) is a placeholder once lower-cased. Its first character settles most values without
 * lower-casing: an ASCII character lower-cases to itself or (A–Z) its small letter, a CJK ideograph has no case.
 */
function isPlaceholder(s: string): boolean {
  if (s.length > MAX_PLACEHOLDER) return false;
  const c = s.charCodeAt(0);
  if (c < 128) {
    if (PLACEHOLDER_FIRST_ASCII[c >= 65 && c <= 90 ? c + 32 : c] === 0) return false;
  } else if (c >= 0x4e00 && c <= 0x9fff && !PLACEHOLDER_FIRST_OTHER.has(c)) return false;
  return PLACEHOLDERS.has(s.toLowerCase());
}

/**
 * Already clean: printable ASCII without markup (`<`, `&`), no leading, trailing or doubled spaces. Most cells of an
 * export (labels, ids, dates, scores, many texts) match and need no other work. A regex rather than a loop over
 * character codes: V8 compiles it to machine code, about three times faster on such strings.
 */
const TIDY_ASCII = /^[\x21-\x25\x27-\x3b\x3d-\x7e]+(?: [\x21-\x25\x27-\x3b\x3d-\x7e]+)*$/;

// Fast gate: plain printable ASCII with no markup needs only whitespace handling.
const NEEDS_WORK = /[^\x20-\x7e]|[<&]/;
const TAG = /<\/?[a-zA-Z][^<>]*>|<!--[\s\S]*?-->/g;
const ENTITY = /&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g;
// C0/C1 controls (except whitespace, handled below), zero-width and bidi marks, BOM, line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
const WHITESPACE_RUN = /\s{2,}|[\t\n\r\f\v\u00a0\u2028\u2029\u3000]/g;

function decodeEntity(whole: string, body: string): string {
  if (body.charCodeAt(0) === 35) {
    const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
    const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return ' ';
    return String.fromCodePoint(cp);
  }
  return ENTITIES[body.toLowerCase()] ?? whole;
}

/**
 * Cleans one free-text value as the customer wrote it: HTML tags stripped and entities decoded, control characters
 * removed, whitespace collapsed; placeholders for an empty answer (also in full-width forms, `（空）`) become
 * `undefined`. No Unicode folding: Chinese full-width punctuation (，。！) stays; {@link matchText} folds for matching.
 */
export function cleanText(raw: string): string | undefined {
  return clean(raw, false);
}

/**
 * Cleans a short label value (channel, product…): as text, NFKC-folded (a label is a segment key, matched rather than
 * shown as a verbatim: `ＷＥＢ` and `WEB` are one channel), without placeholder semantics beyond emptiness.
 */
export function cleanLabel(raw: string): string | undefined {
  const s = clean(raw, true);
  return s === undefined ? undefined : s.slice(0, 200);
}

function clean(raw: string, fold: boolean): string | undefined {
  if (raw.length === 0) return undefined;
  if (TIDY_ASCII.test(raw)) return isPlaceholder(raw) ? undefined : raw;
  let s = raw;
  if (NEEDS_WORK.test(s)) {
    if (fold) s = s.normalize('NFKC');
    if (s.includes('<')) s = s.replace(TAG, ' ');
    if (s.includes('&')) s = s.replace(ENTITY, decodeEntity);
    s = s.replace(CONTROL, '');
  }
  s = s.replace(WHITESPACE_RUN, ' ').trim();
  if (s.length === 0 || isPlaceholder(s)) return undefined;
  if (!fold && s.length <= MAX_PLACEHOLDER && hasNonAscii(s) && isPlaceholder(s.normalize('NFKC'))) return undefined;
  return s;
}

/**
 * The form of a text used for matching, fingerprints, language detection and scoring: NFKC-folded (full-width
 * letters, digits and punctuation as ASCII, compatibility forms as their plain letters). Never stored or shown.
 */
export function matchText(text: string): string {
  return hasNonAscii(text) ? text.normalize('NFKC') : text;
}

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
const FULL_WIDTH_ALL = /[\uff01-\uff5e\u3000]/g;

/** Full-width ASCII forms (！ … ～) and the ideographic space as ASCII: one code unit for one, so positions hold. */
function foldWidth(s: string): string {
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(FULL_WIDTH_ALL, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** The markers {@link redact} writes, split out with their text between them. */
const REDACTION_MARKER = /(\[(?:EMAIL|PHONE|CARD|IP|ID)\])/;

/**
 * {@link redact} on the text as written: personal data is found in the width-folded text (a phone number in
 * full-width digits, `１３８…`, is still one) and replaced by its marker, while the text around it keeps the
 * customer's own characters (，。！). Where the markers cannot be placed back unambiguously, the folded, redacted text
 * is returned: privacy over faithfulness.
 */
export function redactAsWritten(text: string): string {
  const folded = foldWidth(text);
  const redacted = redact(folded);
  if (redacted === folded) return text;
  if (folded === text) return redacted;
  // redacted = lit0 marker1 lit1 marker2 … litN, each lit a substring of folded at the same place as in text.
  const parts = redacted.split(REDACTION_MARKER);
  let out = '';
  let at = 0;
  for (let p = 0; p < parts.length; p += 2) {
    const lit = parts[p] as string;
    if (!folded.startsWith(lit, at)) return redacted;
    out += text.slice(at, at + lit.length);
    at += lit.length;
    const marker = parts[p + 1];
    if (marker === undefined) break;
    out += marker;
    // The redacted span runs up to where the next literal starts (the end, for the last one); never empty.
    const next = parts[p + 2] as string;
    const end = p + 2 === parts.length - 1 ? folded.length - next.length : folded.indexOf(next, at + 1);
    if (end < at + 1) return redacted;
    at = end;
  }
  return at === folded.length ? out : redacted;
}

// Not after letters other than Han (zoë.smith@… is EMAIL_IDN's whole, not '.smith@…'), and not where the domain goes
// on in letters EMAIL has no room for (…@mail.exämple.com).
const EMAIL =
  /(?<![^\P{L}\p{sc=Han}]|[\p{M}\p{N}._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\p{L}\p{M}\p{N}-]|\.[\p{L}\p{N}])/gu;
const AT_DOMAIN = /@[^\s@]*\./;
// Internationalised addresses (用户@例子.中国, josé@exämple.de), for what EMAIL left. The local part is either Han or
// other letters, never both: with no spaces between Chinese words the Han before the '@' cannot be told from the
// address, so 请联系我用户@例子.中国 loses 请联系我 too, while 邮箱dave@例子.中国 keeps 邮箱. A Han top-level domain is
// one of the common ones (Chinese text goes on right after it); any other is two or more letters not followed by one.
const EMAIL_IDN =
  /(?:\p{sc=Han}{1,64}|(?:[^\P{L}\p{sc=Han}]|[\p{M}\p{N}._%+-]){1,64})@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*\.(?:中国|中國|公司|网络|網絡|香港|台湾|台灣|新加坡|澳门|澳門|在线|网址|网站|网店|商城|集团|企业|信息|手机|移动|联通|中文网|政务|公益|[^\P{L}\p{sc=Han}]{2,}(?![^\P{L}\p{sc=Han}]))/gu;
// Obfuscated addresses. Bracketed 'at' is always an address: dave (at) example (dot) com, dave [at] example.com.
const DOT_WORD = String.raw`(?:\.|\s*[[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)`;
const EMAIL_BRACKETED = new RegExp(
  String.raw`(?<![\w.%+-])[\w%+-]+(?:${DOT_WORD}[\w%+-]+)*\s*[[({<]\s*at\s*[\])}>]\s*[a-z0-9-]+(?:${DOT_WORD}[a-z0-9-]+)*${DOT_WORD}[a-z]{2,}\b`,
  'gi',
);
// Spelled out, 'dave at example dot com' reads like prose ('look at this dot com bubble'): taken only when clearly an
// address (see redactSpelledEmail): the top-level domain is a common one, spelled 'dot', and the text says so.
const EMAIL_SPELLED =
  /(?<![\w.%+-])([\w%+-]+(?:(?:\.|\s+dot\s+)[\w%+-]+)*)\s+at\s+([a-z0-9-]+)(?:(?:\.|\s+dot\s+)[a-z0-9-]+)*\s+dot\s+(?:com|net|org|edu|gov|io|co|uk|de|fr|in|br|ru|cn|jp|au|ca|us|info|biz|me|nl|es|it|ch|se|pl|be|at)\b/gi;
/**
 * The cheap test before the obfuscated-address patterns: 'dot', or 'at' and a closing bracket, in any case (several
 * times faster on texts that have neither than '\sdot\s' with the `i` flag, which tries every space).
 */
const EMAIL_OBFUSCATION = /[Dd][Oo][Tt]|[Aa][Tt]\s?[\])}>]/;
/** Words before an address spelled out that say it is one ('email me:', 'contact', '邮箱'). */
const MAIL_CUE = /e-?mail|\bmail|contact|reach|write|address|邮箱|邮件|联系/i;
/** Mail providers whose name as the domain makes a spelled-out address clear ('dave at gmail dot com'). */
const MAIL_PROVIDERS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'hotmail',
  'outlook',
  'live',
  'icloud',
  'aol',
  'proton',
  'protonmail',
  'gmx',
  'yandex',
  'qq',
  '163',
  '126',
  'sina',
  'sohu',
  'foxmail',
]);
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;
// Card numbers: digits with optional spaces or dashes, or in dotted groups of four (4111.1111.1111.1111; Amex
// 3782.822463.10005): a decimal such as 3.14159265358979 is no card even when its digits pass the Luhn check. Never
// after '+': +55 23 92056-5815 is a phone number whatever its digits add up to.
const CARD =
  /(?<![\d+])(?:\d(?:[ -]?\d){12,18}(?!\d)|\d{4}(?:\.\d{4}){3}(?:\.\d{3})?(?!\.?\d)|\d{4}\.\d{6}\.\d{5}(?!\.?\d))/g;
// A country code may be written in parentheses: (+44) 20 7946 0958.
const PHONE_INTL = /(?<![\w+])\(?\+\d{1,3}\)?[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,5}){1,4}(?!\d)/g;
// Chinese mobile, with the country code without '+' (86 / 0086) as a number pasted from a contact list has it (not
// after a currency sign or '#': ¥86130 1000 2031 is a price and two numbers).
// Dotted (158.1234.5678) only with dots throughout and no further '.digit' (a version or an address goes on).
const PHONE_CN_MOBILE =
  /(?<!\d)(?:(?<![$¥€£#])(?:00)?86[\s-]?)?1[3-9]\d(?:(?:[\s-]?\d{4}){2}(?!\d)|\.\d{4}\.\d{4}(?!\.?\d))/g;
// North American with separators, and the trunk prefix 1 (1-800-555-0199).
const PHONE_NANP = /(?<![\w])(?:1[\s.-]|1(?=\())?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/g;
// North American as ten bare digits (area and exchange codes start 2–9; an optional leading 1). Not after a currency
// sign or '#', nor after a digit and '.', ',', ':', '/' or '-' (a price, a decimal, a time or date goes on), nor before a
// letter, '%' or a decimal part (a quantity, a code).
const PHONE_NANP_BARE = /(?<![\w+#$¥€£])(?<!\d[.,:/-])1?[2-9]\d\d[2-9]\d{6}(?![\w%]|[.,]\d)/g;
// A national number with its trunk 0 (UK, Australia, China, Taiwan…): area code (in parentheses or not, 1–4 digits
// after the 0, never 00) then the subscriber number in one or two groups of 3+ digits, 10–12 digits in all (counted in
// redactTrunk): 020 7946 0958, (020) 7946 0958, 07700 900123, 0412 345 678, (02) 9374 4000, (010)12345678,
// 0755-8765 4321, 0912-345-678, 0912345678. Bounded as PHONE_NANP_BARE, and not followed by '-' and a digit either.
// The first alternative (captured) is the Chinese landline 010-12345678 as matched before the others existed, redacted
// as it was (even glued to a word or after a label): one pass for both.
const PHONE_TRUNK =
  /(?<!\d)(0\d{2,3}-\d{7,8})(?!\d)|(?<![\w+#$¥€£])(?<!\d[.,:/-])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})[ -]?\d{3,8}(?:[ -]\d{3,4})?(?![\w%]|[.,-]\d)/g;
// Chinese resident identity number: 6-digit area, YYYYMMDD birth date, 3-digit sequence, check character (digit or X).
// Confirmed in redactCnId (check character, plausible birth date).
const CN_ID = /(?<!\d)\d{17}[\dXx](?![\dA-Za-z])/g;
// First-generation (1984–2004) identity number, 15 digits: 6-digit area, YYMMDD birth date (19YY), 3-digit sequence,
// no check character. Confirmed in redactCnId15 (province, date, not labelled as an order number).
const CN_ID_15 = /(?<![\w.,:/-])[1-8]\d{14}(?![\w%]|[.,]\d)/g;
/** The province (first two digits) of a Chinese area code. */
const CN_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82,
]);
// National forms with their own grouping, bounded as PHONE_NANP_BARE:
//   France, 0 then 9 digits in pairs, one separator throughout: 06 12 34 56 78, 01.23.45.67.89, 06-12-34-56-78 (not 08,
//     special-rate services, so '08 09 10 07 09' in a lottery draw stays);
//   India, a mobile of 10 digits starting 6–9, bare or 5 + 5, with the trunk 0: 9876543210, 098765 43210;
//   Brazil, (DDD) and 9 + 8 digits or a landline of 8: (11) 91234-5678, 11 91234-5678, (11) 3456-7890;
//   Russia, trunk 8 and 3 + 3 + 2 + 2 digits: 8 (912) 345-67-89, 8 912 345-67-89, 8-912-345-67-89.
// (Their international forms, +33 …, +91 …, +55 …, +7 …, are PHONE_INTL's.)
const PHONE_NATIONAL =
  /(?<![\w+#$¥€£])(?<!\d[.,:/-])(?:0[1-79]([ .-])\d\d(?:\1\d\d){3}|0?[6-9]\d{4} ?\d{5}|(?:\([1-9]{2}\) ?|[1-9]{2} )(?:9\d{4}|[2-5]\d{3})-\d{4}|8[ -]?(?:\(\d{3}\)|\d{3})[ -]\d{3}[ -]\d\d[ -]\d\d)(?![\w%]|[.,-]?\d)/g;
/**
 * What precedes a number labelled as an order, ticket, tracking… number (`Order #`, `Invoice no. `, `订单号：`): such a
 * number is left alone by the bare-digit phone patterns, as it was before they existed.
 */
const ID_LABEL =
  /(?:\b(?:order|invoice|tracking|ticket|booking|ref|reference|serial|sku|transaction|confirmation)|订单|单号|编号|工单|流水号|交易号|序列号|运单)(?:\s*(?:no\.?|nr\.?|number|num|id|#|号|号码|编码))?(?:\s*(?:is|was|=))?\s*[:：#]?\s*$/i;
const FOUR_DIGITS = /\d\D*\d\D*\d\D*\d/;
/** US social security number as written, 123-45-6789 (area, group and serial checked in redactSsn). */
const US_SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;

function redactSsn(m: string, area: string, group: string, serial: string): string {
  // Never issued: area 000, 666 or 900–999, group 00, serial 0000.
  const a = Number(area);
  return a === 0 || a === 666 || a >= 900 || group === '00' || serial === '0000' ? m : '[ID]';
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function redactCard(m: string): string {
  const digits = m.replace(/[ .-]/g, '');
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return m;
  // A Chinese mobile with its country code (86 / 0086 + 11 digits) is left to PHONE_CN_MOBILE: no card number starts so.
  if (/^(?:00)?861[3-9]\d{9}$/.test(digits)) return m;
  // Even after a label ('Order #'): a leaked card number costs more than one order number in ten lost to [CARD].
  return '[CARD]';
}

function redactIpv6(m: string): string {
  // A time such as 12:30:45 is not an address: require '::' or at least five groups with a hex letter somewhere.
  const groups = m.split(':').length;
  if (m.includes('::') ? groups >= 3 : groups >= 6 && /[a-fA-F]/.test(m)) return '[IP]';
  if (groups >= 8) return '[IP]';
  return m;
}

/** Whether the number matched at `offset` of `s` follows a label such as `Order #` (looked up to 24 characters back). */
function labelled(s: string, offset: number): boolean {
  return offset > 0 && ID_LABEL.test(s.slice(Math.max(0, offset - 24), offset));
}

function num(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/**
 * Whether `digits[at..at+8]` (YYYYMMDD) is a real calendar date in 1900–2099; with `notFuture`, also not after today.
 */
function plausibleDate(digits: string, at: number, notFuture: boolean): boolean {
  const y = num(digits, at, at + 4);
  const m = num(digits, at + 4, at + 6);
  const d = num(digits, at + 6, at + 8);
  if (y < 1900 || y > 2099 || !isCalendarDate(y, m, d)) return false;
  if (!notFuture) return true;
  const now = new Date();
  return y * 10000 + m * 100 + d <= now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
}

function redactBarePhone(m: string, offset: number, s: string): string {
  // YYYYMMDDhh (2024030514) is a time stamp, not a number in area 202–209.
  if (m.length === 10 && plausibleDate(m, 0, false)) return m;
  return labelled(s, offset) ? m : '[PHONE]';
}

function redactTrunk(m: string, cnLandline: string | undefined, offset: number, s: string): string {
  if (cnLandline !== undefined) return '[PHONE]';
  let digits = 0;
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits < 10 || digits > 12) return m;
  // A time or code, a space, then a date (0930 20240305, 0100 19901117) is left alone. Written so, a Chinese local
  // number that reads as a date of 2000–2099 (021 20240305) stays too: rare, and "(021)20240305" or "021-20240305"
  // are still redacted.
  const last8 = m.length - 8;
  if (m.charCodeAt(last8 - 1) === 32 && m.charCodeAt(0) !== 40 && plausibleDate(m, last8, false)) return m;
  return labelled(s, offset) ? m : '[PHONE]';
}

function redactCnMobile(m: string, offset: number, s: string): string {
  // Only the form with a country code is new (86…): a bare mobile number was redacted even after a label.
  return m.charCodeAt(0) !== 49 && labelled(s, offset) ? m : '[PHONE]';
}

/** ISO 7064 MOD 11-2 weights of the first 17 characters of a Chinese resident identity number, and check characters. */
const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_ID_CHECK = '10X98765432';

function redactCnId15(id: string, offset: number, s: string): string {
  if (!CN_PROVINCES.has(num(id, 0, 2))) return id;
  const y = 1900 + num(id, 6, 8);
  if (!isCalendarDate(y, num(id, 8, 10), num(id, 10, 12))) return id;
  return labelled(s, offset) ? id : '[ID]';
}

function redactNationalPhone(m: string, _sep: string | undefined, offset: number, s: string): string {
  return labelled(s, offset) ? m : '[PHONE]';
}

function redactSpelledEmail(m: string, local: string, domain: string, offset: number, s: string): string {
  const clear =
    /[\d._]|\sdot\s/i.test(local) ||
    MAIL_PROVIDERS.has(domain.toLowerCase()) ||
    MAIL_CUE.test(s.slice(Math.max(0, offset - 40), offset));
  return clear ? '[EMAIL]' : m;
}

function redactCnId(id: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (CN_ID_WEIGHTS[i] ?? 0);
  const check = id.charCodeAt(17) === 120 ? 'X' : id.charAt(17);
  return check === CN_ID_CHECK.charAt(sum % 11) && plausibleDate(id, 6, true) ? '[ID]' : id;
}

/**
 * Redacts e-mail addresses (also internationalised, and obfuscated as `dave (at) example (dot) com`), IP addresses,
 * Chinese resident identity numbers (18 digits with a valid check character and birth date; 15 digits with a valid
 * province and birth date), Luhn-valid card numbers (spaced, dashed or dotted) and phone numbers (international,
 * North American, Chinese, national numbers with a trunk 0 as in the UK, Australia, China and Taiwan, and the national
 * forms of France, India, Brazil and Russia) in text. Numbers labelled as order, ticket… numbers stay, except e-mails,
 * 18-digit identity numbers and Chinese landlines and mobiles without a country code.
 */
export function redact(text: string): string {
  let s = text;
  // Most '@'s are mentions (@united): an address needs a '.' after the '@' before any space.
  if (s.includes('@') && AT_DOMAIN.test(s)) {
    s = s.replace(EMAIL, '[EMAIL]');
    if (s.includes('@') && hasNonAscii(s)) s = s.replace(EMAIL_IDN, '[EMAIL]');
  }
  if (EMAIL_OBFUSCATION.test(s)) {
    s = s.replace(EMAIL_BRACKETED, '[EMAIL]');
    if (EMAIL_SPELLED.test(s)) s = s.replace(EMAIL_SPELLED, redactSpelledEmail);
  }
  // IPV6 needs two colons (a lone "Note:" or "10:30" never matches).
  const colon = s.indexOf(':');
  if (colon >= 0 && s.indexOf(':', colon + 1) > colon && IPV6.test(s)) s = s.replace(IPV6, redactIpv6);
  // Every other pattern needs at least four digits; most texts have fewer and end here (a regex test is several times
  // faster than counting in a loop).
  if (!FOUR_DIGITS.test(s)) return s;
  // One scan counts what the digit patterns need; a pattern that cannot match is not run. Replacements only remove
  // digits, '.' and '+' (they insert none), so counts taken here bound every later string.
  let digits = 0;
  let dots = 0;
  let plus = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) dots++;
    else if (c === 43) plus = true;
  }
  // CN_ID: 17+ digits and CN_ID_15: 15+ (before CARD, which would take a Luhn-valid one); CARD: 13+; IPV4: four
  // numbers and three dots; PHONE_INTL: '+'. The other phone patterns need 10+ digits (CN mobile 11): texts with fewer
  // never run them. Most texts that get this far still match nothing: `test` first, since `replace` costs more even
  // without a match (twice as much with a function). A global regex is left with lastIndex 0 by a failed `test` and by
  // `replace`.
  if (digits >= 17 && CN_ID.test(s)) s = s.replace(CN_ID, redactCnId);
  if (digits >= 15 && CN_ID_15.test(s)) s = s.replace(CN_ID_15, redactCnId15);
  if (digits >= 9 && US_SSN.test(s)) s = s.replace(US_SSN, redactSsn);
  if (digits >= 13 && CARD.test(s)) s = s.replace(CARD, redactCard);
  if (dots >= 3 && IPV4.test(s)) s = s.replace(IPV4, '[IP]');
  if (plus && PHONE_INTL.test(s)) s = s.replace(PHONE_INTL, '[PHONE]');
  if (digits < 10) return s;
  if (digits >= 11 && PHONE_CN_MOBILE.test(s)) s = s.replace(PHONE_CN_MOBILE, redactCnMobile);
  if (PHONE_NANP.test(s)) s = s.replace(PHONE_NANP, '[PHONE]');
  if (PHONE_NANP_BARE.test(s)) s = s.replace(PHONE_NANP_BARE, redactBarePhone);
  if (PHONE_NATIONAL.test(s)) s = s.replace(PHONE_NATIONAL, redactNationalPhone);
  if (PHONE_TRUNK.test(s)) s = s.replace(PHONE_TRUNK, redactTrunk);
  return s;
}

const ONE_MARKER = /^\[(?:EMAIL|PHONE|CARD|IP|ID)\]$/;

/** Whether a cell is one piece of personal data and nothing else (an e-mail address, a phone number…). */
export function isPersonalValue(value: string): boolean {
  const v = value.trim();
  return v.length >= 7 && ONE_MARKER.test(redactAsWritten(v));
}

/** Keyed hash (HMAC-SHA256, hex) of an identifier; e-mails are trimmed and lower-cased first. */
export function hashIdentifier(key: string, value: string, kind: 'email' | 'id'): string {
  const v = kind === 'email' ? value.trim().toLowerCase() : value.trim();
  // No cache of digests: measured on the benchmark export, a lookup plus hex conversion cost about what the HMAC
  // (two one-shot hashes, ~2.4 µs) saves, and the cache added ~10 MB.
  return hmacHex(key, `${kind}:${v}`);
}

const SHA256_BLOCK = 64;
/** HMAC's padded key blocks, computed once per key: the HMAC is then two one-shot hashes. */
let hmacKey: { key: string; inner: Buffer; outer: Buffer; innerText: string | undefined } | undefined;

/** HMAC-SHA256 (RFC 2104) in hex, through one-shot `crypto.hash` where the runtime has it (Node ≥ 20.12). */
function hmacHex(key: string, message: string): string {
  if (typeof crypto.hash !== 'function') return createHmac('sha256', key).update(message).digest('hex');
  if (hmacKey?.key !== key) {
    let k = Buffer.from(key, 'utf8');
    if (k.length > SHA256_BLOCK) k = createHash('sha256').update(k).digest();
    const inner = Buffer.alloc(SHA256_BLOCK + 256);
    const outer = Buffer.alloc(SHA256_BLOCK + 32);
    for (let i = 0; i < SHA256_BLOCK; i++) {
      const b = k[i] ?? 0;
      inner[i] = b ^ 0x36;
      outer[i] = b ^ 0x5c;
    }
    // An ASCII key gives an ASCII inner pad, whose UTF-8 bytes are its characters: the inner hash can then take
    // `pad + message` as one string (one-shot string hashing costs about half of hashing a Buffer view).
    let ascii = true;
    for (let i = 0; i < SHA256_BLOCK; i++) if ((inner[i] ?? 0) >= 0x80) ascii = false;
    hmacKey = { key, inner, outer, innerText: ascii ? inner.toString('latin1', 0, SHA256_BLOCK) : undefined };
  }
  const { inner, outer, innerText } = hmacKey;
  if (innerText !== undefined) {
    // The inner digest comes back as a 'binary' (latin1) string, one char a byte, written into the outer block in
    // place: a digest returned as a Buffer costs more than the hash itself.
    outer.write(crypto.hash('sha256', innerText + message, 'binary'), SHA256_BLOCK, 'binary');
    return crypto.hash('sha256', outer, 'hex');
  }
  const bytes = Buffer.byteLength(message, 'utf8');
  const innerInput =
    bytes <= inner.length - SHA256_BLOCK
      ? inner.subarray(0, SHA256_BLOCK + inner.write(message, SHA256_BLOCK, 'utf8'))
      : Buffer.concat([inner.subarray(0, SHA256_BLOCK), Buffer.from(message, 'utf8')]);
  outer.write(crypto.hash('sha256', innerInput, 'binary'), SHA256_BLOCK, 'binary');
  return crypto.hash('sha256', outer, 'hex');
}

/** Excel turned a long number into scientific notation (`5.69588E+17`): digits are lost, so it is no id. */
export function isMangledNumber(value: string): boolean {
  return /^\s*\d(?:\.\d+)?E\+\d+\s*$/i.test(value);
}
