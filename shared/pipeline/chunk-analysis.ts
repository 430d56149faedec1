import { createHash } from 'node:crypto';
import type { CanonicalRecord } from '../domain/types.js';
import { matchText } from '../ingest/clean.js';
import type { RowClaim } from '../ports/ingest.js';
import type { DeferredAnalysis } from '../sentiment/comprehend-adapter.js';
import type { Analysis, AnalysisRequest, AnalysisUsage, TextAnalyzer } from './text-analyzer.js';

/** Records kept pending while held-back texts wait for a full batch; beyond this a partial batch is sent. */
const MAX_PENDING_ROWS = 5_000;

/** The analysis cache key of a text: of its matching form, so texts that differ only in width are paid for once. */
export function textKey(text: string): string {
  return createHash('sha256').update(matchText(text)).digest('hex').slice(0, 40);
}

/** What the analyzer is asked for a record's text; the cost estimate prices exactly this. */
export function analysisRequestOf(r: CanonicalRecord, text: string): AnalysisRequest {
  return { key: textKey(text), text: matchText(text), languageHint: r.language };
}

/** The version of a record: its update time when the export has one, else 0. */
export function versionOf(r: CanonicalRecord): number {
  return r.updatedAt ? Date.parse(r.updatedAt) || 0 : 0;
}

export interface AnalysedChunk {
  /** Records whose analysis is complete, ready to claim. */
  ready: CanonicalRecord[];
  /** Records from the first held-back text on: they wait for the next chunk. */
  carried: CanonicalRecord[];
  results: ReadonlyMap<string, Analysis>;
  usage?: AnalysisUsage;
}

/**
 * Sentiment for a file's chunks at the lowest number of calls. Unless `flush`, Comprehend gets only full batches
 * of 25: records from the first one whose text was held back are carried to the next chunk, so a file costs
 * ceil(texts / 25) sentiment calls per language and segment instead of a partial batch per chunk.
 */
export class ChunkAnalyser {
  /** Languages of held-back texts (detection is paid), so the next call does not detect them again. */
  private readonly deferred = new Map<string, DeferredAnalysis>();
  /** Results already paid for whose records were carried to the next chunk behind a held-back text. */
  private carriedResults = new Map<string, Analysis>();

  constructor(
    private readonly analyzer: TextAnalyzer,
    private readonly fileId: string,
  ) {}

  async analyse(
    records: CanonicalRecord[],
    claims: ReadonlyMap<string, RowClaim>,
    flush: boolean,
  ): Promise<AnalysedChunk> {
    const prior = this.carriedResults;
    this.carriedResults = new Map();
    const { requests, analysedRows } = this.requestsFor(records, claims, prior);
    const holdBack = !flush && records.length < MAX_PENDING_ROWS;
    const analysed = requests.size > 0 ? await this.analyzer.analyze([...requests.values()], { holdBack }) : undefined;
    const results = new Map<string, Analysis>([...prior, ...(analysed?.results ?? [])]);
    for (const key of requests.keys()) if (results.has(key)) this.deferred.delete(key);
    if (!analysed || analysed.deferred.size === 0)
      return { ready: records, carried: [], results, usage: analysed?.usage };
    for (const [key, value] of analysed.deferred) this.deferred.set(key, value);
    const cut = records.findIndex((r) => analysedRows.has(r.row) && r.text && analysed.deferred.has(textKey(r.text)));
    if (cut < 0) return { ready: records, carried: [], results, usage: analysed.usage };
    const carried = records.slice(cut);
    for (const r of carried) {
      const result = r.text ? results.get(textKey(r.text)) : undefined;
      if (r.text && result) this.carriedResults.set(textKey(r.text), result);
    }
    return { ready: records.slice(0, cut), carried, results, usage: analysed.usage };
  }

  /** Texts that need analysis: records the ledger does not count yet, or newer versions of counted ones. */
  private requestsFor(
    records: readonly CanonicalRecord[],
    claims: ReadonlyMap<string, RowClaim>,
    prior: ReadonlyMap<string, Analysis>,
  ): { requests: Map<string, AnalysisRequest>; analysedRows: Set<number> } {
    const requests = new Map<string, AnalysisRequest>();
    const analysedRows = new Set<number>();
    for (const r of records) {
      if (!r.text || !this.needsAnalysis(r, claims.get(r.fingerprint))) continue;
      const key = textKey(r.text);
      analysedRows.add(r.row);
      if (!requests.has(key) && !prior.has(key)) {
        requests.set(key, { ...analysisRequestOf(r, r.text), known: this.deferred.get(key) });
      }
    }
    return { requests, analysedRows };
  }

  private needsAnalysis(r: CanonicalRecord, known: RowClaim | undefined): boolean {
    if (!known) return true;
    const version = versionOf(r);
    if (known.fileId !== this.fileId) return version > known.version;
    return known.row !== r.row && version > known.version;
  }
}
