import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, limitsFor, matches } from '../../../scripts/hostile/cases.js';
import { describeOutcome, readCase } from '../../../scripts/hostile/read.js';

/** The hostile-input suite (scripts/hostile), small: each case's input just past tiny limits, read in-process. */
describe('hostile inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s ends as the case expects', async (_name, c) => {
    // Prepare
    const limits = limitsFor(c, false);
    const path = await c.generate({ dir, limits, full: false });

    // Act
    const outcome = await readCase(path, limits);

    // Assess
    expect(matches(c.expect, outcome), `expected ${c.expect}, got ${describeOutcome(outcome)}`).toBe(true);
  });
});
