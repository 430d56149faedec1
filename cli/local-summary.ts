import type { DigestResult } from '../shared/digest/build-digest.js';
import type { FileResult } from './local.js';

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
export function summaryLines(s: LocalRunSummary, describe: (r: FileResult) => string[], inboxLine: string): string[] {
  const lines = [''];
  for (const r of s.results) lines.push(...describe(r));
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
