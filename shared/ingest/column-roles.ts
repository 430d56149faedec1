import { CONTAINS, EXACT, METADATA, NOT_FEEDBACK } from './column-names.js';
import { type ColumnProfile, describeProfile, isCategorical, textFit } from './column-profile.js';
import { diagnostic } from './diagnostic.js';
import type { FileWarning, MappedField, RoleChoice } from './types.js';

/*
 * The evidence pass of the columns stage: after the names proposed a mapping, each column's profile confirms,
 * overrules or completes it (text, dates, scores, ids), and every role gets a confidence and its evidence in words.
 */

/** What the evidence pass reads and amends (the mapping draft of `column-mapping.ts`). */
export interface RoleDraft {
  columns: readonly string[];
  /** What diagnostics and explanations call each column (names only where they read as names). */
  labels: readonly string[];
  /** Each column's normalised names. */
  names: string[][];
  fieldIndex: Partial<Record<MappedField, number>>;
  taken: Set<number>;
  personalSet: Set<number>;
  /** Fields an override set to `null`. */
  disabled: Set<string>;
  /** Fields an override named. */
  overridden: Set<string>;
  warnings: FileWarning[];
  profiles: ColumnProfile[];
}

/** When a role's confidence is below this, the file gets `MAPPING_UNCERTAIN`. */
const UNCERTAIN = 0.5;
/** Roles whose doubt changes the figures stakeholders see. */
const REPORTED: readonly MappedField[] = ['text', 'nps', 'rating', 'submittedAt', 'sourceRecordId'];

/** Date names that say when the customer wrote, and names that say when a tool stored or changed the record. */
const WRITTEN = [
  'review',
  'comment',
  'submit',
  'rating',
  'rated',
  'post',
  'answer',
  'response',
  'recorded',
  '评论',
  '评价',
  '提交',
  '发表',
  '答卷',
];
const STORED = [
  'created',
  'crawl',
  'update',
  'added',
  'scrape',
  'insert',
  'modified',
  'fetch',
  '入库',
  '抓取',
  '采集',
  '爬取',
  '更新',
  '创建',
];
/** Id names that identify a person, not a response. */
const PERSON = ['user', 'customer', 'member', 'author', 'reviewer', 'account', '用户', '会员', '买家', '客户'];

function has(d: RoleDraft, i: number, tokens: readonly string[]): boolean {
  return (d.names[i] ?? []).some((n) => tokens.some((t) => n.includes(t)));
}

/** The name prior: 1 for an exact alias of the field, 0.6 for a substring rule, else 0. */
export function namePrior(field: MappedField, names: readonly string[]): number {
  if (names.some((n) => EXACT[field].includes(n))) return 1;
  return names.some((n) => (CONTAINS[field] ?? []).some((r) => n.includes(r))) ? 0.6 : 0;
}

/** How well a column's values fit a field, 0–1. */
export function contentFit(field: MappedField, p: ColumnProfile): number {
  switch (field) {
    case 'text':
    case 'followUp':
      return textFit(p);
    case 'nps':
      return p.dateShare >= 0.5 || p.idShare >= 0.5 ? 0 : p.zeroToTenShare;
    case 'rating':
      return p.dateShare >= 0.5 || p.idShare >= 0.5 ? 0 : Math.max(p.oneToFiveShare, p.labelShare);
    case 'submittedAt':
    case 'updatedAt':
      return Math.max(p.dateShare, p.epochShare);
    case 'sourceRecordId':
      return p.filled > 0 && p.distinctRatio === 1 && !p.consecutive ? Math.max(p.idShare, 0.6) : 0;
    default:
      return p.filled > 0 ? 1 : 0;
  }
}

function free(d: RoleDraft, i: number): boolean {
  return !d.taken.has(i) && !d.personalSet.has(i);
}

function assign(d: RoleDraft, field: MappedField, idx: number | undefined): void {
  const old = d.fieldIndex[field];
  if (old !== undefined) d.taken.delete(old);
  if (idx === undefined) {
    delete d.fieldIndex[field];
    return;
  }
  d.fieldIndex[field] = idx;
  d.taken.add(idx);
}

/** Whether the evidence pass may change this field (not set or disabled by an override). */
function open(d: RoleDraft, field: MappedField): boolean {
  return !d.overridden.has(field) && !d.disabled.has(field);
}

/** The free column that reads most like free text, with its fit. */
function bestProse(d: RoleDraft, except?: number): { idx: number; fit: number } | undefined {
  let best: { idx: number; fit: number } | undefined;
  for (const p of d.profiles) {
    const i = p.index;
    if (i === except || !free(d, i)) continue;
    if ((d.names[i] ?? []).some((n) => METADATA.has(n) || NOT_FEEDBACK.some((x) => n.includes(x)))) continue;
    const fit = textFit(p);
    if (fit > 0 && (best === undefined || fit > best.fit)) best = { idx: i, fit };
  }
  return best;
}

/**
 * Text by evidence: a categorical column (a 0/1 label, Likert answers, a repeated title) never keeps the text role on
 * its name; a named column that is not prose loses to a prose column; with no text column, a clear prose column is it.
 */
export function settleText(d: RoleDraft): void {
  if (!open(d, 'text')) return;
  const cur = d.fieldIndex.text;
  if (cur === undefined) {
    const best = bestProse(d);
    if (best === undefined || best.fit < 0.4) return;
    assign(d, 'text', best.idx);
    d.warnings.push({
      code: 'TEXT_COLUMN_INFERRED',
      detail: diagnostic`No column is named like feedback text; using "${d.labels[best.idx] ?? ''}", whose values read as free text.`,
    });
    return;
  }
  const p = d.profiles[cur];
  if (p === undefined) return;
  const curFit = textFit(p);
  const best = bestProse(d, cur);
  // A named column loses only on enough rows, and not to its twin (a second `Comment` column is its follow-up).
  const loses =
    best !== undefined &&
    p.filled >= 5 &&
    best.fit >= 0.4 &&
    p.proseShare < 0.3 &&
    curFit < best.fit / 3 &&
    d.columns[best.idx]?.trim() !== d.columns[cur]?.trim();
  if (!isCategorical(p) && !loses) return;
  assign(d, 'text', loses ? best?.idx : undefined);
}

function dateCandidates(d: RoleDraft): number[] {
  return d.profiles
    .filter((p) => p.filled > 0 && !d.personalSet.has(p.index))
    .filter(
      (p) =>
        p.dateShare >= 0.8 ||
        (p.epochShare >= 0.8 && /time|date|at$|时间|日期/.test((d.names[p.index] ?? []).join(' '))),
    )
    .map((p) => p.index);
}

/** Name prior among date columns: when the customer wrote (2) over a column with no hint (1) over storage times (0). */
function writtenRank(d: RoleDraft, i: number): number {
  if (has(d, i, WRITTEN)) return 2;
  return has(d, i, STORED) ? 0 : 1;
}

/**
 * Dates by evidence: columns whose values are dates are candidates whatever their name (`at`, `RatingDate`,
 * `评论日期`); the time the customer wrote beats the time a tool stored the record, but a storage time that is the
 * only date stays the date.
 */
export function settleDates(d: RoleDraft): void {
  if (!open(d, 'submittedAt')) return;
  const cur = d.fieldIndex.submittedAt;
  const candidates = dateCandidates(d).filter((i) => i === cur || free(d, i));
  if (candidates.length === 0) return;
  const rank = (i: number) => writtenRank(d, i) * 2 + (d.profiles[i]?.fillRate ?? 0);
  const best = [...candidates].sort((a, b) => rank(b) - rank(a) || a - b)[0] as number;
  if (cur === undefined) {
    if (d.fieldIndex.updatedAt === undefined || writtenRank(d, best) > 0) assign(d, 'submittedAt', best);
    return;
  }
  // Only the time the customer wrote displaces a named date column (not a scrape time: relative `2 weeks ago` dates
  // are still the review's date).
  if (writtenRank(d, best) === 2 && writtenRank(d, cur) < 2) assign(d, 'submittedAt', best);
}

/**
 * Scores by evidence: dates, ids and prose never keep a score role on their name; with no rating column, the one
 * column of star or Likert labels is the rating (several such columns are a survey matrix: left for the names).
 */
export function settleScores(d: RoleDraft): void {
  for (const field of ['nps', 'rating'] as const) {
    const cur = d.fieldIndex[field];
    const p = cur === undefined ? undefined : d.profiles[cur];
    if (p === undefined || !open(d, field)) continue;
    if (p.dateShare >= 0.5 || p.idShare >= 0.5) assign(d, field, undefined);
  }
  if (!open(d, 'rating') || d.fieldIndex.rating !== undefined || d.fieldIndex.nps !== undefined) return;
  const labels = d.profiles.filter((p) => free(d, p.index) && p.filled > 0 && p.labelShare >= 0.8 && p.distinct <= 10);
  if (labels.length === 1) assign(d, 'rating', labels[0]?.index);
  else if (open(d, 'nps')) settleUnnamedScore(d);
}

/** A column name that says nothing of its content: `Q3`, `Question 7`, `问题2`, `column 4`, or none. */
const GENERIC_NAME = /^(?:(?:q|question|item|column|col|field|问题|题目|第)\s*[\d.]*\s*(?:题)?|\d*)$/;

/**
 * With no score column found, one column whose name says nothing (`Q3`) and whose values are unmistakably an answer
 * scale is taken: whole numbers 0–10 using at least 6 of them and some above 5 (NPS), or numbers 1–5 using at least 3
 * (rating). A named column (`Visits`) is never taken on its values alone; two candidates are left for an override.
 */
function settleUnnamedScore(d: RoleDraft): void {
  const unnamed = d.profiles.filter(
    (p) =>
      free(d, p.index) &&
      p.filled >= 20 &&
      p.dateShare < 0.5 &&
      (d.names[p.index] ?? ['']).every((n) => GENERIC_NAME.test(n)),
  );
  const nps = unnamed.filter((p) => p.zeroToTenShare >= 0.98 && p.distinct >= 6 && (p.maxNumber ?? 0) > 5);
  const ratings = unnamed.filter((p) => p.oneToFiveShare >= 0.98 && p.distinct >= 3 && (p.maxNumber ?? 0) <= 5);
  const candidates = [...nps.map((p) => ['nps', p] as const), ...ratings.map((p) => ['rating', p] as const)];
  const [only] = candidates;
  if (candidates.length !== 1 || only === undefined) return;
  const [field, pick] = only;
  assign(d, field, pick.index);
  d.warnings.push({
    code: 'SCORE_KIND_INFERRED',
    detail:
      field === 'nps'
        ? diagnostic`Column "${d.labels[pick.index] ?? ''}" has no score name; its values (${pick.distinct} distinct, 0–10) read as NPS 0–10.`
        : diagnostic`Column "${d.labels[pick.index] ?? ''}" has no score name; its values (${pick.distinct} distinct, 1–5) read as a 1–5 rating.`,
  });
}

/**
 * Ids by evidence: a row number (1, 2, 3…) is never the record id; a unique, id-shaped column is, when no column is
 * named as one (not a person's id: that is the customer).
 */
export function settleIds(d: RoleDraft): void {
  if (!open(d, 'sourceRecordId')) return;
  const cur = d.fieldIndex.sourceRecordId;
  if (cur !== undefined) {
    if (d.profiles[cur]?.consecutive === true) {
      assign(d, 'sourceRecordId', undefined);
      d.warnings.push({
        code: 'ROW_NUMBER_NOT_ID',
        detail: diagnostic`Column "${d.labels[cur] ?? ''}" numbers the rows 1, 2, 3…: not used as a record id.`,
      });
    }
    return;
  }
  const ids = d.profiles.filter(
    (p) =>
      free(d, p.index) &&
      p.filled >= 5 &&
      p.fillRate >= 0.95 &&
      p.distinctRatio === 1 &&
      p.idShare >= 0.9 &&
      !p.consecutive &&
      !has(d, p.index, PERSON),
  );
  const named = ids.find((p) => (d.names[p.index] ?? []).some((n) => n.endsWith('id') || n.includes('id')));
  const pick = named ?? ids[0];
  if (pick !== undefined) assign(d, 'sourceRecordId', pick.index);
}

/**
 * Confidence of a column in a role, 0–1: the name and the values are two independent signs, either enough on its own
 * (1 − (1 − 0.8 × name prior) × (1 − content fit)); an override is certain. A role that content vetoes never gets here.
 */
function confidence(d: RoleDraft, field: MappedField, i: number): number {
  if (d.overridden.has(field)) return 1;
  const p = d.profiles[i];
  if (p === undefined) return 0;
  const c = 1 - (1 - 0.8 * namePrior(field, d.names[i] ?? [])) * (1 - contentFit(field, p));
  return Math.round(c * 100) / 100;
}

function runnerUp(d: RoleDraft, field: MappedField, chosen: number): number | undefined {
  let best: { idx: number; c: number } | undefined;
  for (const p of d.profiles) {
    if (p.index === chosen || d.taken.has(p.index) || d.personalSet.has(p.index)) continue;
    const c = confidence(d, field, p.index);
    if (c > 0.2 && (best === undefined || c > best.c)) best = { idx: p.index, c };
  }
  return best?.idx;
}

/**
 * Each mapped role's column, confidence and evidence; `MAPPING_UNCERTAIN` (column names only, never values) for the
 * roles that move the figures when their confidence is low.
 */
export function explainRoles(d: RoleDraft): RoleChoice[] {
  const out: RoleChoice[] = [];
  for (const [field, idx] of Object.entries(d.fieldIndex) as [MappedField, number][]) {
    const p = d.profiles[idx];
    const choice: RoleChoice = {
      field,
      column: d.labels[idx] ?? '',
      confidence: confidence(d, field, idx),
      evidence: d.overridden.has(field) ? 'set by the source override' : p === undefined ? '' : describeProfile(p),
    };
    const r = runnerUp(d, field, idx);
    if (r !== undefined && d.profiles[r] !== undefined)
      choice.runnerUp = { column: d.labels[r] ?? '', evidence: describeProfile(d.profiles[r] as ColumnProfile) };
    out.push(choice);
  }
  const doubtful = out.filter((c) => REPORTED.includes(c.field) && c.confidence < UNCERTAIN);
  if (doubtful.length > 0) {
    const list = doubtful.map((c) =>
      c.runnerUp
        ? diagnostic`${c.field}: "${c.column}" (${c.confidence}) or "${c.runnerUp.column}"`
        : diagnostic`${c.field}: "${c.column}" (${c.confidence})`,
    );
    d.warnings.push({ code: 'MAPPING_UNCERTAIN', detail: diagnostic`Column roles in doubt: ${{ list }}.` });
  }
  return out;
}
