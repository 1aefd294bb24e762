// The OpenAPI router every route module uses (zod validation failures become the contract's 400
// VALIDATION_FAILED with `errors: [{path, message}]`), request headers checked by name on the routes
// that read one (headersByName), and the document /openapi.json serves: the routes' own definitions
// plus what the app-wide middleware adds to every operation (the per-IP rate limit, the body cap, an
// unreachable database or seat coordinator).
import { OpenAPIHono, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.ts';
import { LARGER_BODIES, MAX_BODY_BYTES } from './middleware/body-size.ts';
import { problemResponse } from './problem.ts';
import { problem } from './schemas/common.ts';

const invalid = (c: Context, error: z.ZodError) =>
  problemResponse(c, 'VALIDATION_FAILED', 'the request does not match the schema', {
    errors: error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    })),
  });

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => (result.success ? undefined : invalid(c, result.error)),
  });
}

/** Where headersByName keeps a route's headers for the document (documentSharedResponses puts them back). */
const NAMED_HEADERS = 'x-named-headers';

/**
 * The route with its `request.headers` checked by name: a middleware reads just the headers the
 * schema names (`c.req.header(name)`) and hands the parsed ones to `c.req.valid('header')`, or
 * answers 400 as every validator does. @hono/zod-openapi's own header validator reads every header
 * of the request (`c.req.header()`), and on Node listing them builds undici's Headers for the whole
 * request: 3% of a hold's CPU. The document is unchanged. The headers are checked after the route's
 * middleware and before its path and body.
 */
export function headersByName<R extends RouteConfig & { request: { headers: z.ZodObject } }>(route: R): R {
  const { headers, ...request } = route.request;
  const names = Object.keys(headers.shape);
  const check = createMiddleware(async (c, next) => {
    const sent: Record<string, string> = {};
    for (const name of names) {
      const value = c.req.header(name);
      if (value !== undefined) sent[name] = value;
    }
    const result = await headers.safeParseAsync(sent);
    if (!result.success) return invalid(c, result.error);
    c.req.addValidatedData('header', result.data as Record<string, unknown>);
    await next();
  });
  const middleware = route.middleware === undefined ? [] : [route.middleware].flat();
  return { ...route, request, middleware: [...middleware, check], [NAMED_HEADERS]: headers } as R;
}

export type Router = ReturnType<typeof createRouter>;

const AUTH_GUIDE = `Marquee sells cinema seats: a public catalog, holds on seats (all or nothing, 1 to 8, they expire),
idempotent payments that turn a hold into a reservation, cancellations, a live seat map over a
WebSocket, and an admin side for the catalog and the seats.

## Getting a token
1. **Sign up**: \`POST /api/auth/signup\` with \`{"loginId": "moviegoer_1", "password": "correct horse battery"}\`
   (login id: 4 to 32 of a-z, 0-9 and _; password: 8 to 72 characters). Sign-up makes a USER;
   admins are made by the operator, never through the API.
2. **Log in**: \`POST /api/auth/login\` with the same body answers
   \`{"accessToken", "refreshToken", "tokenType": "Bearer", "expiresIn": 900}\`.
3. **Use it**: send \`Authorization: Bearer <accessToken>\` on every operation marked with the lock
   (security \`bearer\`). The access token is an HS256 JWT valid for 15 minutes.
4. **Refresh**: before or after it expires, \`POST /api/auth/refresh\` with \`{"refreshToken"}\` answers a
   new pair; the old refresh token is spent. Presenting a spent refresh token again revokes its whole
   family (every token descended from that login), so a stolen one stops working for both parties.
5. **Log out**: \`POST /api/auth/logout\` with \`{"refreshToken"}\` revokes it and its family.

No token, or a bad or expired one: 401 \`UNAUTHORIZED\`. A USER on an admin operation: 403 \`FORBIDDEN\`.
Somebody else's hold or reservation: 404, so nobody learns that it exists.

## Errors
Every error is RFC 9457 \`application/problem+json\` with a stable \`code\`; each response below lists
the codes it can carry. Any operation may also answer 500 \`INTERNAL_ERROR\`. Over a rate limit the
answer is 429 \`RATE_LIMITED\` with a \`Retry-After\` header. Every response carries \`X-Request-Id\`.

## Conventions
JSON in and out, camelCase. Ids are opaque strings, times ISO-8601 UTC, money integer KRW. Lists are
\`{"items": [...], "nextCursor": string | null}\` with \`?limit=\` (1 to 100, default 20) and \`?cursor=\`.`;

const TAGS = [
  { name: 'Auth', description: 'Accounts and tokens: sign up, log in, refresh, log out, who am I.' },
  { name: 'Catalog', description: 'Movies, theaters and screenings. Public.' },
  {
    name: 'Seats',
    description: 'The seat map of a screening, read once or followed live over a WebSocket. Public.',
  },
  { name: 'Holds', description: 'Holding seats before paying for them, and giving them back.' },
  { name: 'Payments', description: 'Paying for a hold, idempotently; the hold becomes a reservation.' },
  { name: 'Reservations', description: "The caller's reservations and their cancellation." },
  { name: 'Admin', description: 'Catalog, seat states and sales, for members with role ADMIN.' },
  { name: 'Operations', description: 'Health and the web client’s own logs.' },
];

/** The document's top level; the paths come from the routes. */
export const DOCUMENT_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Marquee API',
    version: '1.0.0',
    description: AUTH_GUIDE,
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: '/', description: 'The server this document was read from' }],
  tags: TAGS,
};

const BEARER = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'The `accessToken` of `POST /api/auth/login` (or `/api/auth/refresh`), as `Authorization: Bearer <accessToken>`. Valid 15 minutes; refresh with the `refreshToken`.',
} as const;

/** Operations that touch neither the database nor a seat coordinator (so never 503). */
const NO_BACKEND = new Set(['GET /api/me', 'POST /api/logs', 'GET /health']);

/**
 * Registers the bearer scheme, documents the headers of routes served by headersByName, and adds to
 * every route the answers app-wide middleware can give:
 * 429 on /api/* (REQUESTS_PER_IP_PER_MINUTE, beside a route's own limits), 413 where there is a
 * body, 503 where the database or seat coordinator is reached. Public routes get `security: []`.
 * A route that already documents one of those statuses keeps its own words.
 */
export function documentSharedResponses(app: Router): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER);
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route;
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const shared: typeof route.responses = {};
    if (route.request?.body) {
      const cap = LARGER_BODIES[route.path] ?? MAX_BODY_BYTES;
      shared[413] = problem('PAYLOAD_TOO_LARGE', `The body is over ${cap / 1024} KiB`);
    }
    if (route.path.startsWith('/api/')) {
      shared[429] = problem(
        'RATE_LIMITED',
        'Too many requests from this address (REQUESTS_PER_IP_PER_MINUTE); see Retry-After',
      );
    }
    if (!NO_BACKEND.has(key)) {
      shared[503] = problem(
        'SERVICE_UNAVAILABLE',
        'The database or the seat coordinator cannot be reached; nothing was changed',
      );
    }
    const { [NAMED_HEADERS]: headers, ...documented } = route as typeof route & {
      [NAMED_HEADERS]?: z.ZodObject;
    };
    definition.route = {
      ...documented,
      ...(headers && { request: { ...route.request, headers } }),
      security: route.security ?? [],
      responses: { ...shared, ...route.responses },
    };
  }
}
