import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { PREFIXES } from '../shared/config/resources.js';
import type { FileReport } from '../shared/pipeline/ingest-object.js';
import { reportKeyOf } from '../shared/pipeline/ingest-object.js';
import { keys } from '../shared/store/feedback-table.js';
import { localFunctionSettings } from './local-env.js';
import { describeResult, type FileResult, resultOf, summaryJson, summaryLines } from './local-summary.js';

export type { FileResult } from './local-summary.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const DEFAULT_INPUT = new URL('../samples/', import.meta.url);

/** `incoming/<first folder or "local">/<rest of the path>` for a file under the input folder. */
export function keyForFile(inputDir: string, file: string): string {
  const parts = relative(inputDir, file).split(sep);
  const source = parts.length > 1 ? '' : 'local/';
  return `${PREFIXES.incoming}${source}${parts.join('/')}`;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** First and last business day that has aggregates. */
async function dataSpan(db: DynamoDBDocumentClient, table: string): Promise<{ from: string; to: string } | undefined> {
  const days: string[] = [];
  const pages = paginateQuery(
    { client: db },
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.cell('all', '', '').pk },
      ProjectionExpression: 'sk',
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) days.push((item.sk as string).slice(0, 10));
  days.sort();
  const from = days[0];
  const to = days[days.length - 1];
  return from && to ? { from, to } : undefined;
}

async function readReport(s3: S3Client, bucket: string, key: string, etag: string): Promise<FileReport | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKeyOf(key, etag) }));
    return JSON.parse(await (out.Body?.transformToString() ?? 'null')) as FileReport;
  } catch {
    return undefined;
  }
}

const FILE_DONE_EVENTS = new Set(['Feedback File Processed', 'Feedback File Rejected', 'Feedback File Held']);

export interface WatchOptions {
  /** Events recorded so far by the local bus, oldest first. */
  events: () => readonly { 'detail-type': string; detail: Record<string, unknown> }[];
  /** Events before this index were reported already. */
  from: number;
  /** The report of the version (ETag) an event names. */
  readReport: (key: string, etag: string) => Promise<FileReport | undefined>;
  print: (result: FileResult) => void;
  signal: AbortSignal;
  /** @default 500 */
  pollMs?: number;
}

/**
 * `--keep-running`: prints each newly dropped file's result as soon as the pipeline announces it (its File Processed
 * or File Rejected event on the local bus), until `signal` aborts.
 */
export async function watchDroppedFiles(opts: WatchOptions): Promise<void> {
  let seen = opts.from;
  const pollMs = opts.pollMs ?? 500;
  while (!opts.signal.aborted) {
    const events = opts.events();
    for (; seen < events.length; seen++) {
      const e = events[seen];
      if (!e || !FILE_DONE_EVENTS.has(e['detail-type'])) continue;
      const file = e.detail.file as { key?: unknown; etag?: unknown } | undefined;
      if (typeof file?.key !== 'string') continue;
      opts.print(resultOf(file.key, await opts.readReport(file.key, typeof file.etag === 'string' ? file.etag : '')));
    }
    await new Promise<void>((done) => {
      const wake = () => {
        clearTimeout(timer);
        done();
      };
      const timer = setTimeout(() => {
        opts.signal.removeEventListener('abort', wake);
        done();
      }, pollMs);
      opts.signal.addEventListener('abort', wake, { once: true });
    });
  }
}

type LocalStack = Awaited<ReturnType<typeof import('../local/stack.js')['startLocalStack']>>;

/** Uploads every file of the input folder under `incoming/`, waits until the stack is idle, reads each report. */
async function uploadAll(stack: LocalStack, s3: S3Client, inputDir: string, say: (l: string) => void) {
  const files = await listFiles(inputDir);
  say(`Uploading ${files.length} file(s) from ${inputDir} to s3://${stack.bucket}/${PREFIXES.incoming}`);
  const uploaded: { key: string; etag: string }[] = [];
  for (const file of files) {
    const key = keyForFile(inputDir, file);
    const out = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: await readFile(file) }));
    uploaded.push({ key, etag: (out.ETag ?? '').replace(/"/g, '') });
  }
  await stack.waitForIdle({ timeoutMs: 600_000 });
  const results: FileResult[] = [];
  for (const { key, etag } of uploaded) results.push(resultOf(key, await readReport(s3, stack.bucket, key, etag)));
  return results;
}

/** The digest of the given days, or of every day with data; undefined when there is none. Returns its config too. */
async function localDigest(span: { from?: string; to?: string }, send: boolean) {
  const { DynamoAggregateReader } = await import('../shared/store/aggregate-reader.js');
  const { runDigestJob } = await import('../shared/pipeline/digest-job.js');
  const { loadDigestConfig } = await import('../shared/config/env.js');
  const { sesClient } = await import('../shared/clients/sesv2.js');
  const { eventBridgeClient } = await import('../shared/clients/eventbridge.js');
  const { s3Client } = await import('../shared/clients/s3.js');
  const { dynamoDbClient } = await import('../shared/clients/dynamodb.js');
  const config = loadDigestConfig();
  const days = span.from && span.to ? { from: span.from, to: span.to } : await dataSpan(dynamoDbClient, config.table);
  if (days === undefined) return { config, digest: undefined };
  const reader = new DynamoAggregateReader(dynamoDbClient, config.table);
  const deps = { reader, s3: s3Client, ses: sesClient, events: eventBridgeClient, config };
  return { config, digest: await runDigestJob(deps, { period: { kind: 'custom', ...days }, send }) };
}

/** Keeps the stack up, printing each dropped file's outcome, until Ctrl-C. */
async function keepRunning(stack: LocalStack, s3: S3Client, json: boolean, io: Io, say: (l: string) => void) {
  say(`\nThe local stack keeps running. Drop files with any S3 client:`);
  say(
    `  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url ${stack.endpoints.s3} s3 cp <file> s3://${stack.bucket}/${PREFIXES.incoming}<source>/`,
  );
  say(`  digests: ${stack.endpoints.sesWebUi}   ·   Ctrl-C to stop`);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  await watchDroppedFiles({
    events: () => stack.events(),
    from: stack.events().length,
    readReport: (key, etag) => readReport(s3, stack.bucket, key, etag),
    print: (r) => {
      if (json) {
        const { report: _r, ...file } = r;
        io.stdout.write(`${JSON.stringify(file)}\n`);
      } else for (const line of describeResult(r)) say(line);
    },
    signal: stop.signal,
  });
}

const LOCAL_OPTIONS = {
  input: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  state: { type: 'string' },
  json: { type: 'boolean', default: false },
  'keep-running': { type: 'boolean', default: false },
  send: { type: 'boolean', default: true },
} as const;

/**
 * `feedback local`: boots the local stack, uploads every file of the input folder under `incoming/`, lets the S3
 * notifications drive the real ingest handler, waits until each file is processed or rejected, builds the digest
 * for the period and prints what happened.
 */
export async function runLocal(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: LOCAL_OPTIONS, strict: true });
  if ((values.from === undefined) !== (values.to === undefined)) {
    io.stderr.write('--from and --to go together\n');
    return 2;
  }
  const say = (line: string) => {
    if (!values.json) io.stdout.write(`${line}\n`);
  };
  const { startLocalStack } = await import('../local/stack.js');
  const stack = await startLocalStack({
    stateDir: values.state,
    env: localFunctionSettings(),
    log: (line) => {
      if (!values.json) io.stderr.write(`  · ${line}\n`);
    },
  });
  const undoEnv = stack.applyEnv();
  try {
    // Imported after the environment is in place: handlers read their configuration at cold start.
    const { handler } = await import('../functions/ingest/index.js');
    const { s3Client } = await import('../shared/clients/s3.js');
    stack.attachIngestHandler(handler);
    const eventsBefore = stack.events().length;
    const inputDir = values.input ? resolve(values.input) : DEFAULT_INPUT.pathname;
    const results = await uploadAll(stack, s3Client, inputDir, say);
    const { config, digest } = await localDigest(values, values.send);
    // The stack (and its SES inbox) stops with this command: keep a copy of the e-mail a person can open.
    const stateDir = values.state ? resolve(values.state) : tmpdir();
    const htmlPath = digest && join(stateDir, `feedback-digest-${digest.period.from}_${digest.period.to}.html`);
    if (digest && htmlPath) await writeFile(htmlPath, digest.html);
    const events: Record<string, number> = {};
    for (const e of stack.events().slice(eventsBefore)) events[e['detail-type']] = (events[e['detail-type']] ?? 0) + 1;
    const summary = { results, digest, htmlPath, bucket: config.bucket, recipients: config.recipients, events };
    if (values.json) io.stdout.write(summaryJson(summary));
    else {
      const inbox = values['keep-running'] ? `  local SES inbox: ${stack.endpoints.sesWebUi}` : KEEP_RUNNING_HINT;
      for (const line of summaryLines(summary, inbox)) say(line);
      if (values.state)
        say(`State kept in ${values.state}: run again to resume; figures do not change for files already seen.`);
    }
    if (values['keep-running']) await keepRunning(stack, s3Client, values.json, io, say);
    return results.every((r) => r.status === 'processed' || r.report) ? 0 : 1;
  } finally {
    undoEnv();
    await stack.stop();
  }
}

const KEEP_RUNNING_HINT = '  (npm start -- --keep-running keeps the local SES inbox open in a browser)';
