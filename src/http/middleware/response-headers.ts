// Headers on every answer: a request id, secure headers (a strict CSP on the JSON API; on /docs one
// that lets the reference run its same-origin script and nothing from another origin) and CORS for
// the origins in CORS_ORIGINS. A 101 WebSocket upgrade is left alone: its headers are immutable in
// workerd (ARCHITECTURE.md, Known traps). A server that sets the fixed ones itself before the app
// runs (Node, `Runtime.serverSetHeaders`) gets them from here, so each rule is written once.
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Settings } from '../../config/settings.ts';
import type { AppEnv, Runtime } from '../context.ts';

/** The header that carries each answer's request id, the one log lines are traced by. */
export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The caller's own request id if it sent a sane one (hono's requestId rule), else a new UUID. */
export const requestIdFor = (sent: string | null | undefined): string =>
  sent && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();

/**
 * Gives the request its id (`c.get('requestId')`) and puts it on the answer, as hono's requestId
 * does; where the server already gave both, takes the server's.
 */
export const requestIdentity = (runtime: Runtime) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const given = runtime.serverSetHeaders?.requestId(c);
    const id = given ?? requestIdFor(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', id);
    if (given === undefined) c.header(REQUEST_ID_HEADER, id);
    await next();
  });

const isUpgrade = (request: Request) => request.headers.get('upgrade')?.toLowerCase() === 'websocket';

/** Runs `middleware` as usual, except on a WebSocket upgrade: after it, and only if it was refused. */
export function leaveUpgradesAlone(middleware: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    if (!isUpgrade(c.req.raw)) return middleware(c, next);
    await next();
    if (c.res.status !== 101) await middleware(c, async () => {});
  };
}

const JSON_PATHS = /^\/(api\/|openapi\.json$|health$)/;
const strict = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
/**
 * The reference page (Swagger UI): scripts from this origin and with the page's nonce, styles only
 * from its stylesheet here (it styles elements through the DOM, which the policy allows), images
 * from here or data: and blob: URLs (its icons, image responses of "Try it out").
 */
const docs = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});
const page = secureHeaders();

/** The secure headers an answer to `path` gets: one rule for the app and for a server that sets them. */
const secureHeadersOf = (path: string): MiddlewareHandler =>
  path === '/docs' ? docs : JSON_PATHS.test(path) ? strict : page;

/** Secure headers on every answer; where the server sets the fixed ones, only /docs's (its nonce). */
export const secureResponseHeaders = (runtime: Runtime): MiddlewareHandler => {
  const all = leaveUpgradesAlone((c, next) => secureHeadersOf(c.req.path)(c, next));
  return runtime.serverSetHeaders
    ? (c, next) => (secureHeadersOf(c.req.path) === docs ? all(c, next) : next())
    : all;
};

/**
 * For a server that sets each answer's fixed secure headers itself: what `path` gets (none for
 * /docs, whose policy carries a nonce the app makes). Read once from the same hono middleware.
 */
export async function fixedSecureHeaders(): Promise<(path: string) => ReadonlyArray<[string, string]>> {
  const setBy = async (middleware: MiddlewareHandler) => {
    const app = new Hono().use(middleware).all('*', (c) => c.body(null, 204));
    const set: Array<[string, string]> = [];
    (await app.request('/')).headers.forEach((value, name) => {
      set.push([name, value]);
    });
    return set;
  };
  const fixed = new Map<MiddlewareHandler, Array<[string, string]>>([
    [strict, await setBy(strict)],
    [page, await setBy(page)],
    [docs, []],
  ]);
  return (path) => fixed.get(secureHeadersOf(path)) ?? [];
}

/**
 * CORS for the origins in CORS_ORIGINS, through hono's cors. Only a preflight or a request from an
 * allowed origin runs it: hono's cors writes its headers before the route answers, which makes every
 * answer be built twice (and on Node, streamed instead of written at once); every other request only
 * gets `Vary: Origin` afterwards, when some origin is allowed (its answer would differ for those).
 */
export const corsFrom = (settings: Settings): MiddlewareHandler => {
  const allowed = new Set(settings.CORS_ORIGINS);
  const middleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposeHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  // No origin allowed (the default): only a preflight is answered, and no header is read.
  if (allowed.size === 0) return (c, next) => (c.req.method === 'OPTIONS' ? middleware(c, next) : next());
  return leaveUpgradesAlone(async (c, next) => {
    if (c.req.method === 'OPTIONS' || allowed.has(c.req.header('origin') ?? '')) return middleware(c, next);
    await next();
    c.res.headers.append('Vary', 'Origin');
  });
};
