import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { comprehendDocuments, dynamoDbWriteItems, jsonOperation, s3Operation } from '../../../bench/e2e/operation.js';
import { type CountingProxy, startCountingProxy } from '../../../bench/e2e/proxy.js';

describe('operation names', () => {
  it('takes AWS JSON operations from X-Amz-Target', () => {
    expect(jsonOperation('DynamoDB_20120810.TransactWriteItems')).toBe('TransactWriteItems');
    expect(jsonOperation('Comprehend_20171127.StartSentimentDetectionJob')).toBe('StartSentimentDetectionJob');
    expect(jsonOperation(undefined)).toBe('unknown');
  });

  it.each([
    ['GET', '/bucket/incoming/a.csv?x-id=GetObject', {}, 'GetObject'],
    ['GET', '/bucket/incoming/a.csv', { range: 'bytes=0-99' }, 'GetObject (range)'],
    ['GET', '/bucket?list-type=2&prefix=reports%2F', {}, 'ListObjectsV2'],
    ['GET', '/bucket', {}, 'ListObjects'],
    ['HEAD', '/bucket/incoming/a.csv', {}, 'HeadObject'],
    ['HEAD', '/bucket', {}, 'HeadBucket'],
    ['PUT', '/bucket/reports/a.json?x-id=PutObject', {}, 'PutObject'],
    ['PUT', '/bucket/b', { 'x-amz-copy-source': '/bucket/a' }, 'CopyObject'],
    ['PUT', '/bucket/b?partNumber=1&uploadId=u', {}, 'UploadPart'],
    ['POST', '/bucket/b?uploads', {}, 'CreateMultipartUpload'],
    ['POST', '/bucket/b?uploadId=u', {}, 'CompleteMultipartUpload'],
    ['POST', '/bucket?delete', {}, 'DeleteObjects'],
    ['DELETE', '/bucket/b', {}, 'DeleteObject'],
  ])('names S3 %s %s', (method, url, headers, expected) => {
    expect(s3Operation(method, url, headers)).toBe(expected);
  });

  it('counts Comprehend documents and DynamoDB items written', () => {
    expect(comprehendDocuments('BatchDetectSentiment', { TextList: ['a', 'b', 'c'] })).toBe(3);
    expect(comprehendDocuments('DetectSentiment', { Text: 'a' })).toBe(1);
    expect(comprehendDocuments('StartSentimentDetectionJob', {})).toBe(0);
    const transact = { TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }] };
    expect(dynamoDbWriteItems('TransactWriteItems', transact)).toBe(2);
    expect(dynamoDbWriteItems('BatchWriteItem', { RequestItems: { t: [{}, {}], u: [{}] } })).toBe(3);
    expect(dynamoDbWriteItems('PutItem', {})).toBe(1);
    expect(dynamoDbWriteItems('Query', {})).toBe(0);
  });
});

describe('the counting proxy', () => {
  let upstream: Server | undefined;
  let proxy: CountingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  function send(url: string, target: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'x-amz-target': target } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('forwards requests unchanged and counts them by operation, errors apart', async () => {
    // Prepare: an upstream that echoes the body, and fails one operation
    upstream = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      req.on('end', () => {
        const failing = String(req.headers['x-amz-target']).endsWith('Fail');
        res.writeHead(failing ? 400 : 200, { 'x-host-seen': req.headers.host ?? '' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    proxy = await startCountingProxy('comprehend');
    proxy.setTarget(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    // Act
    const ok = await send(proxy.url, 'Comprehend_20171127.BatchDetectSentiment', '{"TextList":["a","b"]}');
    await send(proxy.url, 'Comprehend_20171127.BatchDetectSentiment', '{"TextList":["c"]}');
    const failed = await send(proxy.url, 'Comprehend_20171127.Fail', '{}');
    // Assess
    expect(ok).toEqual({ status: 200, body: '{"TextList":["a","b"]}' });
    expect(failed.status).toBe(400);
    expect(proxy.counts()).toEqual({
      requests: { BatchDetectSentiment: 2, Fail: 1 },
      errors: { Fail: 1 },
      documents: { BatchDetectSentiment: 3 },
      writeItems: 0,
    });
    proxy.reset();
    expect(proxy.counts().requests).toEqual({});
  });
});
