/**
 * One measured phase of the ingest benchmark, run in its own process so its peak RSS is its own:
 *
 *   node phase.mjs baseline <file>
 *   node phase.mjs pipeline <file> <timeZone> <segmentRows> [read|dedupe|sentiment|aggregate]
 *
 * The last argument stops the ingest core after a stage (default: `aggregate`, the whole core), so a breakdown can
 * attribute CPU time to stages by difference: `read` = decode, parse, map, clean, redact, hash; `dedupe` adds the
 * in-file deduper; `sentiment` adds the text memo and offline sentiment on unique texts; `aggregate` adds
 * contributions and cell deltas.
 *
 * Prints one JSON line ({@link PhaseResult}) on stdout.
 */
import { createReadStream } from 'node:fs';
import { pipeline as pump } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { CellDeltas, toContribution } from '../../shared/aggregate/contribution.js';
import type { ComprehendLanguage, SentimentLabel } from '../../shared/domain/types.js';
import { dedupeBatches, InMemoryDeduper } from '../../shared/ingest/dedupe.js';
import { readExport } from '../../shared/ingest/read-export.js';
import { detectScript, languageFromScript, mapLanguageTag } from '../../shared/sentiment/language.js';
import { detectSentimentOffline } from '../../shared/sentiment/offline/model.js';
import { TextMemo } from './text-memo.js';

/** Comprehend's batch size: the calls the run would make are counted per language, 25 unique texts a call. */
const BATCH_DOCUMENTS = 25;
/** Distinct records the deduper holds before its table would grow: the largest export the pipeline takes. */
const DEDUPE_CAPACITY = 1_500_000;
const LABELS: readonly SentimentLabel[] = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];

export const STAGES = ['read', 'dedupe', 'sentiment', 'aggregate'] as const;
export type Stage = (typeof STAGES)[number];

export interface PhaseResult {
  phase: 'baseline' | 'pipeline';
  stage?: Stage;
  rows: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  outcomes?: { accepted: number; rejected: number; duplicates: number; warnings: number };
  uniqueTexts?: number;
  uniqueTextsByLanguage?: Record<string, number>;
  sentimentCalls?: number;
  segments?: number;
  aggregateWrites?: number;
  cells?: number;
}

interface Clock {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

function startClock(): Clock {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function stopClock(c: Clock): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage(c.cpu);
  return { wallMs: performance.now() - c.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
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
async function pipeline(file: string, timeZone: string, segmentRows: number, until: Stage): Promise<PhaseResult> {
  // Lexicons are built on first use (module initialisation, a cold start): not part of the per-row cost.
  detectSentimentOffline('warm up the lexicon', 'en');
  detectSentimentOffline('预热词典', 'zh');

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
  const withSentiment = until === 'sentiment' || until === 'aggregate';
  const withAggregate = until === 'aggregate';
  const batches = until === 'read' ? reader.batches() : dedupeBatches(reader.batches(), deduper);
  for await (const batch of batches) {
    for (const o of batch) {
      switch (o.kind) {
        case 'warning':
          warnings++;
          continue;
        case 'rejected':
          rejected++;
          break;
        case 'duplicate':
          duplicates++;
          break;
        case 'accepted': {
          accepted++;
          if (!withSentiment) break;
          const r = o.record;
          let label: SentimentLabel | undefined;
          let language: ComprehendLanguage | undefined;
          if (r.text !== undefined) {
            let v = memo.get(r.text);
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
            label = LABELS[(v - 1) >> 4];
            language = languages[(v - 1) & 15];
          }
          if (withAggregate) deltas.add(toContribution(r, { label, language }, timeZone));
          break;
        }
      }
      rows++;
      if (++rowsInSegment >= segmentRows) commitSegment();
    }
  }
  commitSegment();
  const time = stopClock(clock);

  const uniqueTextsByLanguage: Record<string, number> = {};
  let sentimentCalls = 0;
  languages.forEach((lang, i) => {
    const n = perLanguage[i] ?? 0;
    uniqueTextsByLanguage[lang] = n;
    sentimentCalls += Math.ceil(n / BATCH_DOCUMENTS);
  });
  return {
    phase: 'pipeline',
    stage: until,
    rows,
    ...time,
    peakRssMb: peakRssMb(),
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
  const [phase, file, timeZone = 'Europe/Berlin', segmentRows = '20000', until = 'aggregate'] = process.argv.slice(2);
  if (file === undefined || !(STAGES as readonly string[]).includes(until)) {
    throw new Error(`usage: phase <baseline|pipeline> <file> [timeZone] [segmentRows] [${STAGES.join('|')}]`);
  }
  const result =
    phase === 'baseline'
      ? await baseline(file)
      : await pipeline(file, timeZone, Number.parseInt(segmentRows, 10), until as Stage);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
