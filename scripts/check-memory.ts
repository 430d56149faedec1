/**
 * Memory and throughput check for the ingest core: writes a CSV of at least 500 MB to a temp file, streams it
 * through readExport + the in-file dedupe stage, and prints peak RSS and rows/s as JSON. The temp file is deleted.
 * Usage: npx tsx scripts/check-memory.ts [megabytes]
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupe } from '../shared/ingest/dedupe.js';
import { readExport } from '../shared/ingest/read-export.js';
import { ReportBuilder } from '../shared/ingest/report.js';

const targetMb = Number(process.argv[2] ?? '520');
const path = join(tmpdir(), `feedback-memory-${process.pid}.csv`);
const words = [
  'great',
  'slow',
  'app',
  'crash',
  'love',
  'support',
  'price',
  'delivery',
  'refund',
  'update',
  '很好',
  '物流',
];

async function generate(): Promise<number> {
  const out = createWriteStream(path);
  out.write('Review ID,Submitted At,Star Rating,Review Text,Email,Country\n');
  let bytes = 0;
  let rows = 0;
  const target = targetMb * 1024 * 1024;
  while (bytes < target) {
    const words24 = Array.from({ length: 40 }, (_, k) => words[(rows * 7 + k * 3) % words.length]).join(' ');
    const line = `r${rows},2024-0${(rows % 9) + 1}-1${rows % 10}T10:00:00Z,${(rows % 5) + 1},"${words24} #${rows}",user${rows % 5000}@example.com,DE\n`;
    bytes += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function main(): Promise<void> {
  const generated = await generate();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const reader = readExport(createReadStream(path, { highWaterMark: 256 * 1024 }), {
    fileName: path,
    source: 'memory-check',
    hashKey: 'memory-check',
    defaultTimeZone: 'UTC',
    uploadTime: new Date(),
  });
  const report = new ReportBuilder();
  let checkpoints = 0;
  const rssAt: Record<string, number> = {};
  for await (const o of dedupe(reader)) {
    report.add(o);
    if (o.kind !== 'warning' && o.row % 1_000_000 === 0) {
      checkpoints++;
      rssAt[`${o.row / 1_000_000}M`] = Math.round(process.memoryUsage().rss / 1048576);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await rm(path, { force: true });
  process.stdout.write(
    `${JSON.stringify({
      fileMb: targetMb,
      rowsGenerated: generated,
      rows: report.tally.rows,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(report.tally.rows.total / seconds),
      peakRssMb: Math.round(peakRss / 1048576),
      rssMbByRow: rssAt,
      checkpoints,
    })}\n`,
  );
}

main().catch(async (err: unknown) => {
  await rm(path, { force: true });
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
