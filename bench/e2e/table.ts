/** The e2e figures as a short table for a terminal (`npm run bench -- --e2e` without `--json`). */
import type { E2ePathResult, E2eResult } from './run.js';

const n = (v: number) => v.toLocaleString('en-US');
const ops = (m: Readonly<Record<string, number>>) =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, c]) => `${op} ${n(c)}`)
    .join(', ') || '–';
const minutes = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

const ROWS: [string, (p: E2ePathResult) => string][] = [
  ['wall time (local stack)', (p) => `${p.wallSeconds.toFixed(1)} s`],
  ['Comprehend requests', (p) => ops(p.requests.comprehend)],
  ['Comprehend sync documents', (p) => n(p.comprehendSyncDocuments)],
  ['DynamoDB write requests (items)', (p) => `${n(p.dynamodbWriteRequests)} (${n(p.dynamodbWriteItems)})`],
  ['DynamoDB requests', (p) => ops(p.requests.dynamodb)],
  ['S3 requests', (p) => ops(p.requests.s3)],
  ['units / $', (p) => `${n(p.units)} / $${p.usd.toFixed(4)}`],
  ['modelled AWS time', (p) => modelled(p)],
];

function modelled(p: E2ePathResult): string {
  const [low, high] = p.modelledAwsSecondsRange;
  const range = low === high ? '' : ` (${minutes(low)}–${minutes(high)})`;
  return `${minutes(p.modelledAwsSeconds)}${range}`;
}

export function e2eTable(r: E2eResult): string[] {
  const lines = [`end to end, ${n(r.rows)} rows:`];
  for (const [name, path] of [
    ['sync', r.sync],
    ['async', r.async],
  ] as const) {
    lines.push(`  ${name} path`);
    for (const [label, cell] of ROWS) lines.push(`    ${label.padEnd(32)} ${cell(path)}`);
  }
  return lines;
}
