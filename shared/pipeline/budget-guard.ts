import type { CostConfig } from '../config/cost.js';
import { fileHeldEvent } from '../events/factories.js';
import type { PendingEvent } from '../events/publisher.js';
import type { CostLedger } from '../ports/cost.js';
import type { IngestTarget } from '../ports/ingest.js';
import { budgetMonth, type CostEstimate, decideBudget, roomFor, roundUsd, toMicroUsd } from '../sentiment/cost.js';

/** Where a file stands against the month's budget, as reports, events and the spend metric show it. */
export interface BudgetStanding {
  month: string;
  budgetUsd: number;
  /** Spend of the month after this file's admission (or, for a held file, without it). */
  monthToDateUsd: number;
  remainingUsd: number;
}

export type BudgetGate = { kind: 'admitted'; standing?: BudgetStanding } | { kind: 'held'; standing: BudgetStanding };

/** How a held file resumes, as its event and report say. */
export const RELEASE_HINT =
  'Run `feedback release <key>` to process it now over the budget; otherwise it is re-queued when the next month begins.';

/**
 * Admits a file whose estimate fits in what is left of this month's budget (charging the month once, atomically,
 * whatever the redeliveries), or tells that it is held. No budget set, or no ledger: every file is admitted. A
 * file an operator released is admitted over the budget; one admitted before (a retry) passes without a charge.
 */
export async function guardBudget(
  fileId: string,
  estimate: CostEstimate,
  deps: { cost: CostConfig; ledger?: CostLedger; now: Date },
): Promise<BudgetGate> {
  const { ledger } = deps;
  const budgetUsd = deps.cost.monthlyBudgetUsd;
  if (!ledger || budgetUsd === undefined) return { kind: 'admitted' };
  const month = budgetMonth(deps.now);
  const { admission, forced } = await ledger.admissionOf(fileId);
  if (admission) return { kind: 'admitted' };
  const spentUsd = (await ledger.spentMicroUsd(month)) / 1e6;
  const decision = decideBudget({ budgetUsd, spentUsd, estimateUsd: estimate.usd });
  const charge = { month, estimateMicroUsd: toMicroUsd(estimate.usd), forced };
  if (decision.admit || forced) {
    const result = await ledger.admit(fileId, charge, forced ? undefined : roomFor(budgetUsd, estimate.usd));
    if (result.admitted) return { kind: 'admitted', standing: standing(month, budgetUsd, spentUsd + estimate.usd) };
    // Another file took the room between our read and our charge: the store's condition decided.
    const now = (await ledger.spentMicroUsd(month)) / 1e6;
    return { kind: 'held', standing: standing(month, budgetUsd, now) };
  }
  return { kind: 'held', standing: standing(month, budgetUsd, spentUsd) };
}

function standing(month: string, budgetUsd: number, monthToDateUsd: number): BudgetStanding {
  return {
    month,
    budgetUsd,
    monthToDateUsd: roundUsd(monthToDateUsd),
    remainingUsd: roundUsd(Math.max(0, budgetUsd - monthToDateUsd)),
  };
}

/** The `Feedback File Held` event of a file. */
export function heldEvent(
  target: IngestTarget,
  fileId: string,
  estimate: CostEstimate,
  budget: BudgetStanding,
  reportKey: string,
): PendingEvent {
  const { units, usd, byOperation } = estimate;
  return fileHeldEvent({
    file: { bucket: target.bucket, key: target.key, etag: target.etag, fileId },
    estimate: { units, usd, byOperation },
    budget,
    reportKey,
    release: RELEASE_HINT,
  });
}
