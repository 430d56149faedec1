import { PREFIXES } from '../config/resources.js';
import * as z from '../config/zod.js';
import type { IngestTarget } from '../ports/ingest.js';

/** S3 URL-encodes keys in notifications with form encoding (space as `+`). */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

const s3Record = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.optional(z.number()),
      eTag: z.optional(z.string()),
      versionId: z.optional(z.string()),
      sequencer: z.optional(z.string()),
    }),
  }),
});

const message = z.union([
  z.object({ Records: z.array(z.unknown()) }),
  z.looseObject({ Event: z.literal('s3:TestEvent') }),
  z.object({
    continuation: z.object({
      bucket: z.string(),
      key: z.string(),
      etag: z.string(),
      versionId: z.optional(z.string()),
      size: z.optional(z.number()),
      asyncPoll: z.optional(z.string()),
    }),
  }),
]);

export class UnrecognisedMessageError extends Error {
  override name = 'UnrecognisedMessageError';
}

/**
 * The objects an ingest-queue message asks us to process: S3 notifications (ObjectCreated under `incoming/`),
 * continuation hand-offs, or nothing for S3's test event.
 */
export function targetsOf(body: string): IngestTarget[] {
  let parsed: z.infer<typeof message>;
  try {
    parsed = message.parse(JSON.parse(body));
  } catch (err) {
    throw new UnrecognisedMessageError('Queue message is neither an S3 notification nor a continuation', {
      cause: err,
    });
  }
  if ('Event' in parsed) return [];
  if ('continuation' in parsed) return [parsed.continuation];
  const targets: IngestTarget[] = [];
  for (const raw of parsed.Records) {
    const record = s3Record.safeParse(raw);
    if (!record.success || !record.data.eventName.startsWith('ObjectCreated:')) continue;
    const key = decodeS3Key(record.data.s3.object.key);
    if (!key.startsWith(PREFIXES.incoming) || key.endsWith('/')) continue;
    const { eTag, versionId, size } = record.data.s3.object;
    targets.push({
      bucket: record.data.s3.bucket.name,
      key,
      etag: (eTag ?? '').replace(/"/g, ''),
      ...(versionId ? { versionId } : {}),
      size,
    });
  }
  return targets;
}
