import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { ProvidedStack } from './global-setup.js';

export function localStack(): ProvidedStack {
  return inject('localStack');
}

function base(stack: ProvidedStack) {
  return {
    region: stack.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
}

/** SDK clients pointed at the local stack started by the global setup. */
export function localClients(stack: ProvidedStack = localStack()) {
  const s3 = new S3Client({
    ...base(stack),
    endpoint: stack.endpoints.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...base(stack), endpoint: stack.endpoints.dynamodb }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const events = new EventBridgeClient({ ...base(stack), endpoint: stack.endpoints.events });
  const sqs = new SQSClient({ ...base(stack), endpoint: stack.endpoints.sqs });
  return { s3, db, events, sqs };
}

/** Polls until `fn` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 60_000, stepMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString()) ?? 'null') as T;
  } catch {
    return undefined;
  }
}

export interface JournalEvent {
  'detail-type': string;
  source: string;
  detail: Record<string, unknown>;
}

export async function journalEvents(stack: ProvidedStack = localStack()): Promise<JournalEvent[]> {
  const text = await readFile(stack.eventsJournal, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalEvent);
}
