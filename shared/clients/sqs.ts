import { SQSClient } from '@aws-sdk/client-sqs';

/** The one SQS client (endpoint from `AWS_ENDPOINT_URL_SQS` when set). */
export const sqsClient = new SQSClient({});
