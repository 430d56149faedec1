/**
 * The one rule for a record whose fingerprint was seen before, in a file (`feedback check`'s in-memory deduper) and
 * across files (the pipeline's row ledger): a strictly newer version supersedes the one kept, anything else is a
 * duplicate of it. Records without versions carry version 0, so the first one seen is kept.
 */
export function repeatVerdict(version: number, keptVersion: number): 'supersede' | 'duplicate' {
  return version > keptVersion ? 'supersede' : 'duplicate';
}
