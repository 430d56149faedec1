import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadReadLimits } from '../../../shared/config/env.js';
import { LIMIT_ENV } from '../../../shared/config/env-names.js';
import { LIMIT_NAMES } from '../../../shared/ingest/limits.js';

describe('loadReadLimits', () => {
  it('names every read limit, and only those', () => {
    expect(Object.values(LIMIT_ENV).sort()).toEqual([...LIMIT_NAMES].sort());
  });

  it('reads the limits set in the environment and leaves the others to their defaults', () => {
    const limits = loadReadLimits({ MAX_ROWS: '250000', MAX_INFLATION_RATIO: '50', OTHER: 'x' });

    expect(limits).toEqual({ maxRows: 250_000, maxInflationRatio: 50 });
  });

  it('fails on a limit that is not a positive number', () => {
    expect(() => loadReadLimits({ MAX_COLUMNS: 'many' })).toThrow(ConfigurationError);
    expect(() => loadReadLimits({ MAX_FILE_BYTES: '0' })).toThrow(/MAX_FILE_BYTES/);
  });
});
