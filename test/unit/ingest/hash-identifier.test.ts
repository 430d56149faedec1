import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashIdentifier } from '../../../shared/ingest/clean.js';

const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('hashIdentifier', () => {
  it('is HMAC-SHA256 of kind:value for any key and value, on first sight and from its cache', () => {
    fc.assert(
      fc.property(
        // Short ASCII keys take the string fast path; non-ASCII and over-long (hashed) keys take the Buffer path.
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.string({ minLength: 65, maxLength: 120 }),
          fc.constant('ключ-密钥'),
        ),
        fc.array(fc.string({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        (key, values) => {
          for (const v of [...values, ...values]) {
            expect(hashIdentifier(key, v, 'id')).toBe(hmac(key, `id:${v.trim()}`));
            expect(hashIdentifier(key, v, 'email')).toBe(hmac(key, `email:${v.trim().toLowerCase()}`));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
