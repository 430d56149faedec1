/** What a benchmark phase prints (one JSON line), shared by the phase process and the driver. */

export const STAGES = ['read', 'dedupe', 'sentiment', 'themes', 'aggregate'] as const;
export type Stage = (typeof STAGES)[number];

export interface PhaseResult {
  phase: 'baseline' | 'pipeline';
  /** Pipeline: CPU ms by stage (they add up to about `cpuMs`). */
  stageMs?: Record<Stage, number>;
  rows: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /**
   * Pipeline: what the process still holds at the end, while its tables are live, after a full GC: heap used plus
   * array buffers, in MB. Unlike peak RSS it does not depend on when V8 chose to collect.
   */
  retainedMb?: number;
  outcomes?: { accepted: number; rejected: number; duplicates: number; warnings: number };
  uniqueTexts?: number;
  uniqueTextsByLanguage?: Record<string, number>;
  sentimentCalls?: number;
  segments?: number;
  aggregateWrites?: number;
  cells?: number;
}
