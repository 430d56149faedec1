/** Another worker holds the lease on this file and it has not expired: retry the message later. */
export class FileLeaseHeldError extends Error {
  override name = 'FileLeaseHeldError';
}

/** This worker's lease was taken over (it ran past its lease): stop without writing anything more. */
export class FileLeaseLostError extends Error {
  override name = 'FileLeaseLostError';
}
