// Access tokens (JWT, HS256 from JWT_SECRET, 15 minutes, iss/aud/exp checked, no other algorithm)
// and opaque refresh tokens, stored only as their SHA-256. The HMAC key is imported once per secret,
// and a token that verified is remembered by its exact string (bounded, its `exp` checked again on
// every hit), so a member's next requests skip the signature check.
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES } from '../db/schema.ts';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 14;
export const ISSUER = 'marquee';
const AUDIENCE = 'marquee-api';
const encoder = new TextEncoder();
/** Verified tokens remembered per isolate or process; the oldest goes first when it is full. */
export const VERIFIED_TOKENS_KEPT = 10_000;

export type Role = (typeof ROLES)[number];
export interface Principal {
  id: string;
  loginId: string;
  role: Role;
}

/** A verified token's member and when the token was issued (epoch ms; 0 when the token says not). */
export interface TokenHolder extends Principal {
  issuedAtMs: number;
}

// `ims`: the issue time in milliseconds (`iat` has whole seconds), so a login made right after the
// member's logins were ended is told apart from one made right before.
const claims = z.object({
  sub: z.string().uuid(),
  login: z.string(),
  role: z.enum(ROLES),
  ims: z.number().int().optional(),
});

export async function signAccessToken(
  principal: Principal,
  secret: string,
  now = Date.now(),
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ login: principal.loginId, role: principal.role, ims: now })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_SECONDS)
    .sign(await hmacKey(secret));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The secret as an HMAC-SHA-256 key, imported once (jose would import it again on every call). */
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/**
 * HS256 tokens of one audience, verified by jose (issuer, audience, `exp` and `sub` required, no
 * other algorithm) and remembered by their exact string, bounded (the oldest goes first), with `exp`
 * checked again on every hit. `read` turns a verified token's claims into what it grants, or
 * undefined to refuse it.
 */
export class RememberedTokens<T> {
  readonly #audience: string;
  readonly #read: (payload: JWTPayload) => T | undefined;
  readonly #kept = new Map<string, { secret: string; value: T; expiresAt: number }>();

  constructor(audience: string, read: (payload: JWTPayload) => T | undefined) {
    this.#audience = audience;
    this.#read = read;
  }

  async verify(token: string, secret: string, now = Date.now()): Promise<T | undefined> {
    const known = this.#kept.get(token);
    if (known && known.secret === secret) {
      if (now < known.expiresAt) return known.value;
      this.#kept.delete(token);
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(token, await hmacKey(secret), {
        issuer: ISSUER,
        audience: this.#audience,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
      });
      const value = this.#read(payload);
      if (value === undefined) return undefined;
      if (this.#kept.size >= VERIFIED_TOKENS_KEPT) {
        const oldest = this.#kept.keys().next();
        if (!oldest.done) this.#kept.delete(oldest.value);
      }
      this.#kept.set(token, { secret, value, expiresAt: (payload.exp ?? 0) * 1000 });
      return value;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  }

  /** How many verified tokens are remembered now (for tests of the bound). */
  get size(): number {
    return this.#kept.size;
  }
}

const accessTokens = new RememberedTokens<TokenHolder>(AUDIENCE, (payload) => {
  const parsed = claims.safeParse(payload);
  if (!parsed.success) return undefined;
  const { sub, login, role, ims } = parsed.data;
  return { id: sub, loginId: login, role, issuedAtMs: ims ?? 0 };
});

/** The principal a valid token names, or undefined for anything else (expired, forged, malformed). */
export function verifyAccessToken(
  token: string,
  secret: string,
  now = Date.now(),
): Promise<TokenHolder | undefined> {
  return accessTokens.verify(token, secret, now);
}

/** How many verified tokens are remembered now (for tests of the bound). */
export function verifiedTokensKept(): number {
  return accessTokens.size;
}

export function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
