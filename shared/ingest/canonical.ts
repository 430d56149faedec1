import type { CanonicalRecord } from '../domain/types.js';
import { cleanLabel, cleanText, hashIdentifier, isMangledNumber, redact } from './clean.js';
import { normaliseSourceId, sha } from './fingerprint.js';
import type { RawRow } from './rows/raw-row.js';
import type { ParserState, ReadExportOptions, RowOutcome } from './types.js';
import { isoString, parseDate, parseNps, parseRating } from './values.js';

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
  /^(?:grand\s+)?(?:totals?|sum|average|avg|mean|合计|总计|平均值?|汇总|總計|合計)(?:$|[\s:：(（])/i;

/** Marks a cached label cell that cleans to nothing. */
const NO_LABEL = Symbol('no label');
const MAX_CACHED_LABELS = 4096;

/** Per-file row processing: mapping, cleaning, scores, dates, privacy and fingerprint. Allocation-light. */
export class RowContext {
  private readonly columnCount: number;
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
  /** Raw label cell → cleaned, redacted label (or {@link NO_LABEL}). */
  private readonly labels = new Map<string, string | typeof NO_LABEL>();

  constructor(
    private readonly s: ParserState,
    private readonly opts: ReadExportOptions,
    private readonly maxText: number,
    private readonly maxCell: number,
  ) {
    this.columnCount = s.columns.length;
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
    this.iSourceId = s.fieldIndex.sourceRecordId ?? -1;
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
      out.push({ kind: 'warning', row, code: 'DATE_UNPARSEABLE', detail: `${field}: ${raw.slice(0, 40)}` });
      return undefined;
    }
    if ('conflict' in r) out.push({ kind: 'warning', row, code: 'DATE_ORDER_CONFLICT', detail: raw.slice(0, 40) });
    return r.ms;
  }

  process(raw: RawRow, row: number, out: RowOutcome[]): void {
    if (raw.reject !== undefined) {
      out.push({ kind: 'rejected', row, reason: raw.reject, detail: raw.detail });
      return;
    }
    const cells = raw.cells;
    if (this.s.format === 'csv' || this.s.format === 'tsv') {
      if (cells.length > this.columnCount) {
        for (let i = this.columnCount; i < cells.length; i++) {
          if ((cells[i] ?? '').trim() !== '') {
            out.push({
              kind: 'rejected',
              row,
              reason: 'WRONG_COLUMN_COUNT',
              detail: `${cells.length} cells, header has ${this.columnCount}`,
            });
            return;
          }
        }
      } else if (cells.length < this.columnCount && cells.length > 1) {
        out.push({
          kind: 'warning',
          row,
          code: 'WRONG_COLUMN_COUNT',
          detail: `${cells.length} of ${this.columnCount} cells`,
        });
      }
    }
    if (this.iSubmitted >= 0 && this.cell(cells, this.iSubmitted) === undefined && this.isSummary(cells)) {
      out.push({ kind: 'rejected', row, reason: 'SUMMARY_ROW', detail: (cells[0] ?? '').trim().slice(0, 40) });
      return;
    }
    const bodyRaw = this.cell(cells, this.iText);
    const titleRaw = this.cell(cells, this.iTitle);
    const followRaw = this.cell(cells, this.iFollowUp);
    if (bodyRaw !== undefined && bodyRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `text: ${bodyRaw.length} characters` });
      return;
    }
    if (titleRaw !== undefined && titleRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `title: ${titleRaw.length} characters` });
      return;
    }
    if (followRaw !== undefined && followRaw.length > this.maxCell) {
      out.push({ kind: 'rejected', row, reason: 'CELL_TOO_LARGE', detail: `followUp: ${followRaw.length} characters` });
      return;
    }

    // Text: title, body and the customer's follow-up, joined as sentences.
    const title = titleRaw === undefined ? undefined : cleanText(titleRaw);
    const body = bodyRaw === undefined ? undefined : cleanText(bodyRaw);
    let text = joinSentences(title, body);
    if (followRaw !== undefined) text = joinSentences(text, cleanText(followRaw));
    if (text !== undefined) {
      if (text.includes('\ufffd')) out.push({ kind: 'warning', row, code: 'INVALID_BYTES' });
      if (text.length > this.maxText) {
        text = text.slice(0, this.maxText);
        out.push({ kind: 'warning', row, code: 'TEXT_TRUNCATED', detail: `cut to ${this.maxText} characters` });
      }
      text = redact(text);
    }

    let nps: number | undefined;
    const npsRaw = this.cell(cells, this.iNps);
    if (npsRaw !== undefined) {
      const r = parseNps(npsRaw);
      if (r !== undefined) {
        if ('value' in r) nps = r.value;
        else out.push({ kind: 'warning', row, code: r.problem, detail: `nps: ${npsRaw.slice(0, 20)}` });
      }
    }
    let rating: number | undefined;
    const ratingRaw = this.cell(cells, this.iRating);
    if (ratingRaw !== undefined) {
      const r = parseRating(ratingRaw, this.s.ratingScale);
      if (r !== undefined) {
        if ('value' in r) rating = r.value;
        else out.push({ kind: 'warning', row, code: r.problem, detail: `rating: ${ratingRaw.slice(0, 20)}` });
      }
    }
    if (text === undefined && nps === undefined && rating === undefined) {
      out.push({ kind: 'rejected', row, reason: 'NO_CONTENT' });
      return;
    }

    let submittedMs = this.date(cells, 'submittedAt', this.iSubmitted, row, out);
    const updatedMs = this.date(cells, 'updatedAt', this.iUpdated, row, out);
    let submittedFromFile = true;
    if (submittedMs === undefined && updatedMs !== undefined && this.iSubmitted < 0) submittedMs = updatedMs;
    if (submittedMs === undefined) {
      submittedFromFile = false;
      out.push({ kind: 'warning', row, code: 'DATE_MISSING', detail: 'upload time used' });
    }

    let sourceRecordId: string | undefined;
    const idRaw = this.cell(cells, this.iSourceId);
    if (idRaw !== undefined && idRaw.trim() !== '') {
      if (this.unreliable.has(this.iSourceId) && isMangledNumber(idRaw)) {
        out.push({ kind: 'warning', row, code: 'UNRELIABLE_ID', detail: `sourceRecordId ${idRaw.trim()}` });
      } else sourceRecordId = normaliseSourceId(idRaw).slice(0, 500);
    }
    let customerHash: string | undefined;
    const custRaw = this.cell(cells, this.iCustomer);
    if (custRaw !== undefined && custRaw.trim() !== '' && cleanText(custRaw) !== undefined) {
      if (isMangledNumber(custRaw)) {
        out.push({ kind: 'warning', row, code: 'UNRELIABLE_ID', detail: 'customerId in scientific notation' });
      } else customerHash = hashIdentifier(this.opts.hashKey, custRaw, 'id');
    }
    if (customerHash === undefined) {
      const email = this.cell(cells, this.iEmail);
      if (email?.includes('@')) customerHash = hashIdentifier(this.opts.hashKey, email, 'email');
    }
    const language = this.label(cells, this.iLanguage);
    const channel = this.label(cells, this.iChannel);
    const product = this.label(cells, this.iProduct);
    const region = this.label(cells, this.iRegion);

    const submittedAt = submittedMs === undefined ? this.uploadIso : isoString(submittedMs);
    const source = this.opts.source;
    let fingerprint: string;
    let fingerprintKind: CanonicalRecord['fingerprintKind'];
    if (sourceRecordId !== undefined) {
      fingerprint =
        this.s.idScope === undefined
          ? sha(`${source}\u0000id\u0000${sourceRecordId}`)
          : sha(`${source}\u0000id\u0000${this.s.idScope}\u0000${sourceRecordId}`);
      fingerprintKind = 'sourceId';
    } else {
      fingerprint = sha(
        `${source}\u0000c\u0000${text ?? ''}\u0000${submittedFromFile ? submittedAt : ''}\u0000${nps ?? ''}\u0000${rating ?? ''}\u0000${customerHash ?? ''}\u0000${channel ?? ''}\u0000${product ?? ''}\u0000${region ?? ''}\u0000${language ?? ''}`,
      );
      fingerprintKind = 'content';
    }
    // Every field present (undefined when absent), always in this order: all records share one shape, so the stages
    // after this one read their fields through monomorphic inline caches.
    const record: CanonicalRecord = {
      fingerprint,
      fingerprintKind,
      row,
      source,
      submittedAt,
      updatedAt: updatedMs === undefined ? undefined : isoString(updatedMs),
      text,
      language,
      nps,
      rating,
      channel,
      product,
      region,
      customerHash,
      sourceRecordId,
    };
    out.push({ kind: 'accepted', row, record });
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
    const label = c === undefined ? undefined : redact(c);
    if (this.labels.size >= MAX_CACHED_LABELS) this.labels.clear();
    this.labels.set(v, label ?? NO_LABEL);
    return label;
  }
}
