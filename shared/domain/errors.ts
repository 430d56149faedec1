/** The domain's errors: what the pipeline, the CLI and the adapters throw and translate to. */
import type { Diagnostic } from './types.js';

/** File-level error codes (a file that cannot be read at all). */
export type FileErrorCode =
  | 'EMPTY_FILE'
  | 'BINARY_FILE'
  | 'UNKNOWN_ENCODING'
  | 'UNSUPPORTED_FORMAT'
  | 'NO_USABLE_COLUMNS'
  | 'MALFORMED_FILE'
  /** The file, or what it inflates to, is larger than a size limit (see shared/ingest/limits.ts). */
  | 'FILE_TOO_LARGE'
  /** A compressed part inflates faster than the ratio limit allows, or past the size its zip header declares. */
  | 'ZIP_BOMB'
  /** More records (or worksheet rows) than the row limit: the file ends there. */
  | 'TOO_MANY_ROWS'
  /** The header (or a JSON file's keys) is wider than the column limit. */
  | 'TOO_MANY_COLUMNS'
  /** An XLSX workbook's shared strings (held in memory) are more or larger than their limits. */
  | 'SHARED_STRINGS_TOO_LARGE'
  /** The object (or the version the event named) was deleted before or while it was read. */
  | 'OBJECT_DELETED'
  /** The key was overwritten while this version was being read (the new version is processed on its own). */
  | 'OBJECT_REPLACED'
  /** A Comprehend asynchronous job of the file ended failed or stopped (shared/pipeline/async-sentiment/). */
  | 'SENTIMENT_JOB_FAILED';

/** A file that cannot be read at all; its message reaches reports, the ledger, events and the CLI. */
export class FileRejectedError extends Error {
  override name = 'FileRejectedError';
  constructor(
    readonly code: FileErrorCode,
    message: Diagnostic,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another worker holds the lease on this file and it has not expired: retry the message later. */
export class FileLeaseHeldError extends Error {
  override name = 'FileLeaseHeldError';
}

/** This worker's lease was taken over (it ran past its lease): stop without writing anything more. */
export class FileLeaseLostError extends Error {
  override name = 'FileLeaseLostError';
}

/** Options given to a domain rule or a digest are out of range. */
export class InvalidOptionsError extends Error {
  override name = 'InvalidOptionsError';
}
