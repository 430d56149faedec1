import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IngestTarget, ObjectStore } from '../ports/ingest.js';

/** Exports and outputs in S3: range reads pinned to the ETag the notification named, and plain puts. */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async *read(target: IngestTarget, fromByte?: number): AsyncIterable<Uint8Array> {
    const out = await this.s3.send(
      new GetObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Range: fromByte === undefined ? undefined : `bytes=${fromByte}-`,
        IfMatch: target.etag || undefined,
      }),
    );
    const body = out.Body as AsyncIterable<Uint8Array> | undefined;
    if (body) yield* body;
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }
}

/** S3's answer when the key now holds another version than the one the event named. */
export function isPreconditionFailed(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}
