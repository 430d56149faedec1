import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeDigestFigures } from '../../../shared/digest/figures.js';
import { renderDigest } from '../../../shared/digest/render.js';
import { DigestSendError, sendDigestEmail, sendEmailInput } from '../../../shared/digest/send.js';
import { HOSTILE, HOSTILE_CELLS, HOSTILE_VERBATIMS, MemoryAggregateReader } from './fixtures.js';
import { structureProblems } from './html-structure.js';
import { type SesLocal, startSesLocal } from './ses-local.js';

const recipients = (n: number): string[] => Array.from({ length: n }, (_, i) => `stakeholder${i + 1}@example.com`);
const message = { from: 'feedback@example.com', configurationSetName: 'feedback-digest' };

describe('sendDigestEmail (aws-ses-v2-local)', () => {
  let ses: SesLocal;

  beforeAll(async () => {
    ses = await startSesLocal();
  });
  afterAll(async () => {
    await ses.close();
  });
  beforeEach(async () => {
    await ses.clear();
  });

  it('splits recipients into messages of at most 50, each with the subject, HTML and text', async () => {
    // Prepare: 120 distinct addresses plus a duplicate and a blank
    const to = [...recipients(120), ' Stakeholder7@example.com ', ''];

    // Act
    const ids = await sendDigestEmail(ses.client, {
      ...message,
      recipients: to,
      subject: 'Feedback weekly 2026-11-16–22: 64 responses · NPS +25 (▲25)',
      html: '<p>digest</p>',
      text: 'digest',
    });

    // Assess
    const emails = await ses.emails();
    expect(ids).toHaveLength(3);
    expect(emails.map((e) => e.messageId)).toEqual(ids);
    expect(emails.map((e) => e.destination.to.length)).toEqual([50, 50, 20]);
    expect(emails.flatMap((e) => e.destination.to)).toEqual(recipients(120));
    for (const email of emails) {
      expect(email.from).toBe('feedback@example.com');
      expect(email.subject).toBe('Feedback weekly 2026-11-16–22: 64 responses · NPS +25 (▲25)');
      expect(email.body).toEqual({ html: '<p>digest</p>', text: 'digest' });
    }
  });

  it('delivers hostile feedback text escaped, with the layout intact', async () => {
    // Prepare
    const figures = await computeDigestFigures(new MemoryAggregateReader(HOSTILE_CELLS, HOSTILE_VERBATIMS), {
      from: '2026-11-16',
      to: '2026-11-22',
      kind: 'weekly',
      segments: ['channel'],
      verbatims: 10,
    });
    const digest = renderDigest(figures);

    // Act
    await sendDigestEmail(ses.client, { ...message, recipients: recipients(2), ...digest, recipientField: 'bcc' });

    // Assess
    const [email] = await ses.emails();
    expect(email?.destination).toEqual({ to: [], cc: [], bcc: recipients(2) });
    expect(email?.body.html).toBe(digest.html);
    expect(email?.body.text).toBe(digest.text);
    expect(structureProblems(email?.body.html ?? '')).toEqual([]);
    expect(email?.body.html).not.toMatch(/<script|<img/i);
    expect(email?.body.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email?.body.text).toContain(`'${HOSTILE.formula}`);
  });

  it('builds a Simple UTF-8 message through the configuration set', () => {
    const input = sendEmailInput(
      { ...message, recipients: [], subject: 'NPS ▲', html: '<p>h</p>', text: 't', tags: { digest: 'weekly' } },
      ['a@example.com'],
    );

    expect(input).toEqual({
      FromEmailAddress: 'feedback@example.com',
      Destination: { ToAddresses: ['a@example.com'] },
      ConfigurationSetName: 'feedback-digest',
      Content: {
        Simple: {
          Subject: { Data: 'NPS ▲', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>h</p>', Charset: 'UTF-8' }, Text: { Data: 't', Charset: 'UTF-8' } },
        },
      },
      EmailTags: [{ Name: 'digest', Value: 'weekly' }],
    });
  });
});

describe('sendDigestEmail failures', () => {
  it('reports the batches sent and the recipients not reached when SES rejects a batch', async () => {
    // Prepare: the second of three batches is throttled
    const client = new SESv2Client({ region: 'eu-west-1' });
    const ses = mockClient(client);
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: 'm-1' })
      .rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }))
      .resolves({ MessageId: 'm-3' });

    // Act
    const sending = sendDigestEmail(client, {
      ...message,
      recipients: recipients(120),
      subject: 's',
      html: 'h',
      text: 't',
    });

    // Assess
    await expect(sending).rejects.toThrow(DigestSendError);
    await sending.catch((error: unknown) => {
      expect(error).toMatchObject({ sentMessageIds: ['m-1'], unsentRecipients: 70 });
      expect((error as DigestSendError).cause).toMatchObject({ name: 'TooManyRequestsException' });
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('refuses to send without recipients or with invalid tags', async () => {
    const client = new SESv2Client({ region: 'eu-west-1' });
    mockClient(client);
    const base = { ...message, subject: 's', html: 'h', text: 't' };

    await expect(sendDigestEmail(client, { ...base, recipients: [' '] })).rejects.toThrow(/at least one recipient/);
    await expect(
      sendDigestEmail(client, { ...base, recipients: ['a@example.com'], tags: { 'bad tag': 'x' } }),
    ).rejects.toThrow(RangeError);
    await expect(sendDigestEmail(client, { ...base, recipients: ['a@example.com'], batchSize: 51 })).rejects.toThrow(
      RangeError,
    );
  });
});
