/**
 * Ingest throughput and memory benchmark.
 *
 *   npm run bench -- [--rows 1000000] [--json] [--repeat 1] [--seed 42] [--clock cpu|wall] [--cpu-prof <dir>] [--keep]
 *                    [--e2e]
 *
 * Generates a seeded export to a temporary CSV, bundles the measured code with esbuild, then runs each phase in its
 * own `node` child (so peak RSS is per phase): (a) a bare csv-parse stream counting rows, (b) the ingest core —
 * readExport → dedupe → offline sentiment on unique texts → contributions and cell deltas per 20,000-row segment.
 * With `--repeat N` the phases alternate N times; throughput is the median run, peak RSS the largest.
 *
 * The result also says where the pipeline's CPU time goes (`stagesUsPerRow`, microseconds a row, read per batch in the
 * pipeline process), with the bare parse for comparison: `read` includes csv-parse, so `read − csvParse` is what
 * mapping, cleaning, redaction, hashing and record building add to parsing.
 *
 * `--e2e` also runs the same file through the local stack on the synchronous and the asynchronous sentiment path
 * (bench/e2e/run.ts) and adds an `e2e` object: wall time, requests by service and operation, modelled AWS time and cost.
 *
 * Throughput is rows per second of CPU time by default (`--clock cpu`): on a shared machine, wall time measures the
 * neighbours as much as the code. Both clocks are printed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { runE2e } from './e2e/run.js';
import { e2eTable } from './e2e/table.js';
import { generateExport } from './ingest/generate-export.js';
import { type PhaseResult, STAGES, type Stage } from './ingest/phase-result.js';

const here = dirname(fileURLToPath(import.meta.url));
const TIME_ZONE = 'Europe/Berlin';
const SEGMENT_ROWS = 20_000;

export interface IngestBenchResult {
  rows: number;
  baselineRowsPerSec: number;
  pipelineRowsPerSec: number;
  ratio: number;
  peakRssMb: number;
  /** Heap used + array buffers after a full GC at the end of the pipeline phase (largest run), MB. */
  retainedMb: number;
  sentimentCalls: number;
  uniqueTexts: number;
  aggregateWrites: number;
  cells: number;
  baselinePeakRssMb: number;
  clock: 'cpu' | 'wall';
  wall: { baselineRowsPerSec: number; pipelineRowsPerSec: number; ratio: number };
  cpu: { baselineRowsPerSec: number; pipelineRowsPerSec: number; ratio: number };
  fileMb: number;
  segments: number;
  uniqueTextsByLanguage: Record<string, number>;
  outcomes: NonNullable<PhaseResult['outcomes']>;
  repeats: number;
  node: string;
  /** CPU µs a row: the bare parse, and each pipeline stage (medians over the runs). */
  stagesUsPerRow: { csvParse: number } & Record<Stage, number>;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** CPU µs a row of the bare parse and of each pipeline stage, medians over the runs. */
function stagesUsPerRow(
  rows: number,
  baselines: PhaseResult[],
  pipelines: PhaseResult[],
): IngestBenchResult['stagesUsPerRow'] {
  const us = (ms: number) => round((ms * 1000) / rows, 2);
  const out = { csvParse: us(median(baselines.map((b) => b.cpuMs))) } as IngestBenchResult['stagesUsPerRow'];
  for (const stage of STAGES) out[stage] = us(median(pipelines.map((p) => p.stageMs?.[stage] ?? 0)));
  return out;
}

/** One bundle for both phases, run with plain `node`: no loader in the measured processes. */
async function bundlePhase(dir: string): Promise<string> {
  const outfile = join(dir, 'phase.mjs');
  await build({
    entryPoints: [join(here, 'ingest', 'phase.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    // The English lexicon resolves its data files from node_modules relative to its own module URL.
    define: {
      'import.meta.url': JSON.stringify(
        pathToFileURL(resolve(here, '..', 'local/comprehend/offline/lexicon-en.ts')).href,
      ),
    },
  });
  return outfile;
}

function runPhase(bundle: string, args: string[], cpuProfDir?: string): Promise<PhaseResult> {
  const nodeArgs = ['--expose-gc', ...(cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir])];
  return new Promise((resolvePhase, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [...nodeArgs, bundle, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`phase ${args[0]} exited with ${code}`));
        return;
      }
      try {
        resolvePhase(JSON.parse(out.trim().split('\n').pop() ?? '') as PhaseResult);
      } catch (err) {
        reject(new Error(`phase ${args[0]} printed no result`, { cause: err }));
      }
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      json: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      seed: { type: 'string', default: '42' },
      clock: { type: 'string', default: 'cpu' },
      'cpu-prof': { type: 'string' },
      keep: { type: 'boolean', default: false },
      e2e: { type: 'boolean', default: false },
    },
  });
  const rows = Number.parseInt(values.rows, 10);
  const repeats = Math.max(1, Number.parseInt(values.repeat, 10));
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);
  if (values.clock !== 'cpu' && values.clock !== 'wall') throw new Error('--clock must be cpu or wall');
  const clock = values.clock;
  const log = (msg: string) => {
    if (!values.json) process.stderr.write(`${msg}\n`);
  };

  const dir = await mkdtemp(join(tmpdir(), 'ingest-bench-'));
  try {
    const file = join(dir, 'export.csv');
    const [generated, bundle] = await Promise.all([
      generateExport(file, { rows, seed: Number.parseInt(values.seed, 10), startDay: '2026-09-01', days: 60 }),
      bundlePhase(dir),
    ]);
    const fileMb = (await stat(file)).size / 2 ** 20;
    log(`generated ${rows} rows (${fileMb.toFixed(1)} MB) in ${file}`);

    const baselines: PhaseResult[] = [];
    const pipelines: PhaseResult[] = [];
    for (let i = 0; i < repeats; i++) {
      const b = await runPhase(bundle, ['baseline', file]);
      log(`baseline: ${b.rows} rows, ${b.cpuMs.toFixed(0)} ms CPU, ${b.wallMs.toFixed(0)} ms wall`);
      baselines.push(b);
      const p = await runPhase(bundle, ['pipeline', file, TIME_ZONE, String(SEGMENT_ROWS)], values['cpu-prof']);
      log(`pipeline: ${p.rows} rows, ${p.cpuMs.toFixed(0)} ms CPU, ${p.wallMs.toFixed(0)} ms wall`);
      pipelines.push(p);
    }
    if (baselines.some((b) => b.rows !== rows)) log(`warning: baseline counted ${baselines[0]?.rows} rows`);
    const last = pipelines[pipelines.length - 1] as PhaseResult;
    const rate = (ms: number) => rows / (ms / 1000);
    const cpuB = median(baselines.map((b) => rate(b.cpuMs)));
    const cpuP = median(pipelines.map((p) => rate(p.cpuMs)));
    const wallB = median(baselines.map((b) => rate(b.wallMs)));
    const wallP = median(pipelines.map((p) => rate(p.wallMs)));
    const chosen = clock === 'cpu' ? { b: cpuB, p: cpuP } : { b: wallB, p: wallP };
    const result: IngestBenchResult = {
      rows,
      baselineRowsPerSec: round(chosen.b),
      pipelineRowsPerSec: round(chosen.p),
      ratio: round(chosen.p / chosen.b, 3),
      peakRssMb: round(Math.max(...pipelines.map((p) => p.peakRssMb)), 1),
      retainedMb: round(Math.max(...pipelines.map((p) => p.retainedMb ?? Number.NaN)), 1),
      sentimentCalls: last.sentimentCalls ?? 0,
      uniqueTexts: last.uniqueTexts ?? 0,
      aggregateWrites: last.aggregateWrites ?? 0,
      cells: last.cells ?? 0,
      baselinePeakRssMb: round(Math.max(...baselines.map((b) => b.peakRssMb)), 1),
      clock,
      cpu: { baselineRowsPerSec: round(cpuB), pipelineRowsPerSec: round(cpuP), ratio: round(cpuP / cpuB, 3) },
      wall: { baselineRowsPerSec: round(wallB), pipelineRowsPerSec: round(wallP), ratio: round(wallP / wallB, 3) },
      fileMb: round(fileMb, 1),
      segments: last.segments ?? 0,
      uniqueTextsByLanguage: last.uniqueTextsByLanguage ?? {},
      outcomes: last.outcomes ?? { accepted: 0, rejected: 0, duplicates: 0, warnings: 0 },
      repeats,
      node: process.version,
      stagesUsPerRow: stagesUsPerRow(rows, baselines, pipelines),
    };
    const e2e = values.e2e ? await runE2e({ file, rows, log }) : undefined;
    if (e2e) for (const line of e2eTable(e2e)) log(line);
    if (!values.json) {
      log(`generator wrote ${generated.duplicatesWritten} duplicate rows and ${generated.badRowsWritten} bad rows`);
    }
    process.stdout.write(`${JSON.stringify(e2e ? { ...result, e2e } : result, null, values.json ? undefined : 2)}\n`);
  } finally {
    if (values.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
