// POST /api/auth/signup, login, refresh, logout and GET /api/me (API.md, Auth).
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../domain/errors.ts';
import { login, logout, refresh, signup } from '../../services/auth-service.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { LIMITS, limitPerIp, unlessTooManyFailures } from '../middleware/rate-limit.ts';
import { createRouter } from '../openapi.ts';
import { json, problem } from '../schemas/common.ts';

const LoginId = z
  .string()
  .regex(/^[a-z0-9_]{4,32}$/, '4 to 32 of a-z, 0-9 and _')
  .openapi({ example: 'moviegoer_1' });
const Password = z.string().min(8).max(72).openapi({ example: 'correct horse battery' });
const Credentials = z.object({ loginId: LoginId, password: Password }).openapi('Credentials');
// Any login id may be tried (an unknown one is a wrong credential), but no control character: none
// can be in a login id, and Postgres refuses a NUL byte in text.
const LoginBody = z.object({
  loginId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  password: z.string().min(1).max(72),
});
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200) }).openapi('RefreshRequest');
const Member = z
  .object({ id: z.string(), loginId: z.string(), role: z.enum(['USER', 'ADMIN']) })
  .openapi('Member');
const Tokens = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ example: 900 }),
  })
  .openapi('Tokens');

const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const signupRoute = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['Auth'],
  summary: 'Create a USER account',
  'x-auth': 'public',
  middleware: [limitPerIp(LIMITS.signups)] as const,
  request: { body: body(Credentials) },
  responses: {
    201: json(Member, 'Created'),
    400: problem('Invalid login id or password'),
    409: problem('LOGIN_ID_TAKEN'),
    429: problem('RATE_LIMITED: too many sign-ups from this address'),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['Auth'],
  summary: 'Exchange credentials for tokens',
  description:
    'Too many failed logins for one login id (LOGIN_FAILURES_PER_ACCOUNT per 15 minutes) answer 429 for that account, even with the right password, until the window ends.',
  'x-auth': 'public',
  middleware: [limitPerIp(LIMITS.logins)] as const,
  request: { body: body(LoginBody) },
  responses: {
    200: json(Tokens, 'Tokens'),
    400: problem('Malformed body'),
    401: problem('INVALID_CREDENTIALS'),
    429: problem('RATE_LIMITED: too many attempts from this address, or failures for this account'),
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  tags: ['Auth'],
  summary: 'Rotate a refresh token; a reused one revokes its whole family',
  'x-auth': 'public',
  request: { body: body(RefreshBody) },
  responses: {
    200: json(Tokens, 'New tokens'),
    400: problem('Malformed body'),
    401: problem('UNAUTHORIZED'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['Auth'],
  summary: 'Revoke a refresh token and its family',
  'x-auth': 'public',
  request: { body: body(RefreshBody) },
  responses: { 204: { description: 'Logged out' }, 400: problem('Malformed body') },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['Auth'],
  summary: 'The caller',
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser] as const,
  responses: { 200: json(Member, 'The caller'), 401: problem('UNAUTHORIZED') },
});

const isWrongCredentials = (error: unknown) =>
  error instanceof AppError && error.code === 'INVALID_CREDENTIALS';

const secretOf = (settings: { JWT_SECRET?: string }) => {
  if (!settings.JWT_SECRET) throw new Error('JWT_SECRET is not configured');
  return settings.JWT_SECRET;
};

export const authRoutes = createRouter()
  .openapi(signupRoute, async (c) => {
    const { loginId, password } = c.req.valid('json');
    return c.json(await signup(c.get('db')(), loginId, password), 201);
  })
  .openapi(loginRoute, async (c) => {
    const { loginId, password } = c.req.valid('json');
    const account = loginId.trim().toLowerCase();
    const tokens = await unlessTooManyFailures(c, LIMITS.loginFailures, account, isWrongCredentials, () =>
      login(c.get('db')(), secretOf(c.get('settings')), loginId, password),
    );
    return c.json(tokens, 200);
  })
  .openapi(refreshRoute, async (c) => {
    const { refreshToken } = c.req.valid('json');
    return c.json(await refresh(c.get('db')(), secretOf(c.get('settings')), refreshToken), 200);
  })
  .openapi(logoutRoute, async (c) => {
    await logout(c.get('db')(), c.req.valid('json').refreshToken);
    return c.body(null, 204);
  })
  .openapi(meRoute, (c) => c.json(c.get('member'), 200));
