// Bearer-token authentication and the role guard. A route names what it needs in its
// `middleware`; the OpenAPI document's `x-auth` says the same for the authorization sweep. A token
// of a member deleted or given another role since is refused within seconds (member-standing.ts).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Principal, verifyAccessToken } from '../../adapters/auth/tokens.ts';
import { AppError } from '../../domain/errors.ts';
import type { AppEnv } from '../context.ts';
import { currentRole } from '../member-standing.ts';

export type AuthEnv = AppEnv & { Variables: { member: Principal } };

/** The member a valid bearer token names, or undefined without one. */
export async function bearerPrincipal<E extends AppEnv>(c: Context<E>): Promise<Principal | undefined> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  const secret = c.get('settings').JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not configured');
  return match?.[1] ? verifyAccessToken(match[1], secret) : undefined;
}

/** A valid token of a member who still exists and still has the token's role (checked every few seconds). */
export const requireUser = createMiddleware<AuthEnv>(async (c, next) => {
  const member = await bearerPrincipal(c);
  if (!member) throw new AppError('UNAUTHORIZED', 'a valid bearer token is required');
  const role = await currentRole(c.get('db'), member.id);
  if (role !== undefined && role !== member.role) {
    throw new AppError('UNAUTHORIZED', 'this login no longer matches the account; log in again');
  }
  c.set('member', member);
  await next();
});

export const requireAdmin = createMiddleware<AuthEnv>(async (c, next) => {
  await requireUser(c, async () => {
    if (c.get('member').role !== 'ADMIN') throw new AppError('FORBIDDEN', 'this route is for admins');
    await next();
  });
});

/** OpenAPI security requirement for routes behind requireUser/requireAdmin. */
export const bearer = [{ bearer: [] }];
