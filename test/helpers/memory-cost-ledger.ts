import type { Admission, AdmitResult, CostLedger, HeldFile } from '../../shared/ports/cost.js';
import type { MemoryLedgers } from './memory-ports.js';

/**
 * The budget guard's ledger in memory, with the DynamoDB adapter's semantics: one admission per file (charged once),
 * the charge conditioned on the month's spend, and release as a transition of the file's entry from `held`.
 */
export class MemoryCostLedger implements CostLedger {
  readonly admissions = new Map<string, Admission>();
  readonly spend = new Map<string, number>();
  readonly held = new Map<string, HeldFile>();

  constructor(private readonly files: MemoryLedgers) {}

  async admissionOf(fileId: string) {
    const admission = this.admissions.get(fileId);
    const held = this.held.get(fileId);
    return { ...(admission ? { admission } : {}), forced: held?.forced === true && held.releasedAt !== undefined };
  }

  async spentMicroUsd(month: string): Promise<number> {
    return this.spend.get(month) ?? 0;
  }

  async admit(fileId: string, charge: Admission, maxSpentMicroUsd?: number): Promise<AdmitResult> {
    const existing = this.admissions.get(fileId);
    if (existing) return { admitted: true, admission: existing };
    const spent = this.spend.get(charge.month) ?? 0;
    if (maxSpentMicroUsd !== undefined && spent > maxSpentMicroUsd) return { admitted: false };
    this.spend.set(charge.month, spent + charge.estimateMicroUsd);
    this.admissions.set(fileId, structuredClone(charge));
    this.held.delete(fileId);
    return { admitted: true, admission: charge };
  }

  async putHeld(file: HeldFile): Promise<void> {
    this.held.set(file.fileId, structuredClone(file));
  }

  async heldFiles(): Promise<HeldFile[]> {
    return [...this.held.values()].map((f) => structuredClone(f));
  }

  async release(fileId: string, options: { forced: boolean; at: Date }): Promise<'released' | 'not-held'> {
    const entry = this.files.files.get(fileId);
    const held = this.held.get(fileId);
    if (entry?.status !== 'held' || !held) return 'not-held';
    Object.assign(entry, { status: 'processing', leaseToken: undefined, leaseUntil: 0 });
    delete entry.summary;
    delete entry.eventsPublished;
    Object.assign(held, { releasedAt: options.at.toISOString(), forced: options.forced });
    return 'released';
  }
}
