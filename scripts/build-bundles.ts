/**
 * Bundles each Lambda function the way the CDK app does (minified, tree-shaken ESM, AWS SDK v3 included) into
 * `dist/<function>/index.mjs` and prints each bundle's size, raw and gzipped.
 *
 *   npm run build               table
 *   npm run build -- --json     JSON array, one object per function
 *   npm run build -- --analyze  also the five largest packages in each bundle
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_SETTINGS } from '../infra/bundling.js';
import { FUNCTION_ENTRIES, REPO_ROOT } from '../infra/paths.js';

interface BundleReport {
  function: string;
  entry: string;
  outfile: string;
  bytes: number;
  gzipBytes: number;
  buildMs: number;
  largestPackages: Array<{ package: string; bytes: number }>;
}

/** Bytes each package contributes to the output (`node_modules/<pkg>` or `(project)`). */
function packageSizes(metafile: Metafile, outfile: string): Array<{ package: string; bytes: number }> {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(outfile))?.[1];
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match?.[1] ?? '(project)';
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  return [...sizes.entries()]
    .map(([name, bytes]) => ({ package: name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}

async function bundle(name: string, entry: string): Promise<BundleReport> {
  const outdir = join(REPO_ROOT, 'dist', name);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_SETTINGS.target,
    mainFields: [...ESBUILD_SETTINGS.mainFields],
    external: [...ESBUILD_SETTINGS.external],
    banner: { js: ESBUILD_SETTINGS.banner },
    minify: true,
    treeShaking: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const buildMs = Math.round(performance.now() - started);
  const code = readFileSync(outfile);
  return {
    function: name,
    entry: relative(REPO_ROOT, entry),
    outfile: relative(REPO_ROOT, outfile),
    bytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    buildMs,
    largestPackages: packageSizes(result.metafile, relative(REPO_ROOT, outfile)),
  };
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function printTable(reports: readonly BundleReport[], analyze: boolean): void {
  const rows = [
    ['function', 'bundle', 'raw', 'gzip', 'build'],
    ...reports.map((r) => [r.function, r.outfile, kib(r.bytes), kib(r.gzipBytes), `${r.buildMs} ms`]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const [index, row] of rows.entries()) {
    console.log(
      row.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  '),
    );
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (!analyze) return;
  for (const report of reports) {
    console.log(`\n${report.function}: largest packages in the bundle`);
    for (const p of report.largestPackages) console.log(`  ${kib(p.bytes).padStart(10)}  ${p.package}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, analyze: { type: 'boolean' } } });
  const missing = Object.entries(FUNCTION_ENTRIES).filter(([, entry]) => !existsSync(entry));
  if (missing.length > 0) {
    for (const [name, entry] of missing) console.error(`${name}: entry ${relative(REPO_ROOT, entry)} does not exist`);
    process.exitCode = 1;
    return;
  }
  const reports: BundleReport[] = [];
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES)) reports.push(await bundle(name, entry));
  if (values.json) console.log(JSON.stringify(reports, null, 2));
  else printTable(reports, values.analyze ?? false);
}

await main();
