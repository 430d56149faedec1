import {
  BatchDetectDominantLanguageCommand,
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  InternalServerException,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ComprehendServer, startComprehendServer } from '../../../local/comprehend-server.js';
import { analyze, type SentimentRequest, truncateUtf8 } from '../../../shared/sentiment/comprehend-adapter.js';
import { createMemoryTextCache } from '../../../shared/sentiment/text-cache.js';

const noSleep = async (): Promise<void> => {};

function makeClient(endpoint?: string): ComprehendClient {
  return new ComprehendClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
  });
}

function requests(n: number, prefix = 'text', languageHint = 'en'): SentimentRequest[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, text: `${prefix} number ${i} was great`, languageHint }));
}

describe('analyze against the local Comprehend endpoint', () => {
  let server: ComprehendServer;
  let client: ComprehendClient;

  beforeAll(async () => {
    server = await startComprehendServer({});
    client = makeClient(server.url);
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('sends each unique text once, in ceil(unique / 25) sentiment calls', async () => {
    // Prepare: 60 unique texts, each sent twice.
    const input = [...requests(60), ...requests(60)];
    const before = server.calls().length;

    // Act
    const { results, usage } = await analyze(input, { client, concurrency: 2, themes: false, sleep: noSleep });

    // Assess
    const calls = server.calls().slice(before);
    expect(calls.map((c) => c.documents)).toEqual([25, 25, 10]);
    expect(usage.calls).toEqual({ sentiment: 3, keyPhrases: 0, dominantLanguage: 0 });
    expect(results.size).toBe(60);
    expect([...results.values()].every((r) => r.sentiment?.label === 'POSITIVE' && r.sentiment.language === 'en')).toBe(
      true,
    );
    expect(usage.units).toBe(60 * 3);
    expect(usage.estimatedCostUsd).toBeCloseTo(0.018, 6);
  });

  it('groups batches by language, uses script detection for free and skips unsupported languages', async () => {
    const before = server.calls().length;
    const { results, usage } = await analyze(
      [
        { key: 'en', text: 'The food was cold and the driver was rude', languageHint: 'en-US' },
        { key: 'zh', text: '送餐太慢了，饭都凉了，差评' },
        { key: 'tw', text: '服務態度很好', languageHint: 'ZH-T' },
        { key: 'sv', text: 'Maten var kall', languageHint: 'sv' },
        { key: 'short', text: 'Love it' },
      ],
      { client, themes: true, sleep: noSleep },
    );
    const sentimentCalls = server
      .calls()
      .slice(before)
      .filter((c) => c.operation === 'BatchDetectSentiment');
    expect(sentimentCalls.map((c) => c.languageCode).sort()).toEqual(['en', 'zh', 'zh-TW']);
    expect(usage.calls.dominantLanguage).toBe(0);
    expect(results.get('zh')?.sentiment).toMatchObject({ label: 'NEGATIVE', language: 'zh' });
    expect(results.get('tw')?.sentiment).toMatchObject({ label: 'POSITIVE', language: 'zh-TW' });
    expect(results.get('short')?.sentiment?.language).toBe('en');
    expect(results.get('sv')).toEqual({ warning: 'UNSUPPORTED_LANGUAGE' });
    expect(usage.unsupported).toBe(1);
    // Themes: key phrases only for the negative texts.
    expect(usage.calls.keyPhrases).toBe(2);
    expect(results.get('en')?.keyPhrases).toEqual(expect.arrayContaining(['food', 'driver']));
    expect(results.get('tw')?.keyPhrases).toBeUndefined();
  });

  it('detects the language of long Latin-script texts without a hint', async () => {
    const { results, usage } = await analyze(
      [
        { key: 'a', text: 'El servicio fue muy malo y la comida estaba fría' },
        { key: 'b', text: 'The room was clean and the staff were friendly' },
      ],
      { client, themes: false, sleep: noSleep },
    );
    expect(usage.calls.dominantLanguage).toBe(1);
    expect(results.get('a')?.sentiment?.language).toBe('es');
    expect(results.get('b')?.sentiment?.language).toBe('en');
  });

  it('pays nothing for texts already in the cache', async () => {
    const cache = createMemoryTextCache();
    const input = requests(30, 'cached');
    const first = await analyze(input, { client, cache, themes: true, sleep: noSleep });
    const second = await analyze(input, { client, cache, themes: true, sleep: noSleep });
    expect(first.usage.calls.sentiment).toBe(2);
    expect(second.usage).toMatchObject({
      calls: { sentiment: 0, keyPhrases: 0, dominantLanguage: 0 },
      cacheHits: 30,
      units: 0,
    });
    expect(second.results.get('k0')).toMatchObject({ cached: true, sentiment: first.results.get('k0')?.sentiment });
  });

  it('retries injected throttling and per-item errors until every document has a sentiment', async () => {
    server.injectFaults([
      { kind: 'throttle', operation: 'BatchDetectSentiment', times: 2, status: 429 },
      { kind: 'item-errors', operation: 'BatchDetectSentiment', indexes: [0, 3] },
    ]);
    const { results, usage } = await analyze(requests(10, 'fault'), { client, themes: false, sleep: noSleep });
    expect([...results.values()].every((r) => r.sentiment !== undefined)).toBe(true);
    expect(usage.calls.sentiment).toBe(4);
    expect(usage.failed).toBe(0);
  });
});

describe('analyze with aws-sdk-client-mock fault injection', () => {
  const client = makeClient();
  const mock = mockClient(client);
  const positive = {
    Sentiment: 'POSITIVE' as const,
    SentimentScore: { Positive: 0.9, Negative: 0.05, Neutral: 0.04, Mixed: 0.01 },
  };
  const okBatch = (n: number) => ({
    ResultList: Array.from({ length: n }, (_, Index) => ({ Index, ...positive })),
    ErrorList: [],
  });
  const throttling = Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

  beforeEach(() => mock.reset());

  it('retries throttling then succeeds, with ceil(unique / 25) successful calls', async () => {
    mock
      .on(BatchDetectSentimentCommand)
      .rejectsOnce(throttling)
      .callsFake((input: { TextList: string[] }) => okBatch(input.TextList.length));
    const slept: number[] = [];
    const { results, usage } = await analyze(requests(30), {
      client,
      themes: false,
      concurrency: 1,
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 0.5,
    });
    expect(mock.commandCalls(BatchDetectSentimentCommand)).toHaveLength(3);
    expect(usage.calls.sentiment).toBe(3);
    expect(slept).toEqual([50]);
    expect([...results.values()].every((r) => r.sentiment?.label === 'POSITIVE')).toBe(true);
  });

  it('retries retryable ErrorList entries and reports the others', async () => {
    mock
      .on(BatchDetectSentimentCommand)
      .resolvesOnce({
        ResultList: [
          { Index: 0, ...positive },
          { Index: 2, ...positive },
        ],
        ErrorList: [
          {
            Index: 1,
            ErrorCode: 'InternalServerException',
            ErrorMessage: 'Unexpected Server Error. Please try again.',
          },
          { Index: 3, ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED', ErrorMessage: 'too big' },
        ],
      })
      .callsFake((input: { TextList: string[] }) => okBatch(input.TextList.length));
    const { results, usage } = await analyze(requests(4), { client, themes: false, sleep: noSleep });
    const retried = mock.commandCalls(BatchDetectSentimentCommand)[1]?.args[0].input.TextList;
    expect(retried).toEqual(['text number 1 was great']);
    expect(results.get('k1')?.sentiment?.label).toBe('POSITIVE');
    expect(results.get('k3')).toEqual({ error: { code: 'TEXT_SIZE_LIMIT_EXCEEDED', message: 'too big' } });
    expect(usage.failed).toBe(1);
    expect(results.size).toBe(4);
  });

  it('reports every document of a batch whose 5xx outlasts the retries, and keeps the others', async () => {
    const serverError = new InternalServerException({ message: 'boom', $metadata: { httpStatusCode: 500 } });
    mock.on(BatchDetectSentimentCommand).callsFake((input: { TextList: string[] }) => {
      if (input.TextList[0]?.includes('number 25 ')) throw serverError;
      return okBatch(input.TextList.length);
    });
    const { results, usage } = await analyze(requests(30), { client, themes: false, sleep: noSleep, maxAttempts: 3 });
    expect(mock.commandCalls(BatchDetectSentimentCommand)).toHaveLength(1 + 3);
    expect(results.size).toBe(30);
    const failed = [...results.entries()].filter(([, r]) => r.error).map(([k]) => k);
    expect(failed).toEqual(['k25', 'k26', 'k27', 'k28', 'k29']);
    expect(results.get('k25')?.error).toEqual({ code: 'InternalServerException', message: 'boom' });
    expect(usage.failed).toBe(5);
  });

  it('does not retry a non-retryable whole-request error', async () => {
    mock
      .on(BatchDetectSentimentCommand)
      .rejects(
        Object.assign(new Error('bad'), { name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } }),
      );
    const { results } = await analyze(requests(2), { client, themes: false, sleep: noSleep });
    expect(mock.commandCalls(BatchDetectSentimentCommand)).toHaveLength(1);
    expect(results.get('k0')?.error?.code).toBe('InvalidRequestException');
  });

  it('falls back to the default language when language detection fails', async () => {
    mock.on(BatchDetectDominantLanguageCommand).rejects(throttling);
    mock.on(BatchDetectSentimentCommand).callsFake((input: { TextList: string[] }) => okBatch(input.TextList.length));
    mock.on(BatchDetectKeyPhrasesCommand).resolves({ ResultList: [], ErrorList: [] });
    const { results } = await analyze([{ key: 'x', text: 'A sentence long enough to need detection' }], {
      client,
      themes: false,
      sleep: noSleep,
      maxAttempts: 2,
    });
    expect(mock.commandCalls(BatchDetectDominantLanguageCommand)).toHaveLength(2);
    expect(results.get('x')?.sentiment?.language).toBe('en');
  });
});

describe('truncateUtf8', () => {
  it('cuts on a code point boundary at or under the byte limit', () => {
    const text = `${'a'.repeat(4998)}😀b`;
    const cut = truncateUtf8(text, 5000);
    expect(cut).toBe('a'.repeat(4998));
    expect(Buffer.byteLength(truncateUtf8('好'.repeat(2000)), 'utf8')).toBe(4998);
    expect(truncateUtf8('short')).toBe('short');
  });
});
