import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FileRejectedError } from '../domain/errors.js';
import { diagnostic } from '../ingest/diagnostic.js';
import type { IngestTarget, ObjectStore } from '../ports/ingest.js';

/**
 * Exports and outputs in S3. Reads are pinned to the version the notification named: by `VersionId` on a versioned
 * bucket, else by `If-Match` on the ETag, and in both cases by comparing the ETag S3 answers with the one expected
 * (a range read returns the whole object's ETag), so an overwrite can never be read as the rest of the old file.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async *read(target: IngestTarget, fromByte?: number): AsyncIterable<Uint8Array> {
    let body: AsyncIterable<Uint8Array> | undefined;
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          Range: fromByte === undefined ? undefined : `bytes=${fromByte}-`,
          VersionId: target.versionId,
          IfMatch: target.versionId || !target.etag ? undefined : target.etag,
        }),
      );
      const etag = out.ETag?.replace(/"/g, '');
      if (target.etag && etag && etag !== target.etag) throw replaced();
      body = out.Body as AsyncIterable<Uint8Array> | undefined;
    } catch (err) {
      throw translateReadError(err);
    }
    if (body) yield* body;
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }
}

function replaced(): FileRejectedError {
  return new FileRejectedError(
    'OBJECT_REPLACED',
    diagnostic`The key was overwritten while this version was being read.`,
  );
}

/** S3's answers for a gone object or version, and for a key that holds other content now, as file errors. */
function translateReadError(err: unknown): unknown {
  if (err instanceof FileRejectedError) return err;
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? e?.Code;
  const status = e?.$metadata?.httpStatusCode;
  if (name === 'NoSuchKey' || name === 'NoSuchVersion' || name === 'NotFound' || status === 404) {
    return new FileRejectedError('OBJECT_DELETED', diagnostic`The object (this version) no longer exists.`, {
      cause: err,
    });
  }
  if (name === 'PreconditionFailed' || status === 412) return replaced();
  return err;
}
