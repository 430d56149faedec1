import type { DigestResult } from '../shared/digest/build-digest.js';
import type { FileReport } from '../shared/pipeline/file-report.js';

/** One file's outcome as `feedback local` prints it. */
export interface FileResult {
  key: string;
  /** `held`: over the month's Comprehend budget, waiting for `feedback release` (see the README). */
  status: 'processed' | 'failed' | 'held';
  rows?: FileReport['rows'];
  error?: FileReport['error'];
  report?: FileReport;
}

/** A file's outcome from its report (none: never processed, e.g. sent to the dead-letter queue). */
export function resultOf(key: string, report: FileReport | undefined): FileResult {
  if (!report) {
    return {
      key,
      status: 'failed',
      error: { code: 'NOT_PROCESSED', message: 'No report was written (see the dead-letter queue)' },
    };
  }
  return { key, status: report.status, rows: report.rows, error: report.error, report };
}

/** The two lines printed for a file. */
export function describeResult(r: FileResult): string[] {
  const rows = r.rows;
  const detail = rows
    ? `${rows.total} rows: ${rows.accepted} accepted, ${rows.rejected} rejected, ${rows.duplicates} duplicates (${rows.withText} with text)`
    : '';
  const how = r.report?.format ? ` [${r.report.format}, ${r.report.encoding}]` : '';
  if (r.status === 'held') {
    const b = r.report?.budget;
    const estimate = r.report?.comprehend.estimate?.usd;
    return [
      `  ⏸ ${r.key}${how}`,
      `      held: estimated $${estimate} > $${b?.remainingUsd} left of $${b?.budgetUsd} (${b?.month}); feedback release <key>`,
    ];
  }
  return [
    `  ${r.status === 'processed' ? '✔' : '✘'} ${r.key}${how}`,
    `      ${r.status === 'processed' ? detail : `${r.error?.code}: ${r.error?.message}`}`,
  ];
}

/** What `feedback local` ran and made: the files' outcomes, the digest (when any data) and the events it emitted. */
export interface LocalRunSummary {
  results: FileResult[];
  digest: DigestResult | undefined;
  /** Where the digest's e-mail was written for a person to open. */
  htmlPath: string | undefined;
  bucket: string;
  recipients: readonly string[];
  events: Record<string, number>;
}

/** The `--json` form (the contract in the design: `htmlPath` is a local file). */
export function summaryJson(s: LocalRunSummary): string {
  const { digest } = s;
  const p = digest?.figures.period;
  const json = {
    files: s.results.map(({ report: _r, ...f }) => f),
    digest:
      digest && p
        ? {
            from: digest.period.from,
            to: digest.period.to,
            volume: p.volume,
            withText: p.texts,
            sentiment: {
              positive: p.sentiment.positive,
              negative: p.sentiment.negative,
              neutral: p.sentiment.neutral,
              mixed: p.sentiment.mixed,
            },
            nps: p.nps,
            csat: p.csat,
            email: {
              subject: digest.subject,
              to: s.recipients,
              htmlPath: s.htmlPath,
              archiveUri: `s3://${s.bucket}/${digest.htmlKey}`,
            },
          }
        : null,
    events: s.events,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The lines a person reads after the run: files, digest, events. */
export function summaryLines(s: LocalRunSummary, inboxLine: string): string[] {
  const lines = [''];
  for (const r of s.results) lines.push(...describeResult(r));
  lines.push('');
  if (s.digest) {
    const p = s.digest.figures.period;
    lines.push(
      `Digest ${s.digest.period.from} → ${s.digest.period.to}: "${s.digest.subject}"`,
      `  volume ${p.volume}, with text ${p.texts}; NPS ${p.nps.score ?? 'no data'} (n=${p.nps.n}); CSAT ${p.csat.score ?? 'no data'}% (n=${p.csat.n}); net sentiment ${p.sentiment.net ?? 'no data'}`,
      `  archived at s3://${s.bucket}/${s.digest.htmlKey}`,
      `  e-mail as sent: ${s.htmlPath}`,
      inboxLine,
    );
  }
  const events = Object.entries(s.events).map(([k, v]) => `${k} ×${v}`);
  lines.push(`Events: ${events.join(', ') || 'none'}`);
  return lines;
}
