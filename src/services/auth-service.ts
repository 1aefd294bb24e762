// Sign-up, login, refresh with rotation and reuse detection, logout. A refresh token presented
// after it was rotated away means it leaked: its whole family is revoked.
import { DUMMY_HASH, hashPassword, verifyPassword } from '../adapters/auth/password.ts';
import {
  ACCESS_TOKEN_SECONDS,
  hashRefreshToken,
  newRefreshToken,
  type Principal,
  REFRESH_TOKEN_DAYS,
  signAccessToken,
} from '../adapters/auth/tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import {
  findMemberById,
  findMemberByLoginId,
  findRefreshToken,
  insertMember,
  insertRefreshToken,
  revokeFamily,
  revokeRefreshToken,
} from '../adapters/db/member-repository.ts';
import { AppError } from '../domain/errors.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export async function signup(db: Database, loginId: string, password: string) {
  return insertMember(db, loginId, await hashPassword(password));
}

export async function login(
  db: Database,
  secret: string,
  loginId: string,
  password: string,
): Promise<TokenPair> {
  const member = await findMemberByLoginId(db, loginId);
  // Unknown ids cost the same as wrong passwords, so timing does not tell which ids exist.
  const ok = await verifyPassword(password, member?.passwordHash ?? DUMMY_HASH);
  if (!member || !ok) throw new AppError('INVALID_CREDENTIALS', 'login id or password is wrong');
  return issueTokens(db, secret, member, crypto.randomUUID());
}

export async function refresh(db: Database, secret: string, refreshToken: string): Promise<TokenPair> {
  const stored = await findRefreshToken(db, await hashRefreshToken(refreshToken));
  if (!stored) throw new AppError('UNAUTHORIZED', 'unknown refresh token');
  if (stored.revokedAt || !(await revokeRefreshToken(db, stored.id))) {
    await revokeFamily(db, stored.familyId);
    throw new AppError('UNAUTHORIZED', 'refresh token was already used; please log in again');
  }
  if (stored.expiresAt.getTime() <= Date.now()) throw new AppError('UNAUTHORIZED', 'refresh token expired');
  const member = await findMemberById(db, stored.memberId);
  if (!member) throw new AppError('UNAUTHORIZED', 'account no longer exists');
  return issueTokens(db, secret, member, stored.familyId);
}

export async function logout(db: Database, refreshToken: string): Promise<void> {
  const stored = await findRefreshToken(db, await hashRefreshToken(refreshToken));
  if (stored) await revokeFamily(db, stored.familyId);
}

async function issueTokens(
  db: Database,
  secret: string,
  member: Principal,
  familyId: string,
): Promise<TokenPair> {
  const refreshToken = newRefreshToken();
  await insertRefreshToken(db, {
    memberId: member.id,
    familyId,
    tokenHash: await hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000),
  });
  const principal = { id: member.id, loginId: member.loginId, role: member.role };
  return {
    accessToken: await signAccessToken(principal, secret),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_SECONDS,
  };
}
