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
  outcomes?: { accepted: number; rejected: number; duplicates: number; warnings: number };
  uniqueTexts?: number;
  uniqueTextsByLanguage?: Record<string, number>;
  sentimentCalls?: number;
  segments?: number;
  aggregateWrites?: number;
  cells?: number;
}
