// The OpenAPI router every route module uses (zod validation failures become the contract's 400
// VALIDATION_FAILED with `errors: [{path, message}]`), a route's path, named headers and JSON body
// checked in one step on the busiest routes (validatedAtOnce), and the document /openapi.json serves:
// the routes' own definitions plus what the app-wide middleware adds to every operation (the per-IP
// rate limit, the body cap, an unreachable database or seat coordinator).
import { OpenAPIHono, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
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

/** Where validatedAtOnce keeps the route's request as declared, for the document (documentSharedResponses puts it back). */
const CHECKED_HERE = 'x-checked-here';

type Declared = { [CHECKED_HERE]?: RouteConfig['request'] };

/** A JSON body's content type, as @hono/zod-openapi's gate reads it (parameters allowed). */
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
/** A JSON media type, as hono's json validator reads it (its essence, parameters dropped). */
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * The route with its request (named headers, path parameters, a JSON body) checked in one
 * middleware, after the route's own, with the same answers @hono/zod-openapi's validators give: 400
 * VALIDATION_FAILED (the path first, then the headers, then the body), 415 for a body that is not JSON,
 * 400 for malformed JSON; the handler reads them with `c.req.valid(…)` as before, and the document
 * is unchanged. Their validators are a middleware each (a gate for the media type besides), each
 * awaiting its parse and its hook, and the header one lists every header of the request (on Node
 * that builds undici's Headers): on the hold path each such step cost a few microseconds, more
 * than the checks themselves (docs/performance.md). The schemas are parsed synchronously (none of
 * these routes' schemas refines asynchronously; one that did would fail its route's tests). A route
 * with a query, cookies or another body type keeps the library's validators.
 */
export function validatedAtOnce<R extends RouteConfig>(route: R): R {
  const { headers, params, body, ...request } = route.request ?? {};
  const media = body?.content['application/json'];
  const json = media && 'schema' in media ? media.schema : undefined;
  if (
    request.query ||
    request.cookies ||
    (body && (Object.keys(body.content).length !== 1 || !json)) ||
    (headers && !isObject(headers)) ||
    (params && !isObject(params)) ||
    (json && !isSchema(json))
  ) {
    throw new Error(
      `validatedAtOnce: ${route.method} ${route.path} asks for more than headers, a path and a JSON body`,
    );
  }
  const names = headers ? Object.keys(headers.shape) : [];
  const required = body?.required === true;
  const check = createMiddleware(async (c, next) => {
    if (params) {
      const result = params.safeParse(c.req.param());
      if (!result.success) return invalid(c, result.error);
      c.req.addValidatedData('param', result.data as Record<string, unknown>);
    }
    if (headers) {
      const sent: Record<string, string> = {};
      for (const name of names) {
        const value = c.req.header(name);
        if (value !== undefined) sent[name] = value;
      }
      const result = headers.safeParse(sent);
      if (!result.success) return invalid(c, result.error);
      c.req.addValidatedData('header', result.data as Record<string, unknown>);
    }
    if (json) {
      const contentType = c.req.header('content-type');
      if (contentType ? !JSON_REQUEST.test(contentType) : await hasBody(c)) {
        throw new HTTPException(415, { message: 'Unsupported Media Type' });
      }
      if (!required && !contentType) c.req.addValidatedData('json', {});
      else {
        let value: unknown = {};
        if (JSON_MEDIA.test(contentType?.split(';')[0]?.trim() ?? '')) {
          try {
            value = JSON.parse(await c.req.text());
          } catch {
            throw new HTTPException(400, { message: 'Malformed JSON in request body' });
          }
        }
        const result = json.safeParse(value);
        if (!result.success) return invalid(c, result.error);
        c.req.addValidatedData('json', result.data as Record<string, unknown>);
      }
    }
    await next();
  });
  const middleware = route.middleware === undefined ? [] : [route.middleware].flat();
  return { ...route, request, middleware: [...middleware, check], [CHECKED_HERE]: route.request } as R;
}

const isSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' && value !== null && 'safeParse' in value;
const isObject = (value: unknown): value is z.ZodObject => isSchema(value) && 'shape' in value;

/** Whether a request without a content type sent a body anyway (then it is not JSON: 415). */
async function hasBody(c: Context): Promise<boolean> {
  if (c.req.raw.body === null) return false;
  return (await c.req.arrayBuffer()).byteLength > 0;
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
 * Registers the bearer scheme, documents what validatedAtOnce checks itself, and adds to
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
    const { [CHECKED_HERE]: declared, ...documented } = route as typeof route & Declared;
    const request = declared ?? route.request;
    if (request?.body) {
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
    definition.route = {
      ...documented,
      ...(request && { request }),
      security: route.security ?? [],
      responses: { ...shared, ...route.responses },
    };
  }
}
