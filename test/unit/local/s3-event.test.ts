import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeS3EventKey, nextSequencer, s3TestEvent, toAwsS3EventRecord } from '../../../local/s3-event.js';

const decode = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

describe('encodeS3EventKey', () => {
  it.each([
    ['red flower.jpg', 'red+flower.jpg'],
    ['incoming/test/a file+名字.csv', 'incoming/test/a+file%2B%E5%90%8D%E5%AD%97.csv'],
    ['incoming/100% done.csv', 'incoming/100%25+done.csv'],
    ['incoming/反馈 2026.xlsx', 'incoming/%E5%8F%8D%E9%A6%88+2026.xlsx'],
    ['incoming/😀.csv', 'incoming/%F0%9F%98%80.csv'],
    ['test/10:47:07.log', 'test/10%3A47%3A07.log'],
    ['x/dt=2018-05-04/_SUCCESS', 'x/dt%3D2018-05-04/_SUCCESS'],
    ['incoming/(1) copy.csv', 'incoming/%281%29+copy.csv'],
    ['incoming/a-b_c.d*e', 'incoming/a-b_c.d*e'],
  ])('encodes %j as S3 does', (key, expected) => {
    // Act
    const encoded = encodeS3EventKey(key);

    // Assess
    expect(encoded).toBe(expected);
    expect(decode(encoded)).toBe(key);
  });

  it('round-trips any key through the production decoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (key) => {
        expect(decode(encodeS3EventKey(key))).toBe(key);
      }),
    );
  });
});

describe('toAwsS3EventRecord', () => {
  const s3rverRecord = {
    eventName: 'ObjectCreated:Put',
    eventTime: '2026-01-02T03:04:05.678Z',
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    s3: {
      bucket: { name: 'feedback-ingest' },
      object: { key: 'incoming/a file+名字.csv', size: '42', eTag: 'd41d8cd98f00b204e9800998ecf8427e' },
    },
  };

  it('builds the record S3 sends: version 2.1, region, bucket ARN, numeric size, encoded key', () => {
    // Act
    const record = toAwsS3EventRecord(s3rverRecord, { region: 'eu-central-1', configurationId: 'cfg' });

    // Assess
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-central-1',
      eventTime: '2026-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'cfg',
        bucket: { name: 'feedback-ingest', arn: 'arn:aws:s3:::feedback-ingest' },
        object: { key: 'incoming/a+file%2B%E5%90%8D%E5%AD%97.csv', size: 42, eTag: 'd41d8cd98f00b204e9800998ecf8427e' },
      },
    });
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
    expect(record.s3.object.versionId).toBeUndefined();
  });

  it('names a multipart completion as S3 does, which s3rver reports as a POST', () => {
    // Prepare
    const multipart = {
      ...s3rverRecord,
      eventName: 'ObjectCreated:Post',
      s3: { ...s3rverRecord.s3, object: { ...s3rverRecord.s3.object, eTag: 'abc-3' } },
    };

    // Act
    const record = toAwsS3EventRecord(multipart, { region: 'us-east-1', configurationId: 'cfg' });

    // Assess
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
  });
});

describe('nextSequencer', () => {
  it('grows strictly, even within one millisecond', () => {
    // Act
    const sequencers = [nextSequencer(1_000), nextSequencer(1_000), nextSequencer(999), nextSequencer(2_000)];

    // Assess
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(sequencers.length);
  });
});

describe('s3TestEvent', () => {
  it('has the test event shape and no Records', () => {
    // Act
    const event = s3TestEvent('feedback-ingest', new Date('2026-01-01T00:00:00Z'));

    // Assess
    expect(event).toMatchObject({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-01-01T00:00:00.000Z',
      Bucket: 'feedback-ingest',
    });
    expect(event).not.toHaveProperty('Records');
  });
});
