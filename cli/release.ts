import { parseArgs } from 'node:util';
import type { ReleasedFile } from '../shared/pipeline/held-files.js';
import { localFunctionSettings } from './local-env.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = 'Usage: feedback release <key> [--json] [--local --state <dir>]';

const OPTIONS = {
  json: { type: 'boolean', default: false },
  local: { type: 'boolean', default: false },
  state: { type: 'string' },
} as const;

/** Thrown when the environment does not say which table and queue to use. */
export class ReleaseConfigurationError extends Error {
  override name = 'ReleaseConfigurationError';
}

/**
 * `feedback release <key>`: processes a file held over the month's Comprehend budget now, over the budget. Every
 * held version of the key goes back to the ingest queue; the ingest function admits it once (a second release, or
 * a duplicate message, changes no figure). Against the configured stack (TABLE_NAME and QUEUE_URL in the
 * environment, as the ingest function gets them), or with `--local --state <dir>` against the local stack on that
 * state, which then processes the file before the command returns.
 */
export async function runRelease(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [key, extra] = parsed.positionals;
  if (key === undefined || extra !== undefined) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  const local = values.local ? await startLocal(values.state) : undefined;
  try {
    const released = await release(key);
    await local?.waitForIdle();
    io.stdout.write(values.json ? `${JSON.stringify({ key, files: released })}\n` : describe(key, released));
    return released.length > 0 ? 0 : 1;
  } catch (err) {
    const e = err as Error;
    io.stderr.write(`${JSON.stringify({ error: { code: e.name, message: e.message } })}\n`);
    return 1;
  } finally {
    await local?.stop();
  }
}

/** Releases the key's held versions with the table and queue the environment names. */
async function release(key: string): Promise<ReleasedFile[]> {
  const { ENV } = await import('../shared/config/env-names.js');
  const table = process.env[ENV.tableName];
  const queueUrl = process.env[ENV.queueUrl];
  if (!table || !queueUrl) throw new ReleaseConfigurationError(`Set ${ENV.tableName} and ${ENV.queueUrl}`);
  const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
  const { dynamoDbClient } = await import('../shared/clients/dynamodb.js');
  const { sqsClient } = await import('../shared/clients/sqs.js');
  const { DynamoCostLedger } = await import('../shared/store/cost-ledger.js');
  const { releaseHeldKey } = await import('../shared/pipeline/held-files.js');
  return releaseHeldKey(key, {
    ledger: new DynamoCostLedger(dynamoDbClient, table),
    continuations: {
      continueLater: async (target) => {
        await sqsClient.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ continuation: target }) }),
        );
      },
    },
  });
}

/** The local stack on `stateDir`, with the ingest handler attached so released files are processed. */
async function startLocal(stateDir: string | undefined) {
  const { startLocalStack } = await import('../local/stack.js');
  const stack = await startLocalStack({ stateDir, env: localFunctionSettings(), log: () => undefined });
  const undo = stack.applyEnv();
  const { handler } = await import('../functions/ingest/index.js');
  stack.attachIngestHandler(handler);
  return {
    waitForIdle: () => stack.waitForIdle({ timeoutMs: 600_000 }),
    stop: async () => {
      undo();
      await stack.stop();
    },
  };
}

function describe(key: string, files: readonly ReleasedFile[]): string {
  if (files.length === 0) return `${key}: no held version (processed already, or never held)\n`;
  const what = { released: 'released', 're-queued': 'sent again (released before)', 'not-held': 'not held' };
  return files.map((f) => `${key} (etag ${f.etag}): ${what[f.outcome]}\n`).join('');
}
