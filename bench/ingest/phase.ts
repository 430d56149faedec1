/**
 * One measured phase of the ingest benchmark, run in its own process so its peak RSS is its own:
 *
 *   node phase.mjs baseline <file>
 *   node phase.mjs pipeline <file> <timeZone> <segmentRows>
 *
 * The pipeline phase also reports the CPU time of each stage, read per batch with `process.cpuUsage()` (a few
 * microseconds a batch of 512 outcomes, see ./batches.ts): `read` = decode, parse, map, clean, redact, hash
 * (readExport); `dedupe`;
 * `sentiment` = text memo, offline sentiment on unique texts and outcome bookkeeping; `aggregate` = contributions,
 * cell deltas and segment commits.
 *
 * Prints one JSON line ({@link PhaseResult}) on stdout.
 */
import { createReadStream } from 'node:fs';
import { pipeline as pump } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { detectSentimentOffline } from '../../local/comprehend/offline/model.js';
import { CellDeltas } from '../../shared/domain/cell-deltas.js';
import { toContribution } from '../../shared/domain/contribution.js';
import type { ComprehendLanguage, SentimentLabel } from '../../shared/domain/types.js';
import { InMemoryDeduper } from '../../shared/ingest/dedupe.js';
import { readExport } from '../../shared/ingest/read-export.js';
import type { RowOutcome } from '../../shared/ingest/types.js';
import { detectScript, languageFromScript, mapLanguageTag } from '../../shared/sentiment/language.js';
import { ThemeMatcher } from '../../shared/themes/matcher.js';
import { loadTaxonomy } from '../../shared/themes/taxonomy.js';
import { dedupeBatches } from './batches.js';
import type { PhaseResult } from './phase-result.js';
import { TextMemo } from './text-memo.js';

/** Comprehend's batch size: the calls the run would make are counted per language, 25 unique texts a call. */
const BATCH_DOCUMENTS = 25;
/** Distinct records the deduper holds before its table would grow: the largest export the pipeline takes. */
const DEDUPE_CAPACITY = 1_500_000;
const LABELS: readonly SentimentLabel[] = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];
/** Code of an accepted record without text (no label, no language): above every memo value (1 + 3 × 16 + 15). */
const NO_TEXT = 255;
/** The project's taxonomy, as the ingest function loads it. */
// Relative to the working directory (`npm run bench` runs from the project root): this module is bundled, and its
// import.meta.url is set to the lexicon's for the lexicon's own data files.
const TAXONOMY_FILE = 'config/taxonomy.json';

/** CPU milliseconds (user + system) since the `process.cpuUsage()` reading `from`. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** Passes `source` through, adding the CPU time spent producing each item to `into.ms`. */
async function* timed<T>(source: AsyncIterable<T>, into: { ms: number }): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    const start = process.cpuUsage();
    const next = await it.next();
    into.ms += cpuSince(start);
    if (next.done) return;
    yield next.value;
  }
}

interface Clock {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

function startClock(): Clock {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function stopClock(c: Clock): { wallMs: number; cpuMs: number } {
  return { wallMs: performance.now() - c.wall, cpuMs: cpuSince(c.cpu) };
}

/**
 * Heap used plus array buffers after a full GC (the phase runs with `--expose-gc`), in MB; `live` are the run's
 * tables, passed so they are still reachable (and counted) during the GC.
 */
function retainedMb(..._live: unknown[]): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / (1024 * 1024);
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Bare csv-parse stream over the file, counting records (header excluded). Same parse options as the ingest core. */
async function baseline(file: string): Promise<PhaseResult> {
  const clock = startClock();
  let records = 0;
  const parser = parse({
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on('data', () => {
    records++;
  });
  await pump(createReadStream(file), parser);
  return { phase: 'baseline', rows: records - 1, ...stopClock(clock), peakRssMb: peakRssMb() };
}

/**
 * The ingest core: readExport (decode, parse, map, clean, redact, fingerprint) → in-file dedupe → offline sentiment
 * on unique texts → contribution folded into per-segment cell deltas, a segment committed every `segmentRows`
 * records (rejected and duplicate records count, as in the Lambda pipeline).
 */
async function pipeline(file: string, timeZone: string, segmentRows: number): Promise<PhaseResult> {
  // Lexicons are built on first use (module initialisation, a cold start): not part of the per-row cost.
  detectSentimentOffline('warm up the lexicon', 'en');
  detectSentimentOffline('预热词典', 'zh');

  const themes = new ThemeMatcher(loadTaxonomy(TAXONOMY_FILE));
  const clock = startClock();
  const reader = readExport(() => createReadStream(file), {
    fileName: file,
    source: 'bench',
    hashKey: 'bench-hmac-key',
    defaultTimeZone: timeZone,
    uploadTime: new Date(Date.UTC(2026, 11, 1)),
  });
  const memo = new TextMemo();
  const languages: ComprehendLanguage[] = [];
  const perLanguage: number[] = [];
  const allCells = new Set<string>();
  let deltas = new CellDeltas();
  let accepted = 0;
  let rejected = 0;
  let duplicates = 0;
  let warnings = 0;
  let rows = 0;
  let rowsInSegment = 0;
  let segments = 0;
  let aggregateWrites = 0;

  const commitSegment = (): void => {
    if (rowsInSegment === 0) return;
    segments++;
    aggregateWrites += deltas.nonZeroCells().length;
    for (const key of deltas.cells.keys()) allCells.add(key);
    deltas = new CellDeltas();
    rowsInSegment = 0;
  };

  // A fixed table for up to 1.5 million distinct records (24 MB), allocated once: memory does not step up with the file.
  const deduper = new InMemoryDeduper({ capacity: DEDUPE_CAPACITY });
  const read = { ms: 0 };
  const readAndDedupe = { ms: 0 };
  let sentimentMs = 0;
  let themesMs = 0;
  let aggregateMs = 0;
  /** Per outcome of the batch: the taxonomy themes its text names (as the pipeline matches them, per record). */
  let themesOf: (string[] | undefined)[] = [];
  /** Per accepted outcome of the batch (pass 2 reads only those): 1 + label index × 16 + language index (as the memo). */
  let codes = new Uint8Array(1024);
  for await (const batch of timed(dedupeBatches(timed(reader.batches(), read), deduper), readAndDedupe)) {
    // Pass 1: outcomes counted, sentiment of each accepted text (memoised by text).
    let start = process.cpuUsage();
    if (codes.length < batch.length) codes = new Uint8Array(batch.length * 2);
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i] as RowOutcome;
      switch (o.kind) {
        case 'warning':
          warnings++;
          break;
        case 'rejected':
          rejected++;
          break;
        case 'duplicate':
          duplicates++;
          break;
        case 'accepted': {
          accepted++;
          const r = o.record;
          let v = NO_TEXT;
          if (r.text !== undefined) {
            v = memo.get(r.text);
            if (v === 0) {
              const lang = resolveLanguage(r.language, r.text);
              let li = languages.indexOf(lang);
              if (li === -1) {
                li = languages.push(lang) - 1;
                perLanguage.push(0);
              }
              perLanguage[li] = (perLanguage[li] ?? 0) + 1;
              const s = detectSentimentOffline(r.text, lang);
              v = 1 + LABELS.indexOf(s.label) * 16 + li;
              memo.set(v);
            }
          }
          codes[i] = v;
          break;
        }
      }
    }
    sentimentMs += cpuSince(start);
    start = process.cpuUsage();
    themesOf = batch.map((o) =>
      o.kind === 'accepted' && o.record.text ? themes.match(o.record.text).themes : undefined,
    );
    themesMs += cpuSince(start);
    // Pass 2: contributions into the segment's cell deltas; a segment committed every `segmentRows` records.
    start = process.cpuUsage();
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i] as RowOutcome;
      if (o.kind === 'warning') continue;
      if (o.kind === 'accepted') {
        const v = codes[i] as number;
        const label = v === NO_TEXT ? undefined : LABELS[(v - 1) >> 4];
        const language = v === NO_TEXT ? undefined : languages[(v - 1) & 15];
        deltas.add(toContribution(o.record, { label, language, themes: themesOf[i] }, timeZone));
      }
      rows++;
      if (++rowsInSegment >= segmentRows) commitSegment();
    }
    aggregateMs += cpuSince(start);
  }
  const start = process.cpuUsage();
  commitSegment();
  aggregateMs += cpuSince(start);
  const time = stopClock(clock);
  const retained = retainedMb(memo, deduper);

  const uniqueTextsByLanguage: Record<string, number> = {};
  let sentimentCalls = 0;
  languages.forEach((lang, i) => {
    const n = perLanguage[i] ?? 0;
    uniqueTextsByLanguage[lang] = n;
    sentimentCalls += Math.ceil(n / BATCH_DOCUMENTS);
  });
  return {
    phase: 'pipeline',
    rows,
    ...time,
    stageMs: {
      read: read.ms,
      dedupe: readAndDedupe.ms - read.ms,
      sentiment: sentimentMs,
      themes: themesMs,
      aggregate: aggregateMs,
    },
    peakRssMb: peakRssMb(),
    retainedMb: retained,
    outcomes: { accepted, rejected, duplicates, warnings },
    uniqueTexts: memo.size,
    uniqueTextsByLanguage,
    sentimentCalls,
    segments,
    aggregateWrites,
    cells: allCells.size,
  };
}

const tags = new Map<string, ComprehendLanguage | undefined>();

/** As the Comprehend adapter resolves it: the row's tag, else the script, else the default language. */
function resolveLanguage(tag: string | undefined, text: string): ComprehendLanguage {
  let fromTag: ComprehendLanguage | undefined;
  if (tag !== undefined) {
    if (tags.has(tag)) fromTag = tags.get(tag);
    else {
      const mapped = mapLanguageTag(tag);
      fromTag = mapped === 'unsupported' ? undefined : mapped;
      if (tags.size < 1000) tags.set(tag, fromTag);
    }
  }
  return fromTag ?? languageFromScript(detectScript(text)) ?? 'en';
}

async function main(): Promise<void> {
  const [phase, file, timeZone = 'Europe/Berlin', segmentRows = '20000'] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: phase <baseline|pipeline> <file> [timeZone] [segmentRows]');
  const result =
    phase === 'baseline' ? await baseline(file) : await pipeline(file, timeZone, Number.parseInt(segmentRows, 10));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
