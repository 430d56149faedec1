import { describe, expect, it } from 'vitest';
import type { AsyncJobsConfig } from '../../../shared/config/env.js';
import type { RowOutcome } from '../../../shared/ingest/types.js';
import {
  type AsyncSentiment,
  asyncSentimentGate,
  type GateInput,
} from '../../../shared/pipeline/async-sentiment/gate.js';
import type { AsyncJobsRecord, AsyncSentimentPorts } from '../../../shared/ports/async-jobs.js';
import type { FileLedgerEntry, IngestTarget } from '../../../shared/ports/ingest.js';
import type { JobKind, JobState } from '../../../shared/sentiment/async/job-client.js';
import type { JobOutputLine } from '../../../shared/sentiment/async/job-output.js';
import { createMemoryTextCache } from '../../../shared/sentiment/text-cache.js';

/** In-memory job ports: jobs whose state a test sets, files in a map, checks recorded. */
function fakePorts() {
  const records = new Map<string, AsyncJobsRecord>();
  const states = new Map<string, JobState>();
  const stopped: string[] = [];
  const checks: { pollId: string; delaySeconds: number }[] = [];
  const files = new Map<string, string[]>();
  const outputs = new Map<string, JobOutputLine[]>();
  let n = 0;
  const ports: AsyncSentimentPorts = {
    ledger: {
      readAsyncJobs: async (fileId) => structuredClone(records.get(fileId)),
      writeAsyncJobs: async (fileId, _token, record) => void records.set(fileId, structuredClone(record)),
    },
    jobs: {
      start: async (spec) => {
        const id = `${spec.kind}-${spec.language}-${++n}`;
        states.set(id, 'running');
        return id;
      },
      describe: async (_kind: JobKind, jobId) => {
        const state = states.get(jobId) ?? 'running';
        const status = state === 'running' ? 'IN_PROGRESS' : state === 'completed' ? 'COMPLETED' : 'FAILED';
        return { state, status, outputUri: `s3://b/${jobId}/output.tar.gz`, message: 'Access denied' };
      },
      stop: async (_kind, jobId) => void stopped.push(jobId),
    },
    files: {
      putLines: async (_bucket, key, lines) => void files.set(key, [...lines]),
      readLines: async function* (_bucket, key) {
        yield* files.get(key) ?? [];
      },
      readOutput: async function* (uri) {
        yield* outputs.get(uri) ?? [];
      },
    },
    poller: { checkLater: async (_target, pollId, delaySeconds) => void checks.push({ pollId, delaySeconds }) },
    cache: createMemoryTextCache(),
  };
  return { ports, records, states, stopped, checks, outputs };
}

const config: AsyncJobsConfig = { threshold: 2, roleArn: 'arn:aws:iam::1:role/r', pollSeconds: 60, maxWaitMinutes: 30 };
const target: IngestTarget = { bucket: 'b', key: 'incoming/x.csv', etag: 'e' };
const entry = { nextRow: 1, segment: 0 } as FileLedgerEntry;

function input(overrides: Partial<GateInput> = {}): GateInput {
  const texts = ['Great app', 'Slow delivery', 'Works fine'];
  const batch = texts.map((text, i) => ({ kind: 'accepted', row: i + 1, record: { text, language: 'en' } }));
  return {
    target,
    fileId: 'f1',
    token: 't',
    entry,
    openReader: () => ({
      async *batches() {
        yield batch as unknown as RowOutcome[];
      },
    }),
    ...overrides,
  };
}

function deps(ports: AsyncSentimentPorts, now: () => Date): AsyncSentiment {
  return { ports, config, themes: false, now };
}

describe('asyncSentimentGate', () => {
  it('starts the jobs, then waits, with one check on the queue', async () => {
    const fake = fakePorts();
    const outcome = await asyncSentimentGate(
      input(),
      deps(fake.ports, () => new Date('2026-12-01T10:00:00Z')),
    );
    expect(outcome).toEqual({ kind: 'waiting' });
    expect(fake.records.get('f1')?.groups).toEqual([
      expect.objectContaining({
        language: 'en',
        documents: 3,
        filled: false,
        jobs: [{ kind: 'sentiment', jobId: 'sentiment-en-1' }],
      }),
    ]);
    expect(fake.checks).toEqual([{ pollId: fake.records.get('f1')?.pollId, delaySeconds: 60 }]);
  });

  it('lets only the recorded check schedule the next one, unless that chain is long overdue', async () => {
    // Prepare
    const fake = fakePorts();
    let now = new Date('2026-12-01T10:00:00Z');
    const d = deps(fake.ports, () => now);
    await asyncSentimentGate(input(), d);
    const pollId = fake.records.get('f1')?.pollId;
    // Act: a stale check, then the recorded one, then a stale one long after the chain went quiet.
    const stale = await asyncSentimentGate(input({ target: { ...target, asyncPoll: 'old' } }), d);
    const owner = await asyncSentimentGate(input({ target: { ...target, asyncPoll: pollId } }), d);
    now = new Date('2026-12-01T10:10:00Z');
    const takeover = await asyncSentimentGate(input({ target: { ...target, asyncPoll: 'old' } }), d);
    // Assess
    expect([stale, owner, takeover]).toEqual([{ kind: 'waiting' }, { kind: 'waiting' }, { kind: 'waiting' }]);
    expect(fake.checks).toHaveLength(3);
    expect(fake.records.get('f1')?.pollId).toBe(fake.checks[2]?.pollId);
  });

  it('rejects the file when a job fails, naming the job kind and language', async () => {
    const fake = fakePorts();
    const d = deps(fake.ports, () => new Date('2026-12-01T10:00:00Z'));
    await asyncSentimentGate(input(), d);
    fake.states.set('sentiment-en-1', 'failed');
    const outcome = await asyncSentimentGate(input(), d);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.code).toBe('SENTIMENT_JOB_FAILED');
    expect(outcome.error.message).toMatch(/sentiment job for en ended FAILED: Access denied/);
  });

  it('fills the cache from a finished job and proceeds with the jobs’ units', async () => {
    const fake = fakePorts();
    const d = deps(fake.ports, () => new Date('2026-12-01T10:00:00Z'));
    await asyncSentimentGate(input(), d);
    fake.states.set('sentiment-en-1', 'completed');
    const score = { Positive: 0.9, Negative: 0, Neutral: 0.1, Mixed: 0 };
    fake.outputs.set('s3://b/sentiment-en-1/output.tar.gz', [
      { line: 0, sentiment: { label: 'POSITIVE', score } },
      { line: 1, error: { code: 'INTERNAL_SERVER_ERROR', message: '' } },
    ]);
    const outcome = await asyncSentimentGate(input(), d);
    expect(outcome).toEqual({ kind: 'proceed', jobUnits: 9 });
    expect(fake.records.get('f1')?.status).toBe('filled');
    // Line 0 is cached; the error line and the missing line 2 are left to the batch calls.
    const keys = await keysOf(fake);
    const cached = await fake.ports.cache.getMany(keys);
    expect(keys).toHaveLength(3);
    expect([...cached.values()].map((v) => v.sentiment?.label)).toEqual(['POSITIVE']);
  });

  it('stops jobs that run past the wait limit and falls back to the batch calls', async () => {
    const fake = fakePorts();
    let now = new Date('2026-12-01T10:00:00Z');
    const d = deps(fake.ports, () => now);
    await asyncSentimentGate(input(), d);
    now = new Date('2026-12-01T10:31:00Z');
    const outcome = await asyncSentimentGate(input(), d);
    expect(outcome.kind).toBe('proceed');
    expect(fake.stopped).toEqual(['sentiment-en-1']);
    expect(fake.records.get('f1')?.status).toBe('filled');
  });

  it('proceeds without a pre-pass once the file has committed a segment', async () => {
    const fake = fakePorts();
    const outcome = await asyncSentimentGate(
      input({ entry: { nextRow: 20_001, segment: 1 } as FileLedgerEntry }),
      deps(fake.ports, () => new Date()),
    );
    expect(outcome).toEqual({ kind: 'proceed' });
    expect(fake.records.size).toBe(0);
  });
});

async function keysOf(fake: ReturnType<typeof fakePorts>): Promise<string[]> {
  const keys: string[] = [];
  const group = fake.records.get('f1')?.groups[0];
  if (group) for await (const k of fake.ports.files.readLines('b', group.keysKey)) keys.push(k);
  return keys;
}

describe('asyncSentimentGate on a file too big to read twice', () => {
  it('gives the jobs up and proceeds synchronously when the pre-pass runs short of time', async () => {
    const fake = fakePorts();
    const outcome = await asyncSentimentGate(
      input({ remainingMs: () => 60_000 }),
      deps(fake.ports, () => new Date()),
    );
    expect(outcome).toEqual({ kind: 'proceed' });
    expect(fake.records.size).toBe(0);
    expect(fake.checks).toEqual([]);
  });
});
