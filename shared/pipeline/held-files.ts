/**
 * Resuming held files: `feedback release <key>` (over the budget, now) and the monthly re-queue (within the new
 * month's budget). Both send the file back through the ingest queue as a continuation: the worker estimates and
 * admits it like any file, and the exactly-once pipeline makes a second release or a duplicate message harmless.
 */
import * as z from '../config/zod.js';
import type { CostLedger, HeldFile } from '../ports/cost.js';
import type { ContinuationQueue } from '../ports/ingest.js';
import { budgetMonth } from '../sentiment/cost.js';

export interface HeldFileDeps {
  ledger: CostLedger;
  continuations: ContinuationQueue;
  now?: () => Date;
}

export type ReleaseOutcome = 'released' | 're-queued' | 'not-held';

export interface ReleasedFile {
  key: string;
  fileId: string;
  etag: string;
  outcome: ReleaseOutcome;
}

/** The queue message the monthly schedule sends (EventBridge Scheduler → SQS, a fixed body). */
export const REQUEUE_HELD_MESSAGE = { requeueHeld: true } as const;

const requeueMessage = z.object({ requeueHeld: z.literal(true) });

export function isRequeueHeldMessage(body: string): boolean {
  try {
    return requeueMessage.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
}

/**
 * Releases every held version of an object key over the budget. A version released earlier whose worker has not
 * admitted it yet is sent again (its first message may have been lost); a processed one is `not-held`.
 */
export async function releaseHeldKey(key: string, deps: HeldFileDeps): Promise<ReleasedFile[]> {
  const held = (await deps.ledger.heldFiles()).filter((f) => f.key === key);
  const out: ReleasedFile[] = [];
  for (const file of held) out.push(await resume(file, true, deps));
  return out;
}

/**
 * What the monthly schedule runs: files held in an earlier month go back to the queue, to be admitted within the
 * new month's budget (or held again, with a new event, if they still do not fit).
 */
export async function requeueHeldFiles(deps: HeldFileDeps): Promise<ReleasedFile[]> {
  const month = budgetMonth((deps.now ?? (() => new Date()))());
  const earlier = (await deps.ledger.heldFiles()).filter((f) => f.month < month);
  const out: ReleasedFile[] = [];
  for (const file of earlier) out.push(await resume(file, false, deps));
  return out;
}

async function resume(file: HeldFile, forced: boolean, deps: HeldFileDeps): Promise<ReleasedFile> {
  const at = (deps.now ?? (() => new Date()))();
  const released = await deps.ledger.release(file.fileId, { forced, at });
  const outcome: ReleaseOutcome = released === 'released' ? 'released' : file.releasedAt ? 're-queued' : 'not-held';
  if (outcome !== 'not-held') {
    const { bucket, key, etag, versionId, fileId } = file;
    await deps.continuations.continueLater({ bucket, key, etag, fileId, ...(versionId ? { versionId } : {}) });
  }
  return { key: file.key, fileId: file.fileId, etag: file.etag, outcome };
}
