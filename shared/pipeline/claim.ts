import type { Contribution } from '../domain/contribution.js';
import { repeatVerdict } from '../domain/repeats.js';
import type { RowClaim, RowLedger } from '../ports/ingest.js';

/** What a record is, given the row ledger: the exactly-once rule for one fingerprint. */
export type ClaimOutcome =
  /** First time this fingerprint is seen: it counts. */
  | { kind: 'new' }
  /** This very file and row already hold the claim (a retry): it counts with what it contributed then. */
  | { kind: 'mine'; contribution: Contribution; retract?: { contribution: Contribution; fileId: string; row: number } }
  /** An equal or newer version counts elsewhere: this one is a duplicate. */
  | { kind: 'duplicate'; sameFile: boolean }
  /** This is a newer version: it counts and the older one's contribution is taken back out. */
  | { kind: 'supersede'; retract: Contribution; sameFile: boolean };

export interface ClaimRequest {
  fingerprint: string;
  fileId: string;
  row: number;
  version: number;
  contribution: Contribution;
  /** The claim read earlier for this fingerprint, if any; a lost race re-reads it. */
  known: RowClaim | undefined;
  /** First row of this file not yet committed: a replaced version at or after it was never counted. */
  segmentStartRow: number;
}

const MAX_RACES = 5;

/** Classify what a record at `row` of `fileId` is, given the claim already in the ledger. */
export function classifyAgainstClaim(claim: RowClaim, fileId: string, row: number, version: number): ClaimOutcome {
  if (claim.fileId === fileId && claim.row === row) {
    return claim.previous
      ? { kind: 'mine', contribution: claim.contribution, retract: claim.previous }
      : { kind: 'mine', contribution: claim.contribution };
  }
  const sameFile = claim.fileId === fileId;
  return repeatVerdict(version, claim.version) === 'supersede'
    ? { kind: 'supersede', retract: claim.contribution, sameFile }
    : { kind: 'duplicate', sameFile };
}

/**
 * Claims a fingerprint for this file's row, or tells what the record is relative to the claim already there.
 * Conditional writes make concurrent workers agree: a lost race re-reads the claim and classifies again.
 */
export async function claimRow(ledger: RowLedger, req: ClaimRequest): Promise<ClaimOutcome> {
  const claim: RowClaim = {
    fingerprint: req.fingerprint,
    fileId: req.fileId,
    row: req.row,
    version: req.version,
    contribution: req.contribution,
  };
  let current = req.known;
  for (let attempt = 0; attempt < MAX_RACES; attempt++) {
    if (!current) {
      const put = await ledger.insertClaim(claim);
      if (put.inserted) return { kind: 'new' };
      current = put.current;
      continue;
    }
    const outcome = classifyAgainstClaim(current, req.fileId, req.row, req.version);
    if (outcome.kind !== 'supersede') return outcome;
    const previous = lastCommittedVersion(current, req.fileId, req.segmentStartRow);
    const next = previous ? { ...claim, previous } : claim;
    if (await ledger.replaceClaim({ fileId: current.fileId, row: current.row }, next)) return outcome;
    current = (await ledger.getClaims([req.fingerprint])).get(req.fingerprint);
  }
  throw new Error(`Could not claim fingerprint ${req.fingerprint} after repeated races`);
}

/**
 * `previous` must name the last *committed* version, the one a retry after a crash has to take back out. When the
 * version being replaced is itself uncommitted (earlier in this file's open segment), inherit what it replaced.
 */
function lastCommittedVersion(current: RowClaim, fileId: string, segmentStartRow: number): RowClaim['previous'] {
  const replacedCommitted = current.fileId !== fileId || current.row < segmentStartRow;
  if (replacedCommitted) return { contribution: current.contribution, fileId: current.fileId, row: current.row };
  return current.previous;
}
