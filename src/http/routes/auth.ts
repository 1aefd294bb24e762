// POST /api/auth/signup, login, refresh, logout and GET /api/me (API.md, Auth).
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../domain/errors.ts';
import { login, logout, refresh, signup } from '../../services/auth-service.ts';
import { bearer, requireUser } from '../middleware/auth.ts';
import { LIMITS, limitPerIp, unlessTooManyFailures } from '../middleware/rate-limit.ts';
import { createRouter } from '../openapi.ts';
import { body, json, problem } from '../schemas/common.ts';

const LoginId = z
  .string()
  .regex(/^[a-z0-9_]{4,32}$/, '4 to 32 of a-z, 0-9 and _')
  .openapi({ example: 'moviegoer_1' });
const Password = z.string().min(8).max(72).openapi({ example: 'correct horse battery' });
const Credentials = z
  .object({ loginId: LoginId, password: Password })
  .openapi('Credentials', { example: { loginId: 'moviegoer_1', password: 'correct horse battery' } });
// Any login id may be tried (an unknown one is a wrong credential), but no control character: none
// can be in a login id, and Postgres refuses a NUL byte in text.
const LoginBody = z
  .object({
    loginId: z
      .string()
      .min(1)
      .max(64)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is its point
      .regex(/^[^\x00-\x1f\x7f-\x9f]*$/, 'no control characters'),
    password: z.string().min(1).max(72),
  })
  .openapi('LoginRequest', { example: { loginId: 'moviegoer_1', password: 'correct horse battery' } });
const RefreshBody = z
  .object({ refreshToken: z.string().min(1).max(200) })
  .openapi('RefreshRequest', { example: { refreshToken: 'kX3vR9mQ2pL7wT5yN8bC1dF4gH6jK0aZsEuIoP-_qWe' } });
const Member = z
  .object({ id: z.string(), loginId: z.string(), role: z.enum(['USER', 'ADMIN']) })
  .openapi('Member', {
    example: { id: '5d0f3c1e-2b7a-4c9d-8e6f-1a2b3c4d5e6f', loginId: 'moviegoer_1', role: 'USER' },
  });
const Tokens = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds the access token is valid', example: 900 }),
  })
  .openapi('Tokens', {
    example: {
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1ZDBmM2MxZSIsInJvbGUiOiJVU0VSIn0.c2lnbmF0dXJl',
      refreshToken: 'kX3vR9mQ2pL7wT5yN8bC1dF4gH6jK0aZsEuIoP-_qWe',
      tokenType: 'Bearer',
      expiresIn: 900,
    },
  });

const signupRoute = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['Auth'],
  operationId: 'signUp',
  summary: 'Create a USER account',
  description:
    'Creates a member with role USER; then log in for tokens. The login id is 4 to 32 of a-z, 0-9 and _, the password 8 to 72 characters. Sign-up never makes an admin. Limited per client address (SIGNUPS_PER_IP_PER_HOUR).',
  'x-auth': 'public',
  middleware: [limitPerIp(LIMITS.signups)] as const,
  request: { body: body(Credentials) },
  responses: {
    201: json(Member, 'Created'),
    400: problem('VALIDATION_FAILED', 'Invalid login id or password'),
    409: problem('LOGIN_ID_TAKEN', 'The login id is taken'),
    429: problem(
      'RATE_LIMITED',
      'Too many sign-ups from this address (SIGNUPS_PER_IP_PER_HOUR) or requests (REQUESTS_PER_IP_PER_MINUTE)',
    ),
  },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['Auth'],
  operationId: 'logIn',
  summary: 'Exchange credentials for tokens',
  description:
    'Answers an access token (a 15-minute HS256 JWT: send it as `Authorization: Bearer <accessToken>`) and a refresh token (for `POST /api/auth/refresh`). Too many failed logins for one login id (LOGIN_FAILURES_PER_ACCOUNT per 15 minutes) answer 429 for that account, even with the right password, until the window ends; unknown login ids are counted the same way. Every attempt also counts against LOGINS_PER_IP_PER_MINUTE.',
  'x-auth': 'public',
  middleware: [limitPerIp(LIMITS.logins)] as const,
  request: { body: body(LoginBody) },
  responses: {
    200: json(Tokens, 'Tokens'),
    400: problem('VALIDATION_FAILED', 'Malformed body'),
    401: problem('INVALID_CREDENTIALS', 'Wrong login id or password'),
    429: problem(
      'RATE_LIMITED',
      'Too many attempts from this address (LOGINS_PER_IP_PER_MINUTE), or failures for this account (LOGIN_FAILURES_PER_ACCOUNT)',
    ),
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  tags: ['Auth'],
  operationId: 'refreshTokens',
  summary: 'Rotate a refresh token; a reused one revokes its whole family',
  description:
    'Spends the refresh token and answers a new access and refresh token. A refresh token that was already spent, presented again, revokes every token of its family (it was stolen or leaked) and answers 401: log in again.',
  'x-auth': 'public',
  request: { body: body(RefreshBody) },
  responses: {
    200: json(Tokens, 'New tokens'),
    400: problem('VALIDATION_FAILED', 'Malformed body'),
    401: problem('UNAUTHORIZED', 'Unknown, spent (its family is now revoked) or expired refresh token'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['Auth'],
  operationId: 'logOut',
  summary: 'Revoke a refresh token and its family',
  description:
    'The refresh token and every token rotated from the same login stop working. Access tokens already issued live out their 15 minutes. An unknown token is not an error.',
  'x-auth': 'public',
  request: { body: body(RefreshBody) },
  responses: { 204: { description: 'Logged out' }, 400: problem('VALIDATION_FAILED', 'Malformed body') },
});

const meRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['Auth'],
  operationId: 'getMe',
  summary: 'The caller',
  description: 'The member the bearer token names: id, login id and role.',
  'x-auth': 'user',
  security: bearer,
  middleware: [requireUser] as const,
  responses: {
    200: json(Member, 'The caller'),
    401: problem('UNAUTHORIZED', 'No bearer token, or a bad or expired one'),
  },
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
