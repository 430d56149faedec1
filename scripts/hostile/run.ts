/**
 * The hostile-input suite: generates each case's input into a temp directory, reads it in a child process held to the
 * ingest function's memory (`--max-old-space-size`, from cdk.json), and prints per case the outcome, peak RSS, peak
 * temp-directory use and time. Exits 1 when a case ends otherwise than expected or its child dies.
 *
 * Usage: npm run test:hostile -- [--json] [--small] [--only <name part>] [--env dev|prod] [--memory <MiB>]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CASES, type HostileCase, limitsFor, matches } from './cases.js';
import { describeOutcome, type Outcome } from './read.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = join(ROOT, 'scripts/hostile/read-case.ts');

interface CaseResult {
  name: string;
  expect: string;
  outcome: string;
  ok: boolean;
  inputMb: number;
  peakRssMb: number;
  peakTmpMb: number;
  readSeconds: number;
  generateSeconds: number;
  /** The child's exit when it did not finish (an abort from the heap limit is 134). */
  crash?: string;
}

/** The ingest function's memory in an environment of cdk.json. */
function functionMemory(env: string): number {
  const cdk = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
    context: { environments: Record<string, { ingest?: { memoryMiB?: number } }> };
  };
  const memory = cdk.context.environments[env]?.ingest?.memoryMiB;
  if (memory === undefined) throw new Error(`cdk.json has no ingest.memoryMiB for environment "${env}"`);
  return memory;
}

/** Peak resident memory of a running process (Linux), in MiB; 0 where /proc is not there. */
function vmHwmMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Bytes under a directory (the child's temp directory: what a read spooled there). */
function bytesUnder(dir: string): number {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      n += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
    }
  } catch {
    // Removed while walked: the read cleaned up.
  }
  return n;
}

interface ChildRun {
  outcome?: Outcome;
  ms?: number;
  maxRssMb: number;
  peakTmpMb: number;
  crash?: string;
}

/** Reads `file` in a child held to `memoryMiB` of heap, with `tmp` as its temp directory. */
function readInChild(file: string, limits: object, memoryMiB: number, tmp: string): Promise<ChildRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, JSON.stringify(limits)], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${memoryMiB}`, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let hwm = 0;
    let tmpPeak = 0;
    const poll = setInterval(() => {
      hwm = Math.max(hwm, vmHwmMb(child.pid ?? 0));
      tmpPeak = Math.max(tmpPeak, bytesUnder(tmp));
    }, 100);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code, signal) => {
      clearInterval(poll);
      const peakTmpMb = Math.round(tmpPeak / 1048576);
      if (code !== 0 || out.trim() === '') {
        // Exit 0 with nothing printed: the read never settled (the event loop emptied under a pending promise).
        const last = err.trim().split('\n').slice(-1)[0] || 'no result';
        done({ maxRssMb: hwm, peakTmpMb, crash: `exit ${code ?? signal}: ${last.slice(0, 120)}` });
        return;
      }
      const r = JSON.parse(out) as { outcome: Outcome; ms: number; maxRssMb: number };
      done({ outcome: r.outcome, ms: r.ms, maxRssMb: Math.max(r.maxRssMb, hwm), peakTmpMb });
    });
  });
}

async function runCase(c: HostileCase, full: boolean, memoryMiB: number): Promise<CaseResult> {
  const dir = await mkdtemp(join(tmpdir(), `hostile-${c.name}-`));
  try {
    const limits = limitsFor(c, full);
    const started = performance.now();
    const file = await c.generate({ dir, limits, full });
    const generateSeconds = (performance.now() - started) / 1000;
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const run = await readInChild(file, limits, memoryMiB, tmp);
    const ok = run.outcome !== undefined && matches(c.expect, run.outcome);
    return {
      name: c.name,
      expect: c.expect,
      outcome: run.outcome === undefined ? 'CRASH' : describeOutcome(run.outcome),
      ok,
      inputMb: Math.round(((await stat(file)).size / 1048576) * 10) / 10,
      peakRssMb: run.maxRssMb,
      peakTmpMb: run.peakTmpMb,
      readSeconds: Math.round((run.ms ?? 0) / 100) / 10,
      generateSeconds: Math.round(generateSeconds * 10) / 10,
      ...(run.crash === undefined ? {} : { crash: run.crash }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function printRow(r: CaseResult): void {
  const cells = [
    r.ok ? 'ok  ' : 'FAIL',
    r.name.padEnd(28),
    `${r.inputMb} MB`.padStart(9),
    `${r.peakRssMb} MB`.padStart(8),
    `${r.peakTmpMb} MB`.padStart(8),
    `${r.readSeconds} s`.padStart(7),
    ` ${r.outcome}${r.ok ? '' : ` (expected ${r.expect})`}${r.crash ? ` ${r.crash}` : ''}`,
  ];
  process.stdout.write(`${cells.join(' ')}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      small: { type: 'boolean', default: false },
      only: { type: 'string' },
      env: { type: 'string', default: 'dev' },
      memory: { type: 'string' },
    },
  });
  const memoryMiB = values.memory === undefined ? functionMemory(values.env) : Number(values.memory);
  const full = !values.small;
  const cases = CASES.filter((c) => values.only === undefined || c.name.includes(values.only));
  if (!values.json) {
    process.stdout.write(`hostile inputs, ${full ? 'full size' : 'small'}, heap ${memoryMiB} MiB\n`);
    process.stdout.write(
      `     ${'case'.padEnd(28)} ${'input'.padStart(9)} ${'peak RSS'.padStart(8)} ${'tmp'.padStart(8)} ${'read'.padStart(7)}  outcome\n`,
    );
  }
  const results: CaseResult[] = [];
  for (const c of cases) {
    const r = await runCase(c, full, memoryMiB);
    results.push(r);
    if (!values.json) printRow(r);
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ memoryMiB, full, cases: results }, null, 2)}\n`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
