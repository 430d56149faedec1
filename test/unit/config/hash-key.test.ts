import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/config/env.js';
import { createHashKeyLoader } from '../../../shared/config/hash-key.js';

const SECRET_ID = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:feedback-dev/customer-id-hash-key-AbCdEf';
const KEY = 'k'.repeat(64);

/** An SDK service error as the client surfaces it (name, fault, HTTP status). */
function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (injected)`), {
    name,
    $fault: status >= 500 || name === 'ThrottlingException' ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('createHashKeyLoader (aws-sdk-client-mock fault injection)', () => {
  const client = new SecretsManagerClient({ region: 'eu-central-1' });
  const secrets = mockClient(client);

  beforeEach(() => {
    secrets.reset();
  });
  afterAll(() => {
    secrets.restore();
  });

  it('retries on the next call after a throttled first call, then keeps the key', async () => {
    // Prepare
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .rejectsOnce(serviceError('ThrottlingException', 400))
      .resolves({ SecretString: KEY });
    const load = createHashKeyLoader(client);

    // Act
    const first = load({ hashKeyParameter: SECRET_ID });
    await expect(first).rejects.toMatchObject({ name: 'ThrottlingException' });
    const second = await load({ hashKeyParameter: SECRET_ID });
    const third = await load({ hashKeyParameter: SECRET_ID });

    // Assess
    expect(second).toBe(KEY);
    expect(third).toBe(KEY);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('rejects a too-short secret with a ConfigurationError and reads the secret again on the next call', async () => {
    // Prepare: someone stored a short key, then fixed it
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'short' }).resolves({ SecretString: KEY });
    const load = createHashKeyLoader(client);

    // Act
    const first = load({ hashKeyParameter: SECRET_ID });
    await expect(first).rejects.toBeInstanceOf(ConfigurationError);
    await expect(first).rejects.toThrow(/no usable hash key/);
    const second = await load({ hashKeyParameter: SECRET_ID });

    // Assess
    expect(second).toBe(KEY);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('rejects a secret without a string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(32) });
    const load = createHashKeyLoader(client);

    await expect(load({ hashKeyParameter: SECRET_ID })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('translates a missing secret into a ConfigurationError that keeps the SDK error as its cause', async () => {
    const missing = serviceError('ResourceNotFoundException', 400);
    secrets.on(GetSecretValueCommand).rejects(missing);
    const load = createHashKeyLoader(client);

    const error = await load({ hashKeyParameter: SECRET_ID }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).cause).toBe(missing);
  });

  it('shares one request between concurrent callers of a cold container', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: KEY });
    const load = createHashKeyLoader(client);

    const keys = await Promise.all(Array.from({ length: 10 }, () => load({ hashKeyParameter: SECRET_ID })));

    expect(new Set(keys)).toEqual(new Set([KEY]));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('uses a plain key (local stack) without calling Secrets Manager', async () => {
    const load = createHashKeyLoader(client);

    await expect(load({ hashKey: 'local-development-only-hash-key' })).resolves.toBe('local-development-only-hash-key');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('fails with a ConfigurationError when neither a key nor a secret is configured', async () => {
    const load = createHashKeyLoader(client);

    await expect(load({})).rejects.toBeInstanceOf(ConfigurationError);
  });
});
