// Headers on every answer: secure headers (a strict CSP on the JSON API; on /docs one that lets the
// reference run its same-origin script and nothing from another origin) and CORS for the origins in
// CORS_ORIGINS. A 101 WebSocket upgrade is left alone: its
// headers are immutable in workerd (ARCHITECTURE.md, Known traps).
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Settings } from '../../config/settings.ts';

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

export const secureResponseHeaders = leaveUpgradesAlone((c, next) => {
  if (c.req.path === '/docs') return docs(c, next);
  return (JSON_PATHS.test(c.req.path) ? strict : page)(c, next);
});

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
  return leaveUpgradesAlone(async (c, next) => {
    if (c.req.method === 'OPTIONS' || allowed.has(c.req.header('origin') ?? '')) return middleware(c, next);
    await next();
    if (allowed.size > 0) c.res.headers.append('Vary', 'Origin');
  });
};
