import { parseArgs } from 'node:util';
import type { PeriodRequest } from '../shared/digest/period.js';
import { localFunctionSettings } from './local-env.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * `feedback digest`: builds (and with `--send`, sends) the digest against the configured stack. The
 * configuration is the environment (AWS credentials, BUCKET_NAME, TABLE_NAME, …, as the digest function gets it);
 * `--local --state <dir>` boots the local stack on that state folder instead.
 */
export async function runDigestCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      period: { type: 'string' },
      json: { type: 'boolean', default: false },
      send: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      state: { type: 'string' },
    },
    strict: true,
  });
  let period: PeriodRequest;
  if (values.from && values.to) period = { kind: 'custom', from: values.from, to: values.to };
  else if (values.period === 'daily' || values.period === 'weekly') period = { kind: values.period };
  else if (!values.period && !values.from && !values.to) period = { kind: 'weekly' };
  else {
    io.stderr.write('Give --from and --to together, or --period daily|weekly\n');
    return 2;
  }

  let stop: (() => Promise<void>) | undefined;
  if (values.local) {
    const { startLocalStack } = await import('../local/stack.js');
    const stack = await startLocalStack({ stateDir: values.state, env: localFunctionSettings(), log: () => undefined });
    const undo = stack.applyEnv();
    stop = async () => {
      undo();
      await stack.stop();
    };
  }
  try {
    const { loadDigestConfig } = await import('../shared/config/env.js');
    const { runDigestJob } = await import('../shared/pipeline/digest-job.js');
    const { DynamoAggregateReader } = await import('../shared/store/aggregate-reader.js');
    const { dynamoDbClient } = await import('../shared/clients/dynamodb.js');
    const { s3Client } = await import('../shared/clients/s3.js');
    const { sesClient } = await import('../shared/clients/sesv2.js');
    const { eventBridgeClient } = await import('../shared/clients/eventbridge.js');
    const config = loadDigestConfig();
    const result = await runDigestJob(
      {
        reader: new DynamoAggregateReader(dynamoDbClient, config.table),
        s3: s3Client,
        ses: sesClient,
        events: eventBridgeClient,
        config,
      },
      { period, send: values.send },
    );
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ subject: result.subject, htmlKey: result.htmlKey, jsonKey: result.jsonKey, messageIds: result.messageIds, figures: result.figures }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`${result.subject}\n\n${result.text}\n\narchived: s3://${config.bucket}/${result.htmlKey}\n`);
      if (values.send) io.stdout.write(`sent to ${result.recipients} recipient(s): ${result.messageIds.join(', ')}\n`);
    }
    return 0;
  } catch (err) {
    const e = err as Error;
    io.stderr.write(`${JSON.stringify({ error: { code: e.name, message: e.message } })}\n`);
    return 1;
  } finally {
    await stop?.();
  }
}
