import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './env.js';

/** Where the HMAC key comes from: a Secrets Manager secret id, or (local stack and tests) the key itself. */
export interface HashKeySource {
  hashKey?: string;
  hashKeyParameter?: string;
}

/** Shorter keys are refused: an HMAC key this short would make customer hashes guessable. */
export const MIN_HASH_KEY_LENGTH = 16;

/**
 * Returns a loader that reads the HMAC key for customer identifiers once per container: from `hashKey` when set
 * (local stack), else from the Secrets Manager secret `hashKeyParameter`. Concurrent callers share one request; a
 * success is kept for the container's life (the key is never rotated: rotating it would change every customer hash),
 * and a failure is not kept, so a throttled or unlucky cold start is retried by the next call instead of failing
 * every later invocation of the container.
 */
export function createHashKeyLoader(client: SecretsManagerClient): (source: HashKeySource) => Promise<string> {
  let pending: Promise<string> | undefined;
  return (source) => {
    pending ??= readHashKey(client, source).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function readHashKey(client: SecretsManagerClient, source: HashKeySource): Promise<string> {
  if (source.hashKey) return source.hashKey;
  if (!source.hashKeyParameter) throw new ConfigurationError('No hash key configured');
  let secret: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: source.hashKeyParameter }));
    secret = out.SecretString;
  } catch (error) {
    // A missing secret is a deployment mistake; anything else (throttling, network) is transient and rethrown as is.
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new ConfigurationError(`Secret ${source.hashKeyParameter} does not exist`, { cause: error });
    }
    throw error;
  }
  if (!secret || secret.length < MIN_HASH_KEY_LENGTH) {
    throw new ConfigurationError(
      `Secret ${source.hashKeyParameter} holds no usable hash key (at least ${MIN_HASH_KEY_LENGTH} characters)`,
    );
  }
  return secret;
}
