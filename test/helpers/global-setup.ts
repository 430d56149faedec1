import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { localFunctionSettings } from '../../cli/local-env.js';
import type { LocalStack } from '../../local/stack.js';

export interface ProvidedStack {
  env: Record<string, string>;
  endpoints: LocalStack['endpoints'];
  bucket: string;
  table: string;
  queueUrl: string;
  /** The EventBridge sink's journal: every event the pipeline emitted, one JSON envelope per line. */
  eventsJournal: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: ProvidedStack;
  }
}

/**
 * Starts the local stack once per test run, on free ports, with the real ingest handler attached to the queue
 * that s3rver's notifications feed. Integration tests talk to it over real connections; it stops after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = await mkdtemp(join(tmpdir(), 'feedback-it-'));
  const { startLocalStack } = await import('../../local/stack.js');
  const logs: string[] = [];
  const stack = await startLocalStack({
    stateDir,
    env: localFunctionSettings(),
    failedVisibilityTimeoutSeconds: 1,
    log: (line) => logs.push(line),
  });
  const undo = stack.applyEnv();
  const { handler } = await import('../../functions/ingest/index.js');
  stack.attachIngestHandler(handler);
  project.provide('localStack', {
    env: { ...stack.env, ...localFunctionSettings() },
    endpoints: stack.endpoints,
    bucket: stack.bucket,
    table: stack.table,
    queueUrl: stack.queueUrl,
    eventsJournal: join(stateDir, 'events.jsonl'),
  });
  return async () => {
    undo();
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
