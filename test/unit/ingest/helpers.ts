import { createReadStream } from 'node:fs';
import type { CanonicalRecord } from '../../../shared/domain/types.js';
import { dedupe } from '../../../shared/ingest/dedupe.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import { type CheckReport, ReportBuilder } from '../../../shared/ingest/report.js';
import type { ReadExportOptions, RowOutcome } from '../../../shared/ingest/types.js';

export const SAMPLES = new URL('../../../../shared/data/exports/', import.meta.url);
export const FIXTURES = new URL('../../fixtures/exports/', import.meta.url);

export const baseOptions: Omit<ReadExportOptions, 'fileName'> = {
  source: 'test',
  hashKey: 'unit-test-key',
  defaultTimeZone: 'UTC',
  uploadTime: new Date('2025-01-01T00:00:00Z'),
};

export interface RunResult {
  report: CheckReport;
  records: CanonicalRecord[];
}

/** Reads a whole export through the core and the in-file dedupe stage, as `feedback check` does. */
export async function runBytes(
  input: AsyncIterable<Uint8Array>,
  fileName: string,
  extra: Partial<ReadExportOptions> = {},
): Promise<RunResult> {
  const reader = readExport(input, { ...baseOptions, fileName, ...extra });
  const builder = new ReportBuilder(100_000);
  const records: CanonicalRecord[] = [];
  for await (const o of dedupe(reader)) {
    builder.add(o);
    if (o.kind === 'accepted') {
      if (o.replaces !== undefined) {
        const at = records.findIndex((r) => r.row === o.replaces?.row);
        if (at !== -1) records.splice(at, 1);
      }
      records.push(o.record);
    }
  }
  return { report: builder.build(fileName, await reader.meta(), reader.linesRead()), records };
}

export function runFile(url: URL, extra: Partial<ReadExportOptions> = {}): Promise<RunResult> {
  return runBytes(createReadStream(url, { highWaterMark: 4096 }), url.pathname, extra);
}

/** The outcomes of a reader, up to and including the final outcome of record `stopAfter` when given. */
export async function collect(it: AsyncIterable<RowOutcome>, stopAfter?: number): Promise<RowOutcome[]> {
  const out: RowOutcome[] = [];
  for await (const o of it) {
    out.push(o);
    if (stopAfter !== undefined && o.kind !== 'warning' && o.row === stopAfter) break;
  }
  return out;
}

export async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/;
const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/;

/** Personal data that must never reach a record: e-mails, IPs, and the given raw values (names, phones…). */
export function personalDataIn(records: readonly CanonicalRecord[], forbidden: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const r of records) {
    const json = JSON.stringify(r);
    if (EMAIL.test(json)) found.push(`e-mail in row ${r.row}`);
    if (IPV4.test(json)) found.push(`IP in row ${r.row}`);
    for (const f of forbidden) if (json.includes(f)) found.push(`${f} in row ${r.row}`);
  }
  return found;
}
