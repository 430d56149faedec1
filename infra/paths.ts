import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in `infra/`). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Handler modules, one per function; each exports `handler`. */
export const FUNCTION_ENTRIES = {
  ingest: fileURLToPath(new URL('../functions/ingest/index.ts', import.meta.url)),
  digest: fileURLToPath(new URL('../functions/digest/index.ts', import.meta.url)),
} as const;
