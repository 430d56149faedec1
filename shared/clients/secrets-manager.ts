import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The one Secrets Manager client (endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER` when set). */
export const secretsManagerClient = new SecretsManagerClient({});
