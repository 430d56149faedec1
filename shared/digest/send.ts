/** Sends the digest through SES v2: Simple content (HTML + text), UTF-8, a configuration set, ≤ 50 recipients a message. */
import { type SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';

/** SES counts To + Cc + Bcc against this per-message limit (not adjustable). */
export const SES_MAX_RECIPIENTS_PER_MESSAGE = 50;

export class DigestSendError extends Error {
  override name = 'DigestSendError';
  /** Message ids of the batches sent before the failure (a retry would send those again). */
  readonly sentMessageIds: string[];
  /** Recipients not reached (the failed batch and those after it). */
  readonly unsentRecipients: number;

  constructor(message: string, details: { sentMessageIds: string[]; unsentRecipients: number; cause: unknown }) {
    super(message, { cause: details.cause });
    this.sentMessageIds = details.sentMessageIds;
    this.unsentRecipients = details.unsentRecipients;
  }
}

export interface SendDigestOptions {
  /** Verified sender identity. */
  from: string;
  recipients: readonly string[];
  configurationSetName: string;
  subject: string;
  html: string;
  text: string;
  /** Where recipients go: `to` (they see each other within a batch) or `bcc`. @default 'to' */
  recipientField?: 'to' | 'bcc';
  replyTo?: readonly string[];
  /** SES message tags, e.g. `{ digest: 'weekly' }` (ASCII letters, digits, `_` and `-` only). */
  tags?: Readonly<Record<string, string>>;
  /** Recipients per message, 1–50. @default 50 */
  batchSize?: number;
}

const TAG_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Trims, drops empties and case-insensitive duplicates, keeping first-seen order. */
export function normaliseRecipients(recipients: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of recipients) {
    const address = raw.trim();
    const key = address.toLowerCase();
    if (address === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(address);
  }
  return result;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The SendEmail request for one batch of recipients. */
export function sendEmailInput(options: SendDigestOptions, batch: readonly string[]): SendEmailCommandInput {
  const field = options.recipientField ?? 'to';
  return {
    FromEmailAddress: options.from,
    Destination: field === 'to' ? { ToAddresses: [...batch] } : { BccAddresses: [...batch] },
    ...(options.replyTo && options.replyTo.length > 0 ? { ReplyToAddresses: [...options.replyTo] } : {}),
    ConfigurationSetName: options.configurationSetName,
    Content: {
      Simple: {
        Subject: { Data: options.subject, Charset: 'UTF-8' },
        Body: {
          Html: { Data: options.html, Charset: 'UTF-8' },
          Text: { Data: options.text, Charset: 'UTF-8' },
        },
      },
    },
    ...(options.tags ? { EmailTags: Object.entries(options.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
  };
}

/**
 * Sends one message per batch of at most 50 recipients, in order, and returns the SES message ids.
 * Batches are sent one after another so a failure stops the rest and reports exactly who was not reached.
 */
export async function sendDigestEmail(client: SESv2Client, options: SendDigestOptions): Promise<string[]> {
  const batchSize = options.batchSize ?? SES_MAX_RECIPIENTS_PER_MESSAGE;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= SES_MAX_RECIPIENTS_PER_MESSAGE)) {
    throw new RangeError(`batchSize must be an integer from 1 to ${SES_MAX_RECIPIENTS_PER_MESSAGE}, got ${batchSize}`);
  }
  for (const [name, value] of Object.entries(options.tags ?? {})) {
    if (!TAG_PATTERN.test(name) || !TAG_PATTERN.test(value)) {
      throw new RangeError(`SES tag names and values allow ASCII letters, digits, '_' and '-' only: ${name}=${value}`);
    }
  }
  const recipients = normaliseRecipients(options.recipients);
  if (recipients.length === 0) throw new RangeError('The digest needs at least one recipient');
  const batches = chunk(recipients, batchSize);
  const messageIds: string[] = [];
  let sent = 0;
  for (const batch of batches) {
    try {
      const output = await client.send(new SendEmailCommand(sendEmailInput(options, batch)));
      if (output.MessageId !== undefined) messageIds.push(output.MessageId);
      sent += batch.length;
    } catch (error) {
      throw new DigestSendError(
        `SES rejected digest batch ${messageIds.length + 1} of ${batches.length} (${batch.length} recipients)`,
        { sentMessageIds: messageIds, unsentRecipients: recipients.length - sent, cause: error },
      );
    }
  }
  return messageIds;
}
