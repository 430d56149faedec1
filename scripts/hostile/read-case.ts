/**
 * Child process of the hostile-input runner: reads one generated input the way the ingest function does and prints
 * `{ outcome, ms, maxRssMb }` as JSON. Usage: node --import tsx scripts/hostile/read-case.ts <file> '<limits JSON>'
 */
import { readCase } from './read.js';

async function main(): Promise<void> {
  const [file, limits = '{}'] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: read-case.ts <file> [limits JSON]');
  const started = performance.now();
  const outcome = await readCase(file, JSON.parse(limits));
  const ms = Math.round(performance.now() - started);
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ outcome, ms, maxRssMb })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
