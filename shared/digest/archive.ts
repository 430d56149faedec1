/** Archives a digest in S3: `digests/<period>/<from>_<to>.html` and `.json` (same keys on a re-run, so retries overwrite). */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PREFIXES } from '../config/resources.js';
import type { DigestFigures } from './figures.js';
import type { PeriodKind } from './period.js';

export interface DigestKeys {
  htmlKey: string;
  jsonKey: string;
}

/** The JSON document archived next to the HTML. */
export interface DigestArchiveDocument {
  subject: string;
  generatedAt: string;
  figures: DigestFigures;
}

export class DigestArchiveError extends Error {
  override name = 'DigestArchiveError';
}

export function digestKeys(kind: PeriodKind, from: string, to: string): DigestKeys {
  const base = `${PREFIXES.digests}${kind}/${from}_${to}`;
  return { htmlKey: `${base}.html`, jsonKey: `${base}.json` };
}

export interface ArchiveDigestInput {
  bucket: string;
  figures: DigestFigures;
  subject: string;
  html: string;
  generatedAt: Date;
}

/** Writes the HTML and the figures JSON; returns their keys. */
export async function archiveDigest(s3: S3Client, input: ArchiveDigestInput): Promise<DigestKeys> {
  const { figures } = input;
  const keys = digestKeys(figures.kind, figures.period.from, figures.period.to);
  const document: DigestArchiveDocument = {
    subject: input.subject,
    generatedAt: input.generatedAt.toISOString(),
    figures,
  };
  try {
    await Promise.all([
      s3.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: keys.htmlKey,
          Body: input.html,
          ContentType: 'text/html; charset=utf-8',
        }),
      ),
      s3.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: keys.jsonKey,
          Body: `${JSON.stringify(document, null, 2)}\n`,
          ContentType: 'application/json; charset=utf-8',
        }),
      ),
    ]);
  } catch (error) {
    throw new DigestArchiveError(`Could not archive the digest to s3://${input.bucket}/${keys.htmlKey}`, {
      cause: error,
    });
  }
  return keys;
}
