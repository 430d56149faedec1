/**
 * Builds a digest end to end with injected collaborators: figures → render → archive → (optional) send.
 * The archive is written before sending: its keys are deterministic, so if the send fails a retry just
 * overwrites it, whereas archiving after a successful send would make a retry e-mail everyone twice.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AggregateReader, SegmentDimension } from '../domain/cells.js';
import { InvalidOptionsError } from '../domain/errors.js';
import type { SpikeOptions } from '../domain/spike.js';
import { type Taxonomy, themeLabels } from '../themes/taxonomy.js';
import { archiveDigest } from './archive.js';
import { digestPublishedDetail, type KpiDigestPublishedDetail } from './event.js';
import { computeDigestFigures, type DigestFigures } from './figures.js';
import { type Period, type PeriodRequest, resolvePeriod } from './period.js';
import { renderDigest } from './render.js';
import { normaliseRecipients, type SendDigestOptions, sendDigestEmail } from './send.js';

export interface DigestMailer {
  client: SESv2Client;
  /** Verified sender identity. */
  from: string;
  configurationSetName: string;
  recipients: readonly string[];
  recipientField?: SendDigestOptions['recipientField'];
  replyTo?: readonly string[];
}

export interface BuildDigestDeps {
  reader: AggregateReader;
  s3: S3Client;
  /** Bucket that receives `digests/…`. */
  bucket: string;
  /** Needed only when sending. */
  mailer?: DigestMailer;
  /** @default () => new Date() */
  clock?: () => Date;
}

export interface BuildDigestRequest {
  /** `daily` (yesterday), `weekly` (last full ISO week) or an explicit inclusive range. */
  period: PeriodRequest;
  /** IANA business time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Dimensions the digest breaks down by. */
  segments: readonly SegmentDimension[];
  /** Send the e-mail (otherwise build and archive only). @default false */
  send?: boolean;
  spike?: Partial<SpikeOptions>;
  topThemes?: number;
  verbatims?: number;
  minSegmentN?: number;
  /** The theme taxonomy: labels for theme ids and its version in the figures. */
  taxonomy?: Taxonomy;
  /** Header title. @default 'Customer feedback' */
  title?: string;
}

export interface DigestResult {
  period: Period;
  figures: DigestFigures;
  subject: string;
  html: string;
  text: string;
  htmlKey: string;
  jsonKey: string;
  /** SES message ids, one per batch of ≤ 50 recipients; empty when not sent. */
  messageIds: string[];
  /** Recipients the digest was sent to. */
  recipients: number;
  generatedAt: string;
  /** Detail for the `KPI Digest Published` event (the caller publishes it). */
  event: KpiDigestPublishedDetail;
}

export async function buildDigest(deps: BuildDigestDeps, request: BuildDigestRequest): Promise<DigestResult> {
  const mailer = deps.mailer;
  if (request.send && mailer === undefined) throw new InvalidOptionsError('Sending the digest needs a mailer');
  const now = (deps.clock ?? (() => new Date()))();
  const period = resolvePeriod(request.period, now, request.timeZone);
  const figures = await computeDigestFigures(deps.reader, {
    from: period.from,
    to: period.to,
    kind: period.kind,
    timeZone: request.timeZone,
    segments: request.segments,
    ...(request.spike === undefined ? {} : { spike: request.spike }),
    ...(request.topThemes === undefined ? {} : { topThemes: request.topThemes }),
    ...(request.verbatims === undefined ? {} : { verbatims: request.verbatims }),
    ...(request.minSegmentN === undefined ? {} : { minSegmentN: request.minSegmentN }),
    ...(request.taxonomy === undefined
      ? {}
      : { themeLabels: themeLabels(request.taxonomy), taxonomyVersion: request.taxonomy.version }),
  });
  const { subject, html, text } = renderDigest(figures, {
    generatedAt: now,
    ...(request.title === undefined ? {} : { title: request.title }),
  });
  const keys = await archiveDigest(deps.s3, { bucket: deps.bucket, figures, subject, html, generatedAt: now });

  let messageIds: string[] = [];
  let recipients = 0;
  if (request.send && mailer !== undefined) {
    messageIds = await sendDigestEmail(mailer.client, {
      from: mailer.from,
      recipients: mailer.recipients,
      configurationSetName: mailer.configurationSetName,
      subject,
      html,
      text,
      tags: { digest: period.kind },
      ...(mailer.recipientField === undefined ? {} : { recipientField: mailer.recipientField }),
      ...(mailer.replyTo === undefined ? {} : { replyTo: mailer.replyTo }),
    });
    recipients = normaliseRecipients(mailer.recipients).length;
  }
  return {
    period,
    figures,
    subject,
    html,
    text,
    ...keys,
    messageIds,
    recipients,
    generatedAt: now.toISOString(),
    event: digestPublishedDetail(figures, keys, recipients),
  };
}
