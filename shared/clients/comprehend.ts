import { ComprehendClient } from '@aws-sdk/client-comprehend';

/** The one Comprehend client (endpoint from `AWS_ENDPOINT_URL_COMPREHEND` when set). */
export const comprehendClient = new ComprehendClient({});
