import type { ReadExportOptions } from './types.js';

/** Every bound on one file's work, resolved (see {@link ReadExportOptions} for what each one means). */
export type ReadLimits = Required<
  Pick<
    ReadExportOptions,
    | 'maxTextLength'
    | 'maxCellSize'
    | 'maxFileBytes'
    | 'maxInflatedBytes'
    | 'maxInflationRatio'
    | 'maxRows'
    | 'maxColumns'
    | 'maxSharedStrings'
    | 'maxSharedStringChars'
  >
>;

const MiB = 1024 * 1024;

/**
 * The defaults, sized so that no input can take the ingest function past its memory or its temp directory: see
 * README "Hostile input" and `npm run test:hostile`, which measures the worst cases against them.
 */
export const DEFAULT_LIMITS: Readonly<ReadLimits> = {
  maxTextLength: 20_000,
  maxCellSize: 1_000_000,
  maxFileBytes: 2048 * MiB,
  maxInflatedBytes: 1024 * MiB,
  maxInflationRatio: 100,
  maxRows: 5_000_000,
  maxColumns: 4096,
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 64 * MiB,
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ReadLimits)[];

/** An XLSX entry's inflation ratio is judged once it has inflated this much (small parts may compress very well). */
export const RATIO_GRACE_BYTES = 8 * MiB;
/** Zip entries in a workbook (Excel writes a few dozen). */
export const MAX_ZIP_ENTRIES = 10_000;
/** Inflated bytes of a workbook part read whole into memory: workbook.xml, its relationships, styles.xml. */
export const MAX_PART_BYTES = 16 * MiB;

/** The options' limits over the defaults. */
export function readLimits(opts: Partial<ReadLimits>): ReadLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const v = opts[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
