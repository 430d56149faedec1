import { BatchDetectSentimentCommand, ComprehendClient, DetectSentimentCommand } from '@aws-sdk/client-comprehend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComprehendServer, startComprehendServer } from '../../../local/comprehend-server.js';

let server: ComprehendServer;

beforeAll(async () => {
  server = await startComprehendServer({ port: 0 });
});

afterAll(async () => {
  await server.close();
});

async function call(operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `Comprehend_20171127.${operation}` },
    body: JSON.stringify(body),
  });
  expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('local Comprehend endpoint', () => {
  it('binds to loopback on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers BatchDetectSentiment with ResultList and an empty ErrorList', async () => {
    const { status, json } = await call('BatchDetectSentiment', {
      TextList: ['I love this phone, it works great!', 'Terrible service, never again.'],
      LanguageCode: 'en',
    });
    expect(status).toBe(200);
    expect(json.ErrorList).toEqual([]);
    const results = json.ResultList as Array<{
      Index: number;
      Sentiment: string;
      SentimentScore: Record<string, number>;
    }>;
    expect(results.map((r) => [r.Index, r.Sentiment])).toEqual([
      [0, 'POSITIVE'],
      [1, 'NEGATIVE'],
    ]);
    const s = results[0]?.SentimentScore ?? {};
    expect((s.Positive ?? 0) + (s.Negative ?? 0) + (s.Neutral ?? 0) + (s.Mixed ?? 0)).toBeCloseTo(1, 3);
  });

  it.each([
    [
      'more than 25 documents',
      { TextList: Array(26).fill('ok'), LanguageCode: 'en' },
      'BatchSizeLimitExceededException',
    ],
    ['a missing LanguageCode', { TextList: ['fine'] }, 'InvalidRequestException'],
    ['an unsupported LanguageCode', { TextList: ['fine'], LanguageCode: 'sv' }, 'UnsupportedLanguageException'],
    ['an empty text', { TextList: ['fine', ''], LanguageCode: 'en' }, 'InvalidRequestException'],
    ['a missing TextList', { LanguageCode: 'en' }, 'InvalidRequestException'],
  ])('rejects %s with the service error shape', async (_name, body, type) => {
    const { status, json } = await call('BatchDetectSentiment', body);
    expect(status).toBe(400);
    expect(json.__type).toBe(type);
    expect(typeof json.Message).toBe('string');
  });

  it('rejects a DetectSentiment text over 5000 bytes with the real message format', async () => {
    const { status, json } = await call('DetectSentiment', { Text: '好'.repeat(1700), LanguageCode: 'zh' });
    expect(status).toBe(400);
    expect(json).toEqual({
      __type: 'TextSizeLimitExceededException',
      Message:
        'Input text size exceeds limit. Max length of request text allowed is 5000 bytes while in this request the text size is 5100 bytes',
    });
  });

  it('reports an oversized batch document as a per-item error', async () => {
    const { json } = await call('BatchDetectSentiment', { TextList: ['good', 'x'.repeat(5001)], LanguageCode: 'en' });
    expect((json.ResultList as unknown[]).length).toBe(1);
    expect(json.ErrorList).toEqual([expect.objectContaining({ Index: 1, ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED' })]);
  });

  it('detects dominant languages and key phrases', async () => {
    const lang = await call('BatchDetectDominantLanguage', {
      TextList: ['这家酒店的服务非常好，房间也很干净', 'The delivery was late and the food was cold'],
    });
    const codes = (lang.json.ResultList as Array<{ Languages: Array<{ LanguageCode: string }> }>).map(
      (r) => r.Languages[0]?.LanguageCode,
    );
    expect(codes).toEqual(['zh', 'en']);
    const phrases = await call('DetectKeyPhrases', {
      Text: 'The battery life is short and customer service was rude.',
      LanguageCode: 'en',
    });
    const texts = (phrases.json.KeyPhrases as Array<{ Text: string }>).map((p) => p.Text);
    expect(texts).toEqual(expect.arrayContaining(['battery life', 'customer service']));
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const { status, json } = await call('DetectEverything', {});
    expect(status).toBe(400);
    expect(json.__type).toBe('UnknownOperationException');
  });

  it('injects throttling, 5xx and per-item faults, and logs calls', async () => {
    const client = new ComprehendClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const before = server.calls().length;
    server.injectFaults([
      { kind: 'throttle', operation: 'BatchDetectSentiment', status: 429 },
      { kind: 'server-error', operation: 'BatchDetectSentiment' },
      { kind: 'item-errors', operation: 'BatchDetectSentiment', indexes: [1] },
    ]);
    const send = () => client.send(new BatchDetectSentimentCommand({ TextList: ['good', 'bad'], LanguageCode: 'en' }));
    await expect(send()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(send()).rejects.toMatchObject({ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
    const partial = await send();
    expect(partial.ErrorList).toEqual([expect.objectContaining({ Index: 1, ErrorCode: 'InternalServerException' })]);
    const ok = await client.send(new DetectSentimentCommand({ Text: 'great', LanguageCode: 'en' }));
    expect(ok.Sentiment).toBe('POSITIVE');
    expect(
      server
        .calls()
        .slice(before)
        .map((c) => [c.operation, c.status, c.errorType]),
    ).toEqual([
      ['BatchDetectSentiment', 429, 'ThrottlingException'],
      ['BatchDetectSentiment', 500, 'InternalServerException'],
      ['BatchDetectSentiment', 200, undefined],
      ['DetectSentiment', 200, undefined],
    ]);
    client.destroy();
  });
});
