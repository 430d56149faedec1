import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestArchiveDocument } from '../../../shared/digest/archive.js';
import { buildDigest } from '../../../shared/digest/build-digest.js';
import { InvalidOptionsError } from '../../../shared/domain/errors.js';
import { MemoryAggregateReader, WEEK_CELLS, WEEK_VERBATIMS } from './fixtures.js';
import { type SesLocal, startSesLocal } from './ses-local.js';

const BUCKET = 'feedback-ingest';
// Monday 23 Nov 2026, 08:00 in Berlin: the weekly digest covers 16–22 Nov.
const clock = () => new Date('2026-11-23T07:00:00Z');

describe('buildDigest (s3rver + aws-ses-v2-local)', () => {
  let ses: SesLocal;
  let s3rver: S3rver;
  let s3: S3Client;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'digest-s3-'));
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: BUCKET }],
    });
    const [{ port }, started] = await Promise.all([s3rver.run(), startSesLocal()]);
    ses = started;
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await Promise.all([ses?.close(), s3rver?.close()]);
    await rm(directory, { recursive: true, force: true });
  });

  const read = async (key: string): Promise<string> => {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return (await object.Body?.transformToString('utf-8')) ?? '';
  };

  it('builds, archives and sends the weekly digest, and describes it for the event', async () => {
    // Prepare
    const recipients = ['ops@example.com', 'cx-lead@example.com', 'OPS@example.com'];

    // Act
    const result = await buildDigest(
      {
        reader: new MemoryAggregateReader(WEEK_CELLS, WEEK_VERBATIMS),
        s3,
        bucket: BUCKET,
        mailer: { client: ses.client, from: 'feedback@example.com', configurationSetName: 'digest', recipients },
        clock,
      },
      { period: { kind: 'weekly' }, timeZone: 'Europe/Berlin', segments: ['channel'], send: true },
    );

    // Assess
    expect(result.period).toEqual({ kind: 'weekly', from: '2026-11-16', to: '2026-11-22', days: 7 });
    expect(result.htmlKey).toBe('digests/weekly/2026-11-16_2026-11-22.html');
    expect(result.jsonKey).toBe('digests/weekly/2026-11-16_2026-11-22.json');
    expect(await read(result.htmlKey)).toBe(result.html);
    const archived = JSON.parse(await read(result.jsonKey)) as DigestArchiveDocument;
    expect(archived).toEqual({
      subject: result.subject,
      generatedAt: '2026-11-23T07:00:00.000Z',
      figures: result.figures,
    });

    const emails = await ses.emails();
    expect(result.messageIds).toEqual(emails.map((e) => e.messageId));
    expect(emails).toHaveLength(1);
    expect(emails[0]?.destination.to).toEqual(['ops@example.com', 'cx-lead@example.com']);
    expect(emails[0]?.subject).toBe(result.subject);
    expect(emails[0]?.body).toEqual({ html: result.html, text: result.text });

    expect(result.event).toEqual({
      version: '1',
      period: 'weekly',
      from: '2026-11-16',
      to: '2026-11-22',
      volume: 64,
      nps: { n: 20, promoters: 11, passives: 3, detractors: 6, score: 25 },
      csat: { n: 18, satisfied: 8, score: 44.4, average: 2.89 },
      netSentiment: -7.8,
      htmlKey: result.htmlKey,
      jsonKey: result.jsonKey,
      recipients: 2,
    });
    expect(JSON.stringify(result.event)).not.toContain('@');
  });

  it('builds and archives without sending, and needs a mailer to send', async () => {
    const deps = { reader: new MemoryAggregateReader(WEEK_CELLS), s3, bucket: BUCKET, clock };
    const request = {
      period: { kind: 'custom' as const, from: '2026-11-18', to: '2026-11-18' },
      timeZone: 'Europe/Berlin',
      segments: [],
    };

    const result = await buildDigest(deps, request);

    expect([result.messageIds, result.recipients, result.event.recipients]).toEqual([[], 0, 0]);
    expect(result.htmlKey).toBe('digests/custom/2026-11-18_2026-11-18.html');
    expect(await read(result.jsonKey)).toContain('"volume": 20');
    await expect(buildDigest(deps, { ...request, send: true })).rejects.toThrow(InvalidOptionsError);
  });
});
