// The fingerprint that tells two payment requests with one Idempotency-Key apart is the same
// whichever SHA-256 computes it: Node's synchronous one and WebCrypto's (the Worker's) agree, so a
// key claimed through one runtime is recognised through the other.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestHash } from '../../../src/services/payment-service.ts';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('payment request hash', () => {
  it('is the same with node:crypto as with WebCrypto, and tells requests apart', async () => {
    const request = {
      holdToken: 'hold-1',
      screeningId: '0b1e2c3d-0000-4000-8000-000000000001',
      method: 'CARD' as const,
      cardNumber: '4242424242424242',
    };
    const web = await requestHash(request);
    expect(web).toMatch(/^[0-9a-f]{64}$/);
    expect(await requestHash(request, nodeSha256)).toBe(web);
    expect(await requestHash({ ...request, cardNumber: '4000000000000002' }, nodeSha256)).not.toBe(web);
    const wallet = { ...request, method: 'TOSS' as const, cardNumber: undefined };
    expect(await requestHash(wallet, nodeSha256)).toBe(await requestHash(wallet));
  });
});
