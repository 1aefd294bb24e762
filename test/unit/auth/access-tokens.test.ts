// Access tokens: what verifies and what does not, including tokens answered from the cache of
// verified tokens (its `exp` checked on every hit, its secret compared, its size bounded).
import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_SECONDS,
  signAccessToken,
  VERIFIED_TOKENS_KEPT,
  verifiedTokensKept,
  verifyAccessToken,
} from '../../../src/adapters/auth/tokens.ts';

const SECRET = 'unit-test-secret-that-is-long-enough-for-hs256';
const member = { id: '7d1f3f0e-8a39-4c55-9c27-3c0f1b5a9e11', loginId: 'alice', role: 'USER' as const };

describe('access tokens', () => {
  it('verifies a token it signed, again from the cache', async () => {
    const token = await signAccessToken(member, SECRET);
    expect(await verifyAccessToken(token, SECRET)).toMatchObject(member);
    expect(await verifyAccessToken(token, SECRET)).toMatchObject(member);
  });

  it('refuses a remembered token once it has expired', async () => {
    const now = Date.now();
    const token = await signAccessToken(member, SECRET, now);
    expect(await verifyAccessToken(token, SECRET, now)).toMatchObject(member);
    const expiry = (Math.floor(now / 1000) + ACCESS_TOKEN_SECONDS) * 1000;
    expect(await verifyAccessToken(token, SECRET, expiry - 1)).toMatchObject(member);
    expect(await verifyAccessToken(token, SECRET, expiry)).toBeUndefined();
    // Forgotten after that, and jose refuses it as well.
    expect(await verifyAccessToken(token, SECRET, expiry + 1000)).toBeUndefined();
  });

  it('refuses a remembered token under another secret', async () => {
    const token = await signAccessToken(member, SECRET);
    expect(await verifyAccessToken(token, SECRET)).toMatchObject(member);
    expect(await verifyAccessToken(token, `${SECRET}-rotated`)).toBeUndefined();
  });

  it('refuses a tampered token', async () => {
    const token = await signAccessToken(member, SECRET);
    const [header, payload, signature] = token.split('.');
    const admin = btoa(JSON.stringify({ ...JSON.parse(atob(payload ?? '')), role: 'ADMIN' })).replace(
      /=+$/,
      '',
    );
    expect(await verifyAccessToken(`${header}.${admin}.${signature}`, SECRET)).toBeUndefined();
  });

  it('remembers at most VERIFIED_TOKENS_KEPT tokens', async () => {
    const now = Date.now();
    const tokens = await Promise.all(
      Array.from({ length: VERIFIED_TOKENS_KEPT + 5 }, (_, index) =>
        signAccessToken({ ...member, loginId: `member${index}` }, SECRET, now),
      ),
    );
    for (const token of tokens) await verifyAccessToken(token, SECRET, now);
    expect(verifiedTokensKept()).toBe(VERIFIED_TOKENS_KEPT);
    // The oldest were forgotten, and still verify by signature.
    expect(await verifyAccessToken(tokens[0] ?? '', SECRET, now)).toMatchObject({
      ...member,
      loginId: 'member0',
    });
  }, 60_000);
});
