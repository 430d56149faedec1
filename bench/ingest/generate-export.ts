/**
 * Seeded generator of a realistic feedback export (CSV, UTF-8) for the ingest benchmark: mixed English and Chinese
 * reviews composed from a vocabulary (so most long texts are unique while short stock answers repeat), NPS and star
 * ratings, wall-clock dates over ~60 days in file order, channels/products/regions, customer ids and e-mails to
 * hash, a little PII to redact, ~5% exact duplicate rows and ~1% bad rows.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** First day of the export (UTC date, YYYY-MM-DD). */
  startDay: string;
  days: number;
}

export interface GeneratedExport {
  rows: number;
  bytes: number;
  duplicatesWritten: number;
  badRowsWritten: number;
}

export const BENCH_COLUMNS = [
  'submitted_at',
  'channel',
  'product',
  'region',
  'language',
  'customer_id',
  'email',
  'nps',
  'rating',
  'title',
  'review_text',
] as const;

/** mulberry32: small, fast and good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANNELS = ['web', 'ios', 'android', 'email', 'chat', 'store'];
const PRODUCTS = [
  'Aurora Phone',
  'Aurora Phone Pro',
  'Nimbus Earbuds',
  'Nimbus Earbuds Max',
  'Terra Watch',
  'Terra Watch Kids',
  'Flux Charger',
  'Flux Power Bank',
  'Orbit Tablet',
  'Orbit Keyboard',
  'Delivery Plus',
  'Shop App',
];
const REGIONS = ['US', 'UK', 'DE', 'FR', 'CN', 'JP', 'AU', 'CA'];

const EN_NOUNS = [
  'app',
  'phone',
  'case',
  'charger',
  'headphones',
  'delivery',
  'order',
  'package',
  'battery',
  'screen',
  'update',
  'checkout',
  'support team',
  'customer service',
  'refund',
  'price',
  'camera',
  'sound quality',
  'packaging',
  'courier',
  'website',
  'login',
  'sync',
  'notification',
  'warranty',
  'return process',
  'setup',
  'bluetooth connection',
  'strap',
  'cable',
];
const EN_POSITIVE = [
  'great',
  'excellent',
  'fast',
  'amazing',
  'friendly',
  'helpful',
  'reliable',
  'smooth',
  'clean',
  'comfortable',
  'perfect',
  'awesome',
  'nice',
  'good',
  'easy to use',
  'solid',
  'fantastic',
  'quick',
  'impressive',
  'well made',
];
const EN_NEGATIVE = [
  'slow',
  'broken',
  'terrible',
  'rude',
  'expensive',
  'late',
  'dirty',
  'confusing',
  'awful',
  'disappointing',
  'buggy',
  'noisy',
  'useless',
  'overpriced',
  'unreliable',
  'flimsy',
  'damaged',
  'horrible',
  'frustrating',
  'poor',
];
const EN_DEGREE = ['', '', '', 'very ', 'really ', 'extremely ', 'quite ', 'super ', 'so ', 'pretty ', 'a bit '];
const EN_STOCK = [
  'Great app!',
  'Love it',
  'Works fine',
  'Terrible',
  'OK',
  'Good value',
  'Five stars',
  'Not worth it',
  'Excellent service, thank you!',
  'Does what it says.',
  'Would not recommend.',
  'Perfect!',
  'Meh',
  'Fast delivery',
  'Broken on arrival',
  'Best purchase this year',
];
const EN_TITLES = ['Great', 'Meh', 'Disappointed', 'Love it', 'Not bad', 'Awful experience', 'Solid', 'Why?'];

const ZH_NOUNS = [
  '物流',
  '快递',
  '包装',
  '质量',
  '客服',
  '价格',
  '味道',
  '房间',
  '服务',
  '手机',
  '屏幕',
  '电池',
  '外卖',
  '配送',
  '商品',
  '耳机',
  '充电器',
  '做工',
  '售后',
  '系统',
];
const ZH_POSITIVE = ['很好', '不错', '满意', '很快', '干净', '好吃', '实惠', '给力', '完美', '贴心', '流畅', '清晰'];
const ZH_NEGATIVE = ['太差', '很慢', '失望', '难吃', '太贵', '破损', '垃圾', '敷衍', '脏', '不满意', '卡顿', '发热'];
const ZH_DEGREE = ['', '', '非常', '特别', '有点', '挺', '真的', '超级'];
const ZH_STOCK = ['好评', '非常满意！', '差评', '还行吧', '物美价廉，值得购买', '一般般', '五星好评！', '不推荐'];
const ZH_PUNCT = ['，', '，', '！', '。', ' '];
const EMOJI = ['👍', '😡', '❤️', '🙂', '😞'];

/** Index skewed towards the start of a list, so some choices are common and others rare. */
function skewed(rand: () => number, n: number, power: number): number {
  return Math.min(n - 1, Math.floor(n * rand() ** power));
}

function pick<T>(rand: () => number, list: readonly T[], power = 1.6): T {
  return list[skewed(rand, list.length, power)] as T;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function englishSentence(rand: () => number, positive: boolean): string {
  const noun = pick(rand, EN_NOUNS);
  const adj = pick(rand, positive ? EN_POSITIVE : EN_NEGATIVE);
  const deg = pick(rand, EN_DEGREE, 1);
  switch (skewed(rand, 8, 1.3)) {
    case 0:
      return `The ${noun} was ${deg}${adj}.`;
    case 1:
      return `${capitalise(deg + adj)} ${noun}, ${positive ? 'would recommend' : 'would not buy again'}.`;
    case 2:
      return positive ? `I love the ${noun}!` : `I hate the ${noun}.`;
    case 3:
      return `The ${noun} is not ${pick(rand, positive ? EN_NEGATIVE : EN_POSITIVE)} at all.`;
    case 4:
      return `${capitalise(noun)} is ${deg}${adj} but the ${pick(rand, EN_NOUNS)} is ${pick(rand, positive ? EN_NEGATIVE : EN_POSITIVE)}.`;
    case 5:
      return `After ${2 + skewed(rand, 30, 1.5)} days the ${noun} still ${positive ? 'works great' : "doesn't work"}.`;
    case 6:
      return `Order #${100000 + Math.floor(rand() * 900000)}: ${noun} ${deg}${adj}.`;
    default:
      return `Honestly the ${noun} could be ${positive ? 'better, but overall happy' : 'much better'}.`;
  }
}

function chineseClause(rand: () => number, positive: boolean): string {
  const noun = pick(rand, ZH_NOUNS);
  const adj = pick(rand, positive ? ZH_POSITIVE : ZH_NEGATIVE);
  const deg = pick(rand, ZH_DEGREE, 1);
  switch (skewed(rand, 5, 1.3)) {
    case 0:
      return `${noun}${deg}${adj}`;
    case 1:
      return `${noun}${adj}，${pick(rand, ZH_NOUNS)}${pick(rand, positive ? ZH_POSITIVE : ZH_NEGATIVE)}`;
    case 2:
      return positive ? `${noun}${deg}${adj}，会回购` : `${noun}${deg}${adj}，不会再买了`;
    case 3:
      return `用了${1 + skewed(rand, 30, 1.5)}天，${noun}${adj}`;
    default:
      return `${noun}不是很${pick(rand, positive ? ZH_NEGATIVE : ZH_POSITIVE)}`;
  }
}

interface Row {
  english: boolean;
  text: string;
  title: string;
  nps: string;
  rating: string;
}

function reviewText(rand: () => number, english: boolean, positive: boolean): string {
  const r = rand();
  if (r < 0.2) return pick(rand, english ? EN_STOCK : ZH_STOCK, 2);
  const parts = r < 0.55 ? 1 : r < 0.85 ? 2 : 3;
  let text = '';
  for (let i = 0; i < parts; i++) {
    // Mixed feelings now and then.
    const pos = rand() < 0.85 ? positive : !positive;
    if (english) text += (i > 0 ? ' ' : '') + englishSentence(rand, pos);
    else text += (i > 0 ? pick(rand, ZH_PUNCT, 1) : '') + chineseClause(rand, pos);
  }
  if (!english && rand() < 0.6) text += rand() < 0.5 ? '！' : '。';
  const extra = rand();
  // A little PII, markup and emoji, as real exports have.
  if (extra < 0.008) text += english ? ` Email me at user${Math.floor(rand() * 1e5)}@example.com` : '';
  else if (extra < 0.016)
    text += english
      ? ` Call me on +1 415 555 ${String(1000 + Math.floor(rand() * 9000))}.`
      : `联系电话1${3 + Math.floor(rand() * 6)}8${String(10000000 + Math.floor(rand() * 89999999))}`;
  else if (extra < 0.021) text = `<p>${text}</p> &lt;3`;
  else if (extra < 0.05) text += ` ${pick(rand, EMOJI, 1)}`;
  else if (extra < 0.052) text += '\nSecond line of the review.';
  return text;
}

function csvField(v: string): string {
  if (v === '') return '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${v.replace(/"/g, '""')}"`;
  }
  return v;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Wall time `YYYY-MM-DD HH:mm:ss` (the export's zone is the ingest's default zone). */
function wallTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function makeRow(rand: () => number): Row {
  const english = rand() < 0.72;
  const positive = rand() < 0.62;
  const hasText = rand() < 0.9;
  const text = hasText ? reviewText(rand, english, positive) : '';
  const title = english && hasText && rand() < 0.15 ? pick(rand, EN_TITLES) : '';
  const nps =
    rand() < 0.6 ? String(positive ? 7 + Math.floor(rand() * 4) : Math.floor(rand() * (rand() < 0.3 ? 9 : 7))) : '';
  const rating =
    rand() < 0.7 || (!hasText && nps === '')
      ? String(positive ? 4 + Math.floor(rand() * 2) : 1 + Math.floor(rand() * 3))
      : '';
  return { english, text, title, nps, rating };
}

/**
 * Writes the export to `path`. Rows are in submit-time order (as exports are), with a little jitter, so a segment of
 * consecutive rows touches few days.
 */
export async function generateExport(path: string, opts: GenerateOptions): Promise<GeneratedExport> {
  const rand = prng(opts.seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const start = Date.parse(`${opts.startDay}T00:00:00Z`);
  const spanMs = opts.days * 86_400_000;
  const recent: string[] = [];
  let duplicates = 0;
  let bad = 0;
  let bytes = 0;
  let buf = `${BENCH_COLUMNS.join(',')}\n`;
  for (let i = 0; i < opts.rows; i++) {
    let line: string;
    const r = rand();
    if (r < 0.05 && recent.length > 0) {
      // An exact duplicate of a recent row (double export, retried webhook).
      line = recent[Math.floor(rand() * recent.length)] as string;
      duplicates++;
    } else {
      const row = makeRow(rand);
      const jitter = (rand() - 0.5) * 4 * 3_600_000;
      const at = Math.min(start + spanMs - 1000, Math.max(start, start + (i / opts.rows) * spanMs + jitter));
      let date = wallTime(at);
      let rating = row.rating;
      let text = row.text;
      let nps = row.nps;
      let tail = '';
      if (r > 0.99) {
        // ~1% bad rows: extra cells, no content at all, an unreadable score, an unreadable date.
        bad++;
        const kind = rand();
        if (kind < 0.4) tail = ',unexpected,cells';
        else if (kind < 0.7) {
          text = '';
          nps = '';
          rating = '';
        } else if (kind < 0.85) rating = 'five-ish';
        else date = 'sometime last week';
      }
      const customer = rand() < 0.8 ? `C${String(Math.floor(rand() ** 1.3 * 300_000)).padStart(7, '0')}` : '';
      const email = customer === '' && rand() < 0.5 ? `shopper${Math.floor(rand() * 200_000)}@mail.example` : '';
      line = [
        date,
        pick(rand, CHANNELS),
        pick(rand, PRODUCTS),
        pick(rand, REGIONS),
        row.english ? (rand() < 0.7 ? 'en-US' : 'en-GB') : 'zh-CN',
        customer,
        email,
        nps,
        rating,
        csvField(row.title),
        csvField(text),
      ].join(',');
      line += `${tail}\n`;
      if (r <= 0.99) {
        if (recent.length < 512) recent.push(line);
        else recent[Math.floor(rand() * 512)] = line;
      }
    }
    buf += line;
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return { rows: opts.rows, bytes, duplicatesWritten: duplicates, badRowsWritten: bad };
}
