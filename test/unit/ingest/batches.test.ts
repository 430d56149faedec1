import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dedupeBatches, outcomeBatches } from '../../../bench/ingest/batches.js';
import { FileRejectedError } from '../../../shared/domain/types.js';
import { dedupe } from '../../../shared/ingest/dedupe.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { RowOutcome } from '../../../shared/ingest/types.js';
import { baseOptions, FIXTURES, SAMPLES } from './helpers.js';

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
    for await (const batch of dedupeBatches(outcomeBatches(reader, 7))) out.push(...batch);
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

describe('the bench batching (outcomeBatches, dedupeBatches)', () => {
  it.each(
    all.map((url) => [url.pathname.split('/').slice(-2).join('/'), url] as const),
  )('yields the same outcomes as the per-record path for %s', async (_name, url) => {
    expect(await batched(url)).toEqual(await perRecord(url));
  });
});
