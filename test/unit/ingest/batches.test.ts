import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dedupeBatches } from '../../../bench/ingest/batches.js';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { dedupe } from '../../../shared/ingest/dedupe.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { ResumeState, RowOutcome } from '../../../shared/ingest/types.js';
import { baseOptions, chunks, collect, FIXTURES, SAMPLES } from './helpers.js';

async function files(dir: URL): Promise<URL[]> {
  const out: URL[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await files(new URL(`${entry.name}/`, dir))));
    else if (!entry.name.endsWith('.ts') && !entry.name.endsWith('.md')) out.push(new URL(entry.name, dir));
  }
  return out;
}

async function perRecord(url: URL): Promise<RowOutcome[] | string> {
  const reader = readExport(createReadStream(url, { highWaterMark: 1024 }), { ...baseOptions, fileName: url.pathname });
  const out: RowOutcome[] = [];
  try {
    for await (const o of dedupe(reader)) out.push(o);
  } catch (err) {
    if (err instanceof FileRejectedError) return err.code;
    throw err;
  }
  return out;
}

async function batched(url: URL): Promise<RowOutcome[] | string> {
  const reader = readExport(createReadStream(url, { highWaterMark: 1024 }), { ...baseOptions, fileName: url.pathname });
  const out: RowOutcome[] = [];
  try {
    for await (const batch of dedupeBatches(reader.batches())) out.push(...batch);
  } catch (err) {
    if (err instanceof FileRejectedError) return err.code;
    throw err;
  }
  return out;
}

const all = [
  ...(await files(SAMPLES)),
  ...(await files(FIXTURES)),
  ...(await files(new URL('../../../samples/', import.meta.url))),
];

describe('the reader in batches (readExport().batches(), dedupeBatches)', () => {
  it.each(
    all.map((url) => [url.pathname.split('/').slice(-2).join('/'), url] as const),
  )('yields the same outcomes as the per-record path for %s', async (_name, url) => {
    expect(await batched(url)).toEqual(await perRecord(url));
  });
});

describe('checkpointAfter', () => {
  it('resumes after any record of the batch in hand exactly where a whole read goes on', async () => {
    // Prepare: a survey with a follow-up warning row, read in small chunks so that batches hold a few records.
    const lines = ['ResponseId,Recorded Date,How likely are you to recommend us?,Comment'];
    for (let i = 1; i <= 40; i++) lines.push(`R_${i},2026-10-0${1 + (i % 9)} 10:00:00,${i % 11},"Comment number ${i}"`);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const whole = await collect(readExport(chunks(bytes, 64), { ...baseOptions, fileName: 'w.csv' }));
    for (const cut of [1, 7, 23, 39]) {
      // Act: read in batches up to record `cut`, take the checkpoint there, resume from it.
      const reader = readExport(chunks(bytes, 64), { ...baseOptions, fileName: 'w.csv' });
      let checkpoint: ResumeState | undefined;
      for await (const batch of reader.batches()) {
        if (batch.some((o) => o.row === cut)) {
          checkpoint = reader.checkpointAfter(cut);
          break;
        }
      }
      // The continuation reads from the checkpoint's byte offset (an S3 range read).
      const from = bytes.subarray(checkpoint?.byteOffset ?? 0);
      const rest = await collect(
        readExport(chunks(from, 64), { ...baseOptions, fileName: 'w.csv', resume: checkpoint }),
      );
      // Assess
      expect(checkpoint).toMatchObject({ recordsDone: cut });
      expect(checkpoint?.byteOffset).toBeDefined();
      expect(rest).toEqual(whole.filter((o) => o.row > cut));
    }
  });
});
