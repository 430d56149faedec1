import { FileRejectedError } from '../domain/errors.js';
import { isMangledNumber } from './clean.js';
import {
  CONTAINS,
  EXACT,
  METADATA,
  NOT_A_SCORE,
  NOT_FEEDBACK,
  PERSONAL_CONTAINS,
  PERSONAL_EXACT,
} from './column-names.js';
import { profileColumns } from './column-profile.js';
import { explainRoles, type RoleDraft, settleDates, settleIds, settleScores, settleText } from './column-roles.js';
import { parseDate } from './dates.js';
import { columnLabels, diagnostic } from './diagnostic.js';
import { toSimplified } from './han.js';
import { ZONE_IN_BRACKETS } from './header-zones.js';
import { looksGoodBad, parseNps, parseRating } from './scores.js';
import {
  type ColumnOverrides,
  type FileWarning,
  MAPPED_FIELDS,
  type MappedField,
  type RatingScale,
  type RoleChoice,
} from './types.js';

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

export function isPersonal(norm: string): boolean {
  if (PERSONAL_EXACT.has(norm)) return true;
  return PERSONAL_CONTAINS.some((p) => norm.includes(p));
}

export interface MappingInput {
  columns: readonly string[];
  /**
   * What diagnostics call each column (see {@link columnLabels}): the names when they read as names.
   * @default columnLabels(columns)
   */
  labels?: readonly string[];
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
  /** Each role's column, confidence and evidence. */
  explained: RoleChoice[];
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

/** The mapping as it is built: the input, each column's names and profile, and what is decided so far. */
interface Draft extends RoleDraft {
  aliases: readonly (readonly string[])[];
  sample: readonly (readonly string[])[];
  personal: number[];
}

/** The order fields pick their column in: ids and dates first, so a `…date…` text question cannot take them. */
const FIELD_ORDER: readonly MappedField[] = [
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

/**
 * Maps columns to canonical fields: names propose (English and Chinese, case/punctuation-insensitive; a generic
 * `score` column with values above 5 is NPS, a free-text question column is the text when none is named), then each
 * column's profile confirms, overrules or completes the proposal (see `column-roles.ts`), and every role gets a
 * confidence. Throws `NO_USABLE_COLUMNS` naming the columns seen when there is neither text nor score.
 */
export function mapColumns(input: MappingInput): MappingResult {
  const d = draft(input);
  applyOverrides(d, input.overrides ?? {});
  for (const field of FIELD_ORDER) {
    if (d.fieldIndex[field] === undefined && !d.disabled.has(field)) mapByName(d, field);
  }
  const { fieldIndex, warnings } = d;
  if (fieldIndex.text === undefined && !d.disabled.has('text')) mapInferredText(d);
  settleIds(d);
  // Scores first: a `RatingDate` that the name gave the rating is freed for the dates.
  settleScores(d);
  settleDates(d);
  settleText(d);
  // Google Play style: a link column only serves as id when no id column exists (already ranked last).
  let ratingScale: RatingScale = 'numeric';
  if (fieldIndex.rating !== undefined && looksGoodBad(columnValues(d.sample, fieldIndex.rating)))
    ratingScale = 'good-bad';
  if (fieldIndex.followUp === undefined && !d.disabled.has('followUp')) mapTwinText(d);
  if (
    fieldIndex.text === undefined &&
    fieldIndex.title === undefined &&
    fieldIndex.nps === undefined &&
    fieldIndex.rating === undefined
  ) {
    throw new FileRejectedError(
      'NO_USABLE_COLUMNS',
      diagnostic`No feedback text or score column recognised. Columns seen: ${{ names: d.labels }}`,
    );
  }
  if (fieldIndex.submittedAt === undefined && fieldIndex.updatedAt === undefined) {
    warnings.push({
      code: 'NO_DATE_COLUMN',
      detail: diagnostic`No date column recognised: rows take the upload time.`,
    });
  }
  const unreliableIdColumns = unreliableIds(d);
  const explained = explainRoles(d);
  return { fieldIndex, ratingScale, personal: d.personal, unreliableIdColumns, warnings, explained };
}

/**
 * Normalised names per column, and the personal columns (never copied; e-mail and customer ids are hashed): named
 * so, or, with no name that gives them a role (a headerless file's), holding personal data in most sampled values.
 */
function draft(input: MappingInput): Draft {
  const { columns, aliases, sample } = input;
  const names: string[][] = columns.map((c, i) =>
    [c, ...(aliases[i] ?? [])].map(normaliseName).filter((n) => n !== ''),
  );
  const profiles = profileColumns(columns.length, sample);
  const personal: number[] = [];
  for (let i = 0; i < columns.length; i++) {
    const ns = names[i] ?? [];
    const named = ns.some((n) => MAPPED_FIELDS.some((f) => EXACT[f].includes(n)));
    if (ns.some(isPersonal) && !ns.some((n) => EXACT.email.includes(n) || EXACT.customerId.includes(n)))
      personal.push(i);
    else if (!named && (profiles[i]?.personalShare ?? 0) >= 0.5) personal.push(i);
  }
  return {
    columns,
    labels: input.labels ?? columnLabels(columns),
    aliases,
    sample,
    names,
    fieldIndex: {},
    taken: new Set(),
    personal,
    personalSet: new Set(personal),
    disabled: new Set(),
    overridden: new Set(),
    warnings: [],
    profiles,
  };
}

/** A source's overrides name columns outright (`null` disables a field); a column the file lacks is an error. */
function applyOverrides(d: Draft, overrides: ColumnOverrides): void {
  for (const [field, col] of Object.entries(overrides) as [MappedField, string | null | undefined][]) {
    if (col === null || col === undefined) continue;
    const idx = d.columns.indexOf(col);
    if (idx === -1) {
      throw new FileRejectedError(
        'NO_USABLE_COLUMNS',
        diagnostic`Override maps ${field} to column "${col}", which the file does not have. Columns seen: ${{ names: d.labels }}`,
      );
    }
    d.fieldIndex[field] = idx;
    d.taken.add(idx);
    d.overridden.add(field);
  }
  for (const [k, v] of Object.entries(overrides)) if (v === null) d.disabled.add(k);
}

/** Maps `field` to the best-named free column whose values fit it (a generic score may turn out to be NPS). */
function mapByName(d: Draft, field: MappedField): void {
  const candidates = candidatesFor(field, d.names, d.taken, d.personalSet).filter(
    (c) =>
      field !== 'nps' || !(d.names[c.idx] ?? []).includes('opinionscale') || zeroToTen(columnValues(d.sample, c.idx)),
  );
  const best = bestCandidate(d, field, candidates);
  if (best === undefined) return;
  if (field === 'rating' && mapsAsNps(d, best.idx)) return;
  d.fieldIndex[field] = best.idx;
  d.taken.add(best.idx);
}

/**
 * The candidate to take. A header that names a score (`…满意…`, `…recommend…`) may belong to a question whose answers
 * are not scores (`哪些方面满意？（多选）`, `通过什么途径了解到我们（朋友推荐…）`): take the first candidate whose sampled
 * answers read as scores, and the best-named one only when none does. A column found only by a substring of its name
 * must hold dates to be the date, and words (not numbers: `comment_count`) to be the text or title.
 */
function bestCandidate(
  d: Draft,
  field: MappedField,
  candidates: readonly { idx: number; rank: number }[],
): { idx: number; rank: number } | undefined {
  const values = (c: { idx: number }) => columnValues(d.sample, c.idx);
  switch (field) {
    case 'nps':
    case 'rating':
      return candidates.find((c) => readsAsScores(field, values(c))) ?? candidates[0];
    case 'submittedAt':
      return candidates.find(
        (c) => c.rank < 1000 || (!(d.names[c.idx] ?? []).some((n) => n.includes('update')) && readsAsDates(values(c))),
      );
    case 'text':
    case 'title':
      return candidates.find((c) => c.rank < 1000 || !mostlyNumbers(values(c)));
    default:
      return candidates[0];
  }
}

/**
 * A generic score above 5, or a 0 (never a 1–5 rating: a detractors-only NPS export), or one the export says is NPS
 * (Delighted's `survey_type` = nps), is NPS 0–10: mapped as such, with a warning. True when so mapped.
 */
function mapsAsNps(d: Draft, idx: number): boolean {
  if (d.fieldIndex.nps !== undefined || !(d.names[idx] ?? []).some((n) => n === 'score' || n === 'opinionscale'))
    return false;
  const vals = columnValues(d.sample, idx);
  const { min, max } = numberRange(vals);
  if (max === undefined || !(zeroToTen(vals) || (max <= 10 && surveyTypeIsNps(d.names, d.sample)))) return false;
  d.fieldIndex.nps = idx;
  d.taken.add(idx);
  const column = d.labels[idx] ?? '';
  d.warnings.push({
    code: 'SCORE_KIND_INFERRED',
    detail:
      max > 5
        ? diagnostic`Column "${column}" holds values up to ${max}: read as NPS 0–10.`
        : min === 0
          ? diagnostic`Column "${column}" holds 0, which no 1–5 rating has: read as NPS 0–10.`
          : diagnostic`Column "${column}" is an NPS survey's score (survey_type nps): read as NPS 0–10.`,
  });
  return true;
}

/** No column named like feedback text: the free-text question column, with a warning. */
function mapInferredText(d: Draft): void {
  const inferred = inferTextColumn(d.columns, d.names, d.sample, d.taken, d.personalSet, d.aliases);
  if (inferred === undefined) return;
  d.fieldIndex.text = inferred;
  d.taken.add(inferred);
  d.warnings.push({
    code: 'TEXT_COLUMN_INFERRED',
    detail: diagnostic`No column is named like feedback text; using the free-text question "${d.labels[inferred] ?? ''}".`,
  });
}

/** A second column with the text column's very name (two `Comment` columns) is more of the customer's text. */
function mapTwinText(d: Draft): void {
  const textIdx = d.fieldIndex.text;
  if (textIdx === undefined) return;
  const name = d.columns[textIdx]?.trim();
  const twin = d.columns.findIndex((c, i) => i !== textIdx && !d.taken.has(i) && c.trim() !== '' && c.trim() === name);
  if (twin === -1) return;
  d.fieldIndex.followUp = twin;
  d.taken.add(twin);
}

/** Id columns holding Excel's scientific notation (`5.69588E+17`): their ids are not used, with a warning. */
function unreliableIds(d: Draft): number[] {
  const out: number[] = [];
  for (const f of ['sourceRecordId', 'customerId'] as const) {
    const idx = d.fieldIndex[f];
    if (idx === undefined) continue;
    if (columnValues(d.sample, idx).some(isMangledNumber)) {
      out.push(idx);
      d.warnings.push({
        code: 'UNRELIABLE_ID_COLUMN',
        detail: diagnostic`Column "${d.labels[idx] ?? ''}" has ids in Excel scientific notation (e.g. 5.69588E+17); those are not used.`,
      });
    }
  }
  return out;
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
