import { describe, expect, it } from 'vitest';
import { type FileResult, watchDroppedFiles } from '../../../cli/local.js';
import type { FileReport } from '../../../shared/pipeline/ingest-object.js';

const rows = { total: 3, accepted: 2, rejected: 1, duplicates: 0, withText: 2 };

function fileEvent(type: string, key: string) {
  return { 'detail-type': type, detail: { file: { key } } };
}

describe('watchDroppedFiles', () => {
  it('prints each file the pipeline finishes after the first batch, once, until stopped', async () => {
    // Prepare: one event from the first batch, then files dropped while the stack keeps running.
    const events = [fileEvent('Feedback File Processed', 'incoming/a/first.csv')];
    const printed: FileResult[] = [];
    const stop = new AbortController();
    const reports: Record<string, Partial<FileReport>> = {
      'incoming/a/new.csv': { status: 'processed', rows },
      'incoming/a/bad.bin': { status: 'failed', rows, error: { code: 'UNSUPPORTED_FORMAT', message: 'binary' } },
    };

    // Act
    const watching = watchDroppedFiles({
      events: () => events,
      from: 1,
      readReport: async (key) => reports[key] as FileReport | undefined,
      print: (r) => {
        printed.push(r);
        if (printed.length === 3) stop.abort();
      },
      signal: stop.signal,
      pollMs: 5,
    });
    events.push(fileEvent('Detractor Feedback Received', 'incoming/a/new.csv'));
    events.push(fileEvent('Feedback File Processed', 'incoming/a/new.csv'));
    await new Promise((r) => setTimeout(r, 20));
    events.push(fileEvent('Feedback File Rejected', 'incoming/a/bad.bin'));
    events.push(fileEvent('Feedback File Processed', 'incoming/a/lost.csv'));
    await watching;

    // Assess
    expect(printed.map((r) => [r.key, r.status, r.error?.code])).toEqual([
      ['incoming/a/new.csv', 'processed', undefined],
      ['incoming/a/bad.bin', 'failed', 'UNSUPPORTED_FORMAT'],
      ['incoming/a/lost.csv', 'failed', 'NOT_PROCESSED'],
    ]);
  });
});
