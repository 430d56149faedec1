/**
 * The read path the ingest function takes for a hostile case (readExport → in-file dedupe → report), and what it ends
 * in: a file-level error code, or the row tally.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { FileRejectedError } from '../../shared/domain/errors.js';
import type { RowCounts } from '../../shared/domain/types.js';
import { dedupe } from '../../shared/ingest/dedupe.js';
import type { ReadLimits } from '../../shared/ingest/limits.js';
import { readExport } from '../../shared/ingest/read-export.js';
import { ReportBuilder } from '../../shared/ingest/report.js';

export type Outcome =
  | { kind: 'file'; code: string; message: string }
  | { kind: 'rows'; rows: RowCounts; rejects: Record<string, number> };

/** Reads the file at `path` as the ingest function does (S3 hands it out in chunks of about 64 KiB). */
export async function readCase(path: string, limits: Partial<ReadLimits>): Promise<Outcome> {
  const reader = readExport(() => createReadStream(path, { highWaterMark: 64 * 1024 }), {
    fileName: basename(path),
    source: 'hostile',
    hashKey: 'hostile-input-suite',
    defaultTimeZone: 'UTC',
    uploadTime: new Date('2026-01-01T00:00:00Z'),
    ...limits,
  });
  const report = new ReportBuilder();
  try {
    for await (const o of dedupe(reader)) report.add(o);
  } catch (err) {
    if (err instanceof FileRejectedError) return { kind: 'file', code: err.code, message: err.message };
    throw err;
  }
  return { kind: 'rows', rows: { ...report.tally.rows }, rejects: { ...report.tally.rejectCodes } };
}

/** An outcome in a few words: the file error's code, or `rows 40 = 38 accepted + 2 rejected (CELL_TOO_LARGE ×2)`. */
export function describeOutcome(o: Outcome): string {
  if (o.kind === 'file') return o.code;
  const { total, accepted, rejected, duplicates } = o.rows;
  const rejects = Object.entries(o.rejects).map(([k, v]) => `${k} ×${v}`);
  const why = rejects.length > 0 ? ` (${rejects.join(', ')})` : '';
  return `rows ${total} = ${accepted} accepted + ${rejected} rejected + ${duplicates} duplicates${why}`;
}
