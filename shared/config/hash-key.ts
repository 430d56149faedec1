import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './env.js';

let cached: Promise<string> | undefined;

/**
 * The HMAC key for customer identifiers: read once per container from Secrets Manager (`HASH_KEY_PARAMETER`,
 * a secret id) or, on the local stack, from `HASH_KEY`.
 */
export function loadHashKey(config: { hashKey?: string; hashKeyParameter?: string }): Promise<string> {
  cached ??= (async () => {
    if (config.hashKey) return config.hashKey;
    if (!config.hashKeyParameter) throw new ConfigurationError('No hash key configured');
    const out = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: config.hashKeyParameter }),
    );
    if (!out.SecretString || out.SecretString.length < 16) {
      throw new ConfigurationError(`Secret ${config.hashKeyParameter} holds no usable hash key`);
    }
    return out.SecretString;
  })();
  return cached;
}
