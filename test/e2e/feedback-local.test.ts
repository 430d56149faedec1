import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

interface LocalRun {
  files: {
    key: string;
    status: string;
    rows?: { total: number; accepted: number; rejected: number; duplicates: number };
  }[];
  digest: {
    from: string;
    to: string;
    volume: number;
    nps: unknown;
    csat: unknown;
    sentiment: unknown;
    email: { subject: string; htmlPath: string; archiveUri: string };
  } | null;
  events: Record<string, number>;
}

async function feedbackLocal(state: string): Promise<LocalRun> {
  // A child process per run, as a person would type it: each boots its own local stack on the same state folder.
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'cli/feedback.ts', 'local', '--input', 'samples', '--state', state, '--json'],
    { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
  );
  return JSON.parse(stdout) as LocalRun;
}

describe('feedback local --state', () => {
  let state: string;
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), 'feedback-state-'));
  });
  afterAll(() => rm(state, { recursive: true, force: true }));

  it('prints the same digest figures when run twice on the same folder, and counts nothing twice', async () => {
    // Act
    const first = await feedbackLocal(state);
    const second = await feedbackLocal(state);
    // Assess
    expect(first.files.length).toBeGreaterThan(0);
    for (const f of first.files) {
      expect(f.status).toBe('processed');
      expect(f.rows?.total).toBe((f.rows?.accepted ?? 0) + (f.rows?.rejected ?? 0) + (f.rows?.duplicates ?? 0));
    }
    expect(first.digest).not.toBeNull();
    expect(second.digest).toEqual(first.digest);
    // The e-mail is a local file a person can open; the archive copy is named apart.
    expect(await readFile(first.digest?.email.htmlPath ?? '', 'utf8')).toContain('<!DOCTYPE html>');
    expect(first.digest?.email.archiveUri).toMatch(/^s3:\/\/.+\.html$/);
    expect(first.events['Feedback File Processed']).toBe(first.files.length);
    // The second run finds every file already done: no new file, detractor or spike events.
    expect(second.events['Feedback File Processed'] ?? 0).toBe(0);
    expect(second.events['Detractor Feedback Received'] ?? 0).toBe(0);
    expect(second.events['KPI Digest Published']).toBe(1);
  });
});
