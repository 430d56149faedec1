import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contribution } from '../../../shared/domain/contribution.js';
import { InMemoryDeduper } from '../../../shared/ingest/dedupe.js';
import type { AcceptedOutcome } from '../../../shared/ingest/types.js';
import { claimRow, classifyAgainstClaim } from '../../../shared/pipeline/claim.js';
import { settle } from '../../../shared/pipeline/segment.js';
import type { RowClaim } from '../../../shared/ports/ingest.js';
import { MemoryRowLedger } from '../../helpers/memory-ports.js';

const contribution = (nps: number): Contribution => ({ day: '2026-10-01', segments: {}, hasText: true, nps });
const request = (fileId: string, row: number, version: number, nps: number, segmentStartRow = 1) => ({
  fingerprint: 'fp',
  fileId,
  row,
  version,
  contribution: contribution(nps),
  known: undefined,
  segmentStartRow,
});

describe('claimRow against an in-memory row ledger', () => {
  it('counts a first sighting as new and a later equal version as a duplicate', async () => {
    // Prepare
    const ledger = new MemoryRowLedger();

    // Act
    const first = await claimRow(ledger, request('A', 1, 0, 9));
    const again = await claimRow(ledger, request('B', 4, 0, 9));
    const sameFile = await claimRow(ledger, request('A', 7, 0, 9));

    // Assess
    expect(first).toEqual({ kind: 'new' });
    expect(again).toEqual({ kind: 'duplicate', sameFile: false });
    expect(sameFile).toEqual({ kind: 'duplicate', sameFile: true });
    expect(ledger.claims.get('fp')).toMatchObject({ fileId: 'A', row: 1 });
  });

  it('lets a newer version supersede a committed one and remembers it for a retry', async () => {
    const ledger = new MemoryRowLedger();
    await claimRow(ledger, request('A', 1, 100, 3));

    const outcome = await claimRow(ledger, request('B', 2, 200, 10));

    expect(outcome).toEqual({ kind: 'supersede', retract: contribution(3), sameFile: false });
    expect(ledger.claims.get('fp')).toMatchObject({ fileId: 'B', row: 2, version: 200 });
    expect(ledger.claims.get('fp')?.previous).toEqual({ contribution: contribution(3), fileId: 'A', row: 1 });
    // The retry of B's row after a crash finds its own claim and what it replaced.
    expect(await claimRow(ledger, request('B', 2, 200, 10))).toEqual({
      kind: 'mine',
      contribution: contribution(10),
      retract: { contribution: contribution(3), fileId: 'A', row: 1 },
    });
  });

  it('inherits what an uncommitted version replaced when a newer one in the same open segment replaces it', async () => {
    const ledger = new MemoryRowLedger();
    await claimRow(ledger, request('A', 1, 100, 3));
    await claimRow(ledger, request('B', 2, 200, 5, 1));

    // B's row 2 is not committed yet (segment starts at 1): row 3 must name A's row 1 as the committed version.
    await claimRow(ledger, request('B', 3, 300, 9, 1));

    expect(ledger.claims.get('fp')?.previous).toEqual({ contribution: contribution(3), fileId: 'A', row: 1 });
  });

  it('re-reads and classifies again when another worker wins the race', async () => {
    const ledger = new MemoryRowLedger();
    await claimRow(ledger, request('A', 1, 100, 3));
    const stale: RowClaim = { ...(ledger.claims.get('fp') as RowClaim) };
    // Another worker replaces the claim with a newer version after ours was read.
    await claimRow(ledger, request('C', 1, 500, 1));

    const outcome = await claimRow(ledger, { ...request('B', 2, 200, 10), known: stale });

    expect(outcome).toEqual({ kind: 'duplicate', sameFile: false });
    expect(ledger.claims.get('fp')).toMatchObject({ fileId: 'C' });
  });

  it('classifies by file, row and version alone', () => {
    const claim: RowClaim = { fingerprint: 'fp', fileId: 'A', row: 1, version: 10, contribution: contribution(1) };
    expect(classifyAgainstClaim(claim, 'A', 1, 0).kind).toBe('mine');
    expect(classifyAgainstClaim(claim, 'A', 2, 10).kind).toBe('duplicate');
    expect(classifyAgainstClaim(claim, 'B', 2, 11)).toEqual({
      kind: 'supersede',
      retract: contribution(1),
      sameFile: false,
    });
  });
});

describe('settle', () => {
  const fresh = contribution(9);
  const older = contribution(2);

  it('takes a retried claim’s replaced version back out only when it was committed', () => {
    const mine = (fileId: string, row: number) =>
      ({ kind: 'mine', contribution: fresh, retract: { contribution: older, fileId, row } }) as const;
    // Replaced in another file: always committed there.
    expect(settle(mine('B', 9), fresh, 'A', 5)).toMatchObject({
      counted: fresh,
      retract: older,
      retractFromReport: false,
    });
    // Replaced earlier in this file, before the open segment: committed, and it was in this file's report.
    expect(settle(mine('A', 2), fresh, 'A', 5)).toMatchObject({ retract: older, retractFromReport: true });
    // Replaced inside the segment being redone: never counted, nothing to take out.
    expect(settle(mine('A', 7), fresh, 'A', 5).retract).toBeUndefined();
  });

  it('counts a superseding version and moves the old one to duplicates only within a file', () => {
    expect(settle({ kind: 'supersede', retract: older, sameFile: true }, fresh, 'A', 1)).toEqual({
      counted: fresh,
      retract: older,
      retractFromReport: true,
      superseded: true,
    });
    expect(settle({ kind: 'supersede', retract: older, sameFile: false }, fresh, 'A', 1).retractFromReport).toBe(false);
  });

  it('counts nothing for a duplicate and says where the original counts', () => {
    expect(settle({ kind: 'duplicate', sameFile: false }, fresh, 'A', 1)).toEqual({
      duplicate: { crossFile: true },
      retractFromReport: false,
      superseded: false,
    });
  });
});

describe('one dedupe rule for feedback check and the pipeline', () => {
  /** An accepted record with a source id and, when `version` > 0, an update time. */
  const accepted = (fingerprint: string, row: number, version: number): AcceptedOutcome => ({
    kind: 'accepted',
    row,
    record: {
      fingerprint,
      fingerprintKind: 'sourceId',
      row,
      source: 'test',
      submittedAt: '2026-10-01T00:00:00.000Z',
      ...(version > 0 ? { updatedAt: new Date(version * 1000).toISOString() } : {}),
    },
  });

  // Versions 0 (no update time) and up, in any order, except an update time after a record without one: the in-memory
  // table keeps only the row of a record without an update time, not what a newer version would have to take back.
  it('keeps the same row per fingerprint in memory (one file) as the row ledger does', async () => {
    const rows = fc
      .array(fc.record({ fp: fc.constantFrom('a', 'b', 'c'), version: fc.nat(4) }), { maxLength: 30 })
      .filter((rs) =>
        rs.every((r, i) => r.version === 0 || !rs.slice(0, i).some((p) => p.fp === r.fp && p.version === 0)),
      );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), rows, async (versioned, records) => {
        const deduper = new InMemoryDeduper();
        const ledger = new MemoryRowLedger();
        const inMemory = new Map<string, number>();
        for (const [i, r] of records.entries()) {
          const version = versioned ? r.version : 0;
          const out = deduper.judge(accepted(r.fp, i + 1, version));
          if (out.kind === 'accepted') inMemory.set(r.fp, i + 1);
          const req = { ...request('A', i + 1, version * 1000, 5), fingerprint: r.fp };
          const known = (await ledger.getClaims([r.fp])).get(r.fp);
          await claimRow(ledger, { ...req, known, segmentStartRow: i + 1 });
        }
        const claimed = new Map([...ledger.claims].map(([fp, c]) => [fp, c.row]));
        expect(claimed).toEqual(inMemory);
      }),
    );
  });
});
