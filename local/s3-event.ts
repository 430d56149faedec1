import { randomBytes } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';

/**
 * Encodes an object key the way S3 writes it into event notifications: form encoding
 * (`application/x-www-form-urlencoded`, as Java's URLEncoder does it) with `/` left as is. Space becomes `+`,
 * `+` becomes `%2B`, and every other byte outside `A-Z a-z 0-9 . - * _ /` of the UTF-8 encoding becomes `%XX`.
 * `decodeURIComponent(encoded.replace(/\+/g, ' '))` returns the original key.
 */
export function encodeS3EventKey(key: string): string {
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_/]/.test(char)) encoded += char;
    else if (byte === 0x20) encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** What s3rver emits on its `event` emitter (lib/models/event.js): one record with a raw, unencoded key. */
export interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    requestParameters?: { sourceIPAddress?: string };
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number | string; eTag?: string };
    };
  }[];
}

export interface S3EventContext {
  region: string;
  /** Notification configuration id, as S3 puts it in `s3.configurationId`. */
  configurationId: string;
}

let lastSequencer = 0n;

/**
 * A per-key sequencer as S3 makes them: hex, growing with time. Fixed width, so plain string comparison orders
 * them (S3's rule: right-pad the shorter with zeros, then compare).
 */
export function nextSequencer(now = Date.now()): string {
  const candidate = BigInt(now) * 1_000_000n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

/**
 * Rebuilds an s3rver event record in the shape S3 delivers (event version 2.1, the region, a real bucket ARN,
 * numeric size, URL-encoded key, sequencer). s3rver reports CompleteMultipartUpload as `ObjectCreated:Post`; a
 * multipart ETag (`<md5>-<parts>`) tells them apart. s3rver leaves the ETag out of Copy events: the caller fills
 * `object.eTag` from the store first.
 */
export function toAwsS3EventRecord(record: S3rverEvent['Records'][number], context: S3EventContext): S3EventRecord {
  const { bucket, object } = record.s3;
  let eventName = record.eventName;
  if (eventName === 'ObjectCreated:Post' && object.eTag !== undefined && /-\d+$/.test(object.eTag)) {
    eventName = 'ObjectCreated:CompleteMultipartUpload';
  }
  const awsObject: S3EventRecord['s3']['object'] = {
    key: encodeS3EventKey(object.key),
    size: Number(object.size ?? 0),
    eTag: object.eTag ?? '',
    sequencer: nextSequencer(),
  };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: context.region,
    eventTime: record.eventTime,
    eventName,
    userIdentity: { principalId: 'AWS:AIDALOCALS3USER00000' },
    requestParameters: { sourceIPAddress: record.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: context.configurationId,
      bucket: {
        name: bucket.name,
        ownerIdentity: { principalId: 'ALOCALOWNER000' },
        arn: `arn:aws:s3:::${bucket.name}`,
      },
      object: awsObject,
    },
  };
}

/** The message S3 puts on a queue when a notification configuration is created; consumers must skip it. */
export function s3TestEvent(bucket: string, now = new Date()): Record<string, string> {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: now.toISOString(),
    Bucket: bucket,
    RequestId: randomBytes(8).toString('hex').toUpperCase(),
    HostId: randomBytes(48).toString('base64'),
  };
}
