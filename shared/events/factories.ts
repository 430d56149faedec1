/**
 * Typed factories for the pipeline's events: each detail is built as its contract's `DetailOf<T>`, so a field the
 * schema does not know, or a missing one, fails type-checking rather than validation at send time.
 */
import { type DetailType, EVENTS } from '../config/resources.js';
import type * as z from '../config/zod.js';
import type {
  DetailOf,
  spikeDetail as spikeDetailSchema,
  themeSpikeDetail as themeSpikeDetailSchema,
} from './contract.js';
import type { PendingEvent } from './publisher.js';

function event<T extends DetailType>(detailType: T, detail: DetailOf<T>): PendingEvent {
  return { detailType, detail: detail as Record<string, unknown> };
}

type Omitted = 'version' | 'eventId';
type FileRef = DetailOf<typeof EVENTS.detailTypes.fileProcessed>['file'];

export function fileProcessedEvent(
  detail: Omit<DetailOf<typeof EVENTS.detailTypes.fileProcessed>, Omitted>,
): PendingEvent {
  return event(EVENTS.detailTypes.fileProcessed, {
    version: EVENTS.version,
    eventId: `file-processed-${detail.file.fileId}`,
    ...detail,
  });
}

export function fileRejectedEvent(file: FileRef, error: { code: string; message: string }, reportKey: string) {
  return event(EVENTS.detailTypes.fileRejected, {
    version: EVENTS.version,
    eventId: `file-rejected-${file.fileId}`,
    file,
    error,
    reportKey,
  });
}

/** One event per file and budget month it is held in. */
export function fileHeldEvent(detail: Omit<DetailOf<typeof EVENTS.detailTypes.fileHeld>, Omitted>): PendingEvent {
  return event(EVENTS.detailTypes.fileHeld, {
    version: EVENTS.version,
    eventId: `file-held-${detail.file.fileId}-${detail.budget.month}`,
    ...detail,
  });
}

/** One event per version of a record (an edited review may be a detractor again). */
export function detractorEvent(
  detail: Omit<DetailOf<typeof EVENTS.detailTypes.detractor>, Omitted>,
  recordVersion: number,
): PendingEvent {
  return event(EVENTS.detailTypes.detractor, {
    version: EVENTS.version,
    eventId: `detractor-${detail.fingerprint}-${recordVersion}`,
    ...detail,
  });
}

export type SpikeDetail = z.input<typeof spikeDetailSchema>;
export type ThemeSpikeDetail = z.input<typeof themeSpikeDetailSchema>;

export function spikeDetail(detail: Omit<SpikeDetail, Omitted>): SpikeDetail {
  return {
    version: EVENTS.version,
    eventId: `spike-${detail.day}-${detail.segment.dimension}-${detail.segment.value}`,
    ...detail,
  };
}

/** A theme's spike: version 2 of the spike event, which names the theme. */
export function themeSpikeDetail(detail: Omit<ThemeSpikeDetail, Omitted>): ThemeSpikeDetail {
  return {
    version: '2',
    eventId: `theme-spike-${detail.day}-${detail.theme.id}-${detail.segment.dimension}-${detail.segment.value}`,
    ...detail,
  };
}

export function spikeEvent(detail: SpikeDetail | ThemeSpikeDetail): PendingEvent {
  return event(EVENTS.detailTypes.spike, detail);
}
