import { describe, expect, it } from 'vitest';
import { encodeS3EventKey } from '../../../local/s3-event.js';
import { targetsOf, UnrecognisedMessageError } from '../../../shared/pipeline/queue-message.js';
import { s3NotificationBody } from '../../helpers/events.js';

describe('targetsOf', () => {
  it.each([
    'incoming/taobao/商品评论 导出+2026.csv',
    'incoming/a/100% sure (final).csv',
    'incoming/a/emoji 😀 ~!*()=:,.csv',
  ])('decodes the key S3 sends, form-encoded, back to %s', (key) => {
    // Prepare: the body as S3 puts it on the queue, with the key encoded the way S3 encodes it.
    const body = JSON.parse(s3NotificationBody('bucket', key, '"abc"'));
    body.Records[0].s3.object.key = encodeS3EventKey(key);
    // Act
    const [target] = targetsOf(JSON.stringify(body));
    // Assess
    expect(target).toEqual({ bucket: 'bucket', key, etag: 'abc', size: 1 });
  });

  it('skips the test event S3 sends when a notification is configured', () => {
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-22T00:00:00Z',
      Bucket: 'b',
    });
    expect(targetsOf(body)).toEqual([]);
  });

  it('ignores objects outside incoming/ and folder markers', () => {
    expect(targetsOf(s3NotificationBody('b', 'reports/x.json', 'e'))).toEqual([]);
    expect(targetsOf(s3NotificationBody('b', 'incoming/source/', 'e'))).toEqual([]);
  });

  it('keeps the version a versioned bucket names, in notifications and continuations alike', () => {
    const body = JSON.parse(s3NotificationBody('b', 'incoming/x/a.csv', '"e"'));
    body.Records[0].s3.object.versionId = '3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY';
    const [target] = targetsOf(JSON.stringify(body));
    expect(target).toEqual({
      bucket: 'b',
      key: 'incoming/x/a.csv',
      etag: 'e',
      versionId: '3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
      size: 1,
    });
    expect(targetsOf(JSON.stringify({ continuation: { ...target, fileId: 'f' } }))).toEqual([target]);
  });

  it('reads a continuation hand-off', () => {
    const body = JSON.stringify({
      continuation: { bucket: 'b', key: 'incoming/x/big file.csv', etag: 'e', fileId: 'f' },
    });
    expect(targetsOf(body)).toEqual([{ bucket: 'b', key: 'incoming/x/big file.csv', etag: 'e' }]);
  });

  it('refuses a message that is neither, with a typed error', () => {
    expect(() => targetsOf('{"hello":1}')).toThrow(UnrecognisedMessageError);
    expect(() => targetsOf('not json')).toThrow(UnrecognisedMessageError);
  });
});
