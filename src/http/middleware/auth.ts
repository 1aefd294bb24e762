// Bearer-token authentication and the role guard. A route names what it needs in its
// `middleware`; the OpenAPI document's `x-auth` says the same for the authorization sweep. A token
// issued before its member's password or role changed, or the member was deleted, is refused
// within seconds (login-revocations.ts).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Principal, type TokenHolder, verifyAccessToken } from '../../adapters/auth/tokens.ts';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv } from '../context.ts';
import { loginEnded, refreshLoginRevocations } from '../login-revocations.ts';

export type AuthEnv = AppEnv & { Variables: { member: Principal } };

/** The member a valid bearer token names, or undefined without one. */
export async function bearerPrincipal<E extends AppEnv>(c: Context<E>): Promise<TokenHolder | undefined> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  const secret = c.get('settings').JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not configured');
  return match?.[1] ? verifyAccessToken(match[1], secret) : undefined;
}

/** A valid token issued since its member's logins last ended (a password or role change, deletion). */
export const requireUser = createMiddleware<AuthEnv>(async (c, next) => {
  const holder = await bearerPrincipal(c);
  if (!holder) throw new AppError('UNAUTHORIZED', 'a valid bearer token is required');
  if (await loginEnded(c.get('db'), holder.id, holder.issuedAtMs)) {
    throw new AppError(
      'UNAUTHORIZED',
      'this login has ended (password, role or account changed); log in again',
    );
  }
  c.set('member', { id: holder.id, loginId: holder.loginId, role: holder.role });
  await next();
  if (!c.error && c.res.status < 400) await refreshLoginRevocations(c.get('db'));
});

export const requireAdmin = createMiddleware<AuthEnv>(async (c, next) => {
  await requireUser(c, async () => {
    if (c.get('member').role !== 'ADMIN') throw new AppError('FORBIDDEN', 'this route is for admins');
    await next();
  });
});

/** OpenAPI security requirement for routes behind requireUser/requireAdmin. */
export const bearer = [{ bearer: [] }];
