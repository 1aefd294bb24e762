// Access tokens (JWT, HS256 from JWT_SECRET, 15 minutes, iss/aud/exp checked, no other algorithm)
// and opaque refresh tokens, stored only as their SHA-256.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES } from '../db/schema.ts';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 14;
const ISSUER = 'marquee';
const AUDIENCE = 'marquee-api';
const encoder = new TextEncoder();

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
    .sign(encoder.encode(secret));
}

/** The principal a valid token names, or undefined for anything else (expired, forged, malformed). */
export async function verifyAccessToken(token: string, secret: string): Promise<TokenHolder | undefined> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    const parsed = claims.safeParse(payload);
    if (!parsed.success) return undefined;
    const { sub, login, role, ims } = parsed.data;
    return { id: sub, loginId: login, role, issuedAtMs: ims ?? 0 };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
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
