import { ComprehendClient } from '@aws-sdk/client-comprehend';

/**
 * The one Comprehend client (endpoint from `AWS_ENDPOINT_URL_COMPREHEND` when set). The adapter retries throttling
 * and 5xx itself, with jitter under its concurrency limit, so the SDK's own retries are off.
 */
export const comprehendClient = new ComprehendClient({ maxAttempts: 1 });
