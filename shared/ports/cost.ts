/**
 * What the budget guard needs from storage: the month-to-date Comprehend spend, each file's admission (charged to
 * the month once), and the files held for want of budget. DynamoDB implements it in `store/cost-ledger.ts`; tests
 * in memory.
 */
import type { TextCache } from '../sentiment/text-cache.js';

/** A file charged against a month's budget: exactly once, whatever the retries. */
export interface Admission {
  month: string;
  estimateMicroUsd: number;
  /** Admitted by `feedback release` over the budget. */
  forced: boolean;
}

/** A held object version (the fields of an `IngestTarget`, which this module does not import: ingest.ts imports it). */
export interface HeldFile {
  bucket: string;
  key: string;
  etag: string;
  versionId?: string;
  size?: number;
  fileId: string;
  /** The month (UTC, `YYYY-MM`) whose budget it did not fit in. */
  month: string;
  estimateUsd: number;
  reportKey: string;
  /** Set once a release or the monthly re-queue sent it back to the queue (until a worker admits it). */
  releasedAt?: string;
  /** Released by an operator: admit over the budget. */
  forced?: boolean;
}

export type AdmitResult = { admitted: true; admission: Admission } | { admitted: false };

export interface CostLedger {
  /** The file's admission, if it has one; and whether an operator released it over the budget. */
  admissionOf(fileId: string): Promise<{ admission?: Admission; forced: boolean }>;
  /** Month-to-date spend (admitted estimates), in micro-dollars. */
  spentMicroUsd(month: string): Promise<number>;
  /**
   * Charges the estimate to the month and records the admission, atomically and once per file: a second call
   * returns the first admission. With `maxSpentMicroUsd`, only while the month's spend is at most that (the room
   * left for this estimate); `{ admitted: false }` otherwise.
   */
  admit(fileId: string, charge: Admission, maxSpentMicroUsd?: number): Promise<AdmitResult>;
  /** Lists a held file (idempotent), so a release or the next month can find it. */
  putHeld(file: HeldFile): Promise<void>;
  heldFiles(): Promise<HeldFile[]>;
  /**
   * Sends a held file back to processing: its ledger entry goes from `held` to `processing` (free lease) and its
   * held entry is marked released (with `forced`, to be admitted over the budget). 'not-held' when the file is not
   * held (any more): released already, or processed.
   */
  release(fileId: string, options: { forced: boolean; at: Date }): Promise<'released' | 'not-held'>;
}

export interface CostPorts {
  ledger: CostLedger;
  /** The sentiment cache the estimate looks texts up in (cached texts are free). */
  textCache?: TextCache;
}
