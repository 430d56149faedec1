import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DigestConfig } from '../config/env.js';
import { EVENTS } from '../config/resources.js';
import { buildDigest, type DigestResult } from '../digest/build-digest.js';
import type { PeriodRequest } from '../digest/period.js';
import { type AggregateReader, SEGMENT_DIMENSIONS, type SegmentDimension } from '../domain/cells.js';
import { publishEvents } from '../events/publisher.js';
import { loadTaxonomy, type Taxonomy } from '../themes/taxonomy.js';

export interface DigestJobDeps {
  reader: AggregateReader;
  s3: S3Client;
  ses: SESv2Client;
  events: EventBridgeClient;
  config: DigestConfig;
  /** The theme taxonomy; read from `config.taxonomyFile` when absent. */
  taxonomy?: Taxonomy;
  clock?: () => Date;
}

/** Builds the digest for a period, archives it, sends it when asked, and announces it on the bus. */
export async function runDigestJob(
  deps: DigestJobDeps,
  request: { period: PeriodRequest; send: boolean; segments?: readonly SegmentDimension[] },
): Promise<DigestResult> {
  const segments = (request.segments ?? deps.config.segments).filter((s): s is SegmentDimension =>
    (SEGMENT_DIMENSIONS as readonly string[]).includes(s),
  );
  const result = await buildDigest(
    {
      reader: deps.reader,
      s3: deps.s3,
      bucket: deps.config.bucket,
      mailer: {
        client: deps.ses,
        from: deps.config.from,
        configurationSetName: deps.config.configurationSet ?? 'feedback-digest',
        recipients: deps.config.recipients,
      },
      clock: deps.clock,
    },
    {
      period: request.period,
      timeZone: deps.config.timeZone,
      segments,
      send: request.send,
      spike: { ratio: deps.config.spike.ratio, minVolume: deps.config.spike.minVolume },
      taxonomy: deps.taxonomy ?? loadTaxonomy(deps.config.taxonomyFile),
    },
  );
  await publishEvents(
    [
      {
        detailType: EVENTS.detailTypes.digest,
        detail: {
          ...result.event,
          eventId: `digest-${result.period.kind}-${result.period.from}-${result.period.to}-${request.send ? 'sent' : 'built'}`,
        },
      },
    ],
    { client: deps.events, busName: deps.config.eventBus, source: deps.config.eventSource },
  );
  return result;
}
