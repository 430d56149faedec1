import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../shared/domain/errors.js';
import { S3ObjectStore } from '../../../shared/store/object-store.js';

const s3 = mockClient(S3Client);
const target = { bucket: 'b', key: 'incoming/x/a.csv', etag: 'abc' };
const body = () => Readable.from([Buffer.from('a,b\n')]) as never;

async function read(t: typeof target & { versionId?: string }, fromByte?: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of new S3ObjectStore(new S3Client({})).read(t, fromByte)) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString();
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof FileRejectedError ? err.code : `other: ${(err as Error).name}`;
  }
}

describe('S3ObjectStore (aws-sdk-client-mock fault injection)', () => {
  beforeEach(() => s3.reset());

  it('pins a versioned read to its VersionId and an unversioned one to If-Match', async () => {
    s3.on(GetObjectCommand).resolves({ ETag: '"abc"', Body: body() });

    expect(await read({ ...target, versionId: 'v1' }, 10)).toBe('a,b\n');
    await read(target);

    const [versioned, unversioned] = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input);
    expect(versioned).toMatchObject({ VersionId: 'v1', Range: 'bytes=10-', IfMatch: undefined });
    expect(unversioned).toMatchObject({ VersionId: undefined, IfMatch: 'abc', Range: undefined });
  });

  it.each([
    ['NoSuchKey', new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } }), 'OBJECT_DELETED'],
    [
      'NoSuchVersion',
      new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', $metadata: { httpStatusCode: 404 } }),
      'OBJECT_DELETED',
    ],
    [
      'PreconditionFailed',
      new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 } }),
      'OBJECT_REPLACED',
    ],
  ])('turns %s into a file error', async (_name, error, code) => {
    s3.on(GetObjectCommand).rejects(error);
    expect(await codeOf(read(target))).toBe(code);
  });

  it('refuses content whose ETag is not the version asked for (servers that ignore If-Match)', async () => {
    s3.on(GetObjectCommand).resolves({ ETag: '"other"', Body: body() });
    expect(await codeOf(read(target))).toBe('OBJECT_REPLACED');
  });

  it('passes other failures through, to be retried', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
    );
    expect(await codeOf(read(target))).toBe('other: SlowDown');
  });
});
