/**
 * Fails (exit 1) when the project's import graph has a cycle (between modules or between packages) or a lower
 * layer imports a higher one.
 *
 * Layers inside `shared/`, lowest first; a module may import its own layer's package and any lower layer:
 *   domain | util → config → clients → ingest | sentiment | events → ports → store → digest → pipeline
 * (`ports/` holds the interfaces the pipeline needs and `store/` implements, so adapters depend on the core.)
 * Everything outside `shared/` (functions, cli, local, infra, bench, scripts, test) sits above all of them, and
 * `shared/` never imports it. Run by `npm test`; `tsx scripts/check-layers.ts --graph` prints the package graph.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SCANNED = ['shared', 'functions', 'cli', 'local', 'infra', 'bench', 'scripts', 'test'];
const SHARED_RANK: Record<string, number> = {
  domain: 0,
  util: 0,
  types: 0,
  config: 1,
  clients: 2,
  ingest: 3,
  themes: 3,
  sentiment: 3,
  events: 3,
  ports: 4,
  store: 5,
  digest: 6,
  pipeline: 7,
};
const OUTSIDE_RANK = 10;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** `shared/<package>/…` → that package; anything else → its top folder. */
function packageOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  return parts[0] === 'shared' ? `shared/${parts[1]}` : (parts[0] ?? '');
}

function rankOf(pkg: string): number {
  if (!pkg.startsWith('shared/')) return OUTSIDE_RANK;
  const rank = SHARED_RANK[pkg.slice('shared/'.length)];
  if (rank === undefined) throw new Error(`${pkg} has no layer: add it to SHARED_RANK in scripts/check-layers.ts`);
  return rank;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec).replace(/\.(m?)js$/, '.$1ts');
    out.push(target);
  }
  return out;
}

/** Tarjan's strongly connected components with more than one module (or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

function main(): number {
  const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)));
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const problems: string[] = [];
  const edges = new Set<string>();
  for (const [file, targets] of graph) {
    const from = packageOf(file);
    for (const target of targets) {
      const to = packageOf(target);
      if (from !== to) edges.add(`${from} -> ${to}`);
      if (from !== to && rankOf(to) > rankOf(from)) {
        problems.push(`upward import: ${relative(ROOT, file)} (${from}) imports ${relative(ROOT, target)} (${to})`);
      }
    }
  }
  for (const scc of cycles(graph)) {
    problems.push(`import cycle: ${scc.map((f) => relative(ROOT, f)).join(' -> ')}`);
  }
  const packages = new Map<string, string[]>();
  for (const e of edges) {
    const [from = '', to = ''] = e.split(' -> ');
    packages.set(from, [...(packages.get(from) ?? []), to]);
    if (!packages.has(to)) packages.set(to, []);
  }
  for (const scc of cycles(packages)) problems.push(`package cycle: ${scc.join(' -> ')}`);
  if (process.argv.includes('--graph')) for (const e of [...edges].sort()) console.log(e);
  for (const p of problems) console.error(p);
  console.log(`layers: ${files.length} modules, ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main();
