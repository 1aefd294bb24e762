import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { api, newUser, uniqueLoginId } from './helpers.ts';

const secret = new TextEncoder().encode(env.JWT_SECRET);
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

async function token(
  claims: Record<string, unknown>,
  options: { key?: Uint8Array; iss?: string; aud?: string; exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(options.iss ?? 'marquee')
    .setAudience(options.aud ?? 'marquee-api')
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(options.key ?? secret);
}

const me = (accessToken: string) => api('/api/me', { token: accessToken });

/** Every candidate token, presented on `path`, gets 401 UNAUTHORIZED. */
async function expectUnauthorized(path: string, candidates: Record<string, string | undefined>) {
  for (const [name, candidate] of Object.entries(candidates)) {
    const response = await api(path, { token: candidate });
    expect({ name, status: response.status, code: response.body.code }).toEqual({
      name,
      status: 401,
      code: 'UNAUTHORIZED',
    });
  }
}

describe('auth', () => {
  describe('happy', () => {
    it('signs up a USER, logs in and answers /api/me', async () => {
      const loginId = uniqueLoginId('happy');
      const created = await api('/api/auth/signup', {
        method: 'POST',
        body: { loginId, password: 'password-123' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), loginId, role: 'USER' });

      const tokens = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId, password: 'password-123' },
      });
      expect(tokens.status).toBe(200);
      expect(tokens.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const who = await me(tokens.body.accessToken);
      expect(who.status).toBe(200);
      expect(who.body).toEqual({ id: created.body.id, loginId, role: 'USER' });
    });

    it('rotates the refresh token: the new one works, the old one is revoked', async () => {
      const user = await newUser();
      const rotated = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: user.refreshToken },
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refreshToken).not.toBe(user.refreshToken);
      expect((await me(rotated.body.accessToken)).status).toBe(200);
      const again = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: rotated.body.refreshToken },
      });
      expect(again.status).toBe(200);
    });

    it('logs out: the refresh token no longer refreshes', async () => {
      const user = await newUser();
      const out = await api('/api/auth/logout', {
        method: 'POST',
        body: { refreshToken: user.refreshToken },
      });
      expect(out.status).toBe(204);
      const after = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: user.refreshToken },
      });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('errors', () => {
    it.each([
      [{ loginId: 'abc', password: 'password-123' }, 'loginId'],
      [{ loginId: 'Upper_Case', password: 'password-123' }, 'loginId'],
      [{ loginId: 'a'.repeat(33), password: 'password-123' }, 'loginId'],
      [{ loginId: 'valid_id', password: 'short' }, 'password'],
      [{ loginId: 'valid_id', password: 'p'.repeat(73) }, 'password'],
      [{ password: 'password-123' }, 'loginId'],
    ])('refuses signup %j with 400 on %s', async (body, path) => {
      const response = await api('/api/auth/signup', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await api('/api/auth/signup', {
        method: 'POST',
        body: '{"loginId":',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('refuses a taken login id with 409 LOGIN_ID_TAKEN', async () => {
      const user = await newUser();
      const again = await api('/api/auth/signup', {
        method: 'POST',
        body: { loginId: user.loginId, password: 'another-password' },
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('LOGIN_ID_TAKEN');
    });

    it('answers a wrong password and an unknown login id alike with 401 INVALID_CREDENTIALS', async () => {
      const user = await newUser();
      const wrong = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId: user.loginId, password: 'nope-nope' },
      });
      const unknown = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId: uniqueLoginId('ghost'), password: 'password-123' },
      });
      for (const response of [wrong, unknown]) {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('INVALID_CREDENTIALS');
      }
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('refuses an unknown refresh token with 401', async () => {
      const response = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: 'not-a-token' },
      });
      expect(response.status).toBe(401);
    });
  });

  describe('security', () => {
    it('never makes an admin at signup, whatever the body says', async () => {
      const loginId = uniqueLoginId('sneaky');
      const created = await api('/api/auth/signup', {
        method: 'POST',
        body: { loginId, password: 'password-123', role: 'ADMIN' },
      });
      expect(created.status).toBe(201);
      expect(created.body.role).toBe('USER');
    });

    it('revokes the whole family when a rotated refresh token is presented again', async () => {
      const user = await newUser();
      const rotated = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: user.refreshToken },
      });
      expect(rotated.status).toBe(200);
      const reuse = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: user.refreshToken },
      });
      expect(reuse.status).toBe(401);
      const descendant = await api('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: rotated.body.refreshToken },
      });
      expect(descendant.status).toBe(401);
    });

    it('lets only one of two concurrent refreshes with the same token win', async () => {
      const user = await newUser();
      const results = await Promise.all(
        [1, 2].map(() =>
          api('/api/auth/refresh', { method: 'POST', body: { refreshToken: user.refreshToken } }),
        ),
      );
      expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
    });

    it('refuses missing, malformed, expired, forged and tampered access tokens', async () => {
      const user = await newUser();
      const claims = { sub: user.id, login: user.loginId, role: 'USER' };
      const past = Math.floor(Date.now() / 1000) - 60;
      const [, payload, signature] = user.accessToken.split('.');
      const header = b64url({ alg: 'HS256', typ: 'JWT' });
      const tampered = `${header}.${b64url({ ...JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/'))), role: 'ADMIN' })}.${signature}`;
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iss: 'marquee', aud: 'marquee-api', exp: past + 3600 })}.`;
      const candidates = {
        missing: undefined,
        garbage: 'not.a.token',
        expired: await token(claims, { exp: past }),
        otherKey: await token(claims, { key: new TextEncoder().encode('another-secret-another-secret!!') }),
        wrongIssuer: await token(claims, { iss: 'someone-else' }),
        wrongAudience: await token(claims, { aud: 'another-api' }),
        tampered,
        unsigned,
      };
      await expectUnauthorized('/api/me', candidates);
      expect(
        (
          await me(
            await signAccessToken({ id: user.id, loginId: user.loginId, role: 'USER' }, env.JWT_SECRET!),
          )
        ).status,
      ).toBe(200);
    });
  });

  describe('security: access tokens beyond /api/me', () => {
    const forge = async (claims: Record<string, unknown>, header: Record<string, unknown>, key = secret) =>
      new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
    const now = () => Math.floor(Date.now() / 1000);

    it('never lets a forged or tampered token act as an admin', async () => {
      const user = await newUser();
      const adminClaims = {
        sub: user.id,
        login: user.loginId,
        role: 'ADMIN',
        iss: 'marquee',
        aud: 'marquee-api',
        exp: now() + 600,
      };
      const [, payload, signature] = user.accessToken.split('.');
      const claims = JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/')));
      const candidates = {
        tamperedRole: `${user.accessToken.split('.')[0]}.${b64url({ ...claims, role: 'ADMIN' })}.${signature}`,
        unsigned: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(adminClaims)}.`,
        unsignedNoneUpper: `${b64url({ alg: 'NONE' })}.${b64url(adminClaims)}.`,
        otherKey: await forge(adminClaims, { alg: 'HS256' }, new TextEncoder().encode('x'.repeat(40))),
      };
      await expectUnauthorized('/api/admin/payments', candidates);
      const honest = await api('/api/admin/payments', { token: user.accessToken });
      expect([honest.status, honest.body.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('accepts HS256 only, with exp, sub and a known role', async () => {
      const user = await newUser();
      const base = { sub: user.id, login: user.loginId, role: 'USER', iss: 'marquee', aud: 'marquee-api' };
      const candidates = {
        hs512: await forge({ ...base, exp: now() + 600 }, { alg: 'HS512' }),
        noExpiry: await forge(base, { alg: 'HS256' }),
        notYetValid: await forge({ ...base, exp: now() + 600, nbf: now() + 300 }, { alg: 'HS256' }),
        subjectNotAnId: await forge({ ...base, sub: 'admin', exp: now() + 600 }, { alg: 'HS256' }),
        unknownRole: await forge({ ...base, role: 'ROOT', exp: now() + 600 }, { alg: 'HS256' }),
        emptyAudience: await forge({ ...base, aud: [], exp: now() + 600 }, { alg: 'HS256' }),
      };
      for (const [name, candidate] of Object.entries(candidates)) {
        expect({ name, status: (await me(candidate)).status }).toEqual({ name, status: 401 });
      }
      expect((await me(await forge({ ...base, exp: now() + 600 }, { alg: 'HS256' }))).status).toBe(200);
    });

    it('after a refresh token is reused, no token of its family refreshes, and a new login starts afresh', async () => {
      const user = await newUser();
      const refreshWith = (refreshToken: string) =>
        api('/api/auth/refresh', { method: 'POST', body: { refreshToken } });
      const first = await refreshWith(user.refreshToken);
      const second = await refreshWith(first.body.refreshToken);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect((await refreshWith(first.body.refreshToken)).status).toBe(401); // reuse of a rotated token
      expect((await refreshWith(second.body.refreshToken)).status).toBe(401); // its newest sibling too
      const fresh = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId: user.loginId, password: user.password },
      });
      expect((await refreshWith(fresh.body.refreshToken)).status).toBe(200);
    });
  });
});
