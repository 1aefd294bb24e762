// Serves the built seat-map page (dist/web) from the Node and Deno entries; on Workers wrangler's
// `[assets]` does the same. Mount it after the API routes: it never answers /api, /health,
// /openapi.json or /docs, so those keep their own 404s (problem+json). The API reference's files,
// under docs/ in the built page, are served like any other file.
import type { Env, Hono, MiddlewareHandler } from 'hono';

/** What `serveStatic` of `@hono/node-server/serve-static` and of `hono/deno` both accept. */
export type ServeStatic = (options: { root?: string; path?: string }) => MiddlewareHandler;

/** The built page, relative to the project root (the working directory of `npm run` scripts). */
export const WEB_PAGE_ROOT = './dist/web';

const SERVER_PATHS = /^\/(?:api(?:\/|$)|health$|openapi\.json$|docs$)/;

/** True for paths the API owns; the page is never served there. */
export const isServerPath = (path: string) => SERVER_PATHS.test(path);

/**
 * Files under `root` as they are; for any other GET of a page path by a browser (Accept: text/html),
 * index.html, so a reload of /screenings/:id opens the page there. Hashed files under /assets/ are
 * cached for a year; everything else is revalidated, so a new build is picked up at once.
 */
export function mountWebPage<E extends Env>(
  app: Hono<E>,
  serveStatic: ServeStatic,
  root = WEB_PAGE_ROOT,
): void {
  const files = serveStatic({ root });
  const page = serveStatic({ root, path: 'index.html' });
  app.get('*', async (c, next) => {
    if (isServerPath(c.req.path) || c.req.path === '/_headers') return next(); // rules for wrangler, not a page
    const file = await files(c, async () => {});
    if (file) return cached(file, c.req.path.startsWith('/assets/'));
    if (!(c.req.header('accept') ?? '').includes('text/html')) return next();
    const index = await page(c, async () => {});
    return index ? cached(index, false) : next();
  });
}

function cached(response: Response, immutable: boolean): Response {
  response.headers.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  return response;
}
