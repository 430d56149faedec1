/**
 * Top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof <dir>`).
 *
 *   npx tsx bench/profile-top.ts <file.cpuprofile> [--top 30] [--inclusive]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.split('/').slice(-2).join('/');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, inclusive: { type: 'boolean', default: false } },
});
const path = positionals[0];
if (path === undefined) throw new Error('usage: profile-top <file.cpuprofile>');
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = profile.endTime - profile.startTime;

const self = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (n) self.set(label(n), (self.get(label(n)) ?? 0) + us);
}

let rows: [string, number][];
if (values.inclusive) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + us);
    }
  }
  rows = [...incl];
} else rows = [...self];
rows.sort((a, b) => b[1] - a[1]);
console.log(`total ${(total / 1000).toFixed(0)} ms (${values.inclusive ? 'inclusive' : 'self'})`);
for (const [name, us] of rows.slice(0, Number(values.top))) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}
