import type { Diagnostic } from '../domain/types.js';
import { redactAsWritten } from './clean.js';

/*
 * Every user-facing detail (row warnings and rejections, file warnings, FileRejectedError messages, and through them
 * reports, checkpoints, events, logs and the CLI) is built by `diagnostic`, which never lets a cell through: a cell is
 * described by its shape, a name is shown only when it reads as one, a library's message loses its quoted excerpts,
 * and whatever is shown is redacted and capped.
 */

/** Longest name shown (a column, a key, a title line). */
const MAX_NAME = 60;
/** Longest library message shown. */
const MAX_MESSAGE = 160;
/** Longest detail. */
const MAX_DETAIL = 600;
/** Names listed by a `{ names }` part. */
const MAX_LISTED = 20;

/** A cell's content: never shown, described by its shape (`11 digits`, `10 characters: digits, '/'`). */
export interface CellPart {
  readonly cell: string;
}
/** A library's error message (JSON.parse, csv-parse): shown without the excerpts of the input it quotes. */
export interface MessagePart {
  readonly message: string;
}
/** Column or key names, listed (at most {@link MAX_LISTED}), each as a `string` part. */
export interface NamesPart {
  readonly names: readonly string[];
}
/** Details already built, joined by `separator` (default `; `). */
export interface ListPart {
  readonly list: readonly Diagnostic[];
  readonly separator?: string;
}
/**
 * What a detail may be made of. A `string` is a name (a column, a key, a field): shown when it reads as a name, cleaned,
 * redacted and capped; a value posing as one is described as a {@link CellPart}. A number (a count, a size) is shown.
 */
export type DiagnosticPart = string | number | CellPart | MessagePart | NamesPart | ListPart;

/**
 * Builds a user-facing detail: the template's literal text as written, each part as {@link DiagnosticPart} says,
 * the whole capped at 600 characters.
 * @example diagnostic`${field}: not a 0–10 score (${{ cell: raw }})` // "nps: not a 0–10 score (11 digits)"
 */
export function diagnostic(strings: TemplateStringsArray, ...parts: readonly DiagnosticPart[]): Diagnostic {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += renderPart(part) + (strings[i + 1] ?? '');
  });
  return cap(out, MAX_DETAIL) as Diagnostic;
}

function renderPart(part: DiagnosticPart): string {
  if (typeof part === 'number') return String(part);
  if (typeof part === 'string') return shownName(part);
  if ('cell' in part) return describeCell(part.cell);
  if ('message' in part) return withoutExcerpts(part.message);
  if ('list' in part) return part.list.join(part.separator ?? '; ');
  const listed = part.names.slice(0, MAX_LISTED).map((n) => JSON.stringify(shownName(n)));
  const more = part.names.length - listed.length;
  return more > 0 ? `${listed.join(', ')} (+${more} more)` : listed.join(', ');
}

function cap(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters never reach a diagnostic
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+/g;

function tidy(s: string): string {
  return s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** A run of five digits: a phone, card, id or account number, never a word of a column name. */
const LONG_DIGITS = /\d{5}/;

/**
 * Whether a header cell or key reads as a name rather than a value: it holds no personal data the redactor knows
 * (e-mail, phone, card, IP, identity number) and no run of five digits (customer and account ids, dates written
 * together). A name may still be long (a survey question): it is capped when shown.
 */
export function looksLikeName(name: string): boolean {
  const s = tidy(name).normalize('NFKC');
  return !LONG_DIGITS.test(s) && redactAsWritten(s) === s;
}

function shownName(name: string): string {
  const s = tidy(name);
  return looksLikeName(s) ? cap(s, MAX_NAME) : `[hidden: ${describeCell(s)}]`;
}

/**
 * The names a file's columns are shown by. A header row whose cells read as names keeps them; one with a cell that
 * reads as a value is a record (a headerless file whose first row the layout took for a header): every column is then
 * `column N`, so nothing of the row is repeated. JSON keys are judged one by one (a key is not a row).
 */
export function columnLabels(columns: readonly string[], perKey = false): string[] {
  if (perKey) return columns.map((c, i) => (looksLikeName(c) ? c : `column ${i + 1}`));
  return columns.every(looksLikeName) ? [...columns] : columns.map((_, i) => `column ${i + 1}`);
}

/** A number a score or count cell may hold without saying anything of anyone: shown as written. */
const SMALL_NUMBER = /^[+-]?\d{1,3}(?:[.,]\d{1,2})?$/;
const DIGITS = /^\d+$/;

/**
 * A cell's shape, never its value: `empty`, a small number as written (`"13"`, `"4.5"`), `11 digits`, or its length
 * and what it is made of (`21 characters: letters, '.', '@'`).
 */
export function describeCell(raw: string): string {
  const v = tidy(raw).normalize('NFKC');
  if (v === '') return 'empty';
  if (SMALL_NUMBER.test(v)) return JSON.stringify(v);
  if (DIGITS.test(v)) return `${v.length} digits`;
  const kinds: string[] = [];
  if (/[^\P{L}\p{sc=Han}]/u.test(v)) kinds.push('letters');
  if (/\p{sc=Han}/u.test(v)) kinds.push('Chinese characters');
  if (/\d/.test(v)) kinds.push('digits');
  if (/\s/.test(v)) kinds.push('spaces');
  const symbols = [...new Set(v.match(/[^\p{L}\p{N}\s]/gu) ?? [])].sort();
  kinds.push(...symbols.slice(0, 4).map((c) => `'${c}'`));
  if (symbols.length > 4) kinds.push('other symbols');
  return `${[...v].length} characters: ${kinds.join(', ')}`;
}

/** V8's JSON.parse excerpt: `Unexpected token 'x', "{"a": x"... is not valid JSON` (or `..."a": x"...`). */
const JSON_EXCERPT = /,\s*(?:\.\.\.)?"[\s\S]*is not valid JSON\s*$/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const EXCERPT = '\u0000';

/**
 * A library's message without what it quotes of the input (V8's JSON excerpt, csv-parse's `value is "…"`): quoted
 * runs become `"…"` and an unbalanced quote ends the message; then long numbers are counted, and it is redacted and
 * capped.
 */
function withoutExcerpts(message: string): string {
  let s = tidy(message).replace(JSON_EXCERPT, '').replace(QUOTED, EXCERPT);
  const stray = s.indexOf('"');
  if (stray !== -1) s = s.slice(0, stray);
  s = s.replaceAll(EXCERPT, '"…"').replace(/\d{5,}/g, (d) => `${d.length} digits`);
  return cap(redactAsWritten(s).trim(), MAX_MESSAGE);
}
