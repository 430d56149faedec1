/**
 * Where the records of a JSON value sit: an API response page (`{"data":[…]}`) or an envelope around one
 * (`{"data":{"comments":[…]}}`), as against an ordinary record with content of its own.
 */
import { isThread } from './json-flatten.js';

/** Properties (lower-cased) that hold the records of an API response page: JSON:API `data`, `reviews`, `items`… */
const RECORD_ARRAY_KEYS = new Set([
  'data',
  'items',
  'results',
  'records',
  'reviews',
  'comments',
  'entries',
  'entry',
  'responses',
  'feedback',
  'feedbacks',
  'tickets',
  'conversations',
  'ratings',
  'satisfaction_ratings',
  'elements',
  'rows',
  'list',
  'reviewlist',
  'review_list',
  'commentlist',
  'comment_list',
  'customerreviews',
  '评论列表',
  '评价列表',
  '评论',
  '评价',
  '列表',
  '数据',
  '记录',
  '结果',
  '留言',
]);

/** Properties (lower-cased) whose scalar value makes an object a record of its own, not a page around records. */
const CONTENT_KEYS = new Set([
  'text',
  'body',
  'content',
  'comment',
  'review',
  'reviewtext',
  'review_text',
  'message',
  'feedback',
  'title',
  'summary',
  'description',
  'rating',
  'score',
  'stars',
  'star',
  'nps',
  '内容',
  '评论内容',
  '评价内容',
  '评论',
  '评价',
  '评语',
  '留言',
  '标题',
  '评分',
  '星级',
]);

function isRecordObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The records of a page wrapper — an API response saved one page a line (`jq -c`) or several pages slurped into one
 * array: an object with a non-empty array of objects under a records key, and no scalar content of its own (an order
 * with `items` and a `comment` stays one record). `undefined` for an ordinary record. Takes the object's entries, which
 * {@link entriesRow} reuses: an ordinary record costs one array check a property.
 */
export function pageRecords(entries: [string, unknown][]): Record<string, unknown>[] | undefined {
  let records: Record<string, unknown>[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as [string, unknown];
    const v = e[1];
    if (!Array.isArray(v) || records !== undefined || v.length === 0) continue;
    if (RECORD_ARRAY_KEYS.has(e[0].toLowerCase()) && v.every(isRecordObject) && !isThread(v)) {
      records = v as Record<string, unknown>[];
    }
  }
  return records === undefined || hasContent(entries) ? undefined : records;
}

/** Whether an object has a scalar content property of its own (`text`, `rating`…): then it is a record, not a page. */
function hasContent(entries: [string, unknown][]): boolean {
  for (const [k, v] of entries)
    if (v !== null && typeof v !== 'object' && CONTENT_KEYS.has(k.toLowerCase())) return true;
  return false;
}

/** Properties (lower-cased) of a response envelope around a page: Weibo `{"data":{"comments":[…]}}`, iTunes `feed`. */
const ENVELOPE_KEYS = new Set(['data', 'feed', 'result', 'response', 'payload', '数据', '结果']);

/** The records of a page one level down in an envelope with no scalar content of its own (see {@link pageRecords}). */
export function envelopeRecords(entries: [string, unknown][]): Record<string, unknown>[] | undefined {
  let records: Record<string, unknown>[] | undefined;
  for (const [k, v] of entries) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && ENVELOPE_KEYS.has(k.toLowerCase())) {
      records = pageRecords(Object.entries(v));
      break;
    }
  }
  // Only an envelope found pays for the content check (most records have none: this runs on every JSON row).
  return records === undefined || hasContent(entries) ? undefined : records;
}
