import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './env.js';

/** Where the HMAC key comes from: a Secrets Manager secret id, or (local stack and tests) the key itself. */
export interface HashKeySource {
  hashKey?: string;
  hashKeyParameter?: string;
}

/** Shorter keys are refused: an HMAC key this short would make customer hashes guessable. */
export const MIN_HASH_KEY_LENGTH = 16;

/**
 * How long a container keeps the key before reading the secret again. The key is never rotated (rotating it would
 * change every customer hash), so this only bounds how long a container serves a key an operator has since replaced.
 */
const KEY_MAX_AGE_SECONDS = 3600;

/**
 * Returns a loader for the HMAC key of customer identifiers: `hashKey` when set (local stack), else the Secrets
 * Manager secret `hashKeyParameter`, read through Powertools Parameters (cached for an hour, on the caller's traced
 * client). Concurrent callers share one request. Nothing failed is kept: Powertools caches only values it fetched, and
 * a value refused here (too short) is fetched afresh on the next call, so a throttled or misconfigured cold start is
 * retried by the next invocation instead of failing every later one of the container.
 */
export function createHashKeyLoader(client: SecretsManagerClient): (source: HashKeySource) => Promise<string> {
  const secrets = new SecretsProvider({ awsSdkV3Client: client });
  let refused = false;
  let inFlight: Promise<string> | undefined;
  const fetchKey = async (secretId: string): Promise<string> => {
    const secret = await getSecret(secrets, secretId, refused);
    refused = typeof secret !== 'string' || secret.length < MIN_HASH_KEY_LENGTH;
    if (refused) {
      throw new ConfigurationError(
        `Secret ${secretId} holds no usable hash key (at least ${MIN_HASH_KEY_LENGTH} characters)`,
      );
    }
    return secret as string;
  };
  return (source) => {
    if (source.hashKey) return Promise.resolve(source.hashKey);
    const secretId = source.hashKeyParameter;
    if (!secretId) return Promise.reject(new ConfigurationError('No hash key configured'));
    inFlight ??= fetchKey(secretId).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** The secret's value; a missing secret is a deployment mistake, anything else (throttling, network) the SDK's error. */
async function getSecret(secrets: SecretsProvider, secretId: string, forceFetch: boolean): Promise<unknown> {
  try {
    return await secrets.get(secretId, { maxAge: KEY_MAX_AGE_SECONDS, forceFetch });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    if (cause instanceof Error && cause.name === 'ResourceNotFoundException') {
      throw new ConfigurationError(`Secret ${secretId} does not exist`, { cause });
    }
    throw cause;
  }
}
