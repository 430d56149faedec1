/** The body S3 puts on the ingest queue for one ObjectCreated:Put (key form-encoded, as S3 sends it). */
export function s3NotificationBody(bucket: string, key: string, etag: string, size = 1): string {
  const encoded = encodeURIComponent(key).replace(/%20/g, '+');
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:TEST' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'TEST', 'x-amz-id-2': 'TEST' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'incoming',
          bucket: { name: bucket, ownerIdentity: { principalId: 'TEST' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encoded, size, eTag: etag, sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  });
}
