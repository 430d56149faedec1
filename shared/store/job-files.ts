import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JobFiles } from '../ports/async-jobs.js';
import { type JobOutputLine, readJobOutput } from '../sentiment/async/job-output.js';

/** `s3://bucket/key` → its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match?.[1] || !match[2]) throw new Error(`Not an S3 object URI: ${uri}`);
  return { bucket: match[1], key: match[2] };
}

/** Job input, line keys and job output in S3. */
export class S3JobFiles implements JobFiles {
  constructor(private readonly s3: S3Client) {}

  async putLines(bucket: string, key: string, lines: readonly string[]): Promise<void> {
    const body = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' }),
    );
  }

  async *readLines(bucket: string, key: string): AsyncIterable<string> {
    const input = await this.body(bucket, key);
    yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  }

  async *readOutput(uri: string): AsyncIterable<JobOutputLine> {
    const { bucket, key } = parseS3Uri(uri);
    yield* readJobOutput(await this.body(bucket, key));
  }

  private async body(bucket: string, key: string): Promise<Readable> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = out.Body as AsyncIterable<Uint8Array> | undefined;
    return Readable.from(body ?? []);
  }
}
