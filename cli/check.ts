import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { sourceOf } from '../shared/config/resources.js';
import { FileRejectedError } from '../shared/domain/errors.js';
import { dedupe } from '../shared/ingest/dedupe.js';
import { readExport } from '../shared/ingest/read-export.js';
import { type CheckReport, ReportBuilder } from '../shared/ingest/report.js';
import { recordEstimator } from '../shared/pipeline/cost-estimate.js';
import type { CostEstimate } from '../shared/sentiment/cost.js';
import { checkCostSettings } from './check-cost.js';

export interface CheckIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

const USAGE = 'Usage: feedback check <file> [--json] [--records <out.jsonl>]';

interface CheckArgs {
  file: string;
  json: boolean;
  records?: string;
}

function parseCheckArgs(argv: readonly string[]): CheckArgs | string {
  const args = argv[0] === 'check' ? argv.slice(1) : argv;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    return (error as Error).message;
  }
  const [file, extra] = parsed.positionals;
  if (file === undefined) return 'Missing <file>';
  if (extra !== undefined) return `Unexpected argument ${extra}`;
  const { json = false, records } = parsed.values;
  return records === undefined ? { file, json } : { file, json, records };
}

const OPTIONS = { json: { type: 'boolean' }, records: { type: 'string' } } as const;

function errorJson(file: string, code: string, message: string): string {
  return `${JSON.stringify({ file, error: { code, message } })}\n`;
}

/** `text: \`verified_reviews\` (0.97) — prose, 97 % distinct…; runner-up \`feedback\`: 2 distinct values`. */
function explainChoice(m: NonNullable<CheckReport['details']['mapping']>[number]): string {
  const runner = m.runnerUp === undefined ? '' : `; runner-up \`${m.runnerUp.column}\`: ${m.runnerUp.evidence}`;
  return `${m.field}: \`${m.column}\` (confidence ${m.confidence}) — ${m.evidence}${runner}`;
}

/** What `feedback check` prints: the read, and what Comprehend would cost for it. */
type CheckOutput = CheckReport & { comprehend: { estimate: CostEstimate } };

function describeEstimate(e: CostEstimate): string {
  const op = (name: string, o: CostEstimate['byOperation']['sentiment']) =>
    `${name} ${o.documents} docs/${o.units} units/$${o.usd}`;
  const { sentiment, keyPhrases, dominantLanguage } = e.byOperation;
  return `Comprehend (estimate, before cache): ${e.units} units, $${e.usd} — ${op('sentiment', sentiment)}; ${op('key phrases (at most)', keyPhrases)}; ${op('language', dominantLanguage)}`;
}

function human(r: CheckOutput): string {
  const lines: string[] = [];
  lines.push(
    `${r.file}: ${r.format}, ${r.encoding}${r.details.delimiter ? `, delimiter ${JSON.stringify(r.details.delimiter)}` : ''}, ${r.details.headerRows} header row(s)`,
  );
  lines.push('Columns recognised:');
  const entries = Object.entries(r.columns);
  if (entries.length === 0) lines.push('  (none)');
  for (const [field, col] of entries) lines.push(`  ${field.padEnd(15)} ← ${col}`);
  if (r.details.droppedPersonalColumns.length > 0) {
    const dropped = r.details.droppedPersonalColumns;
    const shown = dropped.slice(0, 8).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c));
    lines.push(
      `Personal columns dropped: ${shown.join(', ')}${dropped.length > 8 ? ` (+${dropped.length - 8} more)` : ''}`,
    );
  }
  for (const m of r.details.mapping ?? []) lines.push(`  ${explainChoice(m)}`);
  lines.push(`Dates: ${r.details.dateOrder ?? 'unambiguous'} order, time zone ${r.details.timeZone}`);
  for (const w of r.details.fileWarnings) lines.push(`Note (${w.code}): ${w.detail}`);
  const c = r.rows;
  lines.push(
    `Rows: ${c.total} total, ${c.accepted} accepted (${c.withText} with text), ${c.rejected} rejected, ${c.duplicates} duplicates`,
  );
  if (c.lines !== undefined) {
    lines.push(`Lines: ${c.lines} read (header rows, blank lines and the lines of multi-line cells included)`);
  }
  const rc = Object.entries(r.details.rejectCounts).map(([k, v]) => `${k} ×${v}`);
  if (rc.length > 0) lines.push(`Rejects: ${rc.join(', ')}`);
  const wc = Object.entries(r.details.warningCounts).map(([k, v]) => `${k} ×${v}`);
  if (wc.length > 0) lines.push(`Warnings: ${wc.join(', ')}`);
  const { nps, csat } = r.kpis;
  lines.push(
    `NPS: ${nps.score ?? 'n/a'} (n=${nps.n}: ${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors)`,
  );
  lines.push(`CSAT: ${csat.score ?? 'n/a'}% satisfied (n=${csat.n}), average ${csat.average ?? 'n/a'}`);
  lines.push(describeEstimate(r.comprehend.estimate));
  return `${lines.join('\n')}\n`;
}

/** Moves the partial records file into place without the records that a newer version of the same id replaced. */
async function finishRecords(partial: string, target: string, replaced: ReadonlySet<number>): Promise<void> {
  if (replaced.size === 0) {
    await rename(partial, target);
    return;
  }
  const out = createWriteStream(target);
  for await (const line of createInterface({ input: createReadStream(partial), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line === '' || replaced.has((JSON.parse(line) as { row: number }).row)) continue;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rm(partial, { force: true });
}

/**
 * `feedback check <file> [--json] [--records <out.jsonl>]`: dry run of decoding, parsing, mapping and cleaning for
 * one local file. Returns the exit code: 0 read, 1 file rejected or unreadable, 2 usage error.
 */
export async function runCheck(argv: readonly string[], io: CheckIo): Promise<number> {
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') {
    io.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const { file } = args;
  const fail = (code: string, message: string): number => {
    if (args.json) io.stdout.write(errorJson(file, code, message));
    else io.stderr.write(`${file}: ${code}: ${message}\n`);
    return 1;
  };
  try {
    const st = await stat(file);
    if (!st.isFile()) return fail('NOT_A_FILE', 'The path is not a regular file.');
  } catch {
    return fail('FILE_NOT_FOUND', 'The file does not exist or cannot be opened.');
  }

  // Records stream to a partial file; rows that a newer version replaced later are dropped when it is finished.
  const partial = args.records === undefined ? undefined : `${args.records}.partial`;
  const out = partial === undefined ? undefined : createWriteStream(partial);
  const replaced = new Set<number>();
  try {
    const reader = readExport(() => createReadStream(file, { highWaterMark: 256 * 1024 }), {
      fileName: file,
      source: sourceOf(file),
      // A dry run hashes with a throwaway key: the hashes only need to be stable within this output.
      hashKey: 'feedback-check-dry-run',
      defaultTimeZone: 'UTC',
      uploadTime: new Date(),
    });
    const builder = new ReportBuilder();
    const estimator = recordEstimator(checkCostSettings());
    for await (const o of dedupe(reader)) {
      builder.add(o);
      await estimator.add(o);
      if (out !== undefined && o.kind === 'accepted') {
        if (o.replaces !== undefined) replaced.add(o.replaces.row);
        if (!out.write(`${JSON.stringify(o.record)}\n`)) await once(out, 'drain');
      }
    }
    const report: CheckOutput = {
      ...builder.build(basename(file), await reader.meta(), reader.linesRead()),
      comprehend: { estimate: await estimator.finish() },
    };
    if (out !== undefined && partial !== undefined && args.records !== undefined) {
      out.end();
      await once(out, 'finish');
      await finishRecords(partial, args.records, replaced);
    }
    io.stdout.write(args.json ? `${JSON.stringify(report)}\n` : human(report));
    return 0;
  } catch (err) {
    out?.destroy();
    if (partial !== undefined) await rm(partial, { force: true });
    if (err instanceof FileRejectedError) return fail(err.code, err.message);
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'EACCES' || code === 'EISDIR') return fail('FILE_NOT_READABLE', 'The file cannot be read.');
    return fail('INTERNAL_ERROR', 'The file could not be checked because of an unexpected error.');
  }
}
