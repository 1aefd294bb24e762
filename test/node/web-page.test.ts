// The page as the Node (and Deno) entries serve it: mountWebPage with @hono/node-server's
// serveStatic on a small app that has API routes and a problem+json notFound, like createApp; and
// the API reference's files in the real built page (npm test builds it first).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { serveStatic as denoServeStatic } from 'hono/deno';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { DOCS_ASSETS } from '../../src/http/api-reference.ts';
import { mountWebPage, type ServeStatic } from '../../src/http/web-page.ts';

const INDEX = '<!doctype html><title>Marquee</title><div id="app"></div>';
const BUNDLE = 'console.log("seat map")';
const html = { accept: 'text/html,application/xhtml+xml' };
let root: string;
let app: Hono;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'marquee-web-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), INDEX);
  await writeFile(join(root, 'assets', 'index-abc123.js'), BUNDLE);
  app = new Hono();
  app.get('/api/movies', (c) => c.json({ items: [] }));
  app.get('/health', (c) => c.json({ status: 'UP' }));
  mountWebPage(app, serveStatic, root);
  app.notFound((c) =>
    c.body(JSON.stringify({ status: 404, code: 'NOT_FOUND' }), 404, {
      'content-type': 'application/problem+json',
    }),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mountWebPage on Node', () => {
  describe('happy', () => {
    it('serves index.html at /, to be revalidated on every visit', async () => {
      const response = await app.request('/', { headers: html });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    });

    it('serves a hashed asset with its type, cached for a year', async () => {
      const response = await app.request('/assets/index-abc123.js');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('javascript');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await response.text()).toBe(BUNDLE);
    });

    it('answers a page path a browser opens with index.html (a reload of /screenings/:id)', async () => {
      const response = await app.request('/screenings/3f1a/checkout', { headers: html });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
    });

    it('leaves the API routes alone', async () => {
      const movies = await app.request('/api/movies', { headers: html });
      expect(await movies.json()).toEqual({ items: [] });
      const health = await app.request('/health', { headers: html });
      expect(await health.json()).toEqual({ status: 'UP' });
    });
  });

  describe('errors', () => {
    it('never answers an unknown /api route, /docs or /openapi.json with the page', async () => {
      for (const path of ['/api/nothing-here', '/api', '/docs', '/openapi.json']) {
        const response = await app.request(path, { headers: html });
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          404,
          'application/problem+json',
        ]);
      }
    });

    it('gives a missing file to a script or an API client as a 404, not as the page', async () => {
      const missing = await app.request('/assets/gone.js', { headers: { accept: '*/*' } });
      expect(missing.status).toBe(404);
      const json = await app.request('/screenings/3f1a', { headers: { accept: 'application/json' } });
      expect(json.status).toBe(404);
    });

    it('serves nothing outside its directory and only answers GET', async () => {
      for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
        const response = await app.request(path);
        expect([path, response.status]).toEqual([path, 404]);
      }
      const post = await app.request('/', { method: 'POST', headers: html });
      expect(post.status).toBe(404);
    });
  });

  it("serves the API reference's script and stylesheet from the built page (dist/web), where /docs loads them", async () => {
    const built = new Hono();
    mountWebPage(built, serveStatic); // WEB_PAGE_ROOT, as the Node and Deno entries mount it
    const script = await built.request(DOCS_ASSETS['swagger-ui-bundle.js']);
    expect([script.status, script.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('javascript'),
    ]);
    expect(await script.text()).toContain('SwaggerUIBundle');
    const style = await built.request(DOCS_ASSETS['swagger-ui.css']);
    expect([style.status, style.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/css'),
    ]);
    expect(await style.text()).toContain('.swagger-ui');
  });

  it("accepts Deno's serveStatic too (type check)", () => {
    expectTypeOf<typeof denoServeStatic>().toExtend<ServeStatic>();
    expectTypeOf(serveStatic).toExtend<ServeStatic>();
  });
});
