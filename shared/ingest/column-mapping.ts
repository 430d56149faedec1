import { FileRejectedError } from '../domain/types.js';
import { isMangledNumber } from './clean.js';
import { toSimplified } from './han.js';
import { ZONE_IN_BRACKETS } from './header-zones.js';
import type { ColumnOverrides, FileWarning, MappedField, RatingScale } from './types.js';
import { looksGoodBad, parseDate, parseNps, parseRating } from './values.js';

/**
 * Lower-cased, NFKC, Traditional Chinese vocabulary in Simplified, letters and digits only (CJK kept), with a leading
 * question number (`Q5_`, `1、`) removed.
 */
export function normaliseName(name: string): string {
  if (name.trim() === '#') return 'responseid';
  return (
    toSimplified(name.normalize('NFKC'))
      .replace(/<[^>]*>/g, '')
      .replace(/^\s*(?:q\d+[_.:、)\s-]+|\d+[、.:)]\s*)/i, '')
      .toLowerCase()
      // A zone stated in brackets is not part of the name: `Created at (PST)`, `Submitted (UTC+8)`, `提交时间(北京时间)`.
      .replace(ZONE_IN_BRACKETS, '')
      .replace(/[^\p{L}\p{N}]+/gu, '')
  );
}

/** Exact aliases (normalised), best first. */
const EXACT: Record<MappedField, readonly string[]> = {
  text: [
    'reviewtext',
    'reviewcontent',
    'reviewbody',
    'reviewtext',
    'comment',
    'comments',
    'commenttext',
    'feedback',
    'feedbacktext',
    'verbatim',
    'text',
    'body',
    'content',
    'message',
    'review',
    'responsetext',
    'openendedresponse',
    'whatistheprimaryreasonforyourscore',
    'reasonforyourscore',
    'suggestions',
    'remarks',
    'remark',
    'opinion',
    'description',
    'ticketdescription',
    'longtext',
    'desc',
    '评论内容',
    '评价内容',
    '评论',
    '评价',
    '内容',
    '您还有什么意见或建议',
    '意见或建议',
    '意见和建议',
    '意见',
    '建议',
    '留言',
    '反馈',
    '反馈内容',
  ],
  followUp: ['追加评论', '追评', '追加评价', '追评内容', 'followupreview', 'followupcomment', 'additionalreview'],
  title: ['reviewtitle', 'title', 'summary', 'subject', 'headline', '标题', '评论标题', '评价标题', '主题'],
  submittedAt: [
    'reviewsubmitdateandtime',
    'reviewsubmitmillissinceepoch',
    'reviewcreated',
    'submitdate',
    'submittedat',
    'submitted',
    'submissiondate',
    'recordeddate',
    'completiontime',
    'responsereceivedat',
    'createdat',
    'createtime',
    'createdtime',
    'ratedat',
    'datesubmitted',
    'submittedon',
    'responsedate',
    'createddate',
    'created',
    'reviewdate',
    'date',
    'timestamp',
    'time',
    'datetime',
    'unixreviewtime',
    'enddate',
    'startdate',
    'starttime',
    '提交答卷时间',
    '提交时间',
    '评论时间',
    '评价时间',
    '购买时间',
    '下单时间',
    '答题时间',
    '创建时间',
    '结束时间',
    '开始时间',
    '时间',
    '日期',
  ],
  updatedAt: [
    'reviewlastupdatemillissinceepoch',
    'reviewlastupdatedateandtime',
    'lastupdated',
    'lastupdatedat',
    'lastmodified',
    'updatedat',
    'updated',
  ],
  nps: [
    'nps',
    'npsscore',
    'npsrating',
    'likelihoodtorecommend',
    'recommendscore',
    'recommendationscore',
    '推荐',
    '推荐度',
    '推荐意愿',
    '推荐指数',
    '净推荐值',
    // A Typeform opinion scale (question type): NPS when its answers go above 5 or include 0 (checked below).
    'opinionscale',
  ],
  rating: [
    'starrating',
    'reviewstars',
    'stars',
    'rating',
    'reviewrating',
    'overall',
    'overallrating',
    'csat',
    'csatscore',
    'satisfaction',
    'satisfactionscore',
    'satisfactionrating',
    'surveyresults',
    'surveyresult',
    'opinionscale',
    'score',
    'customerrating',
    '满意度',
    '评分',
    '星级',
    '打分',
    '评星',
    '总体评分',
    '整体满意度',
  ],
  channel: ['channel', 'sourceofreview', 'source', 'distributionchannel', 'via', 'collectorid', '来源', '渠道'],
  product: [
    'product',
    'productname',
    'packagename',
    'app',
    'appname',
    'appid',
    'asin',
    'sku',
    'businessid',
    'webshopname',
    'productid',
    '产品',
    '产品名称',
    '商品',
    '商品名称',
  ],
  region: [
    'region',
    'country',
    'territory',
    'countrycode',
    'market',
    'locationname',
    'location',
    'city',
    'state',
    'iplocation',
    '地区',
    '区域',
    '国家',
    '省份',
    '城市',
  ],
  language: ['language', 'lang', 'reviewerlanguage', 'reviewlanguage', 'userlanguage', 'locale', '语言'],
  customerId: [
    'customerid',
    'userid',
    'useruid',
    'uid',
    'reviewerid',
    'reviewconsumeruserid',
    'requesterid',
    'memberid',
    'accountid',
    'contactid',
    'externalreference',
    'externaldatareference',
    'personid',
    'person',
    '用户id',
    '客户id',
    '会员id',
    '买家id',
  ],
  email: [
    'email',
    'emailaddress',
    'recipientemail',
    'requesteremail',
    'customeremail',
    'useremail',
    '邮件',
    '邮箱',
    '电子邮件',
  ],
  sourceRecordId: [
    'responseid',
    'reviewid',
    'respondentid',
    'ticketid',
    'requestid',
    'commentid',
    'conversationid',
    'noteid',
    'id',
    'recordid',
    'submissionid',
    'token',
    'answerid',
    '答卷编号',
    '答卷id',
    '序号',
    '评论id',
    'reviewlink',
    'permalink',
    'url',
    // Hotjar numbers its responses in a column called just "Number".
    'number',
  ],
};

/** Substring rules (normalised) when no exact alias matched, best first. */
const CONTAINS: Partial<Record<MappedField, readonly string[]>> = {
  nps: ['howlikelyareyoutorecommend', 'likelytorecommend', 'wouldrecommend', 'recommend', '推荐给', '推荐'],
  rating: [
    // An overall satisfaction question wins over the rows of a satisfaction matrix.
    'overallsatisf',
    '总体满意',
    '整体满意',
    '综合满意',
    'satisfied',
    'satisfaction',
    'rating',
    'howwouldyourate',
    'howdoyourate',
    'pleaserate',
    'rateyour',
    'rateour',
    'ratethe',
    '满意',
    '评分',
  ],
  submittedAt: ['createdtimestamp', 'createdat', 'createddate', 'submitdate', 'submittedat', 'timestamp'],
  text: [
    'primaryreason',
    'reasonforyourscore',
    'anythingelse',
    'comment',
    'feedback',
    'suggestion',
    'improve',
    'whydidyou',
    '意见',
    '建议',
    '评论内容',
    '原因',
    '反馈',
  ],
};

/** Personal columns: never copied into records (e-mail and customer ids are only hashed). */
const PERSONAL_EXACT = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'username',
  'reviewusername',
  'reviewernickname',
  'reviewername',
  'nickname',
  'recipientfirstname',
  'recipientlastname',
  'requester',
  'submitter',
  'author',
  'authorname',
  'ipaddress',
  'ip',
  'networkid',
  'locationlatitude',
  'locationlongitude',
  'latitude',
  'longitude',
  'phone',
  'phonenumber',
  'mobile',
  'userurl',
  'address',
  '姓名',
  '昵称',
  '用户名',
  '用户昵称',
  'ip地址',
  '来自ip',
  '证件号',
  '身份证号',
  '手机',
  '手机号',
  '电话',
  '地址',
]);
const PERSONAL_CONTAINS = [
  'email',
  'ipaddress',
  'phone',
  'firstname',
  'lastname',
  'nickname',
  '姓名',
  '昵称',
  '邮件',
  '邮箱',
  '电话',
  '手机号',
  '身份证',
  '证件号',
  '微信',
];

/** Survey metadata that is never the free-text answer. */
const METADATA = new Set([
  'status',
  'progress',
  'durationinseconds',
  'duration',
  'finished',
  'responsetype',
  'tags',
  'browser',
  'os',
  'device',
  'userlanguage',
  'packagename',
  '浏览器',
  '操作系统',
  '答题时长',
  '所用时间',
  '状态',
  '来源详情',
  '用户类别',
  '单位',
  '会员级别',
  '手机参数',
  '性别',
  '年龄',
]);

/** Scores a tool computes, not the customer's answer (Typeform's quiz `calculated.score`, lead or spam scores). */
const NOT_A_SCORE = new Set(['calculatedscore', 'quizscore', 'leadscore', 'spamscore', 'riskscore', 'hubspotscore']);

/** Business replies are not customer feedback. */
const NOT_FEEDBACK = ['reply', 'companyresponse', 'developerresponse', 'businessresponse', '回复'];

/** Column names for an error message: quoted, each cut to 80 characters, at most 60 listed. */
function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 60).map((c) => JSON.stringify(c.length > 80 ? `${c.slice(0, 80)}…` : c));
  return columns.length > 60 ? `${shown.join(', ')} (+${columns.length - 60} more)` : shown.join(', ');
}

export function isPersonal(norm: string): boolean {
  if (PERSONAL_EXACT.has(norm)) return true;
  return PERSONAL_CONTAINS.some((p) => norm.includes(p));
}

export interface MappingInput {
  columns: readonly string[];
  /** Extra names per column (other header rows, Qualtrics ImportIds, JSON leaf keys). */
  aliases: readonly (readonly string[])[];
  /** Sampled raw values per column (first rows of the file). */
  sample: readonly (readonly string[])[];
  overrides?: ColumnOverrides;
}

export interface MappingResult {
  fieldIndex: Partial<Record<MappedField, number>>;
  ratingScale: RatingScale;
  personal: number[];
  unreliableIdColumns: number[];
  warnings: FileWarning[];
}

function columnValues(sample: readonly (readonly string[])[], i: number): string[] {
  const out: string[] = [];
  for (const row of sample) {
    const v = row[i];
    if (v !== undefined && v.trim() !== '') out.push(v);
  }
  return out;
}

const NUMERIC = /^\s*-?\d+(?:\.\d+)?\s*$/;

/** Whether a `survey_type` column (Delighted) says every sampled response is an NPS survey. */
function surveyTypeIsNps(names: readonly string[][], sample: readonly (readonly string[])[]): boolean {
  const i = names.findIndex((ns) => ns.includes('surveytype'));
  if (i === -1) return false;
  const vals = columnValues(sample, i);
  return vals.length > 0 && vals.every((v) => v.trim().toLowerCase() === 'nps');
}

/** Values of a 0–10 scale: numbers up to 10, with one above 5 or a 0. */
function zeroToTen(values: readonly string[]): boolean {
  const { min, max } = numberRange(values);
  return max !== undefined && max <= 10 && (max > 5 || min === 0);
}

/** Smallest and largest plain numbers among the values (both undefined when there is none). */
function numberRange(values: readonly string[]): { min: number | undefined; max: number | undefined } {
  let min: number | undefined;
  let max: number | undefined;
  for (const v of values) {
    if (!NUMERIC.test(v)) continue;
    const n = Number(v);
    if (min === undefined || n < min) min = n;
    if (max === undefined || n > max) max = n;
  }
  return { min, max };
}

/**
 * Maps columns to canonical fields by name (English and Chinese, case/punctuation-insensitive), then by content for
 * what names cannot settle: a generic `score` column with values above 5 is NPS, a Good/Bad column is Zendesk CSAT,
 * and when no text column is named the longest free-text question column is taken (reported as a file warning).
 * Throws `NO_USABLE_COLUMNS` naming the columns seen when there is neither text nor score.
 */
export function mapColumns(input: MappingInput): MappingResult {
  const { columns, aliases, sample } = input;
  const names: string[][] = columns.map((c, i) =>
    [c, ...(aliases[i] ?? [])].map(normaliseName).filter((n) => n !== ''),
  );
  const warnings: FileWarning[] = [];
  const fieldIndex: Partial<Record<MappedField, number>> = {};
  const taken = new Set<number>();
  const personal: number[] = [];
  for (let i = 0; i < columns.length; i++) {
    const ns = names[i] ?? [];
    if (ns.some(isPersonal) && !ns.some((n) => EXACT.email.includes(n) || EXACT.customerId.includes(n)))
      personal.push(i);
  }
  const personalSet = new Set(personal);

  const overrides = input.overrides ?? {};
  for (const [field, col] of Object.entries(overrides) as [MappedField, string | null | undefined][]) {
    if (col === null || col === undefined) continue;
    const idx = columns.indexOf(col);
    if (idx === -1) {
      throw new FileRejectedError(
        'NO_USABLE_COLUMNS',
        `Override maps ${field} to column "${col}", which the file does not have. Columns seen: ${listColumns(columns)}`,
      );
    }
    fieldIndex[field] = idx;
    taken.add(idx);
  }
  const disabled = new Set(
    Object.entries(overrides)
      .filter(([, v]) => v === null)
      .map(([k]) => k),
  );

  const fieldOrder: MappedField[] = [
    'sourceRecordId',
    'updatedAt',
    'submittedAt',
    'nps',
    'rating',
    'title',
    'text',
    'followUp',
    'email',
    'customerId',
    'language',
    'channel',
    'product',
    'region',
  ];
  for (const field of fieldOrder) {
    if (fieldIndex[field] !== undefined || disabled.has(field)) continue;
    const candidates = candidatesFor(field, names, taken, personalSet).filter(
      (c) =>
        field !== 'nps' || !(names[c.idx] ?? []).includes('opinionscale') || zeroToTen(columnValues(sample, c.idx)),
    );
    // A header that names a score (`…满意…`, `…recommend…`) may belong to a question whose answers are not scores
    // (`哪些方面满意？（多选）`, `通过什么途径了解到我们（朋友推荐…）`): take the first candidate whose sampled answers
    // read as scores, and the best-named one only when none does.
    // A column found only by a substring of its name must hold dates to be the date.
    const best =
      field === 'nps' || field === 'rating'
        ? (candidates.find((c) => readsAsScores(field, columnValues(sample, c.idx))) ?? candidates[0])
        : field === 'submittedAt'
          ? candidates.find(
              (c) =>
                c.rank < 1000 ||
                (!(names[c.idx] ?? []).some((n) => n.includes('update')) && readsAsDates(columnValues(sample, c.idx))),
            )
          : field === 'text' || field === 'title'
            ? // A column found only by a substring of its name (`comment_count`) must hold words, not numbers.
              candidates.find((c) => c.rank < 1000 || !mostlyNumbers(columnValues(sample, c.idx)))
            : candidates[0];
    if (best !== undefined) {
      // A generic score above 5, or a 0 (never a 1–5 rating: a detractors-only NPS export), or one the export says is
      // NPS (Delighted's `survey_type` = nps), is NPS 0–10.
      if (
        field === 'rating' &&
        fieldIndex.nps === undefined &&
        (names[best.idx] ?? []).some((n) => n === 'score' || n === 'opinionscale')
      ) {
        const vals = columnValues(sample, best.idx);
        const { min, max } = numberRange(vals);
        if (max !== undefined && (zeroToTen(vals) || (max <= 10 && surveyTypeIsNps(names, sample)))) {
          fieldIndex.nps = best.idx;
          taken.add(best.idx);
          warnings.push({
            code: 'SCORE_KIND_INFERRED',
            detail:
              max > 5
                ? `Column "${columns[best.idx]}" holds values up to ${max}: read as NPS 0–10.`
                : min === 0
                  ? `Column "${columns[best.idx]}" holds 0, which no 1–5 rating has: read as NPS 0–10.`
                  : `Column "${columns[best.idx]}" is an NPS survey's score (survey_type nps): read as NPS 0–10.`,
          });
          continue;
        }
      }
      fieldIndex[field] = best.idx;
      taken.add(best.idx);
    }
  }

  // Google Play style: a link column only serves as id when no id column exists (already ranked last).
  let ratingScale: RatingScale = 'numeric';
  if (fieldIndex.rating !== undefined && looksGoodBad(columnValues(sample, fieldIndex.rating)))
    ratingScale = 'good-bad';

  if (fieldIndex.text === undefined && !disabled.has('text')) {
    const inferred = inferTextColumn(columns, names, sample, taken, personalSet, aliases);
    if (inferred !== undefined) {
      fieldIndex.text = inferred;
      taken.add(inferred);
      warnings.push({
        code: 'TEXT_COLUMN_INFERRED',
        detail: `No column is named like feedback text; using the free-text question "${columns[inferred]}".`,
      });
    }
  }

  // A second column with the text column's very name (two `Comment` columns) is more of the customer's text.
  const textIdx = fieldIndex.text;
  if (textIdx !== undefined && fieldIndex.followUp === undefined && !disabled.has('followUp')) {
    const twin = columns.findIndex(
      (c, i) => i !== textIdx && !taken.has(i) && c.trim() !== '' && c.trim() === columns[textIdx]?.trim(),
    );
    if (twin !== -1) {
      fieldIndex.followUp = twin;
      taken.add(twin);
    }
  }

  if (
    fieldIndex.text === undefined &&
    fieldIndex.title === undefined &&
    fieldIndex.nps === undefined &&
    fieldIndex.rating === undefined
  ) {
    throw new FileRejectedError(
      'NO_USABLE_COLUMNS',
      `No feedback text or score column recognised. Columns seen: ${listColumns(columns)}`,
    );
  }
  if (fieldIndex.submittedAt === undefined && fieldIndex.updatedAt === undefined) {
    warnings.push({ code: 'NO_DATE_COLUMN', detail: 'No date column recognised: rows take the upload time.' });
  }

  const unreliableIdColumns: number[] = [];
  for (const f of ['sourceRecordId', 'customerId'] as const) {
    const idx = fieldIndex[f];
    if (idx === undefined) continue;
    if (columnValues(sample, idx).some(isMangledNumber)) {
      unreliableIdColumns.push(idx);
      warnings.push({
        code: 'UNRELIABLE_ID_COLUMN',
        detail: `Column "${columns[idx]}" has ids in Excel scientific notation (e.g. 5.69588E+17); those are not used.`,
      });
    }
  }
  return { fieldIndex, ratingScale, personal, unreliableIdColumns, warnings };
}

/** Columns whose names fit `field`: exact aliases by rank (then column order), then substring rules by rank. */
function candidatesFor(
  field: MappedField,
  names: readonly string[][],
  taken: ReadonlySet<number>,
  personal: ReadonlySet<number>,
): { idx: number; rank: number }[] {
  const exact: { idx: number; rank: number }[] = [];
  for (let i = 0; i < names.length; i++) {
    if (taken.has(i)) continue;
    const ns = names[i] ?? [];
    if (field !== 'email' && personal.has(i)) continue;
    if ((field === 'nps' || field === 'rating') && ns.some((n) => NOT_A_SCORE.has(n))) continue;
    if ((field === 'text' || field === 'title') && ns.some((n) => NOT_FEEDBACK.some((x) => n.includes(x)))) continue;
    let rank = -1;
    for (const n of ns) {
      const r = EXACT[field].indexOf(n);
      if (r !== -1 && (rank === -1 || r < rank)) rank = r;
    }
    if (rank !== -1) exact.push({ idx: i, rank });
  }
  exact.sort((a, b) => a.rank - b.rank || a.idx - b.idx);
  const contains: { idx: number; rank: number }[] = [];
  const seen = new Set(exact.map((c) => c.idx));
  for (const [rank, rule] of (CONTAINS[field] ?? []).entries()) {
    for (let i = 0; i < names.length; i++) {
      if (taken.has(i) || personal.has(i) || seen.has(i)) continue;
      const ns = names[i] ?? [];
      if (ns.some((n) => NOT_FEEDBACK.some((x) => n.includes(x)))) continue;
      if (ns.some((n) => n.includes(rule))) {
        contains.push({ idx: i, rank: 1000 + rank });
        seen.add(i);
      }
    }
  }
  return [...exact, ...contains];
}

/**
 * Whether sampled answers read as scores of this kind: at least half of them are numbers, stars or labels the
 * parser takes (out-of-range numbers count: the column is then a score with bad values, reported per row). A column
 * with no sampled answer is taken on its name.
 */
function readsAsScores(field: 'nps' | 'rating', values: readonly string[]): boolean {
  if (values.length === 0) return true;
  const scale: RatingScale = looksGoodBad(values) ? 'good-bad' : 'numeric';
  let scores = 0;
  let answers = 0;
  for (const v of values) {
    const r = field === 'nps' ? parseNps(v) : parseRating(v, scale);
    if (r === undefined) continue; // placeholder: no answer
    answers++;
    if ('value' in r || r.problem === 'SCORE_OUT_OF_RANGE') scores++;
  }
  return answers === 0 || scores * 2 >= answers;
}

/** Whether most sampled values are plain numbers (a count, a score), so the column holds no free text. */
function mostlyNumbers(values: readonly string[]): boolean {
  let n = 0;
  for (const v of values) if (NUMERIC.test(v)) n++;
  return values.length > 0 && n * 5 >= values.length * 4;
}

/** Whether at least half of the sampled values (and at least one) parse as dates. */
function readsAsDates(values: readonly string[]): boolean {
  const now = Date.now();
  let dates = 0;
  for (const v of values) if ('ms' in parseDate(v, 'UTC', undefined, now)) dates++;
  return dates > 0 && dates * 2 >= values.length;
}

const QUESTION_LIKE = /[?？]\s*$|^\s*(?:q\d+|\d+[、.])|free.?text|_text$/i;
const YES_NO = new Set(['yes', 'no', 'y', 'n', 'true', 'false', '是', '否', 'yesss', 'nope', 'yeah', 'yep']);
const DATE_LIKE = /^\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}/;

/**
 * Picks the free-text answer column when no column is named like one: question-like headers (ending in `?`,
 * `Q5_…`, Qualtrics `…_TEXT` ImportIds), values mostly distinct, not numbers, dates or yes/no, longest on average.
 */
function inferTextColumn(
  columns: readonly string[],
  names: readonly string[][],
  sample: readonly (readonly string[])[],
  taken: ReadonlySet<number>,
  personal: ReadonlySet<number>,
  aliases: readonly (readonly string[])[],
): number | undefined {
  let best: { idx: number; score: number } | undefined;
  for (let i = 0; i < columns.length; i++) {
    if (taken.has(i) || personal.has(i)) continue;
    const ns = names[i] ?? [];
    if (ns.some((n) => METADATA.has(n) || NOT_FEEDBACK.some((x) => n.includes(x)))) continue;
    const rawNames = [columns[i] ?? '', ...(aliases[i] ?? [])];
    if (!rawNames.some((n) => QUESTION_LIKE.test(n))) continue;
    const vals = columnValues(sample, i).map((v) => v.trim());
    if (vals.length === 0) continue;
    const meaningful = vals.filter(
      (v) => !NUMERIC.test(v) && !DATE_LIKE.test(v) && !YES_NO.has(v.toLowerCase()) && v.toLowerCase() !== 'nan',
    );
    if (meaningful.length < vals.length * 0.5) continue;
    const distinct = new Set(meaningful).size;
    if (meaningful.length >= 4 && distinct < 3) continue;
    let len = 0;
    for (const v of meaningful) len += v.length;
    const mean = len / meaningful.length;
    const score = mean * (distinct / meaningful.length) * (meaningful.length / Math.max(vals.length, 1));
    if (best === undefined || score > best.score) best = { idx: i, score };
  }
  return best?.idx;
}
