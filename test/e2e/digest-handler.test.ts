import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/config/resources.js';
import { DETAIL_SCHEMAS } from '../../shared/events/contract.js';
import { eventually, getJson, journalEvents, localClients, localStack } from '../helpers/clients.js';

const stack = localStack();
const { s3 } = localClients(stack);

/** What the Lambda runtime passes; the digest handler only logs from it. */
const context = {
  functionName: 'feedback-digest',
  awsRequestId: 'test-request',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:feedback-digest',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

describe('digest handler on the local stack', () => {
  it('builds, archives, sends and announces the digest for the range a schedule (or a person) asks for', async () => {
    // Prepare: the function's environment, as the CDK stack sets it; the handler reads it at cold start.
    Object.assign(process.env, stack.env);
    const { handler } = await import('../../functions/digest/index.js');
    const sentBefore = Date.now() / 1000;
    // Act
    const result = (await handler({ from: '2026-10-01', to: '2026-10-31', segments: ['channel'] }, context)) as {
      subject: string;
      htmlKey: string;
      jsonKey: string;
      messageIds: string[];
    };
    // Assess: archived in S3, e-mailed through SES, announced on the bus with a valid detail.
    expect(result.messageIds.length).toBeGreaterThan(0);
    expect(result.htmlKey).toBe('digests/custom/2026-10-01_2026-10-31.html');
    const archived = await getJson<{ subject: string; figures: { period: { from: string } } }>(
      s3,
      stack.bucket,
      result.jsonKey,
    );
    expect(archived?.subject).toBe(result.subject);
    expect(archived?.figures.period.from).toBe('2026-10-01');
    const store = (await (await fetch(`${stack.endpoints.ses}/store?since=${Math.floor(sentBefore)}`)).json()) as {
      emails: StoredEmail[];
    };
    const email = store.emails.find((e) => e.subject === result.subject);
    expect(email?.destination.to).toEqual(stack.env.DIGEST_RECIPIENTS?.split(','));
    expect(email?.body.html).toContain('<table');
    expect(email?.body.text).toBeTruthy();
    const published = await eventually(async () =>
      (await journalEvents()).find(
        (e) => e['detail-type'] === EVENTS.detailTypes.digest && e.detail.htmlKey === result.htmlKey,
      ),
    );
    expect(DETAIL_SCHEMAS[EVENTS.detailTypes.digest].safeParse(published.detail).success).toBe(true);
    expect(JSON.stringify(published.detail)).not.toContain('@');
  });

  it('refuses an input that is neither a schedule period nor a date range', async () => {
    const { handler } = await import('../../functions/digest/index.js');
    await expect(handler({ period: 'hourly' }, context)).rejects.toThrow();
    await expect(handler({ period: 'weekly', segments: ['colour'] }, context)).rejects.toThrow();
  });
});
