import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIXES } from '../../shared/config/resources.js';
import { localClients } from '../helpers/clients.js';
import type { ProvidedStack } from '../helpers/global-setup.js';
import { addCounts, countPii, PII_KINDS, type PiiKind, piiExports, piiTable } from '../helpers/pii.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/**
 * `feedback local` in a child process, as a person types it; every line it prints and logs is kept. With `--json` the
 * handlers log warnings only (to stderr): their info lines would go to stdout, into the JSON.
 */
async function feedbackLocal(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'cli/feedback.ts', 'local', ...args], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 420_000,
    // Every log line the handlers write, not only warnings: all of it goes into the count.
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: args.includes('--json') ? 'WARN' : 'DEBUG' },
  });
}

/** Every object the run left in the bucket but the uploads themselves, by top prefix (`reports/`, `processed/`…). */
async function storedObjects(stack: ProvidedStack): Promise<Record<string, string[]>> {
  const { s3 } = localClients(stack);
  const out: Record<string, string[]> = {};
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const key = o.Key ?? '';
      if (key.startsWith(PREFIXES.incoming)) continue;
      const body = await (await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }))).Body;
      const name = `S3 ${key.split('/')[0]}/`;
      out[name] ??= [];
      out[name].push(`${key}\n${(await body?.transformToString()) ?? ''}`);
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** Every item of every table. */
async function storedItems(stack: ProvidedStack): Promise<string[]> {
  const client = new DynamoDBClient({
    region: stack.env.AWS_REGION ?? 'us-east-1',
    endpoint: stack.endpoints.dynamodb,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
  const db = DynamoDBDocumentClient.from(client);
  const items: string[] = [];
  for (const table of (await client.send(new ListTablesCommand({}))).TableNames ?? []) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) items.push(JSON.stringify(item));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  client.destroy();
  return items;
}

/** What the local stack kept in the state folder: S3 objects, DynamoDB items, the events journal, the digest page. */
async function storedOutputs(state: string): Promise<Record<string, string[]>> {
  const { startLocalStack } = await import('../../local/stack.js');
  const stack = await startLocalStack({
    stateDir: state,
    log: () => undefined,
    sendTestEvent: false,
    handleSignals: false,
  });
  try {
    const provided = { ...stack, eventsJournal: join(state, 'events.jsonl') };
    const pages = (await readdir(state)).filter((f) => f.endsWith('.html'));
    return {
      ...(await storedObjects(provided)),
      'DynamoDB items': await storedItems(provided),
      'EventBridge events': [await readFile(join(state, 'events.jsonl'), 'utf8')],
      'digest e-mail (file)': await Promise.all(pages.map((p) => readFile(join(state, p), 'utf8'))),
    };
  } finally {
    await stack.stop();
  }
}

interface LocalJson {
  files: { key: string; status: string; error?: { code: string } }[];
  events: Record<string, number>;
}

describe('feedback local with personal data planted in every position', () => {
  let input: string;
  let state: string;
  beforeAll(async () => {
    input = await mkdtemp(join(tmpdir(), 'pii-input-'));
    state = await mkdtemp(join(tmpdir(), 'pii-state-'));
    await mkdir(join(input, 'helpdesk'));
    for (const f of await piiExports()) await writeFile(join(input, 'helpdesk', f.name), f.body);
  });
  afterAll(async () => {
    await rm(input, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  });

  it('leaks none of it into reports, records, digests, tables, events, logs or what it prints', async () => {
    // Act: a run as a person reads it (with every log line), then the same state again as --json.
    const text = await feedbackLocal(['--input', input, '--state', state]);
    const json = await feedbackLocal(['--input', input, '--state', state, '--json']);
    const outputs: Record<string, string[]> = {
      'CLI stdout (text, logs)': [text.stdout],
      'CLI stderr (stack, logs)': [text.stderr, json.stderr],
      'CLI stdout (--json)': [json.stdout],
      ...(await storedOutputs(state)),
    };
    // Assess: the files went through (two are rejected, as they should be) …
    const result = JSON.parse(json.stdout) as LocalJson;
    const rejected = result.files.filter((f) => f.status === 'failed').map((f) => f.error?.code);
    expect(result.files).toHaveLength((await piiExports()).length);
    expect(rejected).toEqual(['NO_USABLE_COLUMNS', 'NO_USABLE_COLUMNS']);
    expect(outputs['S3 processed/']?.length).toBeGreaterThan(0);
    expect(outputs['EventBridge events']?.join('')).toContain('Detractor Feedback Received');
    expect(text.stdout).toContain('"message":"ingest finished"');
    // … and no planted value is anywhere.
    const table: Record<string, Record<PiiKind, number>> = {};
    for (const [name, texts] of Object.entries(outputs)) {
      const counts = Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
      for (const t of texts) addCounts(counts, countPii(t));
      table[name] = counts;
    }
    console.log(`Planted personal data found in the outputs of feedback local:\n${piiTable(table)}`);
    for (const [name, counts] of Object.entries(table))
      for (const k of PII_KINDS) expect(counts[k], `${name}: ${k}`).toBe(0);
  }, 900_000);
});
