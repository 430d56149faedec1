import type { CanonicalRecord, Diagnostic } from '../domain/types.js';
import { type ChoiceGroup, collapseCells } from './choice-groups.js';
import { cleanLabel, cleanText, hashIdentifier, isMangledNumber, matchText, redactAsWritten } from './clean.js';
import { isoString, parseDate } from './dates.js';
import { diagnostic } from './diagnostic.js';
import { normaliseSourceId, OccurrenceCounter, sha } from './fingerprint.js';
import { RepeatedHeader } from './header-repeat.js';
import type { RawRow } from './rows/raw-row.js';
import { parseNps, parseRating } from './scores.js';
import { responseStatus, type SurveyStatusColumns } from './survey-status.js';
import type { ParserState, ReadExportOptions, RowOutcome } from './types.js';

const ENDS_SENTENCE = /[.!?。！？…]$/;
const ENDS_CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/;

/** `a` and `b` as consecutive sentences: a full stop between them unless `a` ends one (`。` after Chinese). */
export function joinSentences(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (ENDS_SENTENCE.test(a)) return ENDS_CJK.test(a) ? `${a}${b}` : `${a} ${b}`;
  return ENDS_CJK.test(a) ? `${a}。${b}` : `${a}. ${b}`;
}

const SUMMARY_LABEL =
  /^((?:grand\s+)?(?:totals?|sum|average|avg|mean|合计|总计|平均值?|汇总|總計|合計))(?:$|[\s:：(（])/i;
const UPLOAD_TIME_USED = diagnostic`upload time used`;

/** Marks a cached label cell that cleans to nothing. */
const NO_LABEL = Symbol('no label');
const MAX_CACHED_LABELS = 4096;

/** Per-file row processing: mapping, cleaning, scores, dates, privacy and fingerprint. Allocation-light. */
export class RowContext {
  private readonly columnCount: number;
  /** CSV/TSV: rows are checked against the header's width. */
  private readonly tabular: boolean;
  private readonly uploadMs: number;
  private readonly uploadIso: string;
  private readonly nowMs: number;
  private readonly unreliable: Set<number>;
  /** Columns whose header names their time zone (`Submit Date (UTC)`, `Created at (PST)`, `提交时间(北京时间)`). */
  private readonly zones: Map<number, string>;
  /** Whether the first column may hold a totals label: it holds neither the text nor a label (see isSummary). */
  private readonly firstColumnMayBeSummary: boolean;
  /** Column of each mapped field, -1 when unmapped (numbers: no keyed lookup per cell). */
  private readonly iText: number;
  private readonly iTitle: number;
  private readonly iFollowUp: number;
  private readonly iNps: number;
  private readonly iRating: number;
  private readonly iSubmitted: number;
  private readonly iUpdated: number;
  private readonly iSourceId: number;
  private readonly iCustomer: number;
  private readonly iEmail: number;
  private readonly iLanguage: number;
  private readonly iChannel: number;
  private readonly iProduct: number;
  private readonly iRegion: number;
  /** Personal columns (author name, IP…) that take part in the content fingerprint, keyed-hashed. */
  private readonly iAuthors: readonly number[];
  private readonly surveyStatus: SurveyStatusColumns | undefined;
  private readonly choiceGroups: ChoiceGroup[] | undefined;
  /** JSON: whether records are arrays of values (a row of the other kind is rejected). */
  private readonly json: boolean;
  private readonly positional: boolean;
  /** The header rows, known again when they come back below the records. */
  private readonly repeatedHeader: RepeatedHeader | undefined;
  /** Raw label cell → cleaned, redacted label (or {@link NO_LABEL}). */
  private readonly labels = new Map<string, string | typeof NO_LABEL>();
  /** Occurrences so far of each textless record's content (see {@link RowContext.fingerprint}). */
  private readonly occurrences = new OccurrenceCounter();

  constructor(
    private readonly s: ParserState,
    private readonly opts: ReadExportOptions,
    private readonly maxText: number,
    private readonly maxCell: number,
  ) {
    this.columnCount = s.columns.length;
    this.tabular = s.format === 'csv' || s.format === 'tsv';
    this.uploadMs = opts.uploadTime.getTime();
    this.uploadIso = opts.uploadTime.toISOString();
    this.nowMs = Math.max(Date.now(), this.uploadMs);
    this.zones = new Map(Object.entries(s.columnZones ?? {}).map(([k, z]) => [Number(k), z]));
    for (const i of s.utcColumns) this.zones.set(i, 'UTC');
    this.unreliable = new Set(s.unreliableIdColumns);
    this.iText = s.fieldIndex.text ?? -1;
    this.iTitle = s.fieldIndex.title ?? -1;
    this.iFollowUp = s.fieldIndex.followUp ?? -1;
    this.iNps = s.fieldIndex.nps ?? -1;
    this.iRating = s.fieldIndex.rating ?? -1;
    this.iSubmitted = s.fieldIndex.submittedAt ?? -1;
    this.iUpdated = s.fieldIndex.updatedAt ?? -1;
    // A column that counts the export's rows is no id (see recordIdentity): records are then known by their content.
    this.iSourceId = s.idIsRowNumber ? -1 : (s.fieldIndex.sourceRecordId ?? -1);
    this.iAuthors = s.authorColumns ?? [];
    this.surveyStatus = s.surveyStatus;
    this.choiceGroups = s.choiceGroups;
    this.json = s.format === 'json' || s.format === 'jsonl';
    this.positional = s.positional === true;
    this.repeatedHeader = s.headerMarks === undefined ? undefined : new RepeatedHeader(s.headerMarks);
    this.iCustomer = s.fieldIndex.customerId ?? -1;
    this.iEmail = s.fieldIndex.email ?? -1;
    this.iLanguage = s.fieldIndex.language ?? -1;
    this.iChannel = s.fieldIndex.channel ?? -1;
    this.iProduct = s.fieldIndex.product ?? -1;
    this.iRegion = s.fieldIndex.region ?? -1;
    this.firstColumnMayBeSummary = ![
      this.iText,
      this.iTitle,
      this.iFollowUp,
      this.iProduct,
      this.iChannel,
      this.iRegion,
      this.iLanguage,
    ].includes(0);
  }

  /** The non-empty cell at column `i` (-1: unmapped). */
  private cell(cells: readonly string[], i: number): string | undefined {
    if (i < 0) return undefined;
    const v = cells[i];
    return v === undefined || v.length === 0 ? undefined : v;
  }

  private date(
    cells: readonly string[],
    field: 'submittedAt' | 'updatedAt',
    idx: number,
    row: number,
    out: RowOutcome[],
  ): number | undefined {
    const raw = this.cell(cells, idx);
    if (raw === undefined || raw.trim() === '' || cleanText(raw) === undefined) return undefined;
    const zone = this.zones.get(idx) ?? this.s.timeZone;
    const r = parseDate(raw, zone, this.s.dateOrder, this.nowMs);
    if ('problem' in r) {
      out.push({
        kind: 'warning',
        row,
        code: 'DATE_UNPARSEABLE',
        detail: diagnostic`${field}: not a date (${{ cell: raw }})`,
      });
      return undefined;
    }
    if ('conflict' in r) {
      const detail = diagnostic`${field}: day and month read against the file's order (${{ cell: raw }})`;
      out.push({ kind: 'warning', row, code: 'DATE_ORDER_CONFLICT', detail });
    }
    return r.ms;
  }

  /**
   * Appends the outcomes of one raw row to `out`: its warnings, then `accepted` with the canonical record or `rejected`
   * with the reason. Each step either rejects the row (and says so) or adds to the record.
   */
  process(raw: RawRow, row: number, out: RowOutcome[]): void {
    if (raw.reject !== undefined) {
      out.push({ kind: 'rejected', row, reason: raw.reject, detail: raw.detail });
      return;
    }
    if (this.json && (raw.positional === true) !== this.positional) {
      out.push({
        kind: 'rejected',
        row,
        reason: 'NOT_AN_OBJECT',
        detail: diagnostic`${this.positional ? 'object' : 'array'}`,
      });
      return;
    }
    // The header again is known by its raw cells, before choice groups are read as one column.
    if (this.repeatedHeader?.matches(raw.cells)) {
      out.push({ kind: 'rejected', row, reason: 'HEADER_REPEATED' });
      return;
    }
    const cells = this.choiceGroups === undefined ? raw.cells : collapseCells(raw.cells, this.choiceGroups);
    if (this.tabular && this.rejectsColumnCount(cells, row, out)) return;
    if (this.iSubmitted >= 0 && this.cell(cells, this.iSubmitted) === undefined && this.isSummary(cells)) {
      const label = SUMMARY_LABEL.exec((cells[0] ?? '').trim())?.[1] ?? '';
      out.push({ kind: 'rejected', row, reason: 'SUMMARY_ROW', detail: diagnostic`a "${label}" line` });
      return;
    }
    const status = this.surveyStatus === undefined ? 'complete' : responseStatus(cells, this.surveyStatus);
    if (status === 'test') {
      out.push({ kind: 'rejected', row, reason: 'TEST_RESPONSE' });
      return;
    }
    if (this.rejectsLargeText(cells, row, out)) return;
    const text = this.text(cells, row, out);
    const nps = this.score(cells, 'nps', row, out);
    const rating = this.score(cells, 'rating', row, out);
    if (text === undefined && nps === undefined && rating === undefined) {
      out.push({ kind: 'rejected', row, reason: 'NO_CONTENT' });
      return;
    }
    if (status === 'partial') out.push({ kind: 'warning', row, code: 'PARTIAL_RESPONSE' });
    let submittedMs = this.date(cells, 'submittedAt', this.iSubmitted, row, out);
    const updatedMs = this.date(cells, 'updatedAt', this.iUpdated, row, out);
    if (submittedMs === undefined && updatedMs !== undefined && this.iSubmitted < 0) submittedMs = updatedMs;
    if (submittedMs === undefined) out.push({ kind: 'warning', row, code: 'DATE_MISSING', detail: UPLOAD_TIME_USED });
    const sourceRecordId = this.sourceRecordId(cells, row, out);
    const customerHash = this.customerHash(cells, row, out);
    // Every field present (undefined when absent), always in this order: all records share one shape, so the stages
    // after this one read their fields through monomorphic inline caches. The fingerprint is filled in last.
    const record: CanonicalRecord = {
      fingerprint: '',
      fingerprintKind: 'content',
      row,
      source: this.opts.source,
      submittedAt: submittedMs === undefined ? this.uploadIso : isoString(submittedMs),
      updatedAt: updatedMs === undefined ? undefined : isoString(updatedMs),
      text,
      language: this.label(cells, this.iLanguage),
      nps,
      rating,
      channel: this.label(cells, this.iChannel),
      product: this.label(cells, this.iProduct),
      region: this.label(cells, this.iRegion),
      customerHash,
      // An id from a column nothing names as one may be a customer's: it identifies the record, and is not copied.
      sourceRecordId: this.s.unnamedIdColumn ? undefined : sourceRecordId,
    };
    this.fingerprint(record, sourceRecordId, submittedMs !== undefined, this.author(cells));
    out.push({ kind: 'accepted', row, record });
  }

  /**
   * CSV/TSV: a row with more non-empty cells than the header has columns is rejected; a short row (not a lone cell)
   * gets a warning. True when rejected.
   */
  private rejectsColumnCount(cells: readonly string[], row: number, out: RowOutcome[]): boolean {
    const n = this.columnCount;
    if (cells.length > n) {
      for (let i = n; i < cells.length; i++) {
        if ((cells[i] ?? '').trim() !== '') {
          out.push({
            kind: 'rejected',
            row,
            reason: 'WRONG_COLUMN_COUNT',
            detail: diagnostic`${cells.length} cells, header has ${n}`,
          });
          return true;
        }
      }
    } else if (cells.length < n && cells.length > 1) {
      out.push({ kind: 'warning', row, code: 'WRONG_COLUMN_COUNT', detail: diagnostic`${cells.length} of ${n} cells` });
    }
    return false;
  }

  /** A text, title or follow-up cell larger than the cell limit rejects the row (`CELL_TOO_LARGE`). True when rejected. */
  private rejectsLargeText(cells: readonly string[], row: number, out: RowOutcome[]): boolean {
    const field = this.tooLarge(cells, this.iText, 'text') ?? this.tooLarge(cells, this.iTitle, 'title');
    const tooLarge = field ?? this.tooLarge(cells, this.iFollowUp, 'followUp');
    if (tooLarge === undefined) return false;
    out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: tooLarge });
    return true;
  }

  private tooLarge(cells: readonly string[], i: number, field: string): Diagnostic | undefined {
    const raw = this.cell(cells, i);
    return raw !== undefined && raw.length > this.maxCell ? diagnostic`${field}: ${raw.length} characters` : undefined;
  }

  /** Title, body and the customer's follow-up, cleaned and joined as sentences, cut to the limit and redacted. */
  private text(cells: readonly string[], row: number, out: RowOutcome[]): string | undefined {
    const titleRaw = this.cell(cells, this.iTitle);
    const bodyRaw = this.cell(cells, this.iText);
    const followRaw = this.cell(cells, this.iFollowUp);
    const title = titleRaw === undefined ? undefined : cleanText(titleRaw);
    const body = bodyRaw === undefined ? undefined : cleanText(bodyRaw);
    let text = joinSentences(title, body);
    if (followRaw !== undefined) text = joinSentences(text, cleanText(followRaw));
    if (text === undefined) return undefined;
    if (text.includes('\ufffd')) out.push({ kind: 'warning', row, code: 'INVALID_BYTES' });
    if (text.length > this.maxText) {
      text = text.slice(0, this.maxText);
      out.push({ kind: 'warning', row, code: 'TEXT_TRUNCATED', detail: diagnostic`cut to ${this.maxText} characters` });
    }
    return redactAsWritten(text);
  }

  /** The row's NPS or rating; a value that does not read as one is a warning. */
  private score(cells: readonly string[], field: 'nps' | 'rating', row: number, out: RowOutcome[]): number | undefined {
    const raw = this.cell(cells, field === 'nps' ? this.iNps : this.iRating);
    if (raw === undefined) return undefined;
    const r = field === 'nps' ? parseNps(raw) : parseRating(raw, this.s.ratingScale);
    if (r === undefined) return undefined;
    if ('value' in r) return r.value;
    const scale = field === 'nps' ? 'a 0–10 score' : 'a 1–5 rating';
    out.push({ kind: 'warning', row, code: r.problem, detail: diagnostic`${field}: not ${scale} (${{ cell: raw }})` });
    return undefined;
  }

  /** The export's own id of the record; an id Excel mangled into scientific notation is a warning, not an id. */
  private sourceRecordId(cells: readonly string[], row: number, out: RowOutcome[]): string | undefined {
    const idRaw = this.cell(cells, this.iSourceId);
    if (idRaw === undefined || idRaw.trim() === '') return undefined;
    if (this.unreliable.has(this.iSourceId) && isMangledNumber(idRaw)) {
      const detail = diagnostic`sourceRecordId: in scientific notation (${{ cell: idRaw }})`;
      out.push({ kind: 'warning', row, code: 'UNRELIABLE_ID', detail });
      return undefined;
    }
    return normaliseSourceId(idRaw).slice(0, 500);
  }

  /** The customer id, else the e-mail, HMAC-hashed. */
  private customerHash(cells: readonly string[], row: number, out: RowOutcome[]): string | undefined {
    let customerHash: string | undefined;
    const custRaw = this.cell(cells, this.iCustomer);
    if (custRaw !== undefined && custRaw.trim() !== '' && cleanText(custRaw) !== undefined) {
      if (isMangledNumber(custRaw)) {
        out.push({
          kind: 'warning',
          row,
          code: 'UNRELIABLE_ID',
          detail: diagnostic`customerId: in scientific notation`,
        });
      } else customerHash = hashIdentifier(this.opts.hashKey, custRaw, 'id');
    }
    if (customerHash === undefined) {
      const email = this.cell(cells, this.iEmail);
      if (email?.includes('@')) customerHash = hashIdentifier(this.opts.hashKey, email, 'email');
    }
    return customerHash;
  }

  /** The author columns' values as one keyed hash (undefined when all are empty). */
  private author(cells: readonly string[]): string | undefined {
    if (this.iAuthors.length === 0) return undefined;
    let joined = '';
    let any = false;
    for (const i of this.iAuthors) {
      const v = (cells[i] ?? '').trim();
      if (v !== '') any = true;
      joined += `${v}\u0001`;
    }
    return any ? hashIdentifier(this.opts.hashKey, joined, 'id') : undefined;
  }

  /**
   * What makes the record the same record again: the export's id (within the survey, for per-export row numbers),
   * else all its mapped content, never its text alone (the date only when the file gave one: the upload time differs
   * between uploads; the update time and the author only where present, so other fingerprints stay as they were).
   *
   * Identical records with text are one response seen twice (a re-fetched page, a re-upload, an overlapping export):
   * one fingerprint. Identical records without text (the same scores, no comment) are separate answers: the k-th of
   * them in the file takes its occurrence number k into the fingerprint, so each counts, and a re-upload or an
   * overlapping export that holds the same run matches them one to one (multiset semantics). The first occurrence
   * keeps the plain content fingerprint.
   */
  private fingerprint(
    r: CanonicalRecord,
    sourceId: string | undefined,
    dateFromFile: boolean,
    author: string | undefined,
  ): void {
    const source = r.source;
    if (sourceId !== undefined) {
      r.fingerprint =
        this.s.idScope === undefined
          ? sha(`${source}\u0000id\u0000${sourceId}`)
          : sha(`${source}\u0000id\u0000${this.s.idScope}\u0000${sourceId}`);
      r.fingerprintKind = 'sourceId';
      return;
    }
    let content = `${source}\u0000c\u0000${r.text === undefined ? '' : matchText(r.text)}\u0000${dateFromFile ? r.submittedAt : ''}\u0000${r.nps ?? ''}\u0000${r.rating ?? ''}\u0000${r.customerHash ?? ''}\u0000${r.channel ?? ''}\u0000${r.product ?? ''}\u0000${r.region ?? ''}\u0000${r.language ?? ''}`;
    if (r.updatedAt !== undefined) content += `\u0000u\u0000${r.updatedAt}`;
    if (author !== undefined) content += `\u0000a\u0000${author}`;
    const fingerprint = sha(content);
    if (r.text !== undefined) {
      r.fingerprint = fingerprint;
      return;
    }
    const k = this.occurrences.next(fingerprint);
    r.fingerprint = k === 1 ? fingerprint : sha(`${fingerprint}\u0000#${k}`);
  }

  /** Whether a textless record was counted: a resumed read must then count the records before it again. */
  get countsOccurrences(): boolean {
    return !this.occurrences.empty;
  }

  /**
   * A spreadsheet's totals line under the table (`Total,,3.4,8 responses`, `Average CSAT`, `合计`): its first cell, in a
   * column that holds neither text nor a label (a product called "Total Wireless"), is such a word (and, checked by the
   * caller, its date is empty).
   */
  private isSummary(cells: readonly string[]): boolean {
    if (!this.firstColumnMayBeSummary) return false;
    const first = cells[0];
    return first !== undefined && SUMMARY_LABEL.test(first.trim());
  }

  private label(cells: readonly string[], idx: number): string | undefined {
    const v = this.cell(cells, idx);
    if (v === undefined) return undefined;
    // Labels (channel, product, region, language) take few distinct values: clean and redact each once.
    const known = this.labels.get(v);
    if (known !== undefined) return known === NO_LABEL ? undefined : known;
    const c = cleanLabel(v);
    const label = c === undefined ? undefined : redactAsWritten(c);
    if (this.labels.size >= MAX_CACHED_LABELS) this.labels.clear();
    this.labels.set(v, label ?? NO_LABEL);
    return label;
  }
}
