/**
 * Reads a folder of real exports with `feedback check` and compares each with figures computed independently
 * (an `expected.json` keyed by file name: total, withText, nps, csat, textColumn, dateColumn). Prints one line per
 * file and a summary `N/M read exactly`; `--json` prints the comparisons. The corpus itself is not in this repo
 * (files fetched from public repositories stay out of it): point `--dir` at a copy, e.g. under ../shared/data/.
 *
 *   npx tsx scripts/corpus-check.ts --dir <folder of files> --expected <expected.json> [--json]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCheck } from '../cli/check.js';

interface Expected {
  total: number;
  withText: number;
  nps?: { n: number; promoters: number; passives: number; detractors: number; score: number | null };
  csat?: { n: number; satisfied: number; score: number | null; average?: number | null };
  textColumn: string | null;
  dateColumn: string | null;
}

interface Checked {
  rows?: { total: number; withText: number };
  columns?: Record<string, string>;
  kpis?: { nps: { n: number; score: number | null }; csat: { n: number; score: number | null } };
  error?: { code: string };
}

async function check(file: string): Promise<Checked> {
  let out = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
  await runCheck([file, '--json'], io);
  return JSON.parse(out) as Checked;
}

/** The differences between what check read and the expected figures (empty when read exactly). */
function compare(got: Checked, want: Expected): string[] {
  if (got.error) return [`error ${got.error.code}`];
  const diffs: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null))
      diffs.push(`${what}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  };
  same('total', got.rows?.total, want.total);
  same('withText', got.rows?.withText, want.withText);
  same(
    'nps',
    want.nps ? { n: got.kpis?.nps.n, score: got.kpis?.nps.score } : undefined,
    want.nps && { n: want.nps.n, score: want.nps.score },
  );
  same(
    'csat',
    want.csat ? { n: got.kpis?.csat.n, score: got.kpis?.csat.score } : undefined,
    want.csat && { n: want.csat.n, score: want.csat.score },
  );
  same('text column', got.columns?.text, want.textColumn);
  same('date column', got.columns?.submittedAt, want.dateColumn);
  return diffs;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, expected: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.dir || !values.expected) {
    console.error('Usage: corpus-check --dir <folder> --expected <expected.json> [--json]');
    return 2;
  }
  const expected = JSON.parse(await readFile(values.expected, 'utf8')) as Record<string, Expected>;
  const files = (await readdir(values.dir)).filter((f) => expected[f] !== undefined).sort();
  const results = [];
  for (const file of files) {
    const diffs = compare(await check(join(values.dir, file)), expected[file] as Expected);
    results.push({ file, exact: diffs.length === 0, diffs });
    if (!values.json)
      console.log(`${diffs.length === 0 ? 'exact ' : 'DIFFER'} ${file}${diffs.length ? `: ${diffs.join('; ')}` : ''}`);
  }
  const exact = results.filter((r) => r.exact).length;
  if (values.json) console.log(JSON.stringify({ files: results.length, exact, results }));
  else console.log(`${exact}/${results.length} read exactly`);
  return 0;
}

process.exitCode = await main();
