import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../cli/check.js';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { readExport } from '../../../shared/ingest/read-export.js';
import type { TextAnalyzer } from '../../../shared/pipeline/text-analyzer.js';
import { emptyUsage } from '../../../shared/sentiment/comprehend-adapter.js';
import { memoryHarness, memoryIngestConfig } from '../../helpers/memory-ports.js';
import { addCounts, countPii, PII_KINDS, type PiiKind, piiExports, piiTable } from '../../helpers/pii.js';

/** Negative for every text: each record becomes a detractor event and a stored verbatim, two more outputs to check. */
const analyzer: TextAnalyzer = {
  analyze: async (requests) => ({
    results: new Map(
      requests.map((r) => [
        r.key,
        { sentiment: { label: 'NEGATIVE', score: { Positive: 0, Negative: 1, Neutral: 0, Mixed: 0 }, language: 'en' } },
      ]),
    ),
    usage: emptyUsage(),
    deferred: new Map(),
  }),
};

function zero(): Record<PiiKind, number> {
  return Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
}

/** Every output of one file, by name: what `feedback check` prints and writes, and what the pipeline stores and sends. */
type Outputs = Record<string, string[]>;

function collect(into: Outputs, name: string, text: string): void {
  into[name] ??= [];
  into[name].push(text);
}

async function checkOutputs(dir: string, name: string, out: Outputs): Promise<void> {
  const path = join(dir, name);
  const records = join(dir, `${name}.records.jsonl`);
  for (const args of [
    ['check', path, '--json', '--records', records],
    ['check', path],
  ]) {
    let printed = '';
    const io = { stdout: { write: (s: string) => (printed += s) }, stderr: { write: (s: string) => (printed += s) } };
    await runCheck(args, io);
    collect(out, args.includes('--json') ? 'check --json' : 'check (text)', printed);
  }
  collect(out, 'check --records', await readFile(records, 'utf8').catch(() => ''));
  try {
    const reader = readExport(() => createReadStream(path), {
      fileName: name,
      source: 'pii',
      hashKey: 'k',
      defaultTimeZone: 'UTC',
      uploadTime: new Date(),
    });
    for await (const _ of reader);
  } catch (err) {
    if (!(err instanceof FileRejectedError)) throw err;
    collect(out, 'FileRejectedError', `${err.message}`);
  }
}

async function pipelineOutputs(files: { name: string; body: string | Buffer }[], out: Outputs): Promise<void> {
  const h = memoryHarness(analyzer, memoryIngestConfig(3));
  const logs: string[] = [];
  const checkpoints: string[] = [];
  for (const f of files) {
    const result = await h.ingest(h.ports.put(`incoming/pii/${f.name}`, f.body), {
      log: (level, message, data) => logs.push(JSON.stringify({ level, message, data })),
      // The resume state is dropped when a file completes: read it after every commit.
      afterSegment: () => void checkpoints.push(JSON.stringify([...h.ports.ledgers.files.values()])),
    });
    collect(out, 'report', JSON.stringify(result.report));
  }
  for (const [key, o] of h.ports.objectsByKey)
    if (!key.startsWith('incoming/')) collect(out, 'S3 objects', `${key}\n${o.body}`);
  collect(out, 'events', JSON.stringify(h.ports.published));
  collect(out, 'checkpoints', checkpoints.join('\n'));
  collect(out, 'file ledger', JSON.stringify([...h.ports.ledgers.files.values()]));
  collect(
    out,
    'outbox, verbatims, cells',
    JSON.stringify([[...h.ports.ledgers.outbox.values()], h.ports.ledgers.verbatims, h.ports.ledgers.cellLines()]),
  );
  collect(out, 'row ledger', JSON.stringify([...h.ports.rowLedger.claims.values()]));
  collect(out, 'logs', logs.join('\n'));
}

describe('personal data in diagnostics', () => {
  let dir: string;
  const outputs: Outputs = {};
  let files: { name: string; body: string | Buffer }[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pii-'));
    files = await piiExports();
    for (const f of files) await writeFile(join(dir, f.name), f.body);
    for (const f of files) await checkOutputs(dir, f.name, outputs);
    await pipelineOutputs(files, outputs);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('plants personal data where diagnostics look, and the files still get their rejects and warnings', () => {
    // Assess: the positions are reached (a test that plants nothing the reader reports on proves nothing).
    const json = (outputs['check --json'] ?? []).join('\n');
    for (const code of [
      'NO_USABLE_COLUMNS',
      'NO_HEADER',
      'SCORE_OUT_OF_RANGE',
      'SCORE_UNPARSEABLE',
      'DATE_UNPARSEABLE',
      'MALFORMED_JSON',
      'NOT_AN_OBJECT',
      'CELL_TOO_LARGE',
      'MALFORMED_QUOTING',
      'LINES_ABOVE_HEADER',
      'SUMMARY_ROW',
    ])
      expect(json, code).toContain(code);
    expect(outputs.FileRejectedError?.length).toBe(2);
    expect((outputs.events ?? []).join('')).toContain('Feedback File Rejected');
    expect((outputs.checkpoints ?? []).join('')).toContain('"resume":{');
  });

  it('finds none of it in any output of feedback check or the pipeline', () => {
    // Act
    const table: Record<string, Record<PiiKind, number>> = {};
    for (const [name, texts] of Object.entries(outputs)) {
      table[name] = zero();
      for (const t of texts) addCounts(table[name], countPii(t));
    }
    console.log(`Planted personal data found per output:\n${piiTable(table)}`);
    // Assess
    for (const [name, counts] of Object.entries(table)) expect(counts, name).toEqual(zero());
  });
});
