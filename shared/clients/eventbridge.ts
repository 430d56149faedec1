import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** The one EventBridge client (endpoint from `AWS_ENDPOINT_URL_EVENTBRIDGE` when set). */
export const eventBridgeClient = new EventBridgeClient({});
