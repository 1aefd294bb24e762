import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { workerRuntime } from '../../src/index.ts';

describe('operations', () => {
  describe('happy', () => {
    it('reports the database UP', async () => {
      const response = await SELF.fetch('http://marquee.test/health');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'UP',
        components: { database: { status: 'UP' }, seats: { status: 'UP' } },
      });
    });

    it('serves an OpenAPI 3.1 document and the docs page', async () => {
      const doc = (await (await SELF.fetch('http://marquee.test/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toContain('/health');
      const docs = await SELF.fetch('http://marquee.test/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      expect(await docs.text()).toContain('/openapi.json');
    });

    it('puts a request id on every response and keeps a sane one from the caller', async () => {
      const own = await SELF.fetch('http://marquee.test/health', { headers: { 'X-Request-Id': 'abc-123' } });
      expect(own.headers.get('X-Request-Id')).toBe('abc-123');
      const generated = await SELF.fetch('http://marquee.test/nope', {
        headers: { 'X-Request-Id': 'bad id;<>' },
      });
      expect(generated.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('errors', () => {
    it('answers an unknown route with problem+json 404', async () => {
      const response = await SELF.fetch('http://marquee.test/api/nothing-here');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    it('reports DOWN with 503 when Postgres is unreachable', async () => {
      const app = createApp(workerRuntime({ ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }));
      const response = await app.request('/health', {}, { ...env });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'DOWN',
        components: { database: { status: 'DOWN' }, seats: { status: 'UP' } },
      });
    });
  });
});
